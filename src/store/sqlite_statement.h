// SqliteStatement: one use of a cached prepared statement — bind, step, read
// columns — that resets the statement when it goes out of scope. Internal
// to src/store; SqliteConnection::Prepare hands these out.
//
// Why reset on scope exit: a statement stepped to a row but not reset keeps
// its read transaction open, which in WAL mode pins old pages and stops
// checkpoints. Tying the reset to scope makes that impossible to forget.
//
// Bind errors (SQLITE_RANGE, SQLITE_NOMEM) are kept and reported by the next
// Step/Run, so call sites bind without checking each call.
//
// Thread-safety: none; used under the owning connection's lock.
#ifndef ROOMGATE_STORE_SQLITE_STATEMENT_H_
#define ROOMGATE_STORE_SQLITE_STATEMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "roomgate/status.h"

struct sqlite3_stmt;

namespace roomgate::store {

class SqliteStatement {
 public:
  // `in_use` is the cache's flag for this statement: set while a
  // SqliteStatement holds it, so a nested use of the same SQL is caught.
  SqliteStatement(sqlite3_stmt* stmt, bool* in_use);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite (`?1`).
  void BindInt(int index, int64_t value);
  void BindBool(int index, bool value) { BindInt(index, value ? 1 : 0); }
  void BindText(int index, std::string_view value);
  void BindNull(int index);
  void BindOptionalBool(int index, const std::optional<bool>& value);
  void BindOptionalInt(int index, const std::optional<int64_t>& value);
  void BindOptionalText(int index, const std::optional<std::string>& value);

  // Steps once: true when a row is ready to read, false when done.
  Result<bool> Step();
  // Steps to the end, for statements that return no rows (or whose further
  // rows the caller does not want).
  Status Run();
  // Rows changed by the last Run of an INSERT, UPDATE or DELETE.
  int64_t Changes() const;

  // Columns are 0-based, as in SQLite.
  int64_t ColumnInt(int col) const;
  bool ColumnBool(int col) const { return ColumnInt(col) != 0; }
  std::string ColumnText(int col) const;

 private:
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int bind_rc_ = 0;  // SQLITE_OK
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_STATEMENT_H_
