// The rooms and templates REST API through the Router, with requests shaped
// as @100mslive/server-sdk sends them: Bearer management token, JSON bodies,
// "{}" for a POST without payload, list filters in the query string.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "api/api.h"
#include "auth/test_tokens.h"
#include "store/memory_store.h"

namespace roomgate::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
namespace tt = auth::testing;

class RoomsApiTest : public ::testing::Test {
 protected:
  RoomsApiTest()
      : clock_(tt::kNow),
        keys_(Keys()),
        verifier_(*keys_, clock_),
        minter_(Minter()),
        rooms_(store_, clock_, OpenSslRandom()),
        codes_(store_, minter_, clock_, OpenSslRandom()),
        limiter_(codes::RateLimitOptions{}),
        services_{verifier_, rooms_, codes_, limiter_, [] { return int64_t{0}; }, {}} {
    AddAllRoutes(router_, services_);
    management_ = minter_.MintManagement()->token;
  }

  static Credential TestCredential() {
    return {AccessKey(tt::kAccessKey), std::string(tt::kSecret)};
  }
  static std::unique_ptr<StaticKeyProvider> Keys() {
    return StaticKeyProvider::Create({TestCredential()}).value();
  }
  TokenMinter Minter() {
    return TokenMinter::Create(TestCredential(), clock_, OpenSslRandom()).value();
  }

