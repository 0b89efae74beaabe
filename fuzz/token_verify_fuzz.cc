// libFuzzer target: everything a presented token's bytes reach before anyone
// trusts them. The input is used four ways:
//   1. as a whole token, verified as an app and as a management token;
//   2. as a JSON object for JsonObjectParser, and as a header and a payload
//      for the claims codec;
//   3. as base64url text (a successful decode must re-encode to the input:
//      one canonical encoding per byte string);
//   4. as a payload JSON, correctly signed for the fuzz key, so the policy
//      checks after the HMAC (version, type, required claims, times) see
//      fuzzer-chosen claims too; mutations would otherwise never pass the MAC.
// Whatever the verifier accepts must satisfy the documented guarantees;
// anything else aborts, which the fuzzer reports as a crash.
//
// Built as `token_verify_fuzz` (clang, -fsanitize=fuzzer) by scripts/fuzz.sh,
// and as `token_verify_fuzz_replay` with replay_main.cc in every build.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "auth/base64url.h"
#include "auth/claims_codec.h"
#include "auth/hmac_sha256.h"
#include "auth/json_object_parser.h"
#include "roomgate/token.h"

namespace roomgate {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr std::string_view kAccessKey = "fuzzkey";
// 48 characters; fuzz/make_seed_corpus.mjs signs the seed corpus with it.
constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdefghijklmnopqrstuvwxyz";

void Check(bool ok) {
  if (!ok) std::abort();
}

struct Fixture {
  Fixture() : clock(kNow), hmac(kSecret) {
    auto created = StaticKeyProvider::Create({{AccessKey(kAccessKey), std::string(kSecret)}});
    Check(created.ok());
    keys = std::move(*created);
    verifier = std::make_unique<TokenVerifier>(*keys, clock);
  }
  FakeClock clock;
  auth::HmacSha256Key hmac;
  std::unique_ptr<StaticKeyProvider> keys;
  std::unique_ptr<TokenVerifier> verifier;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = new Fixture();  // never destroyed: outlives all inputs
  return *fixture;
}

// The guarantees token.h makes about an accepted token.
void CheckAccepted(const TokenClaims& c, TokenType type) {
  const int64_t leeway = VerifyOptions{}.leeway.count();
  Check(c.type == type);
  Check(c.access_key.str() == kAccessKey);
  Check(kNow < c.expires_at);
  Check(!c.not_before || *c.not_before <= kNow + leeway);
  Check(!c.issued_at || *c.issued_at <= kNow + leeway);
  Check(!c.user_id || !c.user_id->empty());
  if (type == TokenType::kApp) Check(!c.room_id.empty() && !c.role.empty());
}

void VerifyBothTypes(std::string_view token) {
  const TokenVerifier& verifier = *GetFixture().verifier;
  bool accepted_as_app = false;
  for (TokenType type : {TokenType::kApp, TokenType::kManagement}) {
    auto result = verifier.Verify(token, type);
    if (result.ok()) {
      CheckAccepted(*result, type);
      if (type == TokenType::kApp) accepted_as_app = true;
      if (type == TokenType::kManagement) Check(!accepted_as_app);  // never both
    } else {
      Check(!result.error().message.empty());
    }
  }
}

void ParseJson(std::string_view json) {
  auth::JsonObjectParser parser(json);
  std::string_view key;
  auth::JsonValue value;
  int members = 0;
  while (parser.Next(key, value) == auth::JsonObjectParser::Step::kMember) {
    Check(++members <= auth::JsonObjectParser::kMaxMembers);
    Check(!value.is_integer || value.kind == auth::JsonKind::kNumber);
    if (value.kind != auth::JsonKind::kString) Check(!value.text.empty());
  }
  auth::ParsedClaims claims;
  (void)auth::CheckHeader(json);
  (void)auth::ParseClaims(json, claims);
}

void DecodeBase64Url(std::string_view text) {
  std::string decoded;
  if (auth::Base64UrlDecode(text, decoded)) Check(auth::Base64UrlEncode(decoded) == text);
  std::string round_trip;
  Check(auth::Base64UrlDecode(auth::Base64UrlEncode(text), round_trip) && round_trip == text);
}

void VerifySignedPayload(std::string_view payload) {
  std::string token(auth::kEncodedHeader);
  token += '.';
  auth::Base64UrlEncode(payload, token);
  uint8_t mac[auth::kHmacSha256Bytes];
  Check(GetFixture().hmac.Sign(token, mac));
  token += '.';
  auth::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)), token);
  VerifyBothTypes(token);
}

}  // namespace
}  // namespace roomgate

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  roomgate::VerifyBothTypes(input);
  roomgate::ParseJson(input);
  roomgate::DecodeBase64Url(input);
  roomgate::VerifySignedPayload(input);
  return 0;
}
