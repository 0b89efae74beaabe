#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/base64url.h"
#include "auth/claims_codec.h"
#include "auth/test_tokens.h"
#include "common/uuid.h"
#include "roomgate/token.h"

namespace roomgate {
namespace {

using namespace auth::testing;
using std::chrono::seconds;

nlohmann::ordered_json PayloadOf(const std::string& token) {
  auto payload = DecodeTokenPayload(token);
  EXPECT_TRUE(payload.ok());
  return nlohmann::ordered_json::parse(*payload);
}

class TokenMinterTest : public ::testing::Test {
 protected:
  TokenMinterTest() : clock_(kNow), minter_(Make()) {
    keys_ = StaticKeyProvider::Create({{AccessKey(kAccessKey), std::string(kSecret)}}).value();
  }
  TokenMinter Make(MintOptions options = {}) {
    auto m = TokenMinter::Create({AccessKey(kAccessKey), std::string(kSecret)}, clock_,
                                 OpenSslRandom(), options);
    EXPECT_TRUE(m.ok());
    return std::move(m).value();
  }
  Result<TokenClaims, TokenRejection> Verify(const std::string& token, TokenType type) {
    return TokenVerifier(*keys_, clock_).Verify(token, type);
  }

  FakeClock clock_;
  TokenMinter minter_;
  std::unique_ptr<StaticKeyProvider> keys_;
};

TEST_F(TokenMinterTest, AppTokenHasExactly100msClaimsInDocsOrder) {
  auto t = minter_.MintApp({RoomId("room-1"), RoleName("host"), UserId("alice"), {}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token.substr(0, t->token.find('.')), auth::kEncodedHeader);
  const auto claims = PayloadOf(t->token);
  std::vector<std::string> keys;
  for (const auto& [k, v] : claims.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"access_key", "room_id", "user_id", "role", "type",
                                            "version", "iat", "nbf", "exp", "jti"}));
  EXPECT_EQ(claims["access_key"], kAccessKey);
  EXPECT_EQ(claims["room_id"], "room-1");
  EXPECT_EQ(claims["user_id"], "alice");
  EXPECT_EQ(claims["role"], "host");
  EXPECT_EQ(claims["type"], "app");
  EXPECT_EQ(claims["version"], 2);
  EXPECT_EQ(claims["iat"], kNow);
  EXPECT_EQ(claims["nbf"], kNow);
  EXPECT_EQ(claims["exp"], kNow + 86400);
  EXPECT_TRUE(IsUuidV4(claims["jti"].get<std::string>()));
  EXPECT_EQ(t->expires_at, kNow + 86400);
}

TEST_F(TokenMinterTest, OmitsUserIdWhenNotGiven) {
  auto t = minter_.MintApp({RoomId("room-1"), RoleName("guest"), std::nullopt, {}});
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(PayloadOf(t->token).contains("user_id"));
  auto empty = minter_.MintApp({RoomId("room-1"), RoleName("guest"), UserId(""), {}});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(PayloadOf(empty->token).contains("user_id"));
}

TEST_F(TokenMinterTest, ManagementTokenHasNoRoomRoleOrUser) {
  auto t = minter_.MintManagement();
  ASSERT_TRUE(t.ok());
  const auto claims = PayloadOf(t->token);
  std::vector<std::string> keys;
  for (const auto& [k, v] : claims.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"access_key", "type", "version", "iat", "nbf", "exp",
                                            "jti"}));
  EXPECT_EQ(claims["type"], "management");
}

TEST_F(TokenMinterTest, MintedTokensVerifyAsTheirOwnTypeOnly) {
  auto app = minter_.MintApp({RoomId("room-1"), RoleName("host"), UserId("alice"), {}});
  auto mgmt = minter_.MintManagement();
  ASSERT_TRUE(app.ok() && mgmt.ok());
  auto claims = Verify(app->token, TokenType::kApp);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->room_id.str(), "room-1");
  EXPECT_TRUE(Verify(mgmt->token, TokenType::kManagement).ok());
  EXPECT_EQ(Verify(app->token, TokenType::kManagement).error().error, TokenError::kWrongType);
  EXPECT_EQ(Verify(mgmt->token, TokenType::kApp).error().error, TokenError::kWrongType);
}

TEST_F(TokenMinterTest, EachTokenGetsAFreshJti) {
  auto a = minter_.MintManagement();
  auto b = minter_.MintManagement();
  EXPECT_NE(PayloadOf(a->token)["jti"], PayloadOf(b->token)["jti"]);
}

TEST_F(TokenMinterTest, TtlIsHonouredAndCappedByMaxValidity) {
  auto hour = minter_.MintApp({RoomId("r"), RoleName("host"), {}, seconds(3600)});
  ASSERT_TRUE(hour.ok());
  EXPECT_EQ(hour->expires_at, kNow + 3600);
  EXPECT_TRUE(minter_.MintManagement(seconds(90 * 86400)).ok());
  auto too_long = minter_.MintManagement(seconds(90 * 86400 + 1));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(minter_.MintManagement(seconds(0)).ok());
  TokenMinter strict = Make({seconds(600), seconds(3600)});
  EXPECT_EQ(strict.MintManagement()->expires_at, kNow + 600);
  EXPECT_FALSE(strict.MintManagement(seconds(3601)).ok());
}

TEST_F(TokenMinterTest, ExpiredMintedTokenIsRejected) {
  auto t = minter_.MintApp({RoomId("r"), RoleName("host"), {}, seconds(60)});
  clock_.Advance(60);
  EXPECT_EQ(Verify(t->token, TokenType::kApp).error().error, TokenError::kExpired);
}

TEST_F(TokenMinterTest, RejectsBadClaimValues) {
  const std::string big(1025, 'x');
  struct Case {
    const char* name;
    AppTokenRequest request;
  } cases[] = {
      {"empty room", {RoomId(""), RoleName("host"), {}, {}}},
      {"empty role", {RoomId("r"), RoleName(""), {}, {}}},
      {"long room", {RoomId(big), RoleName("host"), {}, {}}},
      {"invalid utf-8 role", {RoomId("r"), RoleName("\xc0\x80"), {}, {}}},
      {"invalid utf-8 user", {RoomId("r"), RoleName("host"), UserId("\xff"), {}}},
  };
  for (const auto& c : cases) {
    auto t = minter_.MintApp(c.request);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.error().code(), Status::Code::kInvalidArgument) << c.name;
  }
}

TEST_F(TokenMinterTest, EscapesSpecialCharactersAndRoundTripsUnicode) {
  const std::string user = "a\"b\\c\n\x01 \xc3\xa9\xf0\x9f\x8e\xa5";
  auto t = minter_.MintApp({RoomId("r"), RoleName("host"), UserId(user), {}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(PayloadOf(t->token)["user_id"], user);
  auto claims = Verify(t->token, TokenType::kApp);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->user_id->str(), user);
}

TEST_F(TokenMinterTest, RefusesWeakOrMalformedCredentials) {
  EXPECT_FALSE(TokenMinter::Create({AccessKey(kAccessKey), "short"}, clock_, OpenSslRandom()).ok());
  EXPECT_FALSE(
      TokenMinter::Create({AccessKey("bad key"), std::string(kSecret)}, clock_, OpenSslRandom())
          .ok());
}

}  // namespace
}  // namespace roomgate
