// The JSON side of tokens: the fixed header we mint, and reading the header
// and claims of a token presented to us, with a TokenRejection for each way
// they can be wrong.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_CLAIMS_CODEC_H_
#define ROOMGATE_AUTH_CLAIMS_CODEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "roomgate/token.h"

namespace roomgate::auth {

// base64url('{"alg":"HS256","typ":"JWT"}'), the header of every token we mint
// (byte-identical to what jsonwebtoken emits).
inline constexpr std::string_view kEncodedHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

// Checks the decoded header: a JSON object whose `alg` is exactly "HS256",
// whose `typ`, if present, is "JWT" (any case, RFC 7519 §5.1), and that has
// no `crit` (RFC 7515 §4.1.11: we implement no extensions, so must refuse).
std::optional<TokenRejection> CheckHeader(std::string_view header_json);

// What a payload says beyond TokenClaims, for the policy checks.
struct ClaimFacts {
  std::optional<std::string> type;  // raw `type` claim
  std::optional<int64_t> version;
  bool has_exp = false;
};

// The claims as read, before any policy: what is present and well-typed.
struct ParsedClaims : ClaimFacts {
  TokenClaims claims;
};

// `s` made safe to quote in a one-line message: at most 40 characters, with
// anything outside printable ASCII shown as '?'. For values from unverified
// tokens, which an attacker chooses.
std::string Printable(std::string_view s);

// Reads the payload JSON, checking the JSON type of every claim we use.
// Unknown claims are allowed and ignored (100ms adds `app_data`, `iss`, `sub`).
std::optional<TokenRejection> ParseClaims(std::string_view payload_json, ParsedClaims& out);
// The same, reading into caller-owned claims (the verifier's result, so that
// the claims are never copied).
std::optional<TokenRejection> ParseClaims(std::string_view payload_json, TokenClaims& claims,
                                          ClaimFacts& facts);

// What a minted token says. Views, so minting copies no claim twice.
struct MintClaims {
  std::string_view access_key;
  std::string_view room_id;                 // app tokens only
  std::string_view role;                    // app tokens only
  std::optional<std::string_view> user_id;  // app tokens; omitted when unset
  int64_t issued_at = 0;                    // also nbf
  int64_t expires_at = 0;
  std::string_view jti;
};

// Appends the payload JSON of a token we mint, in the claim order of 100ms's
// docs. The strings must already be valid UTF-8.
void AppendAppClaims(const MintClaims& c, std::string& out);
void AppendManagementClaims(const MintClaims& c, std::string& out);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_CLAIMS_CODEC_H_
