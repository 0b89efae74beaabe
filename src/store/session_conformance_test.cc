// The session-history half of the store conformance suite (the fixture and
// the instantiation over every backend are in store_conformance_test.{h,cc}).
#include "store/store_conformance_test.h"

namespace roomgate::store::testing {
namespace {

using Code = Status::Code;
using Kind = SessionEvent::Kind;

SessionEvent Started(const std::string& session, const std::string& room, UnixSeconds at) {
  return SessionEvent{
      .kind = Kind::kStarted, .session_id = SessionId(session), .room_id = RoomId(room), .at = at};
}

SessionEvent PeerEvent(Kind kind, const std::string& session, const std::string& peer,
                       UnixSeconds at, const std::string& name = "", const std::string& role = "") {
  SessionEvent e{.kind = kind, .session_id = SessionId(session), .at = at};
  e.peer.id = PeerId(peer);
  e.peer.name = name;
  e.peer.role = RoleName(role);
  e.peer.user_id = UserId("user-" + peer);
  return e;
}

SessionEvent Joined(const std::string& session, const std::string& peer, UnixSeconds at,
                    const std::string& name = "Ann", const std::string& role = "host") {
  return PeerEvent(Kind::kPeerJoined, session, peer, at, name, role);
}

SessionEvent Ended(const std::string& session, UnixSeconds at) {
  return SessionEvent{.kind = Kind::kEnded, .session_id = SessionId(session), .at = at};
}

// Records `events` as one batch and expects success.
void MustRecord(Store& store, const std::vector<SessionEvent>& events) {
  const Status s = store.RecordSessionEvents(events);
  ASSERT_TRUE(s.ok()) << s.message();
}

SessionRecord MustGet(Store& store, const std::string& id) {
  auto got = store.GetSession(SessionId(id));
  EXPECT_TRUE(got.ok()) << got.error().message();
  return got.ok() ? *got : SessionRecord{};
}

const SessionPeerRecord& PeerOf(const SessionRecord& s, const std::string& peer) {
  static const SessionPeerRecord kMissing;
  auto it = s.peers.find(peer);
  if (it == s.peers.end()) {
    ADD_FAILURE() << "no peer " << peer << " in session " << s.id.str();
    return kMissing;
  }
  return it->second;
}

std::vector<std::string> IdsOf(const Page<SessionRecord>& page) {
  std::vector<std::string> ids;
  for (const SessionRecord& s : page.data) ids.push_back(s.id.str());
  return ids;
}

TEST_P(StoreConformanceTest, SessionHistoryRoundTrips) {
  MustRecord(store(), {Started("s1", "r1", 100), Joined("s1", "p1", 101, "Ann", "host"),
                       Joined("s1", "p2", 102, "Bob", "guest")});
  MustRecord(store(), {PeerEvent(Kind::kPeerUpdated, "s1", "p1", 103, "Annie", "guest"),
                       PeerEvent(Kind::kPeerLeft, "s1", "p2", 104)});
  SessionRecord s = MustGet(store(), "s1");
  EXPECT_EQ(s.room_id, RoomId("r1"));
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.created_at, 100);
  EXPECT_EQ(s.updated_at, 104);
  ASSERT_EQ(s.peers.size(), 2u);
  const SessionPeerRecord& p1 = PeerOf(s, "p1");
  EXPECT_EQ(p1.session_id, SessionId("s1"));
  EXPECT_EQ(p1.name, "Annie");
  EXPECT_EQ(p1.role, RoleName("guest"));
  EXPECT_EQ(p1.user_id, UserId("user-p1"));
  EXPECT_EQ(p1.joined_at, 101);
  EXPECT_FALSE(p1.left_at.has_value());
  EXPECT_EQ(PeerOf(s, "p2").left_at, std::optional<UnixSeconds>(104));

