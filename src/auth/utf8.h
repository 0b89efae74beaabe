// UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF. Token claims must be valid UTF-8 to be valid JSON.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_UTF8_H_
#define ROOMGATE_AUTH_UTF8_H_

#include <cstddef>
#include <string_view>

namespace roomgate::auth {

// Length (2-4) of the well-formed multi-byte sequence starting at `p`, or 0.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end);

bool IsValidUtf8(std::string_view s);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_UTF8_H_
