// The active-rooms REST API (reference §10) through the Router, with
// requests shaped as @100mslive/server-sdk sends them; the live rooms are a
// fake that records what reached it (live_api_test_util.h).
#include <regex>

#include "api/live_api_test_util.h"

namespace roomgate::api::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

class ActiveRoomsApiTest : public LiveApiFixture {};

// ---- Authentication ----

TEST_F(ActiveRoomsApiTest, EveryLiveRouteRefusesRequestsWithoutAManagementToken) {
  const std::string app = minter_.MintApp({room_.id, RoleName("host"), {}, {}})->token;
  int checked = 0;
  for (const RouteInfo& route : router_.Routes()) {
    const std::string path = std::regex_replace(route.pattern, std::regex(":[a-z_]+"), "x");
    for (const std::string& token : {std::string(), app}) {
      ExpectError(Call(route.method, path, "{}", {}, token), 401, "management token");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
  EXPECT_TRUE(live_.calls.empty());
  EXPECT_TRUE(log_.empty());
}

// ---- Active room and peers ----

TEST_F(ActiveRoomsApiTest, GetActiveRoomShowsTheRoomAndItsSessionWithPeersById) {
  const json j = Ok(Call("GET", RoomPath()));
  EXPECT_EQ(j["id"], room_.id.str());
  EXPECT_EQ(j["name"], "standup");
  EXPECT_EQ(j["customer_id"], "");
  EXPECT_EQ(j["session"]["id"], "sess-1");
  EXPECT_EQ(j["session"]["created_at"], "2027-01-15T07:59:00Z");
  ASSERT_EQ(j["session"]["peers"].size(), 2u);
  EXPECT_EQ(j["session"]["peers"]["p1"]["name"], "Alice");
  EXPECT_EQ(j["session"]["peers"]["p2"]["role"], "guest");
}

TEST_F(ActiveRoomsApiTest, GetActiveRoomIs404WithoutALiveSession) {
  ExpectError(Call("GET", "/v2/active-rooms/000000000000000000000000"), 404,
              "room has no active session");
  live_.fail = Status::NotFound("no session");
  ExpectError(Call("GET", RoomPath()), 404, "room has no active session");
}

TEST_F(ActiveRoomsApiTest, ListPeersReturnsThemByIdAndPassesTheFilters) {
  const json all = Ok(Call("GET", RoomPath() + "/peers", ""));
  EXPECT_FALSE(live_.filter.user_id || live_.filter.role);
  ASSERT_EQ(all["peers"].size(), 2u);
  EXPECT_EQ(all["peers"]["p1"], json({{"id", "p1"},
                                      {"name", "Alice"},
                                      {"user_id", "alice"},
                                      {"metadata", R"({"hand":false})"},
                                      {"role", "host"},
                                      {"joined_at", "2027-01-15T07:59:30Z"}}));

  Ok(Call("GET", RoomPath() + "/peers", "", {{"user_id", "bob"}, {"role", "guest"}}));
  EXPECT_EQ(live_.filter.user_id, UserId("bob"));
  EXPECT_EQ(live_.filter.role, RoleName("guest"));

  live_.view.peers.clear();
  const json none = Ok(Call("GET", RoomPath() + "/peers", ""));
  EXPECT_TRUE(none["peers"].is_object() && none["peers"].empty()) << none;
}

TEST_F(ActiveRoomsApiTest, GetPeerHasTracks) {
  const json j = Ok(Call("GET", RoomPath() + "/peers/p2", ""));
  EXPECT_EQ(j["id"], "p2");
  EXPECT_EQ(j["user_id"], "bob");
  EXPECT_TRUE(j["tracks"].is_object() && j["tracks"].empty()) << j;
  ExpectError(Call("GET", RoomPath() + "/peers/p9", ""), 404, "peer not found");
}

TEST_F(ActiveRoomsApiTest, UpdatePeerAppliesTheGivenFieldsAndReturnsThePeerWithTracks) {
  const json j = Ok(Post("peers/p2", {{"name", "Robert"}, {"role", "host"}, {"metadata", ""}}));
  EXPECT_THAT(live_.calls, ElementsAre("UpdatePeer " + room_.id.str() + " p2"));
  EXPECT_EQ(j["name"], "Robert");
  EXPECT_EQ(j["role"], "host");
  EXPECT_EQ(j["metadata"], "");
  EXPECT_EQ(live_.update.name, "Robert");
  EXPECT_EQ(live_.update.role, RoleName("host"));
  EXPECT_EQ(live_.update.metadata, "");
  const json peer = Ok(Post("peers/p2", {{"name", std::string(256, 'n')}}));
  EXPECT_EQ(peer["name"], std::string(256, 'n'));
  EXPECT_EQ(peer["role"], "guest");
  EXPECT_FALSE(live_.update.role || live_.update.metadata);
  EXPECT_TRUE(peer["tracks"].is_object());
  Ok(Post("peers/p2", {{"metadata", std::string(4096, 'm')}, {"name", nullptr}}));
  EXPECT_FALSE(live_.update.name);
}

TEST_F(ActiveRoomsApiTest, UpdatePeerRefusesBadBodies) {
  const std::string long_name(257, 'n'), long_metadata(4097, 'm');
  ExpectAllRefused(
      RoomPath() + "/peers/p1",
      {{"{", "not valid JSON"},
       {"[]", "must be a JSON object"},
       {"{}", "one of 'name', 'role' or 'metadata' is required"},
       {R"({"name":null})", "one of 'name', 'role' or 'metadata' is required"},
       {R"({"name":""})", "'name' must be 1 to 256 bytes"},
       {(R"({"name":")" + long_name + "\"}"), "'name' must be 1 to 256"},
       {R"({"name":5})", "'name' must be a string"},
       {R"({"role":""})", "'role' must be 1 to 256 bytes"},
       {R"({"role":["host"]})", "'role' must be a string"},
       {R"({"metadata":{"hand":true}})", "'metadata' must be a string"},
       {(R"({"metadata":")" + long_metadata + "\"}"), "'metadata' must be at most 4096 bytes"},
       {R"({"name":"x","user_id":"u"})", "unexpected field 'user_id'"}});
}

