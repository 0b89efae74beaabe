#include "store/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace roomgate::store {
namespace {

bool IsUniqueViolation(int rc) {
  return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

}  // namespace

Status SqliteStatus(int rc) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  if (IsUniqueViolation(rc)) return Status(Status::Code::kAlreadyExists, "already exists");
  const std::string detail = sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status(Status::Code::kUnavailable, "store busy: " + detail);
  }
  return Status::Internal("store error: " + detail);
}

}  // namespace roomgate::store
