// SessionHub over time: token expiry and refresh, the session's life and
// its recorded history, shutdown, and the order events reach a peer.
#include <chrono>
#include <condition_variable>
#include <thread>

#include "common/time_format.h"
#include "sessions/hub_test_util.h"
#include "sessions/signalling_connection.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;
using Kind = SessionEvent::Kind;

class HubExpiryTest : public HubTest {
 protected:
  // A peer whose token outlives every test here.
  Joined JoinLongLived(const std::string& user) {
    auto link = std::make_shared<FakePeerLink>();
    auto m = TryJoin(Token("guest", user, 10 * kTtl), link);
    EXPECT_TRUE(m.ok());
    link->Clear();
    return {m.ok() ? *m : Membership{}, link, {}};
  }
  void TickAt(int64_t t) {
    clock_.Set(t);
    hub_.Tick();
  }
};

TEST_F(HubExpiryTest, WarnsOnceWhenExpiryIsWithinTheWarningThenRemovesAtExp) {
  Joined peer = MustJoin("host", "alice");
  Joined other = JoinLongLived("bob");
  peer.link->Clear();
  const int64_t exp = kNow + kTtl;

  TickAt(exp - 61);
  EXPECT_TRUE(peer.link->Log().empty());
  TickAt(exp - 60);
  EXPECT_EQ(peer.link->Log(), std::vector<json>({{{"type", "token-expiring"},
                                                  {"expires_at", FormatRfc3339(exp)},
                                                  {"seconds_left", 60}}}));
  TickAt(exp - 30);
  TickAt(exp - 1);
  EXPECT_EQ(peer.link->Log().size(), 1u) << "warned once";

  TickAt(exp);
  std::vector<json> log = peer.link->Log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], json({{"type", "token-expired"}, {"expires_at", FormatRfc3339(exp)}}));
  EXPECT_EQ(log[2]["code"], kCloseTokenExpired);
  EXPECT_EQ(other.link->Log(), std::vector<json>({{{"type", "peer-left"},
                                                   {"peer_id", peer.member.peer.str()},
                                                   {"reason", "token_expired"}}}));
  EXPECT_EQ(other.link->close_code(), 0);
  EXPECT_EQ(hub_.peer_count(), 1u);
  EXPECT_EQ(recorder_.Kinds().back(), Kind::kPeerLeft);
}

TEST_F(HubExpiryTest, RefreshMovesExpAndRearmsTheWarning) {
  Joined peer = MustJoin("host", "alice");
  const int64_t exp = kNow + kTtl;
  TickAt(exp - 60);
  ASSERT_EQ(peer.link->OfType("token-expiring").size(), 1u);

  Reply r = hub_.RefreshToken(peer.member, Token("host", "alice"));  // exp' = exp - 60 + kTtl
  ASSERT_TRUE(r.ok()) << r.error().message;
  const int64_t new_exp = exp - 60 + kTtl;
  EXPECT_EQ(*r, json({{"expires_at", FormatRfc3339(new_exp)}}));

  TickAt(exp);
  EXPECT_EQ(peer.link->close_code(), 0) << "the old exp no longer applies";
  EXPECT_EQ(peer.link->OfType("token-expiring").size(), 1u);
  TickAt(new_exp - 60);
  std::vector<json> warnings = peer.link->OfType("token-expiring");
  ASSERT_EQ(warnings.size(), 2u) << "warned again for the new exp";
  EXPECT_EQ(warnings[1]["expires_at"], FormatRfc3339(new_exp));
  TickAt(new_exp);
  EXPECT_EQ(peer.link->close_code(), kCloseTokenExpired);
}

TEST_F(HubExpiryTest, RefreshRefusesAnotherUserOrRoomOrABadToken) {
  Joined peer = MustJoin("host", "alice");
  Room other = MakeRoom("other");
  json other_room = Claims("host", "alice");
  other_room["room_id"] = other.id.str();
  EXPECT_EQ(CodeOf(hub_.RefreshToken(peer.member, Token("host", "mallory"))), 4109);
  EXPECT_EQ(CodeOf(hub_.RefreshToken(peer.member, Token("host", ""))), 4109);
  EXPECT_EQ(CodeOf(hub_.RefreshToken(peer.member, Sign(other_room))), 4109);
  EXPECT_EQ(CodeOf(hub_.RefreshToken(peer.member, Token("ghost", "alice"))), 4007);
  EXPECT_EQ(CodeOf(hub_.RefreshToken(peer.member, "garbage")), 4001);
  EXPECT_EQ(peer.link->close_code(), 0) << "a refused refresh leaves the peer in place";
}

class KeepOnExpiryHubTest : public HubTest {
 protected:
  KeepOnExpiryHubTest() : HubTest({.remove_on_expiry = false}) {}
};

