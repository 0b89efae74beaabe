// ASCII case helpers for HTTP tokens (header names, URI schemes), which are
// case-insensitive in ASCII only, whatever the process locale says.
//
// Internal to src/net/. Thread-safety: pure functions.
#ifndef ROOMGATE_NET_ASCII_H_
#define ROOMGATE_NET_ASCII_H_

#include <cstddef>
#include <string_view>

namespace roomgate::net {

inline char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `text` equals `lower`, ignoring ASCII case; `lower` must already
// be lower-case.
inline bool EqualsLowerCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (AsciiLower(text[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_ASCII_H_
