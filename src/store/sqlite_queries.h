// Query patterns the SQLite table classes share: reading one row, reading a
// page, resolving a page cursor and read-modify-write. Internal to
// src/store.
//
// Thread-safety: none; used under SqliteStore's lock.
#ifndef ROOMGATE_STORE_SQLITE_QUERIES_H_
#define ROOMGATE_STORE_SQLITE_QUERIES_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "roomgate/status.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_transaction.h"
#include "store/store.h"
#include "store/store_errors.h"

namespace roomgate::store {

// A page limit as an SQL parameter (size_t may not fit in int64).
inline int64_t LimitParam(size_t limit) {
  constexpr auto kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(limit < kMax ? limit : kMax);
}

// The seq a page starts after: 0 for an empty `start`, else the seq
// `seq_sql` returns with `start` bound to ?1 (and `scope`, when given, to
// ?2); kInvalidArgument when it returns no row.
Result<int64_t> StartSeq(SqliteConnection& db, std::string_view seq_sql, const std::string& start,
                         const std::string* scope = nullptr);

// Runs a bound INSERT or UPDATE; a unique-key violation becomes
// kAlreadyExists naming `what` ("room id or name") instead of SQLite's
// message, which names tables and columns.
Status RunWrite(SqliteStatement& st, const std::string& what);

// The row `sql` returns with `key` bound to ?1, read with
// `read(st) -> Result<T>`; nullopt when there is none.
template <typename T, typename Read>
Result<std::optional<T>> FindOne(SqliteConnection& db, std::string_view sql, std::string_view key,
                                 Read read) {
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.error();
  st->BindText(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<T>();
  Result<T> item = read(*st);
  if (!item.ok()) return item.error();
  return std::optional<T>(std::move(*item));
}

// FindOne, with kNotFound naming `what` when there is no row.
template <typename T, typename Read>
Result<T> GetOne(SqliteConnection& db, std::string_view sql, std::string_view key, Read read,
                 const std::string& what) {
  auto found = FindOne<T>(db, sql, key, read);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return NotFoundError(what);
  return std::move(**found);
}

// Every row of a bound statement as a page; `key(item)` gives `last`.
template <typename T, typename Read, typename Key>
Result<Page<T>> ReadPage(SqliteStatement& st, Read read, Key key) {
  Page<T> page;
  for (;;) {
    auto row = st.Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Result<T> item = read(st);
    if (!item.ok()) return item.error();
    page.data.push_back(std::move(*item));
  }
  if (!page.data.empty()) page.last = key(page.data.back()).str();
  return page;
}

// Modify*'s contract in one IMMEDIATE transaction: `get()` the current value,
// let `fn` change a copy, refuse an id change, `put(value)`, commit. Any
// error returns before the commit, so the transaction rolls back.
template <typename T, typename Get, typename Put>
Result<T> ReadModifyWrite(SqliteConnection& db, const std::string& what, Get get,
                          const std::function<Status(T&)>& fn, Put put) {
  auto txn = SqliteTransaction::Begin(db);
  if (!txn.ok()) return txn.error();
  Result<T> current = get();
  if (!current.ok()) return current.error();
  T value = *current;
  if (Status s = fn(value); !s.ok()) return s;
  if (value.id != current->id) return IdChangedError(what);
  if (Status s = put(value); !s.ok()) return s;
  if (Status s = txn->Commit(); !s.ok()) return s;
  return value;
}

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_QUERIES_H_
