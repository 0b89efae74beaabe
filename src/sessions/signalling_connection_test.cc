// SignallingConnection: parsing, the envelope's rules (ids, errors, no
// reply without an id), the join state machine, the rate limit (with an
// injected monotonic clock) and the join deadline; PendingJoins' sweep.
#include "sessions/signalling_connection.h"

#include "sessions/hub_test_util.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;

class SignallingConnectionTest : public HubTest {
 protected:
  struct Conn {
    std::shared_ptr<FakePeerLink> link;
    std::shared_ptr<SignallingConnection> c;
    void Send(const json& msg) { c->OnMessage(msg.dump()); }
  };

  Conn Connect(ConnectionOptions options = {}) {
    auto link = std::make_shared<FakePeerLink>();
    return {link, std::make_shared<SignallingConnection>(hub_, link, options,
                                                         [this] { return ms_.load(); })};
  }
  json JoinMsg(const std::string& role, const std::string& user, json id = 1) {
    return {{"type", "join"}, {"id", id}, {"protocol", 1}, {"token", Token(role, user)}};
  }
  Conn JoinedConn(const std::string& role, const std::string& user,
                  ConnectionOptions options = {}) {
    Conn conn = Connect(options);
    conn.Send(JoinMsg(role, user));
    EXPECT_EQ(conn.link->Last()["type"], "reply") << conn.link->Last().dump();
    conn.link->Clear();
    return conn;
  }
  static int ErrorCodeOf(const json& m) {
    return m.value("type", "") == "error" ? m.value("code", 0) : 0;
  }

  std::atomic<int64_t> ms_{0};
};

TEST_F(SignallingConnectionTest, UnreadableFramesGetBadMessageWithNullId) {
  const std::vector<std::string> frames = {
      "not json",
      "",
      "[1,2]",
      R"("a string")",
      "{}",
      R"({"type":5})",
      R"({"type":"ping","id":{"n":1}})",
      R"({"type":"ping","id":true})",
      R"({"type":"ping","id":")" + std::string(65, 'x') + R"("})",
      R"({"type":"ping",)",
  };
  Conn conn = Connect();
  for (const std::string& f : frames) {
    SCOPED_TRACE(f);
    conn.link->Clear();
    conn.c->OnMessage(f);
    std::vector<json> log = conn.link->Log();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(ErrorCodeOf(log[0]), 4100);
    EXPECT_EQ(log[0]["error"], "bad_message");
    EXPECT_TRUE(log[0]["id"].is_null());
  }
  EXPECT_EQ(conn.link->close_code(), 0) << "a bad frame leaves the connection open";
}

TEST_F(SignallingConnectionTest, AFrameWithAnIdButNoTypeIsAnsweredUnderThatId) {
  Conn conn = Connect();
  conn.c->OnMessage(R"({"id":5})");
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4100);
  EXPECT_EQ(conn.link->Last()["id"], 5);
}

TEST_F(SignallingConnectionTest, TooDeepJsonIsRefusedWithoutCrashing) {
  Conn conn = Connect({.messages_per_second = 1000, .message_burst = 1000});
  for (const std::string& f :
       {std::string(10000, '['), std::string(10000, '[') + std::string(10000, ']'),
        R"({"type":"ping","x":)" + std::string(5000, '[') + std::string(5000, ']') + "}"}) {
    conn.link->Clear();
    conn.c->OnMessage(f);
    ASSERT_EQ(conn.link->Log().size(), 1u);
    EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4100);
    EXPECT_TRUE(conn.link->Last()["id"].is_null());
  }
}

TEST_F(SignallingConnectionTest, UnknownTypeIs4101BeforeAndAfterJoin) {
  Conn conn = Connect();
  conn.Send({{"type", "dance"}, {"id", 1}});
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4101);
  conn.Send(JoinMsg("host", "alice", 2));
  conn.Send({{"type", "dance"}, {"id", 3}});
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4101);
  EXPECT_EQ(conn.link->Last()["id"], 3);
}

TEST_F(SignallingConnectionTest, EveryRequestBeforeJoinIsNotJoined) {
  Conn conn = Connect();
  for (const char* type :
       {"leave", "ping", "update-self", "send-message", "remove-peer", "end-room", "request-mute",
        "change-role", "accept-role-change", "refresh-token"}) {
    SCOPED_TRACE(type);
    conn.Send({{"type", type}, {"id", type}});
    EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4102);
    EXPECT_EQ(conn.link->Last()["id"], type);
  }
  EXPECT_EQ(conn.link->close_code(), 0);
}

