// SqliteRoomCodes: the room_codes table behind SqliteStore's RoomCodeStore
// methods. Get is the token endpoint's hot path: one cached point lookup on
// the code's unique index. Internal to src/store.
//
// Thread-safety: none; SqliteStore calls it under its lock.
#ifndef ROOMGATE_STORE_SQLITE_ROOM_CODES_H_
#define ROOMGATE_STORE_SQLITE_ROOM_CODES_H_

#include <vector>

#include "store/sqlite_connection.h"
#include "store/store.h"

namespace roomgate::store {

class SqliteRoomCodes {
 public:
  explicit SqliteRoomCodes(SqliteConnection& db) : db_(db) {}

  Status Create(const std::vector<RoomCode>& codes, size_t max_per_room);
  Result<RoomCode> Get(const RoomCodeText& code);
  Result<Page<RoomCode>> List(const RoomId& room, const RoomCodeFilter& filter,
                              const PageRequest& page);
  Result<RoomCode> SetEnabled(const RoomCodeText& code, bool enabled, UnixSeconds now);
  Result<size_t> SetRoleEnabled(const RoomId& room, const RoleName& role, bool enabled,
                                UnixSeconds now);

 private:
  // kResourceExhausted if adding `codes` takes any room past the limit.
  Status CheckLimits(const std::vector<RoomCode>& codes, size_t max_per_room);
  Status Insert(const RoomCode& code);

  SqliteConnection& db_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_ROOM_CODES_H_
