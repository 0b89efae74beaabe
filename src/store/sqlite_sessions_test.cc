// SqliteStore's session history beyond the shared contract: one transaction
// per batch, persistence across reopen, and the migration that adds it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "store/sqlite_test_util.h"
#include "store/store_test_util.h"

namespace roomgate::store {
namespace {

using namespace testing;
using Kind = SessionEvent::Kind;

std::vector<SessionEvent> StartWithPeer(const std::string& session, const std::string& peer_name,
                                        UnixSeconds at) {
  SessionEvent join{.kind = Kind::kPeerJoined, .session_id = SessionId(session), .at = at + 1};
  join.peer.id = PeerId("p-" + session);
  join.peer.name = peer_name;
  join.peer.role = RoleName("host");
  join.peer.user_id = UserId("u1");
  return {SessionEvent{.kind = Kind::kStarted,
                       .session_id = SessionId(session),
                       .room_id = RoomId("r1"),
                       .at = at},
          join};
}

TEST(SqliteSessionsTest, AFailedBatchWritesNothing) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  auto store = MustOpen(path);
  // Another program's trigger makes the batch's second statement fail, after
  // its first one succeeded.
  RawExec(path,
          "CREATE TRIGGER refuse_boom BEFORE INSERT ON session_peers WHEN NEW.name = 'boom' "
          "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  const Status failed = store->RecordSessionEvents(StartWithPeer("s1", "boom", 100));
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.message().find("INSERT"), std::string::npos) << failed.message();
  EXPECT_EQ(CodeOf(store->GetSession(SessionId("s1"))), Status::Code::kNotFound);

  ASSERT_TRUE(store->RecordSessionEvents(StartWithPeer("s2", "fine", 200)).ok());
  store.reset();
  store = MustOpen(path);
  EXPECT_EQ(CodeOf(store->GetSession(SessionId("s1"))), Status::Code::kNotFound);
  auto s2 = store->GetSession(SessionId("s2"));
  ASSERT_TRUE(s2.ok()) << s2.error().message();
  EXPECT_EQ(s2->peers.size(), 1u);
}

TEST(SqliteSessionsTest, SessionsSurviveReopen) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store->RecordSessionEvents(StartWithPeer("s1", "Ann", 100)).ok());
  }
  {
    auto store = MustOpen(path);
    auto s1 = store->GetSession(SessionId("s1"));
    ASSERT_TRUE(s1.ok()) << s1.error().message();
    EXPECT_TRUE(s1->active);
    EXPECT_EQ(s1->peers.at("p-s1").name, "Ann");
    // What start-up does after a crash: close what was left open.
    auto ended = store->EndActiveSessions(900);
    ASSERT_TRUE(ended.ok());
    EXPECT_EQ(*ended, 1u);
    ASSERT_TRUE(store->RecordSessionEvents(StartWithPeer("s2", "Bob", 1000)).ok());
  }
  auto store = MustOpen(path);
  auto page = store->ListSessions({}, {10});
  ASSERT_TRUE(page.ok()) << page.error().message();
  ASSERT_EQ(page->data.size(), 2u);
  EXPECT_EQ(page->data[0].id, SessionId("s1"));  // creation order continues
  EXPECT_FALSE(page->data[0].active);
  EXPECT_EQ(page->data[0].peers.at("p-s1").left_at, std::optional<UnixSeconds>(900));
  EXPECT_EQ(page->data[1].id, SessionId("s2"));
}

TEST(SqliteSessionsTest, VersionOneFileGainsSessionTables) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store->CreateRoom(MakeRoom("r1", "Demo")).ok());
  }
  // What a file written before sessions existed looks like.
  RawExec(path, "DROP TABLE session_peers; DROP TABLE sessions; PRAGMA user_version=1");
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->GetRoom(RoomId("r1")).ok());
  ASSERT_TRUE(store->RecordSessionEvents(StartWithPeer("s1", "Ann", 100)).ok());
  EXPECT_TRUE(store->GetSession(SessionId("s1")).ok());
}

}  // namespace
}  // namespace roomgate::store
