// SessionHub admission: every refusal code, the duplicate-user policies,
// the join reply, and caps that hold under concurrent joins.
#include <atomic>
#include <latch>
#include <regex>
#include <thread>

#include "common/time_format.h"
#include "sessions/hub_test_util.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;

// ---- Refusals before the room is joined: token, room, role ----

struct RefusalCase {
  const char* label;
  std::function<std::string(HubTest&)> token;
  ErrorCode code;
};

class HubAdmissionTest : public HubTest {};

TEST_F(HubAdmissionTest, RefusesEachBadTokenRoomOrRoleWithItsCode) {
  Room off = MakeRoom("off");
  rooms::RoomChanges disable;
  disable.enabled = false;
  ASSERT_TRUE(rooms_.UpdateRoom(off.id, disable).ok());
  const std::vector<RefusalCase> cases = {
      {"garbage", [](HubTest&) { return std::string("not-a-token"); }, ErrorCode::kTokenInvalid},
      {"bad signature",
       [](HubTest& t) {
         return Sign(t.Claims("host", "a"), "another-secret-that-is-long-enough-0123456789");
       },
       ErrorCode::kTokenInvalid},
      {"unknown access key",
       [](HubTest& t) {
         json c = t.Claims("host", "a");
         c["access_key"] = "000000000000000000000000";
         return Sign(c);
       },
       ErrorCode::kTokenInvalid},
      {"expired",
       [](HubTest& t) {
         json c = t.Claims("host", "a");
         c["iat"] = c["nbf"] = kNow - 7200;
         c["exp"] = kNow - 1;
         return Sign(c);
       },
       ErrorCode::kTokenExpired},
      {"nbf in the future",
       [](HubTest& t) {
         json c = t.Claims("host", "a");
         c["nbf"] = kNow + 600;
         return Sign(c);
       },
       ErrorCode::kTokenNotYetValid},
      {"management token",
       [](HubTest& t) {
         auto minter = TokenMinter::Create(Cred(), t.clock_, OpenSslRandom());
         return minter->MintManagement()->token;
       },
       ErrorCode::kTokenWrongType},
      {"unknown room",
       [](HubTest& t) {
         json c = t.Claims("host", "a");
         c["room_id"] = "ffffffffffffffffffffffff";
         return Sign(c);
       },
       ErrorCode::kRoomNotFound},
      {"disabled room",
       [&](HubTest& t) {
         json c = t.Claims("host", "a");
         c["room_id"] = off.id.str();
         return Sign(c);
       },
       ErrorCode::kRoomDisabled},
      {"unknown role", [](HubTest& t) { return t.Token("ghost", "a"); }, ErrorCode::kRoleNotFound},
      {"role with maxPeerCount -1", [](HubTest& t) { return t.Token("banned", "a"); },
       ErrorCode::kRoleNotAllowed},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.label);
    auto link = std::make_shared<FakePeerLink>();
    auto joined = TryJoin(c.token(*this), link);
    ASSERT_FALSE(joined.ok());
    EXPECT_EQ(joined.error().code, c.code) << joined.error().message;
    EXPECT_TRUE(link->Log().empty()) << "a refusal queues nothing; the caller answers";
  }
  EXPECT_EQ(hub_.refusals(), cases.size());
  EXPECT_EQ(hub_.peer_count(), 0u);
}

// ---- Caps, checked under the room lock ----

TEST_F(HubAdmissionTest, RefusesARoleAtItsMaxPeerCount) {
  MustJoin("capped", "a");
  MustJoin("capped", "b");
  EXPECT_EQ(JoinCode(Token("capped", "c")), 4009);
  EXPECT_EQ(JoinCode(Token("guest", "c")), 0) << "other roles are not capped";
}

TEST_F(HubAdmissionTest, RefusesAFullRoom) {
  room_ = MakeRoom("small", 2);
  MustJoin("host", "a");
  MustJoin("guest", "b");
  EXPECT_EQ(JoinCode(Token("guest", "c")), 4010);
}

TEST_F(HubAdmissionTest, ALeaveFreesTheRoleSlot) {
  MustJoin("capped", "a");
  Joined b = MustJoin("capped", "b");
  hub_.Leave(b.member, LeaveReason::kLeft);
  EXPECT_EQ(JoinCode(Token("capped", "c")), 0);
}

class RefuseDuplicateHubTest : public HubTest {
 protected:
  RefuseDuplicateHubTest() : HubTest({.refuse_duplicate_user = true}) {}
};

TEST_F(RefuseDuplicateHubTest, RefusesTheSameUserTwice) {
  Joined first = MustJoin("host", "alice");
  EXPECT_EQ(JoinCode(Token("guest", "alice")), 4011);
  EXPECT_EQ(first.link->close_code(), 0) << "the first connection stays";
  EXPECT_EQ(JoinCode(Token("guest", "")), 0) << "peers without user_id are never duplicates";
  EXPECT_EQ(JoinCode(Token("guest", "")), 0);
}

