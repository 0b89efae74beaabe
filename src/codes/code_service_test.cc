#include "codes/code_service.h"

#include <gtest/gtest.h>

#include <set>

#include "codes/room_code.h"
#include "common/uuid.h"
#include "store/memory_store.h"

namespace roomgate::codes {
namespace {

constexpr int64_t kNow = 1'800'000'000;
const Credential kKey{AccessKey("64f1c2a9e3b7d8a1c2b3d4e5"),
                      "a-secret-that-is-at-least-32-bytes-long!!"};

Role MakeRole(const std::string& name) {
  Role r;
  r.name = RoleName(name);
  return r;
}

class CodeServiceTest : public ::testing::Test {
 protected:
  CodeServiceTest()
      : clock_(kNow),
        minter_(TokenMinter::Create(kKey, clock_, OpenSslRandom()).value()),
        keys_(StaticKeyProvider::Create({kKey}).value()),
        service_(store_, minter_, clock_, OpenSslRandom(), CodeOptions{5, {}}) {
    Template t;
    t.id = TemplateId("t1");
    t.name = "default";
    for (const char* r : {"host", "guest", "viewer"}) t.roles[r] = MakeRole(r);
    EXPECT_TRUE(store_.CreateTemplate(t).ok());
    Room room;
    room.id = RoomId("room-1");
    room.name = "demo";
    room.template_id = t.id;
    EXPECT_TRUE(store_.CreateRoom(room).ok());
  }

  TokenClaims VerifyApp(const std::string& token) {
    auto claims = TokenVerifier(*keys_, clock_).Verify(token, TokenType::kApp);
    EXPECT_TRUE(claims.ok()) << claims.error().message;
    return claims.ok() ? *claims : TokenClaims{};
  }

  void DeleteRole(const std::string& role) {
    ASSERT_TRUE(store_
                    .ModifyTemplate(TemplateId("t1"),
                                    [&](Template& t) {
                                      t.roles.erase(role);
                                      return Status::Ok();
                                    })
                    .ok());
  }

  void DisableRoom() {
    ASSERT_TRUE(store_
                    .ModifyRoom(RoomId("room-1"),
                                [](Room& r) {
                                  r.enabled = false;
                                  return Status::Ok();
                                })
                    .ok());
  }

  FakeClock clock_;
  store::MemoryStore store_;
  TokenMinter minter_;
  std::unique_ptr<StaticKeyProvider> keys_;
  CodeService service_;
};

TEST_F(CodeServiceTest, CreatesOneCodePerRole) {
  auto codes = service_.CreateForAllRoles(RoomId("room-1"));
  ASSERT_TRUE(codes.ok()) << codes.error().message();
  ASSERT_EQ(codes->size(), 3u);
  std::set<std::string> roles;
  for (const RoomCode& c : *codes) {
    EXPECT_TRUE(IsWellFormedRoomCode(c.code.str()));
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.created_at, kNow);
    roles.insert(c.role.str());
  }
  EXPECT_EQ(roles, (std::set<std::string>{"guest", "host", "viewer"}));
}

TEST_F(CodeServiceTest, RedeemsACodeIntoATokenForItsRoomAndRole) {
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("guest"));
  ASSERT_TRUE(code.ok());
  auto minted = service_.Redeem(code->code.str(), UserId("alice"));
  ASSERT_TRUE(minted.ok()) << minted.error().message();
  const TokenClaims claims = VerifyApp(minted->token);
  EXPECT_EQ(claims.room_id.str(), "room-1");
  EXPECT_EQ(claims.role.str(), "guest");
  EXPECT_EQ(claims.user_id->str(), "alice");
  EXPECT_EQ(minted->expires_at, kNow + 86400);
}

TEST_F(CodeServiceTest, GeneratesAUserIdWhenNoneIsGiven) {
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("host"));
  auto minted = service_.Redeem(code->code.str(), std::nullopt);
  ASSERT_TRUE(minted.ok());
  EXPECT_TRUE(IsUuidV4(VerifyApp(minted->token).user_id->str()));
}