TEST_F(KeepOnExpiryHubTest, PeerStaysPastExpWhenRemoveOnExpiryIsOff) {
  Joined peer = MustJoin("host", "alice");
  peer.link->Clear();
  clock_.Set(kNow + kTtl - 60);
  hub_.Tick();
  clock_.Set(kNow + kTtl + 3600);
  hub_.Tick();
  EXPECT_EQ(peer.link->Types(), std::vector<std::string>{"token-expiring"});
  EXPECT_EQ(hub_.peer_count(), 1u);
  EXPECT_TRUE(hub_.UpdateSelf(peer.member, "still here", std::nullopt).ok());
}

// ---- Session lifecycle and history ----

class HubSessionTest : public HubTest {};

TEST_F(HubSessionTest, RecorderSeesTheSessionInOrder) {
  Joined a = MustJoin("host", "alice");
  Joined b = MustJoin("guest", "bob");
  ASSERT_TRUE(hub_.UpdateSelf(b.member, "Robert", std::nullopt).ok());
  ASSERT_TRUE(hub_.UpdateSelf(b.member, std::nullopt, "meta only").ok());
  ASSERT_TRUE(hub_.ChangeRole(a.member, b.member.peer, RoleName("muter"), true).ok());
  hub_.Leave(b.member, LeaveReason::kLeft);
  hub_.Leave(a.member, LeaveReason::kDisconnected);
  clock_.Advance(10);
  hub_.Tick();

  std::vector<SessionEvent> events = recorder_.Events();
  ASSERT_EQ(
      recorder_.Kinds(),
      (std::vector<Kind>{Kind::kStarted, Kind::kPeerJoined, Kind::kPeerJoined, Kind::kPeerUpdated,
                         Kind::kPeerUpdated, Kind::kPeerLeft, Kind::kPeerLeft, Kind::kEnded}));
  const std::string session = a.reply["session_id"];
  for (const SessionEvent& e : events) EXPECT_EQ(e.session_id.str(), session);
  EXPECT_EQ(events[0].room_id, room_.id);
  EXPECT_EQ(events[1].peer.id, a.member.peer);
  EXPECT_EQ(events[2].peer.role.str(), "guest");
  EXPECT_EQ(events[3].peer.name, "Robert");
  EXPECT_EQ(events[4].peer.role.str(), "muter");
  EXPECT_EQ(events[5].peer.id, b.member.peer);
  EXPECT_EQ(events[5].peer.left_at, kNow);
  EXPECT_EQ(events[7].at, kNow + 10);
}

TEST_F(HubSessionTest, AJoinWithinTheGraceContinuesTheSession) {
  Joined a = MustJoin("host", "alice");
  hub_.Leave(a.member, LeaveReason::kLeft);
  clock_.Advance(9);
  hub_.Tick();
  EXPECT_EQ(hub_.room_count(), 1u);
  ASSERT_TRUE(hub_.GetActiveRoom(room_.id).ok()) << "an empty room in its grace is still live";
  Joined back = MustJoin("host", "alice");
  EXPECT_EQ(back.reply["session_id"], a.reply["session_id"]);
  const std::vector<Kind> kinds = recorder_.Kinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), Kind::kStarted), 1);
}

TEST_F(HubSessionTest, TheSessionEndsAfterTheGraceAndTheNextJoinStartsAnother) {
  Joined a = MustJoin("host", "alice");
  clock_.Advance(5);
  hub_.Leave(a.member, LeaveReason::kLeft);
  clock_.Advance(9);
  hub_.Tick();
  EXPECT_EQ(hub_.room_count(), 1u) << "the grace counts from the last leave";
  clock_.Advance(1);
  hub_.Tick();
  EXPECT_EQ(hub_.room_count(), 0u);
  EXPECT_EQ(recorder_.Kinds().back(), Kind::kEnded);
  EXPECT_EQ(hub_.GetActiveRoom(room_.id).error().code(), Status::Code::kNotFound);

  Joined b = MustJoin("host", "alice");
  EXPECT_NE(b.reply["session_id"], a.reply["session_id"]);
  EXPECT_EQ(recorder_.Events().back().kind, Kind::kPeerJoined);
  EXPECT_EQ(recorder_.Events()[recorder_.Events().size() - 2].kind, Kind::kStarted);
}

// After Shutdown no new session starts: a join that arrives while the
// server winds down is refused rather than left in a session nobody ends.
TEST_F(HubSessionTest, JoinAfterShutdownIsRefused) {
  hub_.Shutdown();
  EXPECT_EQ(JoinCode(Token("host", "late")), 4500);
  EXPECT_EQ(hub_.room_count(), 0u);
}

TEST_F(HubSessionTest, ShutdownTellsEveryPeerClosesWith1001AndEndsTheSession) {
  Joined a = MustJoin("host", "alice");
  Joined b = MustJoin("guest", "bob");
  a.link->Clear();
  b.link->Clear();
  hub_.Shutdown();
  for (Joined* j : {&a, &b}) {
    EXPECT_EQ(j->link->Log(),
              (std::vector<json>{
                  {{"type", "server-shutdown"}},
                  {{"type", "close"}, {"code", 1001}, {"reason", "server shutting down"}}}));
  }
  EXPECT_EQ(recorder_.Kinds().back(), Kind::kEnded);
  EXPECT_EQ(hub_.peer_count(), 0u);
  EXPECT_EQ(hub_.room_count(), 0u);
}

