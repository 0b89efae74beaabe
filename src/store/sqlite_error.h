// Maps SQLite result codes to Status. Internal to src/store.
//
// Clients see these messages through the API, so they carry SQLite's generic
// description of the result code (sqlite3_errstr: "disk I/O error") and
// never sqlite3_errmsg, which can quote SQL, table and column names.
//
// Thread-safety: free functions without shared state.
#ifndef ROOMGATE_STORE_SQLITE_ERROR_H_
#define ROOMGATE_STORE_SQLITE_ERROR_H_

#include "roomgate/status.h"

namespace roomgate::store {

// A unique or primary-key violation becomes kAlreadyExists (the caller
// usually replaces the message with one naming the object); busy and locked
// become kUnavailable (another process held the write lock past the busy
// timeout: worth a retry); everything else is kInternal.
Status SqliteStatus(int rc);

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_ERROR_H_
