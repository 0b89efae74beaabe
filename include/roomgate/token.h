// Auth tokens and management tokens: minting and verification.
//
// Both are HS256 JWTs (JWS compact form) with 100ms's claims (reference §1-2):
//   app:        access_key, room_id, user_id (optional), role, type:"app",
//               version:2, iat, nbf, exp, jti
//   management: access_key, type:"management", version:2, iat, nbf, exp, jti
//
// An app token lets one user join one room with one role; a management token
// authorises the REST API. The two must never stand in for each other, so the
// verifier is always told which type it expects and rejects the other.
//
// Thread-safety: TokenMinter and TokenVerifier are immutable after creation
// and may be used from any number of threads at once.
#ifndef ROOMGATE_TOKEN_H_
#define ROOMGATE_TOKEN_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "roomgate/clock.h"
#include "roomgate/ids.h"
#include "roomgate/keys.h"
#include "roomgate/secure_random.h"
#include "roomgate/status.h"

namespace roomgate {

enum class TokenType { kApp, kManagement };
std::string_view TokenTypeName(TokenType type);  // "app" / "management"

// The claims of a verified token. Times are seconds since the epoch.
struct TokenClaims {
  AccessKey access_key;
  TokenType type = TokenType::kApp;
  RoomId room_id;                     // app tokens only
  RoleName role;                      // app tokens only
  std::optional<UserId> user_id;      // app tokens; absent when not given
  std::optional<int64_t> issued_at;   // iat
  std::optional<int64_t> not_before;  // nbf
  int64_t expires_at = 0;             // exp, always present
  std::string jti;                    // empty when the token carries none
};

// Why a token was refused. Each reason has a stable name (TokenErrorName) for
// logs, docs and API error details.
enum class TokenError {
  kTooLarge,              // longer than VerifyOptions::max_token_bytes
  kMalformed,             // not three non-empty dot-separated segments
  kBadEncoding,           // a segment is not canonical unpadded base64url
  kBadHeader,             // header is not a JSON object, or has a bad `typ`
  kUnsupportedAlgorithm,  // `alg` is missing or not HS256 (`none` included)
  kCriticalHeader,        // `crit` present: we understand no extensions
  kBadPayload,            // payload is not a JSON object (or repeats a claim)
  kMissingClaim,          // a required claim is absent or empty
  kBadClaimType,          // a claim has the wrong JSON type
  kUnknownAccessKey,      // no active key has this access_key
  kBadSignature,          // HMAC does not match
  kUnsupportedVersion,    // `version` is not 2
  kWrongType,             // `type` is not the one the caller expects
  kExpired,               // now >= exp
  kNotYetValid,           // nbf is later than now + leeway
  kIssuedInFuture,        // iat is later than now + leeway
};
std::string_view TokenErrorName(TokenError error);

struct TokenRejection {
  TokenError error;
  std::string message;  // one line; never contains the token or a secret
};

struct VerifyOptions {
  // Tolerated clock skew for `nbf` and `iat`. Not applied to `exp`: an expired
  // token is expired.
  std::chrono::seconds leeway{60};
  // Tokens longer than this are refused before any decoding work.
  size_t max_token_bytes = 8 * 1024;
};

class TokenVerifier {
 public:
  // `keys` and `clock` must outlive the verifier.
  TokenVerifier(const KeyProvider& keys, const Clock& clock, VerifyOptions options = {});

  Result<TokenClaims, TokenRejection> Verify(std::string_view token, TokenType expected) const;

 private:
  const KeyProvider& keys_;
  const Clock& clock_;
  VerifyOptions options_;
};

// The decoded payload JSON of a token, for display after Verify succeeded.
Result<std::string> DecodeTokenPayload(std::string_view token);

struct MintOptions {
  std::chrono::seconds default_ttl{24 * 3600};   // as 100ms
  std::chrono::seconds max_ttl{90 * 24 * 3600};  // minting refuses longer
};

struct AppTokenRequest {
  RoomId room_id;
  RoleName role;
  std::optional<UserId> user_id;            // omitted from the token when unset
  std::optional<std::chrono::seconds> ttl;  // MintOptions::default_ttl when unset
};

struct MintedToken {
  std::string token;
  int64_t expires_at = 0;  // the `exp` claim
};

class TokenMinter {
 public:
  // `clock` and `random` must outlive the minter.
  static Result<TokenMinter> Create(const Credential& credential, const Clock& clock,
                                    SecureRandom& random, MintOptions options = {});
  TokenMinter(TokenMinter&&) noexcept;
  TokenMinter& operator=(TokenMinter&&) noexcept;
  ~TokenMinter();

  Result<MintedToken> MintApp(const AppTokenRequest& request) const;
  Result<MintedToken> MintManagement(std::optional<std::chrono::seconds> ttl = {}) const;

 private:
  struct Impl;
  explicit TokenMinter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roomgate

#endif  // ROOMGATE_TOKEN_H_
