// SqliteConnection: one open SQLite database file, configured for
// roomgate's durability contract, with a cache of prepared statements.
// Internal to src/store.
//
// Open sets, on every connection:
//   - journal_mode=WAL: readers do not block the writer, and a commit is one
//     append to the log (Open fails if the file system cannot do WAL, rather
//     than silently running with weaker guarantees);
//   - synchronous=FULL: the log is fsync'd at every commit, so a write that
//     returned OK survives kill -9 and power loss (NORMAL would only survive
//     the former);
//   - foreign_keys=ON: SQLite ignores REFERENCES clauses unless asked;
//   - a busy timeout, so a second process (the CLI beside the server) waits
//     for the write lock instead of failing at once.
//
// Statements are compiled once per SQL text and reused: parsing and planning
// cost more than running a point lookup, and GetRoomCode is on the token
// endpoint's hot path.
//
// Thread-safety: none. The connection is opened with SQLITE_OPEN_NOMUTEX and
// must be used by one thread at a time (SqliteStore holds a mutex).
#ifndef ROOMGATE_STORE_SQLITE_CONNECTION_H_
#define ROOMGATE_STORE_SQLITE_CONNECTION_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "roomgate/status.h"
#include "store/sqlite_statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace roomgate::store {

class SqliteConnection {
 public:
  // How long a write waits for another process's write lock.
  static constexpr int kBusyTimeoutMs = 5000;

  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs `sql` (one or more statements) without caching: DDL and pragmas.
  Status Exec(const char* sql);
  // The cached statement for `sql`, ready to bind. kInternal if the same
  // SQL is already in use further up the stack.
  Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs a query that returns one integer (a count, a pragma).
  Result<int64_t> QueryInt(std::string_view sql);

  sqlite3* handle() const { return db_; }

 private:
  struct Cached;
  // Lets the cache be searched with a string_view, without building a string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  explicit SqliteConnection(sqlite3* db);  // out of line: Cached is incomplete here
  Status Configure();

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Cached>, Hash, std::equal_to<>> cache_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_CONNECTION_H_
