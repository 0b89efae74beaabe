// Recognising a claims payload laid out exactly as the token minters we know
// write it, so the verifier can read nearly every payload without general
// JSON parsing: roomgate's TokenMinter (claims in the order of 100ms's docs)
// and the 100ms server SDK (room claims after `exp`), both compact and with
// `jti` last.
//
// A shortcut, not a second definition: it accepts only strings of plain
// ASCII and integers of at most 18 digits, so every payload it matches is
// valid JSON that the general parser reads to the same claims. Anything else
// (whitespace, escapes, other orders, unknown claims) does not match and is
// parsed in full.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_KNOWN_LAYOUT_H_
#define ROOMGATE_AUTH_KNOWN_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace roomgate::auth {

// The claims of a matched payload: views into it, and integers.
struct KnownLayoutClaims {
  bool app = false;  // `type` is "app" (with room claims), else "management"
  std::string_view access_key, room_id, role, jti;
  std::optional<std::string_view> user_id;
  int64_t version = 0, iat = 0, nbf = 0, exp = 0;
};

// True when `payload_json` is laid out as described above; `out` is
// unspecified otherwise.
bool MatchKnownLayout(std::string_view payload_json, KnownLayoutClaims& out);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_KNOWN_LAYOUT_H_
