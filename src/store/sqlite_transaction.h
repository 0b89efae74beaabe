// SqliteTransaction: a write transaction that rolls back unless committed.
// Internal to src/store.
//
// BEGIN IMMEDIATE takes the write lock up front. A plain BEGIN would take it
// at the first write, and a read-then-write transaction could then fail with
// SQLITE_BUSY halfway (after reading) when another process writes first —
// exactly the lost-update window Modify* must close.
//
// Thread-safety: none; lives within one locked call on one connection.
#ifndef ROOMGATE_STORE_SQLITE_TRANSACTION_H_
#define ROOMGATE_STORE_SQLITE_TRANSACTION_H_

#include "roomgate/status.h"
#include "store/sqlite_connection.h"

namespace roomgate::store {

class SqliteTransaction {
 public:
  static Result<SqliteTransaction> Begin(SqliteConnection& db) {
    auto begin = db.Prepare("BEGIN IMMEDIATE");
    if (!begin.ok()) return begin.error();
    if (Status s = begin->Run(); !s.ok()) return s;
    return SqliteTransaction(&db);
  }

  SqliteTransaction(SqliteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  ~SqliteTransaction() {
    if (db_ == nullptr) return;
    // Best effort: if ROLLBACK itself fails, SQLite has already rolled back.
    if (auto rollback = db_->Prepare("ROLLBACK"); rollback.ok()) (void)rollback->Run();
  }

  // Commits; on failure the destructor still rolls back.
  Status Commit() {
    auto commit = db_->Prepare("COMMIT");
    if (!commit.ok()) return commit.error();
    Status s = commit->Run();
    if (s.ok()) db_ = nullptr;
    return s;
  }

 private:
  explicit SqliteTransaction(SqliteConnection* db) : db_(db) {}
  SqliteConnection* db_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_TRANSACTION_H_