  MustRecord(store(), {Ended("s1", 110)});
  s = MustGet(store(), "s1");
  EXPECT_FALSE(s.active);
  EXPECT_EQ(s.updated_at, 110);
  EXPECT_EQ(PeerOf(s, "p1").left_at, std::optional<UnixSeconds>(110));  // was present
  EXPECT_EQ(PeerOf(s, "p2").left_at, std::optional<UnixSeconds>(104));  // had left before
}

TEST_P(StoreConformanceTest, JoinOfAKnownPeerReplacesIt) {
  MustRecord(store(), {Started("s1", "r1", 100), Joined("s1", "p1", 101, "Ann", "host"),
                       PeerEvent(Kind::kPeerLeft, "s1", "p1", 102),
                       Joined("s1", "p1", 105, "Ann B", "guest")});
  const SessionRecord s = MustGet(store(), "s1");
  ASSERT_EQ(s.peers.size(), 1u);
  const SessionPeerRecord& p1 = PeerOf(s, "p1");
  EXPECT_EQ(p1.name, "Ann B");
  EXPECT_EQ(p1.role, RoleName("guest"));
  EXPECT_EQ(p1.joined_at, 105);
  EXPECT_FALSE(p1.left_at.has_value());
  EXPECT_EQ(s.updated_at, 105);
}

TEST_P(StoreConformanceTest, EventsForUnknownSessionsOrPeersAreSkipped) {
  MustRecord(store(),
             {Started("s1", "r1", 100), Joined("ghost", "p9", 101), Joined("s1", "p1", 102),
              PeerEvent(Kind::kPeerUpdated, "s1", "nobody", 103, "X", "x"),
              PeerEvent(Kind::kPeerLeft, "s1", "nobody", 104),
              PeerEvent(Kind::kPeerLeft, "ghost", "p9", 105), Ended("ghost", 106),
              Started("s1", "r2", 107)});  // a repeated start changes nothing
  const SessionRecord s = MustGet(store(), "s1");
  EXPECT_EQ(s.room_id, RoomId("r1"));
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.created_at, 100);
  EXPECT_EQ(s.updated_at, 102);  // skipped events do not touch the session
  ASSERT_EQ(s.peers.size(), 1u);
  EXPECT_EQ(PeerOf(s, "p1").name, "Ann");
  EXPECT_EQ(CodeOf(store().GetSession(SessionId("ghost"))), Code::kNotFound);
  EXPECT_TRUE(store().RecordSessionEvents({}).ok());
}

