// base64url without padding (RFC 4648 §5), the encoding of every JWS segment.
//
// Decoding is strict: padding, characters outside the alphabet, impossible
// lengths and non-zero unused trailing bits are all refused, so each byte
// string has exactly one accepted encoding and a signature cannot be altered
// without being rejected.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_BASE64URL_H_
#define ROOMGATE_AUTH_BASE64URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace roomgate::auth {

constexpr size_t Base64UrlEncodedLength(size_t n) { return (n * 4 + 2) / 3; }
constexpr size_t Base64UrlDecodedMaxLength(size_t n) { return n / 4 * 3 + 2; }

// Appends the encoding of `in` to `out`.
void Base64UrlEncode(std::string_view in, std::string& out);
std::string Base64UrlEncode(std::string_view in);
// Writes exactly Base64UrlEncodedLength(in.size()) characters to `out`.
void Base64UrlEncode(std::string_view in, char* out);

// Appends the decoded bytes of `in` to `out`; false (and `out` unspecified)
// when `in` is not a canonical unpadded base64url string.
bool Base64UrlDecode(std::string_view in, std::string& out);
// Decodes into `out`, which must hold Base64UrlDecodedMaxLength(in.size())
// bytes; the decoded length, or nullopt when `in` is not canonical.
std::optional<size_t> Base64UrlDecode(std::string_view in, char* out);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_BASE64URL_H_
