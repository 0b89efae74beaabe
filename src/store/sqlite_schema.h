// The SQLite schema and its migrations. Internal to src/store.
//
// The schema version is PRAGMA user_version: 0 for a new file, N once the
// first N migration steps have run. Open applies the missing steps, in order,
// in one IMMEDIATE transaction, so a crash mid-migration leaves the old
// schema and two processes opening a new file do not both migrate it.
// Steps are append-only: a released step is never edited, a change is a new
// step.
//
// A file whose version is above what this build knows was written by a newer
// roomgate; opening it is refused, because this code cannot know what the
// newer columns or tables mean (and writing could corrupt them).
//
// Thread-safety: call on a connection no other thread is using.
#ifndef ROOMGATE_STORE_SQLITE_SCHEMA_H_
#define ROOMGATE_STORE_SQLITE_SCHEMA_H_

#include <cstdint>

#include "roomgate/status.h"
#include "store/sqlite_connection.h"

namespace roomgate::store {

// The version this build migrates to (the number of migration steps).
int64_t LatestSchemaVersion();

// Brings `db` to LatestSchemaVersion(). kFailedPrecondition, naming both
// versions, for a file from a newer roomgate.
Status MigrateSchema(SqliteConnection& db);

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_SCHEMA_H_
