#include <gtest/gtest.h>

#include <set>

#include "auth/test_tokens.h"
#include "roomgate/token.h"

namespace roomgate {
namespace {

using namespace auth::testing;

class TokenVerifierTest : public ::testing::Test {
 protected:
  TokenVerifierTest() : clock_(kNow) {
    auto keys = StaticKeyProvider::Create({{AccessKey(kAccessKey), std::string(kSecret)}});
    keys_ = std::move(*keys);
  }
  Result<TokenClaims, TokenRejection> Verify(std::string_view token,
                                             TokenType type = TokenType::kApp) {
    return TokenVerifier(*keys_, clock_).Verify(token, type);
  }

  FakeClock clock_;
  std::unique_ptr<StaticKeyProvider> keys_;
};

TEST_F(TokenVerifierTest, AcceptsValidAppTokenAndReturnsItsClaims) {
  auto claims = Verify(SignedToken(kHeader, AppPayload()));
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->access_key.str(), kAccessKey);
  EXPECT_EQ(claims->type, TokenType::kApp);
  EXPECT_EQ(claims->room_id.str(), "room-1");
  EXPECT_EQ(claims->role.str(), "host");
  ASSERT_TRUE(claims->user_id.has_value());
  EXPECT_EQ(claims->user_id->str(), "alice");
  EXPECT_EQ(claims->issued_at, kNow);
  EXPECT_EQ(claims->not_before, kNow);
  EXPECT_EQ(claims->expires_at, kNow + 86400);
  EXPECT_EQ(claims->jti, "3b241101-e2bb-4255-8caf-4136c566a962");
}

TEST_F(TokenVerifierTest, AcceptsHeaderWithoutTypAndUnknownClaims) {
  auto claims = Verify(SignedToken(R"({"alg":"HS256"})",
                                   AppPayload(R"(,"app_data":null,"sub":"api","x":{"a":[1,2]})")));
  EXPECT_TRUE(claims.ok()) << claims.error().message;
}

TEST_F(TokenVerifierTest, AcceptsManagementTokenOnlyAsManagement) {
  const std::string mgmt = SignedToken(
      kHeader, R"({"access_key":"64f1c2a9e3b7d8a1c2b3d4e5","type":"management","version":2,)"
               R"("iat":1800000000,"nbf":1800000000,"exp":1800086400,"jti":"x"})");
  auto ok = Verify(mgmt, TokenType::kManagement);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->type, TokenType::kManagement);
  auto as_app = Verify(mgmt, TokenType::kApp);
  ASSERT_FALSE(as_app.ok());
  EXPECT_EQ(as_app.error().error, TokenError::kWrongType);
}

TEST_F(TokenVerifierTest, EmptyUserIdMeansNoUserId) {
  auto claims = Verify(
      SignedToken(kHeader, R"({"access_key":"64f1c2a9e3b7d8a1c2b3d4e5","room_id":"r","user_id":"",)"
                           R"("role":"host","type":"app","version":2,"exp":1800086400})"));
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_FALSE(claims->user_id.has_value());
  EXPECT_FALSE(claims->issued_at.has_value());
}

TEST_F(TokenVerifierTest, LeewayAppliesToNotBeforeAndIssuedAtButNotExpiry) {
  const std::string token = SignedToken(kHeader, AppPayload());
  clock_.Set(kNow - 60);  // nbf and iat are exactly one leeway ahead
  EXPECT_TRUE(Verify(token).ok());
  clock_.Set(kNow - 61);
  EXPECT_EQ(Verify(token).error().error, TokenError::kNotYetValid);
  clock_.Set(kNow + 86399);
  EXPECT_TRUE(Verify(token).ok());
  clock_.Set(kNow + 86400);  // exp reached: expired, no leeway
  EXPECT_EQ(Verify(token).error().error, TokenError::kExpired);
}

// One row per rejection reason; each token differs from a valid one in one way.
struct RejectCase {
  const char* name;
  std::string token;
  TokenError error;
  TokenType expected = TokenType::kApp;
};

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

// The last character of a 32-byte signature carries two unused bits; setting
// one keeps the bytes the same but makes the encoding non-canonical.
std::string WithUnusedBitSet(std::string token) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  token.back() = kAlphabet[kAlphabet.find(token.back()) ^ 1];
  return token;
}

