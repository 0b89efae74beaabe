#include "store/sqlite_statement.h"

#include <sqlite3.h>

#include "store/sqlite_error.h"

namespace roomgate::store {

SqliteStatement::SqliteStatement(sqlite3_stmt* stmt, bool* in_use) : stmt_(stmt), in_use_(in_use) {
  *in_use_ = true;
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(other.stmt_), in_use_(other.in_use_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void SqliteStatement::BindInt(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStatement::BindText(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: callers may bind temporaries.
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStatement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStatement::BindOptionalBool(int index, const std::optional<bool>& value) {
  if (value) {
    BindBool(index, *value);
  } else {
    BindNull(index);
  }
}

void SqliteStatement::BindOptionalInt(int index, const std::optional<int64_t>& value) {
  if (value) {
    BindInt(index, *value);
  } else {
    BindNull(index);
  }
}

void SqliteStatement::BindOptionalText(int index, const std::optional<std::string>& value) {
  if (value) {
    BindText(index, *value);
  } else {
    BindNull(index);
  }
}

Result<bool> SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteStatus(bind_rc_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc);
}

Status SqliteStatement::Run() {
  if (bind_rc_ != SQLITE_OK) return SqliteStatus(bind_rc_);
  int rc;
  do {
    rc = sqlite3_step(stmt_);
  } while (rc == SQLITE_ROW);
  return SqliteStatus(rc);
}

int64_t SqliteStatement::Changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

int64_t SqliteStatement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string SqliteStatement::ColumnText(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

}  // namespace roomgate::store
