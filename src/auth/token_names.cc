#include "roomgate/token.h"

namespace roomgate {

std::string_view TokenTypeName(TokenType type) {
  return type == TokenType::kApp ? "app" : "management";
}

std::string_view TokenErrorName(TokenError error) {
  switch (error) {
    case TokenError::kTooLarge:
      return "token_too_large";
    case TokenError::kMalformed:
      return "token_malformed";
    case TokenError::kBadEncoding:
      return "token_bad_encoding";
    case TokenError::kBadHeader:
      return "token_bad_header";
    case TokenError::kUnsupportedAlgorithm:
      return "token_unsupported_algorithm";
    case TokenError::kCriticalHeader:
      return "token_critical_header";
    case TokenError::kBadPayload:
      return "token_bad_payload";
    case TokenError::kMissingClaim:
      return "token_missing_claim";
    case TokenError::kBadClaimType:
      return "token_bad_claim_type";
    case TokenError::kUnknownAccessKey:
      return "token_unknown_access_key";
    case TokenError::kBadSignature:
      return "token_bad_signature";
    case TokenError::kUnsupportedVersion:
      return "token_unsupported_version";
    case TokenError::kWrongType:
      return "token_wrong_type";
    case TokenError::kExpired:
      return "token_expired";
    case TokenError::kNotYetValid:
      return "token_not_yet_valid";
    case TokenError::kIssuedInFuture:
      return "token_issued_in_future";
  }
  return "token_invalid";
}

}  // namespace roomgate