// ---- Replace policy ----

TEST_F(HubAdmissionTest, ReplacingClosesTheOldLinkAndTellsTheOthersInOrder) {
  Joined old = MustJoin("host", "alice");
  Joined bob = MustJoin("guest", "bob");
  bob.link->Clear();
  Joined now = MustJoin("guest", "alice");
  const std::string old_id = old.member.peer.str();

  std::vector<json> old_log = old.link->Log();
  ASSERT_GE(old_log.size(), 2u);
  EXPECT_EQ(old_log[old_log.size() - 2], json({{"type", "replaced"}}));
  EXPECT_EQ(old_log.back()["type"], "close");
  EXPECT_EQ(old_log.back()["code"], kCloseReplaced);

  std::vector<json> bob_log = bob.link->Log();
  ASSERT_EQ(bob_log.size(), 2u);
  EXPECT_EQ(bob_log[0], json({{"type", "peer-left"}, {"peer_id", old_id}, {"reason", "replaced"}}));
  EXPECT_EQ(bob_log[1]["type"], "peer-joined");
  EXPECT_EQ(bob_log[1]["peer"]["peer_id"], now.member.peer.str());

  ASSERT_EQ(now.reply["peers"].size(), 1u) << "the replaced peer is gone from the new reply";
  EXPECT_EQ(now.reply["peers"][0]["user_id"], "bob");
  EXPECT_EQ(hub_.peer_count(), 2u);
  EXPECT_EQ(CodeOf(hub_.UpdateSelf(old.member, "x", std::nullopt)), 4102);
}

TEST_F(HubAdmissionTest, ReplacingDoesNotCountTheOldPeerAgainstTheCaps) {
  room_ = MakeRoom("pair", 2);
  MustJoin("capped", "a");
  MustJoin("capped", "b");
  EXPECT_EQ(JoinCode(Token("capped", "a")), 0) << "role full, but 'a' replaces itself";
  EXPECT_EQ(JoinCode(Token("guest", "b")), 0) << "room full, but 'b' replaces itself";
  EXPECT_EQ(hub_.peer_count(), 2u);
}

// ---- The join reply ----

TEST_F(HubAdmissionTest, JoinReplyDescribesSessionPeerPolicyAndOthers) {
  Joined bob = MustJoin("guest", "bob");
  auto link = std::make_shared<FakePeerLink>();
  JoinRequest r;
  r.token = Token("host", "alice");
  r.name = "Alice";
  r.metadata = R"({"hand":true})";
  r.reply_id = "join-1";
  r.link = link;
  auto alice = hub_.Join(r);
  ASSERT_TRUE(alice.ok());

  std::vector<json> log = link->Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["type"], "reply");
  EXPECT_EQ(log[0]["id"], "join-1");
  const json& res = log[0]["result"];
  EXPECT_EQ(res["protocol"], 1);
  EXPECT_TRUE(std::regex_match(res["session_id"].get<std::string>(),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-"
                                          "[0-9a-f]{12}")));
  EXPECT_EQ(res["session_id"], bob.reply["session_id"]);
  EXPECT_EQ(res["room"], json({{"id", room_.id.str()}, {"name", "standup"}}));
  EXPECT_EQ(res["peer"], json({{"peer_id", alice->peer.str()},
                               {"name", "Alice"},
                               {"user_id", "alice"},
                               {"role", "host"},
                               {"metadata", R"({"hand":true})"},
                               {"joined_at", FormatRfc3339(kNow)}}));
  EXPECT_EQ(res["policy"]["name"], "host");
  EXPECT_EQ(res["policy"]["role"]["name"], "host");
  EXPECT_EQ(res["policy"]["role"]["permissions"]["removeOthers"], true);
  std::vector<std::string> known;
  for (const auto& [name, role] : res["policy"]["known_roles"].items()) known.push_back(name);
  EXPECT_EQ(known, (std::vector<std::string>{"banned", "capped", "guest", "host", "muter"}));
  ASSERT_EQ(res["peers"].size(), 1u) << "peers excludes the joiner";
  EXPECT_EQ(res["peers"][0]["peer_id"], bob.member.peer.str());
  EXPECT_EQ(res["token_expires_at"], FormatRfc3339(kNow + kTtl));
  EXPECT_EQ(res["server_time"], FormatRfc3339(kNow));

  EXPECT_EQ(bob.link->Last(), json({{"type", "peer-joined"}, {"peer", res["peer"]}}));
}