TEST_F(ActiveRoomsApiTest, LiveRoomErrorsBecomeTheirHttpStatuses) {
  const struct {
    Status error;
    int http;
  } cases[] = {
      {Status::NotFound("peer not in room"), 404},
      {Status::InvalidArgument("role 'ghost' is not in the template"), 400},
      {Status(Status::Code::kFailedPrecondition, "role 'host' is full"), 409},
      {Status::Internal("hub exploded at 0xdead"), 500},
  };
  for (const auto& c : cases) {
    live_.fail = c.error;
    const bool internal = c.http == 500;
    ExpectError(Post("peers/p1", {{"role", "ghost"}}), c.http,
                internal ? "internal error" : c.error.message());
    ExpectError(Post("end-room", json::object()), c.http,
                internal ? "internal error" : c.error.message());
  }
}

// ---- Messages, removal, end ----

TEST_F(ActiveRoomsApiTest, SendMessageBroadcastsOrTargetsAPeerOrARole) {
  EXPECT_EQ(Ok(Post("send-message", {{"message", "hello"}})), json({{"message", "message sent"}}));
  EXPECT_FALSE(live_.audience.peer || live_.audience.role);
  EXPECT_EQ(live_.type, "");
  EXPECT_EQ(live_.message, "hello");

  Ok(Post("send-message", {{"message", "hi"}, {"role", "guest"}, {"type", "poll"}}));
  EXPECT_EQ(live_.audience.role, RoleName("guest"));
  EXPECT_EQ(live_.type, "poll");

  // The peer wins over the role, and the role is not passed along.
  Ok(Post("send-message", {{"message", "hi"}, {"peer_id", "p2"}, {"role", "guest"}}));
  EXPECT_EQ(live_.audience.peer, PeerId("p2"));
  EXPECT_FALSE(live_.audience.role);
}

