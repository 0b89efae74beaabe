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

using auth::ClaimFacts;

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

constexpr size_t kEncodedMacLength = auth::Base64UrlEncodedLength(auth::kHmacSha256Bytes);

// Why a signature failed: its encoding, or its value.
TokenRejection SignatureRejection(std::string_view signature) {
  std::string ignored;
  if (!auth::Base64UrlDecode(signature, ignored)) {
    return Reject(TokenError::kBadEncoding, "token signature is not valid base64url");
  }
  return Reject(TokenError::kBadSignature, "token signature does not match");
}

// Compares raw MACs: decoding their 43 characters and comparing 32 bytes costs
// less than encoding ours and comparing 43 characters. Decoding leaks nothing:
// it depends only on the presented text, never on our MAC; and since base64url
// is canonical here, equal bytes mean equal text.
std::optional<TokenRejection> CheckSignature(const SigningKey& key, const Segments& seg) {
  uint8_t mac[auth::kHmacSha256Bytes];
  if (!key.Sign(seg.signing_input, mac)) {
    return Reject(TokenError::kBadSignature, "token signature could not be computed");
  }
  char theirs[auth::Base64UrlDecodedMaxLength(kEncodedMacLength)];
  if (seg.signature.size() == kEncodedMacLength && auth::Base64UrlDecode(seg.signature, theirs) &&
      auth::MacEqual(mac, reinterpret_cast<const uint8_t*>(theirs), sizeof(mac))) {
    return std::nullopt;
  }
  return SignatureRejection(seg.signature);
}

std::optional<TokenRejection> CheckClaims(const TokenClaims& c, const ClaimFacts& f,
                                          TokenType expected) {
  if (!f.version) return Reject(TokenError::kMissingClaim, "token has no 'version' claim");
  if (*f.version != 2) {
    return Reject(TokenError::kUnsupportedVersion,
                  "token version " + std::to_string(*f.version) + " is not supported (want 2)");
  }
  if (!f.type) return Reject(TokenError::kMissingClaim, "token has no 'type' claim");
  if (*f.type != TokenTypeName(expected)) {
    // Confusing the two is a privilege escalation either way: an app token
    // would get REST powers, a management token would join any room.
    return Reject(TokenError::kWrongType, "token type is '" + auth::Printable(*f.type) +
                                              "', expected '" +
                                              std::string(TokenTypeName(expected)) + "'");
  }
  if (expected == TokenType::kApp) {
    if (c.room_id.empty()) {
      return Reject(TokenError::kMissingClaim, "app token has no 'room_id' claim");
    }
    if (c.role.empty()) {
      return Reject(TokenError::kMissingClaim, "app token has no 'role' claim");
    }
  }
  return std::nullopt;
}

// `exp` is required: a token that never expires cannot be taken back once
// leaked, short of rotating the whole key. The leeway absorbs clock skew on
// the issuer's side for nbf/iat; it is not applied to exp.
std::optional<TokenRejection> CheckTimes(const TokenClaims& c, const ClaimFacts& f, int64_t now,
                                         int64_t leeway) {
  if (!f.has_exp) return Reject(TokenError::kMissingClaim, "token has no 'exp' claim");
  if (now >= c.expires_at) {
    // In unsigned arithmetic: `exp` may be as low as INT64_MIN, where now - exp
    // overflows int64 (undefined behaviour); the true difference fits uint64.
    const uint64_t ago = static_cast<uint64_t>(now) - static_cast<uint64_t>(c.expires_at);
    return Reject(TokenError::kExpired, "token expired " + std::to_string(ago) + " s ago");
  }
  if (c.not_before && *c.not_before > now + leeway) {
    return Reject(TokenError::kNotYetValid,
                  "token is not valid for another " + std::to_string(*c.not_before - now) + " s");
  }
  if (c.issued_at && *c.issued_at > now + leeway) {
    return Reject(TokenError::kIssuedInFuture,
                  "token is issued " + std::to_string(*c.issued_at - now) + " s in the future");
  }
  return std::nullopt;
}

// Everything Verify checks, reading the claims into `claims`.
std::optional<TokenRejection> CheckToken(std::string_view token, TokenType expected,
                                         const KeyProvider& keys, const Clock& clock,
                                         const VerifyOptions& options, TokenClaims& claims) {
  if (token.size() > options.max_token_bytes) {
    return Reject(TokenError::kTooLarge,
                  "token is longer than " + std::to_string(options.max_token_bytes) + " bytes");
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
    if (auto r = auth::CheckHeader(header)) return r;
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
  ClaimFacts facts;
  if (auto r = auth::ParseClaims(payload, claims, facts)) return r;
  if (claims.access_key.empty()) {
    return Reject(TokenError::kMissingClaim, "token has no 'access_key' claim");
  }
  const SigningKey* key = keys.Find(claims.access_key.str());
  if (key == nullptr) {
    return Reject(TokenError::kUnknownAccessKey,
                  "access key '" + auth::Printable(claims.access_key.str()) + "' is not known");
  }
  if (auto r = CheckSignature(*key, *seg)) return r;
  if (auto r = CheckClaims(claims, facts, expected)) return r;
  if (auto r = CheckTimes(claims, facts, clock.NowSeconds(), options.leeway.count())) return r;
  claims.type = expected;
  return std::nullopt;
}

}  // namespace

TokenVerifier::TokenVerifier(const KeyProvider& keys, const Clock& clock, VerifyOptions options)
    : keys_(keys), clock_(clock), options_(options) {}

Result<TokenClaims, TokenRejection> TokenVerifier::Verify(std::string_view token,
                                                          TokenType expected) const {
  // The claims are read straight into the result, which is returned by name,
  // so its five strings are never moved (two moves cost ~15 ns a token).
  Result<TokenClaims, TokenRejection> result = TokenClaims{};
  if (auto rejection = CheckToken(token, expected, keys_, clock_, options_, *result)) {
    result = std::move(*rejection);
  }
  return result;
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