TEST_F(HubAdmissionTest, PeerWithoutUserIdGetsItsPeerIdAsUserId) {
  Joined anon = MustJoin("guest", "");
  EXPECT_EQ(anon.reply["peer"]["user_id"], anon.member.peer.str());
}

TEST_F(HubAdmissionTest, JoinReplyListsOthersAsTheyAreNow) {
  Joined alice = MustJoin("host", "alice");
  Joined bob = MustJoin("guest", "bob");
  ASSERT_TRUE(hub_.UpdateSelf(bob.member, "Robert", "m1").ok());
  ASSERT_TRUE(hub_.ChangeRole(alice.member, bob.member.peer, RoleName("muter"), true).ok());
  PeerUpdate u;
  u.metadata = "m2";
  ASSERT_TRUE(hub_.UpdatePeer(room_.id, bob.member.peer, u).ok());

  Joined carol = MustJoin("guest", "carol");
  ASSERT_EQ(carol.reply["peers"].size(), 2u);
  const json& listed = carol.reply["peers"][1];
  EXPECT_EQ(listed["peer_id"], bob.member.peer.str());
  EXPECT_EQ(listed["name"], "Robert");
  EXPECT_EQ(listed["role"], "muter");
  EXPECT_EQ(listed["metadata"], "m2");
  EXPECT_EQ(bob.link->Last(), json({{"type", "peer-joined"}, {"peer", carol.reply["peer"]}}));
}

TEST_F(HubAdmissionTest, InvalidUtf8InANameIsReplacedNotFatal) {
  Joined alice = MustJoin("host", "alice");
  auto link = std::make_shared<FakePeerLink>();
  auto bad = TryJoin(Token("guest", "bob"), link,
                     "B\xff"
                     "b");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(link->Log().size(), 1u);
  EXPECT_EQ(link->Log()[0]["result"]["peer"]["name"],
            "B\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(alice.link->Last()["peer"]["name"],
            "B\xEF\xBF\xBD"
            "b");
  ASSERT_TRUE(hub_.SendPeerMessage(alice.member, {}, "", "hi").ok());
  EXPECT_EQ(link->Last()["message"], "hi") << "the fan-out still reaches everyone";
}

// ---- Concurrent joins cannot overshoot a cap ----

// Joins `threads` users at once into `room` with `role`; returns how many
// were admitted, and counts the refusal codes in `codes`.
int JoinAtOnce(HubTest& t, SessionHub& hub, const Room& room, const std::string& role, int threads,
               std::map<int, int>& codes) {
  std::vector<std::string> tokens;
  for (int i = 0; i < threads; ++i) {
    json c = t.Claims(role, "user-" + std::to_string(i));
    c["room_id"] = room.id.str();
    tokens.push_back(HubTest::Sign(c));
  }
  std::latch start(threads);
  std::mutex mu;
  std::atomic<int> admitted{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      JoinRequest r;
      r.token = tokens[i];
      r.link = std::make_shared<FakePeerLink>();
      start.arrive_and_wait();
      auto joined = hub.Join(r);
      if (joined.ok()) {
        ++admitted;
        return;
      }
      std::lock_guard lock(mu);
      ++codes[static_cast<int>(joined.error().code)];
    });
  }
  for (std::thread& th : pool) th.join();
  return admitted.load();
}

TEST_F(HubAdmissionTest, FiftyConcurrentJoinsAdmitExactlyTheRoleCap) {
  ASSERT_TRUE(rooms_.PutRole(template_.id, MakeRole("five", 5)).ok());
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(round);
    Room room = MakeRoom("role-race-" + std::to_string(round));
    std::map<int, int> codes;
    EXPECT_EQ(JoinAtOnce(*this, hub_, room, "five", 50, codes), 5);
    EXPECT_EQ(codes, (std::map<int, int>{{4009, 45}}));
    auto active = hub_.GetActiveRoom(room.id);
    ASSERT_TRUE(active.ok());
    EXPECT_EQ(active->peers.size(), 5u);
  }
}

TEST_F(HubAdmissionTest, FiftyConcurrentJoinsAdmitExactlyTheRoomSize) {
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(round);
    Room room = MakeRoom("size-race-" + std::to_string(round), 7);
    std::map<int, int> codes;
    EXPECT_EQ(JoinAtOnce(*this, hub_, room, "guest", 50, codes), 7);
    EXPECT_EQ(codes, (std::map<int, int>{{4010, 43}}));
    auto active = hub_.GetActiveRoom(room.id);
    ASSERT_TRUE(active.ok());
    EXPECT_EQ(active->peers.size(), 7u);
  }
  EXPECT_EQ(hub_.peer_count(), 28u);
  EXPECT_EQ(hub_.room_count(), 4u);
}

}  // namespace
}  // namespace roomgate::sessions::testing