  Response Call(const std::string& method, const std::string& path, const std::string& body = "{}",
                std::map<std::string, std::string> query = {}) {
    return CallWithToken(management_, method, path, body, std::move(query));
  }
  Response CallWithToken(const std::string& token, const std::string& method,
                         const std::string& path, const std::string& body = "{}",
                         std::map<std::string, std::string> query = {}) {
    Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers = {{"accept", "application/json"}, {"content-type", "application/json"}};
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return router_.Dispatch(r);
  }
  // The JSON of a 200 response (a failed expectation otherwise).
  json Ok(const Response& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  json CreateRoom(const json& body) { return Ok(Call("POST", "/v2/rooms", body.dump())); }

  FakeClock clock_;
  std::unique_ptr<StaticKeyProvider> keys_;
  TokenVerifier verifier_;
  TokenMinter minter_;
  store::MemoryStore store_;
  rooms::RoomService rooms_;
  codes::CodeService codes_;
  codes::FailureRateLimiter limiter_;
  ApiServices services_;
  Router router_;
  std::string management_;
};

void ExpectError(const Response& r, int status, const std::string& message_part) {
  EXPECT_EQ(r.status, status) << r.body;
  const json j = json::parse(r.body, nullptr, false);
  EXPECT_EQ(j.value("code", 0), status) << r.body;
  EXPECT_THAT(j.value("message", ""), HasSubstr(message_part)) << r.body;
}

bool IsRfc3339(const json& v) {
  return v.is_string() &&
         std::regex_match(v.get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
}

// ---- Authentication ----

TEST_F(RoomsApiTest, EveryRoomAndTemplateRouteRefusesRequestsWithoutAManagementToken) {
  const std::string wrong_secret =
      tt::SignedToken(tt::kHeader,
                      R"({"access_key":"64f1c2a9e3b7d8a1c2b3d4e5","type":"management",)"
                      R"("version":2,"iat":1800000000,"nbf":1800000000,"exp":1800086400})",
                      "another-secret-that-is-long-enough-for-hs256!!");
  const std::string app_token = minter_.MintApp({RoomId("r"), RoleName("host"), {}, {}})->token;
  int checked = 0;
  for (const RouteInfo& route : router_.Routes()) {
    if (route.pattern.rfind("/v2/rooms", 0) != 0 && route.pattern.rfind("/v2/templates", 0) != 0) {
      continue;
    }
    const std::string path = std::regex_replace(route.pattern, std::regex(":[a-z_]+"), "x");
    for (const std::string& token : {std::string(), wrong_secret, app_token}) {
      ExpectError(CallWithToken(token, route.method, path), 401, "management token");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 15);
}

// ---- Rooms ----

TEST_F(RoomsApiTest, CreateRoomReturnsThe100msRoomObject) {
  const json room =
      CreateRoom({{"name", "daily-standup"}, {"description", "Daily standup"}, {"region", "eu"}});
  EXPECT_TRUE(std::regex_match(room.value("id", ""), std::regex("[0-9a-f]{24}")));
  EXPECT_EQ(room["name"], "daily-standup");
  EXPECT_EQ(room["enabled"], true);
  EXPECT_EQ(room["description"], "Daily standup");
  EXPECT_EQ(room["customer_id"], "");
  EXPECT_EQ(room["app_id"], "");
  EXPECT_EQ(room["region"], "eu");
  EXPECT_EQ(room["large_room"], false);
  EXPECT_EQ(room["size"], 0);
  EXPECT_EQ(room["max_duration_seconds"], 0);
  EXPECT_TRUE(IsRfc3339(room["created_at"]));
  EXPECT_TRUE(IsRfc3339(room["updated_at"]));
  const json templates = Ok(Call("GET", "/v2/templates"));
  ASSERT_EQ(templates["data"].size(), 1u);
  EXPECT_EQ(templates["data"][0]["name"], "default");
  EXPECT_EQ(room["template_id"], templates["data"][0]["id"]);
  EXPECT_EQ(room["template"], room["template_id"]);
}

TEST_F(RoomsApiTest, CreateRoomWithEmptyBodyGetsAGeneratedName) {
  const json room = CreateRoom(json::object());
  EXPECT_EQ(room.value("name", "").size(), 36u);
}

TEST_F(RoomsApiTest, CreateRoomWithAnExistingNameReturnsThatRoomUpdated) {
  const json first = CreateRoom({{"name", "Standup"}, {"size", 10}});
  const json again = CreateRoom({{"name", "standup"}, {"description", "now with text"}});
  EXPECT_EQ(again["id"], first["id"]);
  EXPECT_EQ(again["name"], "Standup");
  EXPECT_EQ(again["size"], 10);
  EXPECT_EQ(again["description"], "now with text");
}

TEST_F(RoomsApiTest, RoomKeepsRecordingInfoWebhookAndPolls) {
  const json extras = {{"recording_info", {{"enabled", false}}},
                       {"webhook", {{"url", "https://backend.example/hook"}}},
                       {"polls", json::array({"poll-1"})}};
  json body = extras;
  body["name"] = "with-extras";
  const json created = CreateRoom(body);
  const json got = Ok(Call("GET", "/v2/rooms/" + created.value("id", "")));
  for (const auto& [key, value] : extras.items()) EXPECT_EQ(got[key], value) << key;
}

TEST_F(RoomsApiTest, CreateRoomRefusesBadBodies) {
  Ok(Call("POST", "/v2/templates", R"({"name":"webinar"})"));
  const struct {
    const char* body;
    const char* message;
  } cases[] = {
      {"{", "not valid JSON"},
      {"[]", "JSON object"},
      {R"({"template":"webinar"})", "'template_id'"},
      {R"({"name":5})", "'name'"},
      {R"({"size":"10"})", "'size'"},
      {R"({"size":10.5})", "'size'"},
      {R"({"large_room":"yes"})", "'large_room'"},
      {R"({"recording_info":"on"})", "'recording_info'"},
      {R"({"webhook":["https://h"]})", "'webhook'"},
      {R"({"colour":"blue"})", "'colour'"},
      {R"({"enabled":false})", "'enabled'"},
      {R"({"template_id":"000000000000000000000000"})", "template not found"},
      {R"({"name":"has space"})", "'name'"},
      {R"({"region":"mars"})", "'region'"},
      {R"({"max_duration_seconds":60})", "'max_duration_seconds'"},
      {R"({"size":2501})", "'size'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", "/v2/rooms", c.body), 400, c.message);
  }
  EXPECT_EQ(Ok(Call("GET", "/v2/rooms"))["data"].size(), 0u);
}

TEST_F(RoomsApiTest, UnknownRoomIs404) {
  ExpectError(Call("GET", "/v2/rooms/000000000000000000000000", ""), 404, "");
  ExpectError(Call("POST", "/v2/rooms/000000000000000000000000", R"({"enabled":false})"), 404, "");
}

TEST_F(RoomsApiTest, UpdateRoomAndEnableOrDisableAsTheServerSdkDoes) {
  const std::string id = CreateRoom({{"name", "r1"}}).value("id", "");
  clock_.Advance(60);
  const json updated = Ok(Call("POST", "/v2/rooms/" + id,
                               R"({"description":"new","recording_info":{"enabled":true}})"));
  EXPECT_EQ(updated["description"], "new");
  EXPECT_EQ(updated["recording_info"]["enabled"], true);
  EXPECT_NE(updated["updated_at"], updated["created_at"]);

  EXPECT_EQ(Ok(Call("POST", "/v2/rooms/" + id, R"({"enabled":false})"))["enabled"], false);
  EXPECT_EQ(Ok(Call("GET", "/v2/rooms", "{}", {{"enabled", "false"}}))["data"].size(), 1u);
  EXPECT_EQ(Ok(Call("GET", "/v2/rooms", "{}", {{"enabled", "true"}}))["data"].size(), 0u);
  EXPECT_EQ(Ok(Call("GET", "/v2/rooms"))["data"].size(), 0u);  // enabled=true by default
}

TEST_F(RoomsApiTest, UpdateRoomRefusesTemplateAndWrongTypes) {
  const std::string id = CreateRoom({{"name", "r1"}}).value("id", "");
  ExpectError(Call("POST", "/v2/rooms/" + id, R"({"template_id":"x"})"), 400, "'template_id'");
  ExpectError(Call("POST", "/v2/rooms/" + id, R"({"enabled":"false"})"), 400, "'enabled'");
}

TEST_F(RoomsApiTest, ListRoomsPagesThroughEveryRoomAsTheServerSdkIterator) {
  std::vector<std::string> created;
  for (int i = 0; i < 25; ++i) {
    created.push_back(CreateRoom({{"name", "room-" + std::to_string(i)}}).value("id", ""));
  }
  // QueryObjectIterator: pass `last` as `start` until a short page.
  std::vector<std::string> seen;
  std::map<std::string, std::string> query = {{"limit", "10"}};
  for (int pages = 0; pages < 5; ++pages) {
    const json page = Ok(Call("GET", "/v2/rooms", "{}", query));
    EXPECT_EQ(page["limit"], 10);
    for (const json& room : page["data"]) seen.push_back(room["id"]);
    if (page["data"].size() < 10 || page["last"] == "") break;
    query["start"] = page["last"];
  }
  EXPECT_EQ(seen, created);
}

TEST_F(RoomsApiTest, ListRoomsFilters) {
  const json tpl = Ok(Call("POST", "/v2/templates", R"({"name":"webinar"})"));
  CreateRoom({{"name", "Early"}});
  clock_.Advance(3600);
  CreateRoom({{"name", "late"}, {"template_id", tpl["id"]}});
  auto names = [&](std::map<std::string, std::string> query) {
    std::vector<std::string> out;
    const json page = Ok(Call("GET", "/v2/rooms", "{}", std::move(query)));
    for (const json& r : page["data"]) out.push_back(r["name"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names({{"name", "early"}}), V{"Early"});
  EXPECT_EQ(names({{"template_id", tpl["id"]}}), V{"late"});
  EXPECT_EQ(names({{"after", "2027-01-15T08:30:00.000Z"}}), V{"late"});  // between the two
  EXPECT_EQ(names({{"before", "2027-01-15T08:30:00Z"}}), V{"Early"});
  ExpectError(Call("GET", "/v2/rooms", "{}", {{"after", "yesterday"}}), 400, "'after'");
  ExpectError(Call("GET", "/v2/rooms", "{}", {{"enabled", "yes"}}), 400, "'enabled'");
  ExpectError(Call("GET", "/v2/rooms", "{}", {{"limit", "0"}}), 400, "'limit'");
}

// ---- Templates and roles ----

constexpr const char* kWebinar = R"({
  "name": "webinar",
  "roles": {
    "speaker": {
      "name": "speaker",
      "publishParams": {
        "allowed": ["audio", "video", "screen"],
        "audio": {"bitRate": 32, "codec": "opus"},
        "video": {"bitRate": 700, "codec": "vp8", "frameRate": 30, "width": 1280, "height": 720}
      },
      "subscribeParams": {
        "subscribeToRoles": ["speaker", "attendee"],
        "maxSubsBitRate": 3200,
        "subscribeDegradation": {"packetLossThreshold": 25}
      },
      "permissions": {"endRoom": true, "removeOthers": true, "mute": true, "unmute": false},
      "priority": 1,
      "maxPeerCount": 5
    },
    "attendee": {
      "publishParams": {"allowed": []},
      "subscribeParams": {"subscribeToRoles": ["speaker"]},
      "priority": 3
    }
  },
  "settings": {"region": "in", "roomState": {"enabled": true, "messageInterval": 5}},
  "destinations": {"rtmpDestinations": {}}
})";

TEST_F(RoomsApiTest, CreateTemplateRoundTripsRolesSettingsAndDestinations) {
  const json in = json::parse(kWebinar);
  const json created = Ok(Call("POST", "/v2/templates", kWebinar));
  EXPECT_EQ(created["customer_id"], "");
  EXPECT_TRUE(IsRfc3339(created["created_at"]));
  const json got = Ok(Call("GET", "/v2/templates/" + created.value("id", "")));
  EXPECT_EQ(got, created);
  const json& speaker = got["roles"]["speaker"];
  EXPECT_EQ(speaker["publishParams"], in["roles"]["speaker"]["publishParams"]);
  EXPECT_EQ(speaker["subscribeParams"], in["roles"]["speaker"]["subscribeParams"]);
  EXPECT_EQ(speaker["permissions"], json({{"endRoom", true},
                                          {"removeOthers", true},
                                          {"mute", true},
                                          {"unmute", false},
                                          {"changeRole", false},
                                          {"sendRoomState", false},
                                          {"pollRead", false},
                                          {"pollWrite", false},
                                          {"browserRecording", true},
                                          {"rtmpStreaming", true},
                                          {"hlsStreaming", true}}));
  EXPECT_EQ(speaker["maxPeerCount"], 5);
  EXPECT_EQ(got["roles"]["attendee"]["name"], "attendee");
  EXPECT_EQ(got["roles"]["attendee"]["maxPeerCount"], 0);
  EXPECT_EQ(got["settings"], in["settings"]);
  EXPECT_EQ(got["destinations"], in["destinations"]);
}

TEST_F(RoomsApiTest, CreateTemplateWithTheSameNameOverwritesIt) {
  const json first = Ok(Call("POST", "/v2/templates", kWebinar));
  const json second = Ok(Call("POST", "/v2/templates", R"({"name":"webinar","roles":{}})"));
  EXPECT_EQ(second["id"], first["id"]);
  EXPECT_EQ(second["roles"], json::object());
  const json list = Ok(Call("GET", "/v2/templates", "{}", {{"limit", "10"}}));
  EXPECT_EQ(list["data"].size(), 1u);
  EXPECT_EQ(list["last"], first["id"]);
}

TEST_F(RoomsApiTest, RoleRoutesGetPutAndDelete) {
  const std::string base =
      "/v2/templates/" + Ok(Call("POST", "/v2/templates", kWebinar)).value("id", "");
  EXPECT_EQ(Ok(Call("GET", base + "/roles/speaker", ""))["priority"], 1);
  const json put = Ok(Call("POST", base + "/roles/moderator",
                           R"({"publishParams":{"allowed":["audio"]},)"
                           R"("subscribeParams":{"subscribeToRoles":["moderator","speaker"]},)"
                           R"("permissions":{"removeOthers":true},"priority":2})"));
  EXPECT_EQ(put["name"], "moderator");
  EXPECT_EQ(put["permissions"]["removeOthers"], true);
  EXPECT_EQ(Ok(Call("GET", base, ""))["roles"].size(), 3u);

  const Response deleted = Call("DELETE", base + "/roles/moderator", "");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.body, "");
  ExpectError(Call("DELETE", base + "/roles/moderator", ""), 404, "moderator");
  ExpectError(Call("GET", base + "/roles/moderator", ""), 404, "moderator");
}

TEST_F(RoomsApiTest, RoleBodiesAreTypeChecked) {
  const std::string role = "/v2/templates/" +
                           Ok(Call("POST", "/v2/templates", kWebinar)).value("id", "") +
                           "/roles/guest";
  const struct {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"permissions":{"endRoom":"true"}})", "'permissions.endRoom'"},
      {R"({"permissions":{"fly":true}})", "'fly'"},
      {R"({"permissions":[]})", "'permissions'"},
      {R"({"publishParams":{"allowed":"audio"}})", "'publishParams.allowed'"},
      {R"({"publishParams":{"allowed":["audio",1]}})", "'publishParams.allowed'"},
      {R"({"publishParams":{"allowed":["data"]}})", "'publishParams.allowed'"},
      {R"({"publishParams":{"video":"hd"}})", "'publishParams.video'"},
      {R"({"subscribeParams":{"subscribeToRoles":["ghost"]}})", "ghost"},
      {R"({"subscribeParams":{"maxSubsBitRate":"fast"}})", "'subscribeParams.maxSubsBitRate'"},
      {R"({"priority":"1"})", "'priority'"},
      {R"({"priority":7})", "'priority'"},
      {R"({"priority":4294967297})", "'priority'"},
      {R"({"maxPeerCount":-2})", "'maxPeerCount'"},
      {R"({"name":"other"})", "'name'"},
      {R"({"colour":"blue"})", "'colour'"},
      {"not json", "not valid JSON"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", role, c.body), 400, c.message);
  }
  ExpectError(Call("POST", "/v2/templates", R"({"name":"t","roles":[]})"), 400, "'roles'");
  ExpectError(Call("POST", "/v2/templates", R"({"name":"t","id":"x"})"), 400, "'id'");
}

TEST_F(RoomsApiTest, SettingsAndDestinationsAreReadAndReplacedWhole) {
  const std::string base =
      "/v2/templates/" + Ok(Call("POST", "/v2/templates", kWebinar)).value("id", "");
  const json settings = {{"region", "us"}, {"recording", {{"enabled", false}}}};
  EXPECT_EQ(Ok(Call("POST", base + "/settings", settings.dump())), settings);
  EXPECT_EQ(Ok(Call("GET", base + "/settings", "")), settings);
  const json destinations = {{"hlsDestinations", json::object()}};
  EXPECT_EQ(Ok(Call("POST", base + "/destinations", destinations.dump())), destinations);
  EXPECT_EQ(Ok(Call("GET", base, ""))["destinations"], destinations);
  ExpectError(Call("POST", base + "/settings", "[1]"), 400, "JSON object");
}

TEST_F(RoomsApiTest, UnknownTemplateIs404) {
  for (const char* path :
       {"/v2/templates/nope", "/v2/templates/nope/settings", "/v2/templates/nope/roles/host"}) {
    ExpectError(Call("GET", path, ""), 404, "");
  }
  ExpectError(Call("POST", "/v2/templates/nope", R"({"name":"x"})"), 404, "");
}

}  // namespace
}  // namespace roomgate::api