TEST_F(SignallingConnectionTest, ASecondJoinIsAlreadyJoined) {
  Conn conn = JoinedConn("host", "alice");
  conn.Send(JoinMsg("host", "alice", 2));
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4103);
  EXPECT_EQ(conn.link->close_code(), 0);
  EXPECT_EQ(hub_.peer_count(), 1u);
}

TEST_F(SignallingConnectionTest, AnotherProtocolIsRefusedAndClosed) {
  for (const json& protocol : {json(2), json("1"), json(nullptr), json(1.5)}) {
    SCOPED_TRACE(protocol.dump());
    Conn conn = Connect();
    json join = JoinMsg("host", "alice");
    join["protocol"] = protocol;
    conn.Send(join);
    std::vector<json> log = conn.link->Log();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(ErrorCodeOf(log[0]), 4013);
    EXPECT_EQ(log[0]["id"], 1);
    EXPECT_EQ(log[1]["code"], 4013);
    conn.Send({{"type", "ping"}, {"id", 2}});
    EXPECT_EQ(conn.link->Log().size(), 2u) << "nothing more after the close";
  }
  EXPECT_EQ(hub_.peer_count(), 0u);
}

TEST_F(SignallingConnectionTest, ARefusedJoinIsAnsweredThenClosedWithItsCode) {
  Conn conn = Connect();
  conn.Send(JoinMsg("banned", "alice", "j"));
  std::vector<json> log = conn.link->Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(ErrorCodeOf(log[0]), 4008);
  EXPECT_EQ(log[0]["id"], "j");
  EXPECT_EQ(log[1]["code"], 4008);
}

TEST_F(SignallingConnectionTest, BadJoinFieldsAreBadMessage) {
  Conn conn = Connect();
  json join = JoinMsg("host", "alice");
  join["name"] = std::string(257, 'n');
  conn.Send(join);
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4100);
  join.erase("name");
  join.erase("token");
  conn.Send(join);
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4100);
  EXPECT_EQ(hub_.peer_count(), 0u);
}

TEST_F(SignallingConnectionTest, RequestWithoutIdGetsNoReplyOnSuccessButErrorsWithNullId) {
  Conn conn = JoinedConn("host", "alice");
  conn.Send({{"type", "ping"}});
  conn.Send({{"type", "update-self"}, {"name", "A"}});
  EXPECT_EQ(conn.link->Types(), std::vector<std::string>{"peer-updated"}) << "the event only";
  conn.Send({{"type", "remove-peer"}, {"peer_id", "nobody"}});
  EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4105);
  EXPECT_TRUE(conn.link->Last()["id"].is_null());
}

TEST_F(SignallingConnectionTest, FieldsWithTheWrongTypeAreBadMessage) {
  Conn conn = JoinedConn("host", "alice");
  const std::vector<json> requests = {
      {{"type", "send-message"}, {"id", 1}},
      {{"type", "send-message"}, {"id", 1}, {"message", 5}},
      {{"type", "send-message"}, {"id", 1}, {"message", "x"}, {"roles", "guest"}},
      {{"type", "request-mute"}, {"id", 1}, {"track", "smell"}, {"mute", true}},
      {{"type", "request-mute"}, {"id", 1}, {"track", "audio"}},
      {{"type", "change-role"}, {"id", 1}, {"peer_id", "p"}, {"role", "guest"}, {"force", "yes"}},
      {{"type", "end-room"}, {"id", 1}, {"lock", 1}},
      {{"type", "update-self"}, {"id", 1}, {"metadata", std::string(4097, 'm')}},
  };
  for (const json& r : requests) {
    SCOPED_TRACE(r.dump().substr(0, 100));
    conn.Send(r);
    EXPECT_EQ(ErrorCodeOf(conn.link->Last()), 4100);
  }
  EXPECT_EQ(hub_.peer_count(), 1u);
}

TEST_F(SignallingConnectionTest, LeaveAnswersThenClosesAndOthersSeeLeft) {
  Conn bob = JoinedConn("guest", "bob");
  Conn alice = JoinedConn("host", "alice");
  bob.link->Clear();
  alice.Send({{"type", "leave"}, {"id", 4}});
  EXPECT_EQ(alice.link->Log(),
            (std::vector<json>{{{"type", "reply"}, {"id", 4}, {"result", json::object()}},
                               {{"type", "close"}, {"code", 1000}, {"reason", "left"}}}));
  EXPECT_EQ(bob.link->Last()["reason"], "left");
  bob.c->OnClose();
  EXPECT_EQ(hub_.peer_count(), 0u);
}