// ---- Ordering ----

// Many threads join and leave while an observer watches: the observer sees
// peer-joined/peer-left in exactly the order the room's state changed (the
// order the recorder, called under the room lock, saw them), and every
// joiner sees its join reply first and its close last.
TEST_F(HubSessionTest, EventsReachPeersInTheOrderStateChanged) {
  Joined observer = MustJoin("host", "observer");
  observer.link->Clear();
  const size_t recorded_before = recorder_.Events().size();
  constexpr int kThreads = 8, kRounds = 20;
  std::vector<std::vector<std::shared_ptr<FakePeerLink>>> links(kThreads);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        auto link = std::make_shared<FakePeerLink>();
        links[t].push_back(link);
        auto m = TryJoin(Token("guest", "u" + std::to_string(t) + "-" + std::to_string(i)), link);
        if (!m.ok()) continue;
        if (i % 3 == 0) (void)hub_.UpdateSelf(*m, "renamed", std::nullopt);
        hub_.Leave(*m, LeaveReason::kLeft);
      }
    });
  }
  for (std::thread& th : pool) th.join();

  std::vector<json> expected;
  std::vector<SessionEvent> events = recorder_.Events();
  for (size_t i = recorded_before; i < events.size(); ++i) {
    const SessionEvent& e = events[i];
    if (e.kind == Kind::kPeerJoined) {
      expected.push_back({{"type", "peer-joined"}, {"peer_id", e.peer.id.str()}});
    } else if (e.kind == Kind::kPeerLeft) {
      expected.push_back({{"type", "peer-left"}, {"peer_id", e.peer.id.str()}});
    }
  }
  std::vector<json> seen;
  for (const json& m : observer.link->Log()) {
    if (m["type"] == "peer-joined")
      seen.push_back({{"type", "peer-joined"}, {"peer_id", m["peer"]["peer_id"]}});
    if (m["type"] == "peer-left")
      seen.push_back({{"type", "peer-left"}, {"peer_id", m["peer_id"]}});
  }
  EXPECT_EQ(seen.size(), 2u * kThreads * kRounds);
  EXPECT_EQ(seen, expected);
  for (const auto& per_thread : links) {
    for (const auto& link : per_thread) {
      std::vector<json> log = link->Log();
      ASSERT_GE(log.size(), 2u);
      EXPECT_EQ(log.front()["type"], "reply");
      EXPECT_EQ(log.back()["type"], "close");
    }
  }
}

// A link whose first Send after Arm() blocks until Release(): stands in for
// a delivering thread that the scheduler preempts mid-round.
class StallingLink final : public PeerLink {
 public:
  bool Send(std::string text) override {
    std::unique_lock lock(mu_);
    if (armed_) {
      armed_ = false;
      stalled_ = true;
      cv_.notify_all();
      // Bounded, so a fix that makes Join wait for delivery fails the test
      // instead of hanging it; the test releases long before.
      cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !stalled_; });
      stalled_ = false;
    }
    lock.unlock();
    return inner_.Send(std::move(text));
  }
  void Close(uint16_t code, std::string reason) override { inner_.Close(code, std::move(reason)); }
  void Arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  bool WaitStalled() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return stalled_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    stalled_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool stalled_ = false;
  FakePeerLink inner_;
};

// The join reply goes through the room's outbox, and so do replies to later
// requests (SignallingConnection::Send): when another thread is mid-delivery,
// the reply to a request pipelined after `join` must not overtake it.
TEST_F(HubSessionTest, JoinReplyComesBeforeTheReplyToALaterRequest) {
  auto host_link = std::make_shared<StallingLink>();
  auto host = TryJoin(Token("host", "hana"), host_link);
  ASSERT_TRUE(host.ok());
  host_link->Arm();
  std::thread sender([&] { (void)hub_.SendPeerMessage(*host, {}, "", "hi"); });
  const bool stalled = host_link->WaitStalled();  // the sender is mid-delivery

  auto link = std::make_shared<FakePeerLink>();
  SignallingConnection conn(hub_, link, {}, [] { return int64_t{0}; });
  if (stalled) {
    conn.OnMessage(
        json({{"type", "join"}, {"id", 1}, {"protocol", 1}, {"token", Token("guest", "gus")}})
            .dump());
    conn.OnMessage(R"({"type":"ping","id":2})");
  }
  host_link->Release();
  sender.join();
  ASSERT_TRUE(stalled);

  std::vector<json> log = link->Log();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0]["id"], 1) << "first message: " << log[0].dump();
  EXPECT_EQ(log[1]["id"], 2);
}

}  // namespace
}  // namespace roomgate::sessions::testing
