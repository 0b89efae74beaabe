// SqliteRooms: the rooms table behind SqliteStore's RoomStore methods.
// Names are unique ignoring ASCII case through a COLLATE NOCASE index, and
// every name comparison says COLLATE NOCASE so it can use that index.
// Internal to src/store.
//
// Thread-safety: none; SqliteStore calls it under its lock.
#ifndef ROOMGATE_STORE_SQLITE_ROOMS_H_
#define ROOMGATE_STORE_SQLITE_ROOMS_H_

#include <functional>
#include <optional>
#include <string>

#include "store/sqlite_connection.h"
#include "store/store.h"

namespace roomgate::store {

class SqliteRooms {
 public:
  explicit SqliteRooms(SqliteConnection& db) : db_(db) {}

  Status Create(const Room& room);
  Result<Room> Get(const RoomId& id);
  Result<std::optional<Room>> FindByName(const std::string& name);
  Result<Page<Room>> List(const RoomFilter& filter, const PageRequest& page);
  Result<Room> Modify(const RoomId& id, const std::function<Status(Room&)>& fn);

 private:
  // Runs the INSERT or UPDATE `sql`, whose parameters ?1..?12 are the
  // columns in schema order.
  Status Write(const char* sql, const Room& room);

  SqliteConnection& db_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_ROOMS_H_
