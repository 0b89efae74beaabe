// SqliteStore: the embedded default Store, one SQLite file in roomgate's data
// folder. See store.h for the contract; sqlite_connection.h for the
// durability settings; sqlite_schema.h for migrations.
//
// Thread-safety: every method may be called from any thread. One connection
// is shared by all threads under one mutex. SQLite serialises writers anyway,
// and a point lookup on a cached statement takes a few microseconds, so a
// pool of reader connections would add contention points and complexity for
// little gain at roomgate's scale. Modify* call `fn` while holding the lock:
// `fn` must not call back into the store.
#ifndef ROOMGATE_STORE_SQLITE_STORE_H_
#define ROOMGATE_STORE_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite_connection.h"
#include "store/sqlite_room_codes.h"
#include "store/sqlite_rooms.h"
#include "store/sqlite_sessions.h"
#include "store/sqlite_templates.h"
#include "store/store.h"

namespace roomgate::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates its
  // schema. kFailedPrecondition for a file from a newer roomgate or a file
  // system without WAL support; kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  Status CreateTemplate(const Template& t) override;
  Result<Template> GetTemplate(const TemplateId& id) override;
  Result<std::optional<Template>> FindTemplateByName(const std::string& name) override;
  Result<Page<Template>> ListTemplates(const PageRequest& page) override;
  Result<Template> ModifyTemplate(const TemplateId& id,
                                  const std::function<Status(Template&)>& fn) override;

  Status CreateRoom(const Room& room) override;
  Result<Room> GetRoom(const RoomId& id) override;
  Result<std::optional<Room>> FindRoomByName(const std::string& name) override;
  Result<Page<Room>> ListRooms(const RoomFilter& filter, const PageRequest& page) override;
  Result<Room> ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) override;

  Status CreateRoomCodes(const std::vector<RoomCode>& codes, size_t max_per_room) override;
  Result<RoomCode> GetRoomCode(const RoomCodeText& code) override;
  Result<Page<RoomCode>> ListRoomCodes(const RoomId& room, const RoomCodeFilter& filter,
                                       const PageRequest& page) override;
  Result<RoomCode> SetRoomCodeEnabled(const RoomCodeText& code, bool enabled,
                                      UnixSeconds now) override;
  Result<size_t> SetRoleCodesEnabled(const RoomId& room, const RoleName& role, bool enabled,
                                     UnixSeconds now) override;

  Status RecordSessionEvents(const std::vector<SessionEvent>& events) override;
  Result<SessionRecord> GetSession(const SessionId& id) override;
  Result<Page<SessionRecord>> ListSessions(const SessionFilter& filter,
                                           const PageRequest& page) override;
  Result<size_t> EndActiveSessions(UnixSeconds now) override;

 private:
  explicit SqliteStore(std::unique_ptr<SqliteConnection> db)
      : db_(std::move(db)), templates_(*db_), rooms_(*db_), codes_(*db_), sessions_(*db_) {}

  std::mutex mu_;
  // All guarded by mu_: the tables use db_.
  std::unique_ptr<SqliteConnection> db_;
  SqliteTemplates templates_;
  SqliteRooms rooms_;
  SqliteRoomCodes codes_;
  SqliteSessions sessions_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_STORE_H_