TEST_F(CodeServiceTest, RefusesUnknownMalformedAndDisabledCodes) {
  EXPECT_EQ(service_.Redeem("abc-defg-hij", std::nullopt).error().code(), Status::Code::kNotFound);
  EXPECT_EQ(service_.Redeem("not a code", std::nullopt).error().code(), Status::Code::kNotFound);
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("host"));
  ASSERT_TRUE(service_.SetEnabled(code->code, false).ok());
  EXPECT_EQ(service_.Redeem(code->code.str(), std::nullopt).error().code(),
            Status::Code::kPermissionDenied);
  ASSERT_TRUE(service_.SetEnabled(code->code, true).ok());
  EXPECT_TRUE(service_.Redeem(code->code.str(), std::nullopt).ok());
}

TEST_F(CodeServiceTest, DisabledRoomStopsItsCodesAndRefusesNewOnes) {
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("host"));
  DisableRoom();
  EXPECT_EQ(service_.Redeem(code->code.str(), std::nullopt).error().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(service_.CreateForAllRoles(RoomId("room-1")).error().code(),
            Status::Code::kPermissionDenied);
}

TEST_F(CodeServiceTest, DeletedRoleStopsItsCodes) {
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("viewer"));
  DeleteRole("viewer");
  EXPECT_EQ(service_.Redeem(code->code.str(), std::nullopt).error().code(),
            Status::Code::kPermissionDenied);
}

TEST_F(CodeServiceTest, CodeOfADeletedRoleCannotBeReEnabled) {
  auto code = service_.CreateForRole(RoomId("room-1"), RoleName("viewer"));
  ASSERT_TRUE(service_.SetEnabled(code->code, false).ok());
  DeleteRole("viewer");
  EXPECT_EQ(service_.SetEnabled(code->code, true).error().code(), Status::Code::kPermissionDenied);
  EXPECT_TRUE(service_.SetEnabled(code->code, false).ok());  // disabling stays possible
}

TEST_F(CodeServiceTest, CreatingCodesForAllRolesDisablesCodesOfDeletedRoles) {
  auto viewer = service_.CreateForRole(RoomId("room-1"), RoleName("viewer"));
  auto host = service_.CreateForRole(RoomId("room-1"), RoleName("host"));
  DeleteRole("viewer");
  ASSERT_TRUE(service_.CreateForAllRoles(RoomId("room-1")).ok());
  EXPECT_FALSE(store_.GetRoomCode(viewer->code)->enabled);
  EXPECT_TRUE(store_.GetRoomCode(host->code)->enabled);
}

TEST_F(CodeServiceTest, UnknownRoomOrRoleIsNotFound) {
  EXPECT_EQ(service_.CreateForAllRoles(RoomId("nope")).error().code(), Status::Code::kNotFound);
  EXPECT_EQ(service_.CreateForRole(RoomId("room-1"), RoleName("Host")).error().code(),
            Status::Code::kNotFound);  // role names are case-sensitive
}

TEST_F(CodeServiceTest, EnforcesTheLimitOfCodesPerRoom) {
  ASSERT_TRUE(service_.CreateForAllRoles(RoomId("room-1")).ok());                // 3
  ASSERT_TRUE(service_.CreateForRole(RoomId("room-1"), RoleName("host")).ok());  // 4
  ASSERT_TRUE(service_.CreateForRole(RoomId("room-1"), RoleName("host")).ok());  // 5
  auto sixth = service_.CreateForRole(RoomId("room-1"), RoleName("host"));
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(sixth.error().message().find("at most 5"), std::string::npos);
  // All-or-nothing: three more at once would exceed it too.
  EXPECT_FALSE(service_.CreateForAllRoles(RoomId("room-1")).ok());
  auto all = service_.List(RoomId("room-1"), {}, {100, ""});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->data.size(), 5u);
}

}  // namespace
}  // namespace roomgate::codes
