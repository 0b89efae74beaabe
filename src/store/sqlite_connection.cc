#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include "store/sqlite_error.h"

namespace roomgate::store {

struct SqliteConnection::Cached {
  explicit Cached(sqlite3_stmt* s) : stmt(s) {}
  ~Cached() { sqlite3_finalize(stmt); }
  sqlite3_stmt* stmt;
  bool in_use = false;
};

SqliteConnection::SqliteConnection(sqlite3* db) : db_(db) {}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: SqliteStore serialises access, so SQLite's own mutex is waste.
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(db);  // sqlite3_open_v2 allocates a handle even on failure
    return Status(Status::Code::kUnavailable,
                  "cannot open database '" + path + "': " + sqlite3_errstr(rc));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (Status s = conn->Configure(); !s.ok()) {
    return Status(s.code(), "cannot configure database '" + path + "': " + s.message());
  }
  return conn;
}

SqliteConnection::~SqliteConnection() {
  cache_.clear();  // finalize every statement first, or close fails with SQLITE_BUSY
  sqlite3_close(db_);
}

Status SqliteConnection::Configure() {
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  auto mode = Prepare("PRAGMA journal_mode=WAL");
  if (!mode.ok()) return mode.error();
  auto row = mode->Step();
  if (!row.ok()) return row.error();
  if (!*row || mode->ColumnText(0) != "wal") {
    return Status(Status::Code::kFailedPrecondition, "the file system does not support WAL mode");
  }
  return Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

Status SqliteConnection::Exec(const char* sql) {
  return SqliteStatus(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr));
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(rc);
    if (stmt == nullptr) return Status::Internal("store error: empty statement");
    it = cache_.emplace(std::string(sql), std::make_unique<Cached>(stmt)).first;
  }
  Cached& cached = *it->second;
  if (cached.in_use) return Status::Internal("store error: statement already in use");
  return SqliteStatement(cached.stmt, &cached.in_use);
}

Result<int64_t> SqliteConnection::QueryInt(std::string_view sql) {
  auto st = Prepare(sql);
  if (!st.ok()) return st.error();
  auto row = st->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Status::Internal("store error: query returned no row");
  return st->ColumnInt(0);
}

}  // namespace roomgate::store
