#include "auth/claims_codec.h"

#include <strings.h>

#include "auth/json_object_parser.h"
#include "auth/json_writer.h"

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

unsigned ClaimBitOf(std::string_view key) {
  // Dispatch on length first: one comparison per claim instead of ten.
  switch (key.size()) {
    case 3:
      if (key == "iat") return kIat;
      if (key == "nbf") return kNbf;
      if (key == "exp") return kExp;
      if (key == "jti") return kJti;
      return 0;
    case 4:
      if (key == "type") return kType;
      if (key == "role") return kRole;
      return 0;
    case 7:
      if (key == "version") return kVersion;
      if (key == "room_id") return kRoomId;
      if (key == "user_id") return kUserId;
      return 0;
    case 10:
      return key == "access_key" ? unsigned{kAccessKey} : 0u;
    default:
      return 0;
  }
}

std::optional<TokenRejection> ReadString(std::string_view key, const JsonValue& v,
                                         std::string& out) {
  if (v.kind != JsonKind::kString) return WrongKind(key, "a string", v);
  out.assign(v.text);
  return std::nullopt;
}

std::optional<TokenRejection> ReadInt(std::string_view key, const JsonValue& v, int64_t& out) {
  // NumericDate may be fractional per RFC 7519, but no 100ms client or JWT
  // library we interoperate with writes one; refusing keeps comparisons exact.
  if (v.kind != JsonKind::kNumber || !v.is_integer) return WrongKind(key, "an integer", v);
  out = v.integer;
  return std::nullopt;
}

std::optional<TokenRejection> ReadClaim(unsigned bit, std::string_view key, const JsonValue& v,
                                        ParsedClaims& out) {
  TokenClaims& c = out.claims;
  std::string s;
  int64_t n = 0;
  std::optional<TokenRejection> r;
  switch (bit) {
    case kAccessKey:
      if (!(r = ReadString(key, v, s))) c.access_key = AccessKey(std::move(s));
      return r;
    case kType:
      if (!(r = ReadString(key, v, s))) out.type = std::move(s);
      return r;
    case kVersion:
      if (!(r = ReadInt(key, v, n))) out.version = n;
      return r;
    case kRoomId:
      if (!(r = ReadString(key, v, s))) c.room_id = RoomId(std::move(s));
      return r;
    case kRole:
      if (!(r = ReadString(key, v, s))) c.role = RoleName(std::move(s));
      return r;
    case kUserId:
      // An empty user_id means "not given", as the server SDK treats it.
      if (!(r = ReadString(key, v, s)) && !s.empty()) c.user_id = UserId(std::move(s));
      return r;
    case kIat:
      if (!(r = ReadInt(key, v, n))) c.issued_at = n;
      return r;
    case kNbf:
      if (!(r = ReadInt(key, v, n))) c.not_before = n;
      return r;
    case kExp:
      if (!(r = ReadInt(key, v, n))) {
        c.expires_at = n;
        out.has_exp = true;
      }
      return r;
    case kJti:
      return ReadString(key, v, c.jti);
  }
  return std::nullopt;
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
    if (auto r = ReadClaim(bit, key, v, out)) return r;
  }
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