TEST_F(SignallingConnectionTest, TransportCloseIsADisconnect) {
  Conn bob = JoinedConn("guest", "bob");
  Conn alice = JoinedConn("host", "alice");
  alice.c->OnClose();
  EXPECT_EQ(bob.link->Last()["type"], "peer-left");
  EXPECT_EQ(bob.link->Last()["reason"], "disconnected");
}

TEST_F(SignallingConnectionTest, EndRoomIsAnsweredOnceAndBeforeRoomEnded) {
  Conn alice = JoinedConn("host", "alice");
  alice.Send({{"type", "end-room"}, {"id", 9}, {"reason", "bye"}});
  EXPECT_EQ(alice.link->Types(), (std::vector<std::string>{"reply", "room-ended", "close"}));
  EXPECT_EQ(alice.link->Log()[0]["id"], 9);
}

TEST_F(SignallingConnectionTest, RateLimitAllowsABurstThenRefillsOverTime) {
  Conn conn = JoinedConn("host", "alice", {.messages_per_second = 2, .message_burst = 3});
  // The join took one token of three.
  auto ping = [&](int id) {
    conn.Send({{"type", "ping"}, {"id", id}});
    return conn.link->Last();
  };
  EXPECT_EQ(ping(1)["type"], "reply");
  EXPECT_EQ(ping(2)["type"], "reply");
  json dropped = ping(3);
  EXPECT_EQ(ErrorCodeOf(dropped), 4107);
  EXPECT_EQ(dropped["id"], 3) << "a dropped request is answered under its id";
  ms_ += 499;
  EXPECT_EQ(ErrorCodeOf(ping(4)), 4107) << "not a whole token yet";
  ms_ += 1;
  EXPECT_EQ(ping(5)["type"], "reply") << "2/s: one token per 500 ms";
  EXPECT_EQ(ErrorCodeOf(ping(6)), 4107);
  ms_ += 60'000;
  EXPECT_EQ(ping(7)["type"], "reply");
  EXPECT_EQ(ping(8)["type"], "reply");
  EXPECT_EQ(ping(9)["type"], "reply");
  EXPECT_EQ(ErrorCodeOf(ping(10)), 4107) << "refill is capped at the burst";
  EXPECT_EQ(conn.link->close_code(), 0);
}

TEST_F(SignallingConnectionTest, JoinDeadlineClosesOnlyAConnectionThatHasNotJoined) {
  Conn idle = Connect();
  idle.c->OnJoinDeadline();
  idle.c->OnJoinDeadline();
  std::vector<json> log = idle.link->Log();
  ASSERT_EQ(log.size(), 2u) << "once";
  EXPECT_EQ(ErrorCodeOf(log[0]), 4012);
  EXPECT_TRUE(log[0]["id"].is_null());
  EXPECT_EQ(log[1]["code"], 4012);
  idle.Send(JoinMsg("host", "alice"));
  EXPECT_EQ(hub_.peer_count(), 0u) << "a timed-out connection cannot join";

  Conn joined = JoinedConn("host", "bob");
  joined.c->OnJoinDeadline();
  EXPECT_TRUE(joined.link->Log().empty());
  EXPECT_EQ(joined.link->close_code(), 0);
}

TEST_F(SignallingConnectionTest, PendingJoinsSweepsDueConnectionsInDeadlineOrder) {
  PendingJoins pending;
  Conn a = Connect(), b = Connect(), c = Connect(), d = Connect();
  pending.Add(a.c, 10);
  pending.Add(b.c, 20);
  pending.Add(c.c, 30);
  pending.Add(d.c, 40);
  b.Send(JoinMsg("host", "bob"));
  c.c.reset();  // a connection gone before its deadline is skipped

  pending.Sweep(9);
  EXPECT_EQ(a.link->close_code(), 0);
  pending.Sweep(10);
  EXPECT_EQ(a.link->close_code(), 4012);
  EXPECT_EQ(d.link->close_code(), 0);
  pending.Sweep(35);
  EXPECT_EQ(b.link->close_code(), 0) << "joined in time";
  EXPECT_EQ(c.link->close_code(), 0);
  EXPECT_EQ(d.link->close_code(), 0);
  pending.Sweep(40);
  EXPECT_EQ(d.link->close_code(), 4012);
  EXPECT_EQ(a.link->OfType("error").size(), 1u) << "each is swept once";
}

}  // namespace
}  // namespace roomgate::sessions::testing