TEST_F(ActiveRoomsApiTest, SendMessageTakesTheServerSdksCamelCasePeerId) {
  Ok(Post("send-message", {{"message", "hi"}, {"peerId", "p1"}, {"role", "guest"}}));
  EXPECT_EQ(live_.audience.peer, PeerId("p1"));
  EXPECT_FALSE(live_.audience.role);
  Ok(Post("send-message", {{"message", "hi"}, {"peerId", "p1"}, {"peer_id", "p1"}}));
  EXPECT_EQ(live_.audience.peer, PeerId("p1"));
}

TEST_F(ActiveRoomsApiTest, SendMessageRefusesBadBodies) {
  const std::string long_message(4097, 'm'), long_type(257, 't');
  ExpectAllRefused(
      RoomPath() + "/send-message",
      {{"{}", "'message' is required"},
       {R"({"message":""})", "'message' must be 1 to 4096 bytes"},
       {(R"({"message":")" + long_message + "\"}"), "'message' must be 1 to 4096"},
       {R"({"message":{"text":"hi"}})", "'message' must be a string"},
       {R"({"message":"hi","peer_id":""})", "'peer_id' must be 1 to 256 bytes"},
       {R"({"message":"hi","peerId":7})", "'peerId' must be a string"},
       {R"({"message":"hi","peer_id":"p1","peerId":"p2"})", "name different peers"},
       {R"({"message":"hi","role":""})", "'role' must be 1 to 256 bytes"},
       {(R"({"message":"hi","type":")" + long_type + "\"}"), "'type' must be at most 256"},
       {R"({"message":"hi","to":"p1"})", "unexpected field 'to'"}});
}

TEST_F(ActiveRoomsApiTest, RemovePeersTakesAPeerOrARoleAndAReason) {
  EXPECT_EQ(Ok(Post("remove-peers", {{"peer_id", "p2"}, {"reason", "spam"}})),
            json({{"message", "peer remove request submitted"}}));
  EXPECT_EQ(live_.audience.peer, PeerId("p2"));
  EXPECT_EQ(live_.reason, "spam");
  Ok(Post("remove-peers", {{"role", "guest"}}));
  EXPECT_EQ(live_.audience.role, RoleName("guest"));
  EXPECT_EQ(live_.reason, "");
  Ok(Post("remove-peers", {{"role", "guest"}, {"peer_id", "p1"}}));
  EXPECT_EQ(live_.audience.peer, PeerId("p1"));
  EXPECT_FALSE(live_.audience.role);
}

TEST_F(ActiveRoomsApiTest, RemovePeersRefusesBadBodies) {
  const std::string long_reason(4097, 'r');
  ExpectAllRefused(
      RoomPath() + "/remove-peers",
      {{"{}", "one of 'peer_id' or 'role' is required"},
       {R"({"reason":"bye","role":null})", "one of 'peer_id' or 'role' is required"},
       {R"({"peerId":"p1"})", "unexpected field 'peerId'"},
       {R"({"peer_id":""})", "'peer_id' must be 1 to 256 bytes"},
       {R"({"peer_id":["p1"]})", "'peer_id' must be a string"},
       {(R"({"role":"guest","reason":")" + long_reason + "\"}"), "'reason' must be at"}});
}

TEST_F(ActiveRoomsApiTest, EndRoomLocksOnlyWhenAsked) {
  EXPECT_EQ(Ok(Call("POST", RoomPath() + "/end-room", "")),
            json({{"message", "session is ending"}}));
  EXPECT_EQ(live_.reason, "");
  EXPECT_FALSE(live_.lock);
  Ok(Post("end-room", {{"reason", "class is over"}, {"lock", true}}));
  EXPECT_EQ(live_.reason, "class is over");
  EXPECT_TRUE(live_.lock);
  ExpectError(Call("POST", "/v2/active-rooms/000000000000000000000000/end-room"), 404, "");
}

TEST_F(ActiveRoomsApiTest, EndRoomRefusesBadBodies) {
  ExpectAllRefused(RoomPath() + "/end-room",
                   {{"[true]", "must be a JSON object"},
                    {R"({"lock":"true"})", "'lock' must be a boolean"},
                    {R"({"reason":5})", "'reason' must be a string"},
                    {R"({"lock":true,"force":true})", "unexpected field 'force'"}});
}

}  // namespace
}  // namespace roomgate::api::testing
