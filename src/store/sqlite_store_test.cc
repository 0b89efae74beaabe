// SqliteStore behaviour beyond the shared contract: durability settings,
// persistence, schema migrations, error hygiene, crash safety.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "store/sqlite_connection.h"
#include "store/sqlite_schema.h"
#include "store/sqlite_test_util.h"
#include "store/store_test_util.h"

namespace roomgate::store {
namespace {

using namespace testing;

TEST(SqliteStoreTest, DataPersistsAcrossReopen) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store->CreateTemplate(MakeTemplate("t1", "default")).ok());
    ASSERT_TRUE(store->CreateRoom(MakeRoom("r1", "Demo")).ok());
    ASSERT_TRUE(store->CreateRoomCodes({MakeCode("abc-defg-hij", "r1", "host")}, 10).ok());
  }
  auto store = MustOpen(path);
  ExpectSameTemplate(MakeTemplate("t1", "default"), *store->GetTemplate(TemplateId("t1")));
  ExpectSameRoom(MakeRoom("r1", "Demo"), *store->GetRoom(RoomId("r1")));
  ExpectSameCode(MakeCode("abc-defg-hij", "r1", "host"),
                 *store->GetRoomCode(RoomCodeText("abc-defg-hij")));
  // Creation order continues after the reopen.
  ASSERT_TRUE(store->CreateRoom(MakeRoom("r0", "Second")).ok());
  auto page = store->ListRooms({}, {10, "r1"});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->data.size(), 1u);
  EXPECT_EQ(page->data[0].id.str(), "r0");
}

TEST(SqliteStoreTest, ConnectionUsesWalFullSyncAndForeignKeys) {
  TempDir dir;
  auto db = SqliteConnection::Open(dir.File("store.db"));
  ASSERT_TRUE(db.ok()) << db.error().message();
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA busy_timeout"), SqliteConnection::kBusyTimeoutMs);
}

TEST(SqliteStoreTest, MigrationsRunOnce) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  MustOpen(path).reset();
  // A second run of step 1 would fail on CREATE TABLE; reopening must not.
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  store.reset();
  auto db = SqliteConnection::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(*(*db)->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                             "AND name IN ('templates', 'rooms', 'room_codes')"),
            3);
}

TEST(SqliteStoreTest, RefusesDatabaseFromNewerRoomgate) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  MustOpen(path).reset();
  const int64_t newer = LatestSchemaVersion() + 1;
  RawExec(path, "PRAGMA user_version=" + std::to_string(newer));
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.error().message().find("schema version " + std::to_string(newer) + " is newer"),
            std::string::npos)
      << store.error().message();
}

TEST(SqliteStoreTest, UnopenablePathIsUnavailable) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.File("missing-folder/store.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), Status::Code::kUnavailable);
}

TEST(SqliteStoreTest, ErrorsNameNoSql) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  auto store = MustOpen(path);
  ASSERT_TRUE(store->CreateRoom(MakeRoom("r1", "Demo")).ok());
  const Status taken = store->CreateRoom(MakeRoom("r2", "DEMO"));
  EXPECT_EQ(taken.code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(taken.message(), "room id or name already exists");
  // A row another program damaged is a store error, not an exception.
  ASSERT_TRUE(store->CreateTemplate(MakeTemplate("t1", "default")).ok());
  RawExec(path, "UPDATE templates SET roles_json = '{not json' WHERE id = 't1'");
  auto corrupt = store->GetTemplate(TemplateId("t1"));
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code(), Status::Code::kInternal);
  EXPECT_EQ(corrupt.error().message().find("SELECT"), std::string::npos);
}

TEST(SqliteStoreTest, TemplateChangedByAnotherWriterReadsFresh) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  auto store = MustOpen(path);
  ASSERT_TRUE(store->CreateTemplate(MakeTemplate("t1", "default")).ok());
  ASSERT_EQ(store->GetTemplate(TemplateId("t1"))->roles.size(), 2u);  // parsed roles now cached
  RawExec(path, R"(UPDATE templates SET roles_json = '{"solo":{"name":"solo","priority":2}}')");
  auto got = store->GetTemplate(TemplateId("t1"));
  ASSERT_TRUE(got.ok()) << got.error().message();
  ASSERT_EQ(got->roles.size(), 1u);
  EXPECT_EQ(got->roles.at("solo").priority, 2);
}

// Reads newline-terminated lines from `fd` into `lines` until `want` lines
// have arrived (or, with want == 0, until end of file).
void ReadLines(int fd, size_t want, std::string& buffer, std::vector<std::string>& lines) {
  char chunk[4096];
  while (want == 0 || lines.size() < want) {
    const ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) return;
    buffer.append(chunk, static_cast<size_t>(n));
    for (size_t eol; (eol = buffer.find('\n')) != std::string::npos; buffer.erase(0, eol + 1)) {
      lines.push_back(buffer.substr(0, eol));
    }
  }
}

// The child: creates rooms and codes forever, reporting each acknowledged
// one on `fd` ("room <id>" / "code <code>"), until it is killed.
[[noreturn]] void WriteUntilKilled(const std::string& path, int fd) {
  auto store = SqliteStore::Open(path);
  if (!store.ok()) _exit(2);
  for (int i = 0; i < 1000000; ++i) {
    const std::string id = "room-" + std::to_string(i);
    const std::string code = "code-" + std::to_string(i);
    if (!(*store)->CreateRoom(MakeRoom(id, id)).ok()) _exit(3);
    const std::string room_line = "room " + id + "\n";
    if (write(fd, room_line.data(), room_line.size()) < 0) _exit(4);
    if (!(*store)->CreateRoomCodes({MakeCode(code, id, "host")}, 10).ok()) _exit(5);
    const std::string code_line = "code " + code + "\n";
    if (write(fd, code_line.data(), code_line.size()) < 0) _exit(6);
  }
  _exit(7);
}

TEST(SqliteStoreTest, AcknowledgedWritesSurviveSigkill) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    WriteUntilKilled(path, fds[1]);
  }
  close(fds[1]);
  std::string buffer;
  std::vector<std::string> acked;
  ReadLines(fds[0], 120, buffer, acked);
  kill(child, SIGKILL);
  ReadLines(fds[0], 0, buffer, acked);  // whatever it acknowledged before dying
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  ASSERT_GE(acked.size(), 120u);

  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  for (const std::string& line : acked) {
    const std::string key = line.substr(5);
    if (line.starts_with("room ")) {
      EXPECT_TRUE(store->GetRoom(RoomId(key)).ok()) << line;
    } else {
      EXPECT_TRUE(store->GetRoomCode(RoomCodeText(key)).ok()) << line;
    }
  }
}

}  // namespace
}  // namespace roomgate::store
