#include "auth/known_layout.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/claims_codec.h"
#include "auth/json_object_parser.h"

namespace roomgate::auth {
namespace {

// What the general parser makes of a payload: each member's decoded string,
// or the integer's decimal text.
std::map<std::string, std::string> GeneralParse(std::string_view json) {
  std::map<std::string, std::string> members;
  JsonObjectParser parser(json);
  std::string_view key;
  JsonValue v;
  JsonObjectParser::Step step;
  while ((step = parser.Next(key, v)) == JsonObjectParser::Step::kMember) {
    EXPECT_TRUE(v.kind == JsonKind::kString || v.is_integer) << json;
    members[std::string(key)] =
        v.kind == JsonKind::kString ? std::string(v.text) : std::to_string(v.integer);
  }
  EXPECT_EQ(step, JsonObjectParser::Step::kEnd) << json;
  return members;
}

// The same, from what MatchKnownLayout read.
std::map<std::string, std::string> KnownParse(const KnownLayoutClaims& k) {
  std::map<std::string, std::string> members{{"access_key", std::string(k.access_key)},
                                             {"type", k.app ? "app" : "management"},
                                             {"version", std::to_string(k.version)},
                                             {"iat", std::to_string(k.iat)},
                                             {"nbf", std::to_string(k.nbf)},
                                             {"exp", std::to_string(k.exp)},
                                             {"jti", std::string(k.jti)}};
  if (k.app) {
    members["room_id"] = k.room_id;
    members["role"] = k.role;
    if (k.user_id) members["user_id"] = *k.user_id;
  }
  return members;
}

std::string Minted(bool app, std::optional<std::string_view> user_id) {
  MintClaims c{"64f1c2a9e3b7d8a1c2b3d4e5",
               "64f1c2a9e3b7d8a1c2b3d4e6",
               "host",
               user_id,
               1'800'000'000,
               1'800'086'400,
               "3b241101-e2bb-4255-8caf-4136c566a962"};
  std::string out;
  app ? AppendAppClaims(c, out) : AppendManagementClaims(c, out);
  return out;
}

TEST(KnownLayoutTest, MatchesWhatOurMinterAndThe100msServerSdkWrite) {
  const std::vector<std::string> payloads = {
      Minted(true, "alice"),
      Minted(true, std::nullopt),
      Minted(true, ""),
      Minted(false, std::nullopt),
      // @100mslive/server-sdk (jsonwebtoken): room claims after exp.
      R"({"access_key":"k","type":"app","version":2,"iat":1,"nbf":1,"exp":2,)"
      R"("room_id":"r","role":"host","user_id":"u","jti":"j"})",
      R"({"access_key":"k","type":"app","version":2,"iat":1,"nbf":1,"exp":2,)"
      R"("room_id":"r","role":"host","jti":"j"})",
      R"({"access_key":"k","type":"management","version":2,"iat":0,"nbf":0,"exp":0,"jti":""})",
      // Largest accepted integer: 18 digits.
      R"({"access_key":"k","type":"management","version":999999999999999999,"iat":0,"nbf":0,)"
      R"("exp":0,"jti":")"
      "\x7f"
      R"("})",
  };
  for (const std::string& json : payloads) {
    KnownLayoutClaims k;
    ASSERT_TRUE(MatchKnownLayout(json, k)) << json;
    EXPECT_EQ(KnownParse(k), GeneralParse(json)) << json;
  }
}

TEST(KnownLayoutTest, LeavesEverythingElseToTheGeneralParser) {
  const std::string app = Minted(true, "alice");
  auto with = [&](std::string_view from, std::string_view to) {
    std::string s = app;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<std::string> payloads = {
      app + " ",
      " " + app,
      with(R"(,"role")", R"( ,"role")"),
      with(R"("host")", R"("h\u006fst")"),
      with(R"("host")", "\"h\xC3\xA9st\""),
      with(R"("alice")", R"("al\"ice")"),
      with(R"("version":2)", R"("version":02)"),
      with(R"("version":2)", R"("version":-2)"),
      with(R"("version":2)", R"("version":2.0)"),
      with(R"("version":2)", R"("version":2e0)"),
      with(R"("version":2)", R"("version":"2")"),
      with(R"("version":2)", R"("version":1234567890123456789)"),
      with(R"("type":"app")", R"("type":"admin")"),
      with(R"("type":"app")", R"("type":"management")"),
      with(R"(,"user_id":"alice")", R"(,"user_id":"alice","user_id":"bob")"),
      with(R"("role":"host")", R"("role":"host","sub":"x")"),
      with(R"("role":"host")", R"("role":null)"),
      with(R"(,"jti":"3b241101-e2bb-4255-8caf-4136c566a962")", ""),
      with("}", R"(,"app_data":{}})"),
      app.substr(0, app.size() - 1),
      R"({"type":"app","access_key":"k"})",
      "",
  };
  for (const std::string& json : payloads) {
    KnownLayoutClaims k;
    EXPECT_FALSE(MatchKnownLayout(json, k)) << json;
  }
}

}  // namespace
}  // namespace roomgate::auth