TEST_P(StoreConformanceTest, GetUnknownSessionIsNotFound) {
  EXPECT_EQ(CodeOf(store().GetSession(SessionId("nope"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, EndActiveSessionsClosesOnlyActiveOnes) {
  MustRecord(store(), {Started("s1", "r1", 100), Joined("s1", "p1", 101), Joined("s1", "p2", 102),
                       PeerEvent(Kind::kPeerLeft, "s1", "p2", 105), Started("s2", "r1", 110),
                       Joined("s2", "q1", 111), Ended("s2", 120), Started("s3", "r2", 130)});
  auto ended = store().EndActiveSessions(500);
  ASSERT_TRUE(ended.ok()) << ended.error().message();
  EXPECT_EQ(*ended, 2u);

  const SessionRecord s1 = MustGet(store(), "s1");
  EXPECT_FALSE(s1.active);
  EXPECT_EQ(s1.updated_at, 500);
  EXPECT_EQ(PeerOf(s1, "p1").left_at, std::optional<UnixSeconds>(500));
  EXPECT_EQ(PeerOf(s1, "p2").left_at, std::optional<UnixSeconds>(105));
  const SessionRecord s2 = MustGet(store(), "s2");  // already ended: untouched
  EXPECT_EQ(s2.updated_at, 120);
  EXPECT_EQ(PeerOf(s2, "q1").left_at, std::optional<UnixSeconds>(120));
  const SessionRecord s3 = MustGet(store(), "s3");
  EXPECT_FALSE(s3.active);
  EXPECT_EQ(s3.updated_at, 500);

  ended = store().EndActiveSessions(600);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 0u);
  EXPECT_EQ(MustGet(store(), "s1").updated_at, 500);
}

// s0..s4 in rooms r0, r1, r0, r1, r0, created at 1000, 1010, ...; s1 and s3
// ended; every session has one peer.
void RecordFiveSessions(Store& store) {
  std::vector<SessionEvent> events;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "s" + std::to_string(i);
    const UnixSeconds at = 1000 + 10 * i;
    events.push_back(Started(id, "r" + std::to_string(i % 2), at));
    events.push_back(Joined(id, "p" + std::to_string(i), at + 1));
    if (i % 2 == 1) events.push_back(Ended(id, at + 5));
  }
  MustRecord(store, events);
}

TEST_P(StoreConformanceTest, ListSessionsFilters) {
  RecordFiveSessions(store());
  auto ids = [this](const SessionFilter& filter) {
    auto page = store().ListSessions(filter, {100});
    EXPECT_TRUE(page.ok()) << page.error().message();
    return page.ok() ? IdsOf(*page) : Ids{};
  };
  EXPECT_EQ(ids({}), (Ids{"s0", "s1", "s2", "s3", "s4"}));
  EXPECT_EQ(ids({.room_id = RoomId("r0")}), (Ids{"s0", "s2", "s4"}));
  EXPECT_EQ(ids({.active = false}), (Ids{"s1", "s3"}));
  EXPECT_EQ(ids({.active = true}), (Ids{"s0", "s2", "s4"}));
  EXPECT_EQ(ids({.created_after = 1010}), (Ids{"s2", "s3", "s4"}));
  EXPECT_EQ(ids({.created_before = 1010}), (Ids{"s0"}));
  EXPECT_EQ(ids({.room_id = RoomId("r1"), .active = false, .created_after = 1010}), (Ids{"s3"}));
  EXPECT_TRUE(ids({.room_id = RoomId("nope")}).empty());
}

TEST_P(StoreConformanceTest, ListedSessionsCarryTheirPeers) {
  RecordFiveSessions(store());
  MustRecord(store(), {Joined("s2", "extra", 1030, "Zed", "guest")});
  auto page = store().ListSessions({.room_id = RoomId("r0")}, {2});
  ASSERT_TRUE(page.ok()) << page.error().message();
  ASSERT_EQ(page->data.size(), 2u);
  EXPECT_EQ(page->data[0].peers.size(), 1u);
  EXPECT_EQ(PeerOf(page->data[0], "p0").joined_at, 1001);
  ASSERT_EQ(page->data[1].peers.size(), 2u);
  EXPECT_EQ(PeerOf(page->data[1], "extra").name, "Zed");
  EXPECT_EQ(PeerOf(page->data[1], "p2").session_id, SessionId("s2"));
}

TEST_P(StoreConformanceTest, ListSessionsPagesInCreationOrder) {
  RecordFiveSessions(store());
  auto first = store().ListSessions({}, {2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(IdsOf(*first), (Ids{"s0", "s1"}));
  EXPECT_EQ(first->last, "s1");
  auto second = store().ListSessions({}, {2, first->last});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(IdsOf(*second), (Ids{"s2", "s3"}));
  auto third = store().ListSessions({}, {2, second->last});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(IdsOf(*third), (Ids{"s4"}));
  auto past = store().ListSessions({}, {2, third->last});
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->data.empty());
  EXPECT_EQ(past->last, "");
  // A cursor may name a session the filter excludes.
  auto filtered = store().ListSessions({.active = true}, {1, "s1"});
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(IdsOf(*filtered), (Ids{"s2"}));
  EXPECT_EQ(CodeOf(store().ListSessions({}, {2, "no-such-session"})), Code::kInvalidArgument);
}

}  // namespace
}  // namespace roomgate::store::testing