std::vector<RejectCase> RejectCases() {
  const std::string valid = SignedToken(kHeader, AppPayload());
  const std::string p = AppPayload();
  auto with = [&](std::string_view from, std::string_view to) {
    return SignedToken(kHeader, Replace(p, from, to));
  };
  return {
      {"too large", valid + std::string(9000, 'A'), TokenError::kTooLarge},
      {"two segments", valid.substr(0, valid.rfind('.')), TokenError::kMalformed},
      {"four segments", valid + ".x", TokenError::kMalformed},
      {"empty signature", valid.substr(0, valid.rfind('.') + 1), TokenError::kMalformed},
      {"empty string", "", TokenError::kMalformed},
      {"padding in header", Replace(valid, ".", "=."), TokenError::kBadEncoding},
      {"standard base64 char", Replace(valid, "eyJ", "ey+"), TokenError::kBadEncoding},
      {"payload not base64url", Replace(valid, ".", ".!"), TokenError::kBadEncoding},
      {"signature not canonical", WithUnusedBitSet(valid), TokenError::kBadEncoding},
      {"signature wrong length", valid.substr(0, valid.rfind('.') + 1) + "AAAA",
       TokenError::kBadSignature},
      {"header not JSON", SignedToken("not json", p), TokenError::kBadHeader},
      {"header is an array", SignedToken("[]", p), TokenError::kBadHeader},
      {"typ not JWT", SignedToken(R"({"alg":"HS256","typ":"JOSE+JSON"})", p),
       TokenError::kBadHeader},
      {"alg repeated", SignedToken(R"({"alg":"HS256","alg":"none"})", p), TokenError::kBadHeader},
      {"alg none", SignedToken(R"({"alg":"none","typ":"JWT"})", p),
       TokenError::kUnsupportedAlgorithm},
      {"alg HS384", SignedToken(R"({"alg":"HS384","typ":"JWT"})", p),
       TokenError::kUnsupportedAlgorithm},
      {"alg RS256", SignedToken(R"({"alg":"RS256","typ":"JWT"})", p),
       TokenError::kUnsupportedAlgorithm},
      {"alg lowercase", SignedToken(R"({"alg":"hs256"})", p), TokenError::kUnsupportedAlgorithm},
      {"alg missing", SignedToken(R"({"typ":"JWT"})", p), TokenError::kUnsupportedAlgorithm},
      {"alg not a string", SignedToken(R"({"alg":256})", p), TokenError::kUnsupportedAlgorithm},
      {"crit header", SignedToken(R"({"alg":"HS256","crit":["exp"]})", p),
       TokenError::kCriticalHeader},
      {"payload not JSON", SignedToken(kHeader, "{\"a\":"), TokenError::kBadPayload},
      {"payload is a string", SignedToken(kHeader, "\"x\""), TokenError::kBadPayload},
      {"payload trailing garbage", SignedToken(kHeader, p + "x"), TokenError::kBadPayload},
      {"claim repeated", SignedToken(kHeader, AppPayload(R"(,"role":"viewer")")),
       TokenError::kBadPayload},
      {"access_key missing", with(R"("access_key":"64f1c2a9e3b7d8a1c2b3d4e5",)", ""),
       TokenError::kMissingClaim},
      {"version missing", with(R"("version":2,)", ""), TokenError::kMissingClaim},
      {"type missing", with(R"("type":"app",)", ""), TokenError::kMissingClaim},
      {"room_id missing", with(R"("room_id":"room-1",)", ""), TokenError::kMissingClaim},
      {"room_id empty", with(R"("room_id":"room-1")", R"("room_id":"")"),
       TokenError::kMissingClaim},
      {"role missing", with(R"("role":"host",)", ""), TokenError::kMissingClaim},
      {"exp missing", with(R"("exp":1800086400,)", ""), TokenError::kMissingClaim},
      {"exp as string", with("1800086400", "\"1800086400\""), TokenError::kBadClaimType},
      {"exp fractional", with("1800086400", "1800086400.5"), TokenError::kBadClaimType},
      {"version as string", with(R"("version":2)", R"("version":"2")"), TokenError::kBadClaimType},
      {"room_id as number", with(R"("room_id":"room-1")", R"("room_id":1)"),
       TokenError::kBadClaimType},
      {"role as array", with(R"("role":"host")", R"("role":["host"])"), TokenError::kBadClaimType},
      {"user_id as null", with(R"("user_id":"alice")", R"("user_id":null)"),
       TokenError::kBadClaimType},
      {"access_key as object",
       with(R"("access_key":"64f1c2a9e3b7d8a1c2b3d4e5")", R"("access_key":{"k":1})"),
       TokenError::kBadClaimType},
      {"unknown access key", with("64f1c2a9e3b7d8a1c2b3d4e5", "000000000000000000000000"),
       TokenError::kUnknownAccessKey},
      {"wrong secret", SignedToken(kHeader, p, "another-secret-that-is-long-enough-0123456789"),
       TokenError::kBadSignature},
      {"version 1", with(R"("version":2)", R"("version":1)"), TokenError::kUnsupportedVersion},
      {"type management as app", with(R"("type":"app")", R"("type":"management")"),
       TokenError::kWrongType},
      {"type unknown", with(R"("type":"app")", R"("type":"admin")"), TokenError::kWrongType},
      {"app as management", valid, TokenError::kWrongType, TokenType::kManagement},
      {"expired", with("1800086400", "1800000000"), TokenError::kExpired},
      {"nbf in future", with(R"("nbf":1800000000)", R"("nbf":1800000061)"),
       TokenError::kNotYetValid},
      {"iat in future", with(R"("iat":1800000000)", R"("iat":1800000061)"),
       TokenError::kIssuedInFuture},
  };
}

