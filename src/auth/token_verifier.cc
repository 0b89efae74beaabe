// Token verification, in the order that keeps work and exposure small:
//   1. shape: size cap, three segments, canonical base64url;
//   2. header: HS256 only, no `crit`;
//   3. claims are read and type-checked (we need `access_key` to find the key);
//   4. key: the access key must be active; HMAC compared in constant time;
//   5. policy on the now-authentic claims: version, type, required claims,
//      then time.
// Nothing a token says is trusted before step 4 except which key to try.
#include "auth/base64url.h"
#include "auth/claims_codec.h"
#include "auth/signing_key.h"
#include "roomgate/token.h"

namespace roomgate {
namespace {

using auth::ParsedClaims;

TokenRejection Reject(TokenError error, std::string message) { return {error, std::move(message)}; }

struct Segments {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Segments> Split(std::string_view token) {
  const size_t d1 = token.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  const size_t d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  Segments s{token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1),
             token.substr(0, d2)};
  if (s.header.empty() || s.payload.empty() || s.signature.empty()) return std::nullopt;
  return s;
}

// Compares encoded forms: encoding our 32-byte MAC is cheaper than decoding
// theirs, and since base64url is canonical here, equal text means equal
// bytes. Only a mismatch pays for decoding, to say why it failed.
std::optional<TokenRejection> CheckSignature(const SigningKey& key, const Segments& seg) {
  uint8_t mac[auth::kHmacSha256Bytes];
  if (!key.Sign(seg.signing_input, mac)) {
    return Reject(TokenError::kBadSignature, "token signature could not be computed");
  }
  char expected[auth::Base64UrlEncodedLength(sizeof(mac))];
  auth::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)),
                        expected);
  if (seg.signature.size() == sizeof(expected) &&
      auth::MacEqual(reinterpret_cast<const uint8_t*>(expected),
                     reinterpret_cast<const uint8_t*>(seg.signature.data()), sizeof(expected))) {
    return std::nullopt;
  }
  std::string ignored;
  if (!auth::Base64UrlDecode(seg.signature, ignored)) {
    return Reject(TokenError::kBadEncoding, "token signature is not valid base64url");
  }
  return Reject(TokenError::kBadSignature, "token signature does not match");
}

std::optional<TokenRejection> CheckClaims(const ParsedClaims& p, TokenType expected) {
  if (!p.version) return Reject(TokenError::kMissingClaim, "token has no 'version' claim");
  if (*p.version != 2) {
    return Reject(TokenError::kUnsupportedVersion,
                  "token version " + std::to_string(*p.version) + " is not supported (want 2)");
  }
  if (!p.type) return Reject(TokenError::kMissingClaim, "token has no 'type' claim");
  if (*p.type != TokenTypeName(expected)) {
    // Confusing the two is a privilege escalation either way: an app token
    // would get REST powers, a management token would join any room.
    return Reject(TokenError::kWrongType, "token type is '" + auth::Printable(*p.type) +
                                              "', expected '" +
                                              std::string(TokenTypeName(expected)) + "'");
  }
  if (expected == TokenType::kApp) {
    if (p.claims.room_id.empty()) {
      return Reject(TokenError::kMissingClaim, "app token has no 'room_id' claim");
    }
    if (p.claims.role.empty()) {
      return Reject(TokenError::kMissingClaim, "app token has no 'role' claim");
    }
  }
  return std::nullopt;
}

// `exp` is required: a token that never expires cannot be taken back once
// leaked, short of rotating the whole key. The leeway absorbs clock skew on
// the issuer's side for nbf/iat; it is not applied to exp.
std::optional<TokenRejection> CheckTimes(const ParsedClaims& p, int64_t now, int64_t leeway) {
  if (!p.has_exp) return Reject(TokenError::kMissingClaim, "token has no 'exp' claim");
  if (now >= p.claims.expires_at) {
    return Reject(TokenError::kExpired,
                  "token expired " + std::to_string(now - p.claims.expires_at) + " s ago");
  }
  if (p.claims.not_before && *p.claims.not_before > now + leeway) {
    return Reject(TokenError::kNotYetValid, "token is not valid for another " +
                                                std::to_string(*p.claims.not_before - now) + " s");
  }
  if (p.claims.issued_at && *p.claims.issued_at > now + leeway) {
    return Reject(
        TokenError::kIssuedInFuture,
        "token is issued " + std::to_string(*p.claims.issued_at - now) + " s in the future");
  }
  return std::nullopt;
}

}  // namespace

TokenVerifier::TokenVerifier(const KeyProvider& keys, const Clock& clock, VerifyOptions options)
    : keys_(keys), clock_(clock), options_(options) {}

Result<TokenClaims, TokenRejection> TokenVerifier::Verify(std::string_view token,
                                                          TokenType expected) const {
  if (token.size() > options_.max_token_bytes) {
    return Reject(TokenError::kTooLarge,
                  "token is longer than " + std::to_string(options_.max_token_bytes) + " bytes");
  }
  const auto seg = Split(token);
  if (!seg) {
    return Reject(TokenError::kMalformed, "token must be three non-empty dot-separated parts");
  }
  // Nearly every token carries the header we and jsonwebtoken emit; it is
  // known to be valid, so skip decoding and parsing it.
  if (seg->header != auth::kEncodedHeader) {
    std::string header;
    if (!auth::Base64UrlDecode(seg->header, header)) {
      return Reject(TokenError::kBadEncoding, "token header is not valid base64url");
    }
    if (auto r = auth::CheckHeader(header)) return *r;
  }
  // A per-thread buffer: decoding allocates nothing once it has grown.
  thread_local std::string payload_buffer;
  if (payload_buffer.size() < auth::Base64UrlDecodedMaxLength(seg->payload.size())) {
    payload_buffer.resize(auth::Base64UrlDecodedMaxLength(seg->payload.size()));
  }
  const auto payload_size = auth::Base64UrlDecode(seg->payload, payload_buffer.data());
  if (!payload_size) {
    return Reject(TokenError::kBadEncoding, "token payload is not valid base64url");
  }
  const std::string_view payload(payload_buffer.data(), *payload_size);
  ParsedClaims parsed;
  if (auto r = auth::ParseClaims(payload, parsed)) return *r;
  if (parsed.claims.access_key.empty()) {
    return Reject(TokenError::kMissingClaim, "token has no 'access_key' claim");
  }
  const SigningKey* key = keys_.Find(parsed.claims.access_key.str());
  if (key == nullptr) {
    return Reject(
        TokenError::kUnknownAccessKey,
        "access key '" + auth::Printable(parsed.claims.access_key.str()) + "' is not known");
  }
  if (auto r = CheckSignature(*key, *seg)) return *r;
  if (auto r = CheckClaims(parsed, expected)) return *r;
  if (auto r = CheckTimes(parsed, clock_.NowSeconds(), options_.leeway.count())) return *r;
  parsed.claims.type = expected;
  return std::move(parsed.claims);
}

Result<std::string> DecodeTokenPayload(std::string_view token) {
  const auto seg = Split(token);
  std::string payload;
  if (!seg || !auth::Base64UrlDecode(seg->payload, payload)) {
    return Status::InvalidArgument("token payload cannot be decoded");
  }
  return payload;
}

}  // namespace roomgate
