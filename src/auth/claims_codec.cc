#include "auth/claims_codec.h"

#include <strings.h>

#include "auth/json_object_parser.h"
#include "auth/json_writer.h"
#include "auth/known_layout.h"

namespace roomgate::auth {
namespace {

TokenRejection Reject(TokenError error, std::string message) { return {error, std::move(message)}; }

TokenRejection WrongKind(std::string_view name, std::string_view want, const JsonValue& v) {
  return Reject(TokenError::kBadClaimType, "claim '" + std::string(name) + "' must be " +
                                               std::string(want) + ", got " +
                                               std::string(JsonKindName(v.kind)));
}

// The claims we read, each a bit so a repeated claim is caught for free.
enum ClaimBit : unsigned {
  kAccessKey = 1 << 0,
  kType = 1 << 1,
  kVersion = 1 << 2,
  kRoomId = 1 << 3,
  kRole = 1 << 4,
  kUserId = 1 << 5,
  kIat = 1 << 6,
  kNbf = 1 << 7,
  kExp = 1 << 8,
  kJti = 1 << 9,
};

// Claims whose value must be a JSON string; the others must be integers.
constexpr unsigned kStringClaims = kAccessKey | kType | kRoomId | kRole | kUserId | kJti;

unsigned ClaimBitOf(std::string_view key) {
  // Dispatch on length and first letter, so one comparison settles any key.
  auto is = [key](std::string_view name, ClaimBit bit) { return key == name ? bit : 0u; };
  switch (key.size()) {
    case 3:
      switch (key[0]) {
        case 'i':
          return is("iat", kIat);
        case 'n':
          return is("nbf", kNbf);
        case 'e':
          return is("exp", kExp);
        case 'j':
          return is("jti", kJti);
      }
      return 0;
    case 4:
      return key[0] == 't' ? is("type", kType) : is("role", kRole);
    case 7:
      switch (key[0]) {
        case 'v':
          return is("version", kVersion);
        case 'r':
          return is("room_id", kRoomId);
        case 'u':
          return is("user_id", kUserId);
      }
      return 0;
    case 10:
      return is("access_key", kAccessKey);
    default:
      return 0;
  }
}

// Strings are constructed straight from the parser's view: no temporary.
void StoreString(unsigned bit, std::string_view s, TokenClaims& c, ClaimFacts& facts) {
  switch (bit) {
    case kAccessKey:
      c.access_key = AccessKey(s);
      break;
    case kType:
      facts.type.emplace(s);
      break;
    case kRoomId:
      c.room_id = RoomId(s);
      break;
    case kRole:
      c.role = RoleName(s);
      break;
    case kUserId:
      // An empty user_id means "not given", as the server SDK treats it.
      if (!s.empty()) c.user_id.emplace(s);
      break;
    case kJti:
      c.jti.assign(s);
      break;
  }
}

void StoreInt(unsigned bit, int64_t n, TokenClaims& c, ClaimFacts& facts) {
  switch (bit) {
    case kVersion:
      facts.version = n;
      break;
    case kIat:
      c.issued_at = n;
      break;
    case kNbf:
      c.not_before = n;
      break;
    case kExp:
      c.expires_at = n;
      facts.has_exp = true;
      break;
  }
}

// Stores the claim named by `bit`; false when `v` has the wrong JSON type.
// The rejection is built by the caller, so the common path builds none.
bool StoreClaim(unsigned bit, const JsonValue& v, TokenClaims& claims, ClaimFacts& facts) {
  if (bit & kStringClaims) {
    if (v.kind != JsonKind::kString) return false;
    StoreString(bit, v.text, claims, facts);
    return true;
  }
  // NumericDate may be fractional per RFC 7519, but no 100ms client or JWT
  // library we interoperate with writes one; refusing keeps comparisons exact.
  if (v.kind != JsonKind::kNumber || !v.is_integer) return false;
  StoreInt(bit, v.integer, claims, facts);
  return true;
}

// Stores what MatchKnownLayout read, through the same functions as the
// general path, so the two cannot differ in what a claim means.
void StoreKnownLayoutClaims(const KnownLayoutClaims& k, TokenClaims& c, ClaimFacts& facts) {
  StoreString(kAccessKey, k.access_key, c, facts);
  if (k.app) {
    StoreString(kRoomId, k.room_id, c, facts);
    if (k.user_id) StoreString(kUserId, *k.user_id, c, facts);
    StoreString(kRole, k.role, c, facts);
  }
  StoreString(kType, k.app ? "app" : "management", c, facts);
  StoreInt(kVersion, k.version, c, facts);
  StoreInt(kIat, k.iat, c, facts);
  StoreInt(kNbf, k.nbf, c, facts);
  StoreInt(kExp, k.exp, c, facts);
  StoreString(kJti, k.jti, c, facts);
}

// The general path: any valid JSON object, claims in any order.
std::optional<TokenRejection> ParseAnyClaims(std::string_view payload_json, TokenClaims& claims,
                                             ClaimFacts& facts) {
  JsonObjectParser parser(payload_json);
  std::string_view key;
  JsonValue v;
  unsigned seen = 0;
  while (true) {
    const auto step = parser.Next(key, v);
    if (step == JsonObjectParser::Step::kError) {
      return Reject(TokenError::kBadPayload, "token payload is not a valid JSON object");
    }
    if (step == JsonObjectParser::Step::kEnd) return std::nullopt;
    const unsigned bit = ClaimBitOf(key);
    if (bit == 0) continue;
    if (seen & bit) {
      // Parsers disagree on repeated members (first wins vs last wins): refuse.
      return Reject(TokenError::kBadPayload, "claim '" + std::string(key) + "' appears twice");
    }
    seen |= bit;
    if (!StoreClaim(bit, v, claims, facts)) {
      return WrongKind(key, bit & kStringClaims ? "a string" : "an integer", v);
    }
  }
}

}  // namespace

std::string Printable(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out;
  for (char c : s.substr(0, kMax)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > kMax) out += "...";
  return out;
}

std::optional<TokenRejection> CheckHeader(std::string_view header_json) {
  JsonObjectParser parser(header_json);
  std::string_view key;
  JsonValue v;
  bool has_alg = false, has_typ = false;
  while (true) {
    const auto step = parser.Next(key, v);
    if (step == JsonObjectParser::Step::kError) {
      return Reject(TokenError::kBadHeader, "token header is not a valid JSON object");
    }
    if (step == JsonObjectParser::Step::kEnd) break;
    if (key == "alg") {
      if (has_alg) return Reject(TokenError::kBadHeader, "token header repeats 'alg'");
      has_alg = true;
      if (v.kind != JsonKind::kString || v.text != "HS256") {
        return Reject(TokenError::kUnsupportedAlgorithm,
                      "token algorithm must be HS256" + (v.kind == JsonKind::kString
                                                             ? " (got '" + Printable(v.text) + "')"
                                                             : std::string()));
      }
    } else if (key == "typ") {
      if (has_typ) return Reject(TokenError::kBadHeader, "token header repeats 'typ'");
      has_typ = true;
      if (v.kind != JsonKind::kString || strncasecmp(v.text.data(), "JWT", 3) != 0 ||
          v.text.size() != 3) {
        return Reject(TokenError::kBadHeader, "token header 'typ' must be JWT");
      }
    } else if (key == "crit") {
      return Reject(TokenError::kCriticalHeader,
                    "token header has 'crit' extensions, which roomgate does not accept");
    }
  }
  if (!has_alg) return Reject(TokenError::kUnsupportedAlgorithm, "token header has no 'alg'");
  return std::nullopt;
}

std::optional<TokenRejection> ParseClaims(std::string_view payload_json, ParsedClaims& out) {
  return ParseClaims(payload_json, out.claims, out);
}

std::optional<TokenRejection> ParseClaims(std::string_view payload_json, TokenClaims& claims,
                                          ClaimFacts& facts) {
  // Nearly every payload comes from a minter whose layout we know; matching
  // it costs a fraction of parsing JSON in general.
  if (KnownLayoutClaims known; MatchKnownLayout(payload_json, known)) {
    StoreKnownLayoutClaims(known, claims, facts);
    return std::nullopt;
  }
  return ParseAnyClaims(payload_json, claims, facts);
}

namespace {
void AppendCommonTail(const MintClaims& c, std::string& out) {
  out += ",\"version\":2,\"iat\":";
  AppendJsonInt(c.issued_at, out);
  out += ",\"nbf\":";
  AppendJsonInt(c.issued_at, out);
  out += ",\"exp\":";
  AppendJsonInt(c.expires_at, out);
  out += ",\"jti\":";
  AppendJsonString(c.jti, out);
  out += '}';
}
}  // namespace

void AppendAppClaims(const MintClaims& c, std::string& out) {
  out += "{\"access_key\":";
  AppendJsonString(c.access_key, out);
  out += ",\"room_id\":";
  AppendJsonString(c.room_id, out);
  if (c.user_id) {
    out += ",\"user_id\":";
    AppendJsonString(*c.user_id, out);
  }
  out += ",\"role\":";
  AppendJsonString(c.role, out);
  out += ",\"type\":\"app\"";
  AppendCommonTail(c, out);
}

void AppendManagementClaims(const MintClaims& c, std::string& out) {
  out += "{\"access_key\":";
  AppendJsonString(c.access_key, out);
  out += ",\"type\":\"management\"";
  AppendCommonTail(c, out);
}

}  // namespace roomgate::auth
