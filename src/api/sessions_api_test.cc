// The recorded-sessions REST API (GET /v2/sessions, reference §10) through
// the Router: the 100ms session object, paging as the server SDK's iterator
// does it, filters passed to the store, and a recorder flush before every
// read (live_api_test_util.h has the fakes).
#include "api/live_api_test_util.h"

namespace roomgate::api::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

constexpr UnixSeconds kStart = 1'700'000'000;  // 2023-11-14T22:13:20Z

SessionRecord Session(int n, bool active = false) {
  SessionRecord s;
  s.id = SessionId("sess-" + std::to_string(n));
  s.room_id = RoomId("room-1");
  s.active = active;
  s.created_at = kStart + n;
  s.updated_at = kStart + n + 60;
  return s;
}

SessionPeerRecord SessionPeer(const SessionRecord& s, const char* id,
                              std::optional<UnixSeconds> left_at) {
  return {PeerId(id), s.id, "Alice", RoleName("host"), UserId("alice"), kStart + 1, left_at};
}

class SessionsApiTest : public LiveApiFixture {};

TEST_F(SessionsApiTest, GetSessionFlushesTheRecorderThenReturnsThe100msSessionObject) {
  SessionRecord s = Session(0, /*active=*/true);
  s.peers["p1"] = SessionPeer(s, "p1", kStart + 30);
  s.peers["p2"] = SessionPeer(s, "p2", std::nullopt);
  history_.sessions = {s};
  const json j = Ok(Call("GET", "/v2/sessions/sess-0", ""));
  EXPECT_THAT(log_, ElementsAre("flush", "get sess-0"));
  EXPECT_EQ(j["id"], "sess-0");
  EXPECT_EQ(j["room_id"], "room-1");
  EXPECT_EQ(j["customer_id"], "");
  EXPECT_EQ(j["app_id"], "");
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["created_at"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["updated_at"], "2023-11-14T22:14:20Z");
  EXPECT_EQ(j["peers"]["p1"], json({{"id", "p1"},
                                    {"session_id", "sess-0"},
                                    {"name", "Alice"},
                                    {"role", "host"},
                                    {"user_id", "alice"},
                                    {"joined_at", "2023-11-14T22:13:21Z"},
                                    {"left_at", "2023-11-14T22:13:50Z"}}));
  // Still in the room: no left_at at all (not a zero time).
  EXPECT_FALSE(j["peers"]["p2"].contains("left_at")) << j;
}

TEST_F(SessionsApiTest, UnknownSessionIs404) {
  ExpectError(Call("GET", "/v2/sessions/nope", ""), 404, "session not found");
}

TEST_F(SessionsApiTest, ListPagesThroughEverySessionAsTheServerSdkIterator) {
  for (int i = 0; i < 25; ++i) history_.sessions.push_back(Session(i));
  std::vector<std::string> seen;
  std::string start;
  for (int pages = 0; pages < 5; ++pages) {
    std::map<std::string, std::string> query;
    if (!start.empty()) query["start"] = start;
    const json page = Ok(Call("GET", "/v2/sessions", "", query));
    EXPECT_EQ(page["limit"], 10);
    for (const json& s : page["data"]) seen.push_back(s["id"]);
    if (page["data"].size() < 10) break;
    start = page["last"];
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(seen.front(), "sess-0");
  EXPECT_EQ(seen.back(), "sess-24");
  EXPECT_EQ(log_, std::vector<std::string>({"flush", "list", "flush", "list", "flush", "list"}));
}

TEST_F(SessionsApiTest, ListPassesTheFiltersAndLimitToTheStore) {
  const json page = Ok(Call("GET", "/v2/sessions", "",
                            {{"room_id", "room-1"},
                             {"active", "false"},
                             {"after", "2023-11-14T22:13:20Z"},
                             {"before", "2023-11-14T23:13:20.123+01:00"},
                             {"limit", "25"}}));
  EXPECT_EQ(page["limit"], 25);
  EXPECT_EQ(page["data"], json::array());
  EXPECT_EQ(page["last"], "");
  EXPECT_EQ(history_.limit, 25u);
  EXPECT_EQ(history_.filter.room_id, RoomId("room-1"));
  EXPECT_EQ(history_.filter.active, false);
  EXPECT_EQ(history_.filter.created_after, kStart);
  EXPECT_EQ(history_.filter.created_before, kStart);

  Ok(Call("GET", "/v2/sessions", ""));
  EXPECT_EQ(history_.limit, 10u);
  EXPECT_FALSE(history_.filter.room_id || history_.filter.active || history_.filter.created_after ||
               history_.filter.created_before);
}

TEST_F(SessionsApiTest, ListRefusesBadQueriesBeforeTouchingTheHistory) {
  const struct {
    const char* name;
    const char* value;
    const char* message;
  } cases[] = {
      {"active", "yes", "'active' must be true or false"},
      {"active", "", "'active' must be true or false"},
      {"after", "yesterday", "'after' must be an RFC 3339 time"},
      {"before", "2023-11-14", "'before' must be an RFC 3339 time"},
      {"limit", "0", "'limit' must be an integer from 1 to 100"},
      {"limit", "101", "'limit' must be an integer from 1 to 100"},
      {"limit", "ten", "'limit' must be an integer from 1 to 100"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.name) + "=" + c.value);
    ExpectError(Call("GET", "/v2/sessions", "", {{c.name, c.value}}), 400, c.message);
  }
  EXPECT_TRUE(log_.empty());
}

}  // namespace
}  // namespace roomgate::api::testing
