// Helpers for the SQLite store's own tests (not the conformance suite, which
// goes through the Store interface only). Internal to src/store tests.
#ifndef ROOMGATE_STORE_SQLITE_TEST_UTIL_H_
#define ROOMGATE_STORE_SQLITE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sqlite_store.h"

namespace roomgate::store::testing {

inline std::unique_ptr<SqliteStore> MustOpen(const std::string& path) {
  auto store = SqliteStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.error().message();
  return store.ok() ? std::move(*store) : nullptr;
}

// Runs `sql` on its own raw connection, as an operator's sqlite3 shell would.
inline void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

}  // namespace roomgate::store::testing

#endif  // ROOMGATE_STORE_SQLITE_TEST_UTIL_H_
