#include "store/model_json.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace roomgate::store {
namespace {

using namespace testing;

TEST(ModelJsonTest, RolesRoundTripEveryField) {
  const std::map<std::string, Role> roles = {{"host", FullRole("host")}, {"guest", Role{}}};
  auto json = RolesToJson(roles);
  ASSERT_TRUE(json.ok()) << json.error().message();
  auto back = RolesFromJson(*json);
  ASSERT_TRUE(back.ok()) << back.error().message();
  ASSERT_EQ(back->size(), 2u);
  ExpectSameRole(roles.at("host"), back->at("host"));
  ExpectSameRole(roles.at("guest"), back->at("guest"));
}

TEST(ModelJsonTest, MissingFieldsTakeTheModelDefaults) {
  auto roles = RolesFromJson(R"({"viewer":{"name":"viewer","permissions":{"mute":true}}})");
  ASSERT_TRUE(roles.ok()) << roles.error().message();
  Role want;
  want.name = RoleName("viewer");
  want.permissions.mute = true;
  ExpectSameRole(want, roles->at("viewer"));
}

TEST(ModelJsonTest, CorruptJsonIsAnInternalErrorNotAnException) {
  for (const char* bad : {"", "[]", "{", R"({"r":1})", R"({"r":{"priority":"high"}})",
                          R"({"r":{"publish_allowed":[1]}})", R"({"r":{"permissions":[]}})"}) {
    auto roles = RolesFromJson(bad);
    ASSERT_FALSE(roles.ok()) << bad;
    EXPECT_EQ(roles.error().code(), Status::Code::kInternal) << bad;
  }
}

TEST(ModelJsonTest, InvalidUtf8IsRefusedNotThrown) {
  Role role;
  role.name = RoleName("\xff\xfe");
  auto json = RolesToJson({{"bad", role}});
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace roomgate::store