TEST_F(TokenVerifierTest, RejectsEachInvalidTokenWithItsOwnReason) {
  for (const RejectCase& c : RejectCases()) {
    auto r = Verify(c.token, c.expected);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(TokenErrorName(r.error().error), TokenErrorName(c.error))
        << c.name << ": " << r.error().message;
    EXPECT_FALSE(r.error().message.empty()) << c.name;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << c.name;
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos) << c.name;
  }
}

TEST_F(TokenVerifierTest, EveryTokenErrorHasARejectCase) {
  std::set<std::string_view> covered;
  for (const RejectCase& c : RejectCases()) covered.insert(TokenErrorName(c.error));
  EXPECT_EQ(covered.size(), static_cast<size_t>(TokenError::kIssuedInFuture) + 1);
}

TEST_F(TokenVerifierTest, PayloadAlteredAfterSigningIsRejected) {
  const std::string valid = SignedToken(kHeader, AppPayload());
  const std::string forged_payload = auth::Base64UrlEncode(Replace(AppPayload(), "host", "boss"));
  const size_t d1 = valid.find('.'), d2 = valid.rfind('.');
  const std::string forged = valid.substr(0, d1 + 1) + forged_payload + valid.substr(d2);
  auto r = Verify(forged);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, TokenError::kBadSignature);
}

TEST_F(TokenVerifierTest, QuotesAttackerControlledValuesSafely) {
  auto r = Verify(SignedToken(R"({"alg":"evil\nalg\u0000"})", AppPayload()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  EXPECT_EQ(r.error().message.find('\0'), std::string::npos);
}

// Signed tokens with absurd times must be refused, not overflow the arithmetic
// that explains the refusal (found by reading the fuzz target's reach).
TEST_F(TokenVerifierTest, ExtremeTimesAreRejectedWithoutOverflow) {
  auto min_exp =
      Verify(SignedToken(kHeader, Replace(AppPayload(), "1800086400", "-9223372036854775808")));
  ASSERT_FALSE(min_exp.ok());
  EXPECT_EQ(min_exp.error().error, TokenError::kExpired);
  auto max_nbf = Verify(SignedToken(
      kHeader, Replace(AppPayload(), R"("nbf":1800000000)", R"("nbf":9223372036854775807)")));
  ASSERT_FALSE(max_nbf.ok());
  EXPECT_EQ(max_nbf.error().error, TokenError::kNotYetValid);
}

TEST_F(TokenVerifierTest, MaxTokenBytesIsConfigurable) {
  const std::string token = SignedToken(kHeader, AppPayload());
  VerifyOptions small;
  small.max_token_bytes = token.size() - 1;
  auto r = TokenVerifier(*keys_, clock_, small).Verify(token, TokenType::kApp);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, TokenError::kTooLarge);
}

TEST_F(TokenVerifierTest, SeveralKeysAreActiveAtOnce) {
  const std::string other_secret = "second-secret-for-rotation-0123456789abcdefghij";
  auto keys = StaticKeyProvider::Create(
      {{AccessKey(kAccessKey), std::string(kSecret)}, {AccessKey("rotated-key"), other_secret}});
  ASSERT_TRUE(keys.ok());
  TokenVerifier verifier(**keys, clock_);
  EXPECT_TRUE(verifier.Verify(SignedToken(kHeader, AppPayload()), TokenType::kApp).ok());
  const std::string rotated =
      SignedToken(kHeader, Replace(AppPayload(), kAccessKey, "rotated-key"), other_secret);
  EXPECT_TRUE(verifier.Verify(rotated, TokenType::kApp).ok());
  // The access key selects the secret: the first key's secret does not sign for the second.
  const std::string crossed =
      SignedToken(kHeader, Replace(AppPayload(), kAccessKey, "rotated-key"));
  EXPECT_EQ(verifier.Verify(crossed, TokenType::kApp).error().error, TokenError::kBadSignature);
}

}  // namespace
}  // namespace roomgate
