#include "store/sqlite_schema.h"

#include <iterator>
#include <string>

#include "store/sqlite_transaction.h"

namespace roomgate::store {
namespace {

// Every table has `seq INTEGER PRIMARY KEY AUTOINCREMENT`: creation order for
// lists and page cursors. AUTOINCREMENT (not a plain rowid) so a seq is never
// reused even after the newest row is deleted, which keeps cursors stable.
// The natural keys (id, code) are therefore UNIQUE columns rather than the
// primary key: a rowid table has exactly one integer primary key.
constexpr const char* kMigrations[] = {
    // 1: templates, rooms, room codes.
    R"sql(
CREATE TABLE templates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  roles_json TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  destinations_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE rooms (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  template_id TEXT NOT NULL,
  region TEXT NOT NULL,
  large_room INTEGER NOT NULL,
  size INTEGER NOT NULL,
  max_duration_seconds INTEGER NOT NULL,
  extra_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Room names are unique ignoring ASCII case, as 100ms compares them.
CREATE UNIQUE INDEX rooms_by_name ON rooms (name COLLATE NOCASE);
CREATE TABLE room_codes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  room_id TEXT NOT NULL,
  role TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Serves a room's code list in creation order and the per-room count.
CREATE INDEX room_codes_by_room ON room_codes (room_id, seq);
)sql",
    // 2: the history of live sessions and their peers.
    R"sql(
CREATE TABLE sessions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  room_id TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Serve a room's session list and the active filter (and EndActiveSessions)
-- in creation order.
CREATE INDEX sessions_by_room ON sessions (room_id, seq);
CREATE INDEX sessions_by_active ON sessions (active, seq);
-- Peers point at their session's seq, not its id: a page of sessions joins
-- its peers on the integer key.
CREATE TABLE session_peers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_seq INTEGER NOT NULL REFERENCES sessions (seq),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  user_id TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  left_at INTEGER,
  UNIQUE (session_seq, id)
);
)sql",
};

Status ApplySteps(SqliteConnection& db, int64_t from) {
  for (int64_t v = from; v < LatestSchemaVersion(); ++v) {
    if (Status s = db.Exec(kMigrations[v]); !s.ok()) return s;
  }
  // PRAGMA takes no bound parameters; the value is our own integer.
  const std::string set = "PRAGMA user_version=" + std::to_string(LatestSchemaVersion());
  return db.Exec(set.c_str());
}

}  // namespace

int64_t LatestSchemaVersion() { return static_cast<int64_t>(std::size(kMigrations)); }

Status MigrateSchema(SqliteConnection& db) {
  auto txn = SqliteTransaction::Begin(db);
  if (!txn.ok()) return txn.error();
  // Read inside the transaction: another process may have just migrated.
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.error();
  if (*version > LatestSchemaVersion()) {
    return Status(Status::Code::kFailedPrecondition,
                  "database schema version " + std::to_string(*version) +
                      " is newer than this roomgate supports (" +
                      std::to_string(LatestSchemaVersion()) +
                      "); upgrade roomgate or open another data file");
  }
  if (*version == LatestSchemaVersion()) return Status::Ok();
  if (Status s = ApplySteps(db, *version); !s.ok()) return s;
  return txn->Commit();
}

}  // namespace roomgate::store
