#include "store/sqlite_store.h"

#include "store/sqlite_schema.h"

namespace roomgate::store {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto db = SqliteConnection::Open(path);
  if (!db.ok()) return db.error();
  if (Status s = MigrateSchema(**db); !s.ok()) return s;
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db)));
}

Status SqliteStore::CreateTemplate(const Template& t) {
  std::lock_guard lock(mu_);
  return templates_.Create(t);
}

Result<Template> SqliteStore::GetTemplate(const TemplateId& id) {
  std::lock_guard lock(mu_);
  return templates_.Get(id);
}

Result<std::optional<Template>> SqliteStore::FindTemplateByName(const std::string& name) {
  std::lock_guard lock(mu_);
  return templates_.FindByName(name);
}

Result<Page<Template>> SqliteStore::ListTemplates(const PageRequest& page) {
  std::lock_guard lock(mu_);
  return templates_.List(page);
}

Result<Template> SqliteStore::ModifyTemplate(const TemplateId& id,
                                             const std::function<Status(Template&)>& fn) {
  std::lock_guard lock(mu_);
  return templates_.Modify(id, fn);
}

Status SqliteStore::CreateRoom(const Room& room) {
  std::lock_guard lock(mu_);
  return rooms_.Create(room);
}

Result<Room> SqliteStore::GetRoom(const RoomId& id) {
  std::lock_guard lock(mu_);
  return rooms_.Get(id);
}

Result<std::optional<Room>> SqliteStore::FindRoomByName(const std::string& name) {
  std::lock_guard lock(mu_);
  return rooms_.FindByName(name);
}

Result<Page<Room>> SqliteStore::ListRooms(const RoomFilter& filter, const PageRequest& page) {
  std::lock_guard lock(mu_);
  return rooms_.List(filter, page);
}

Result<Room> SqliteStore::ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) {
  std::lock_guard lock(mu_);
  return rooms_.Modify(id, fn);
}

Status SqliteStore::CreateRoomCodes(const std::vector<RoomCode>& codes, size_t max_per_room) {
  std::lock_guard lock(mu_);
  return codes_.Create(codes, max_per_room);
}

Result<RoomCode> SqliteStore::GetRoomCode(const RoomCodeText& code) {
  std::lock_guard lock(mu_);
  return codes_.Get(code);
}

Result<Page<RoomCode>> SqliteStore::ListRoomCodes(const RoomId& room, const RoomCodeFilter& filter,
                                                  const PageRequest& page) {
  std::lock_guard lock(mu_);
  return codes_.List(room, filter, page);
}

Result<RoomCode> SqliteStore::SetRoomCodeEnabled(const RoomCodeText& code, bool enabled,
                                                 UnixSeconds now) {
  std::lock_guard lock(mu_);
  return codes_.SetEnabled(code, enabled, now);
}

Result<size_t> SqliteStore::SetRoleCodesEnabled(const RoomId& room, const RoleName& role,
                                                bool enabled, UnixSeconds now) {
  std::lock_guard lock(mu_);
  return codes_.SetRoleEnabled(room, role, enabled, now);
}

Status SqliteStore::RecordSessionEvents(const std::vector<SessionEvent>& events) {
  std::lock_guard lock(mu_);
  return sessions_.Record(events);
}

Result<SessionRecord> SqliteStore::GetSession(const SessionId& id) {
  std::lock_guard lock(mu_);
  return sessions_.Get(id);
}

Result<Page<SessionRecord>> SqliteStore::ListSessions(const SessionFilter& filter,
                                                      const PageRequest& page) {
  std::lock_guard lock(mu_);
  return sessions_.List(filter, page);
}

Result<size_t> SqliteStore::EndActiveSessions(UnixSeconds now) {
  std::lock_guard lock(mu_);
  return sessions_.EndActive(now);
}

}  // namespace roomgate::store
