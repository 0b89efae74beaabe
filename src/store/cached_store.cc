#include "store/cached_store.h"

#include <mutex>

namespace roomgate::store {

CachedStore::CachedStore(Store& inner, size_t max_entries)
    : inner_(inner), max_entries_(max_entries) {}

template <typename T, typename Load>
Result<T> CachedStore::ReadThrough(Map<T>& map, const std::string& key, Load load) {
  {
    std::shared_lock lock(mu_);
    auto it = map.find(key);
    if (it != map.end()) return it->second;
  }
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  Result<T> loaded = load();
  if (!loaded.ok()) return loaded;
  std::unique_lock lock(mu_);
  // A write since we started may have changed what we read: do not cache it.
  if (generation_.load(std::memory_order_relaxed) == generation) {
    if (map.size() >= max_entries_) map.clear();
    map.insert_or_assign(key, *loaded);
  }
  return loaded;
}

void CachedStore::Invalidate() {
  std::unique_lock lock(mu_);
  generation_.fetch_add(1, std::memory_order_release);
  templates_.clear();
  rooms_.clear();
  codes_.clear();
}

Status CachedStore::CreateTemplate(const Template& t) {
  return WriteThrough(inner_.CreateTemplate(t));
}
Result<Template> CachedStore::ModifyTemplate(const TemplateId& id,
                                             const std::function<Status(Template&)>& fn) {
  return WriteThrough(inner_.ModifyTemplate(id, fn));
}
Status CachedStore::CreateRoom(const Room& room) { return WriteThrough(inner_.CreateRoom(room)); }
Result<Room> CachedStore::ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) {
  return WriteThrough(inner_.ModifyRoom(id, fn));
}
Status CachedStore::CreateRoomCodes(const std::vector<RoomCode>& codes, size_t max_per_room) {
  return WriteThrough(inner_.CreateRoomCodes(codes, max_per_room));
}
Result<RoomCode> CachedStore::SetRoomCodeEnabled(const RoomCodeText& code, bool enabled,
                                                 UnixSeconds now) {
  return WriteThrough(inner_.SetRoomCodeEnabled(code, enabled, now));
}
Result<size_t> CachedStore::SetRoleCodesEnabled(const RoomId& room, const RoleName& role,
                                                bool enabled, UnixSeconds now) {
  return WriteThrough(inner_.SetRoleCodesEnabled(room, role, enabled, now));
}

Result<Template> CachedStore::GetTemplate(const TemplateId& id) {
  return ReadThrough(templates_, id.str(), [&] { return inner_.GetTemplate(id); });
}
Result<Room> CachedStore::GetRoom(const RoomId& id) {
  return ReadThrough(rooms_, id.str(), [&] { return inner_.GetRoom(id); });
}
Result<RoomCode> CachedStore::GetRoomCode(const RoomCodeText& code) {
  return ReadThrough(codes_, code.str(), [&] { return inner_.GetRoomCode(code); });
}

// Lists and name look-ups are admin paths: not cached.
Result<std::optional<Template>> CachedStore::FindTemplateByName(const std::string& name) {
  return inner_.FindTemplateByName(name);
}
Result<Page<Template>> CachedStore::ListTemplates(const PageRequest& page) {
  return inner_.ListTemplates(page);
}
Result<std::optional<Room>> CachedStore::FindRoomByName(const std::string& name) {
  return inner_.FindRoomByName(name);
}
Result<Page<Room>> CachedStore::ListRooms(const RoomFilter& filter, const PageRequest& page) {
  return inner_.ListRooms(filter, page);
}
Result<Page<RoomCode>> CachedStore::ListRoomCodes(const RoomId& room, const RoomCodeFilter& filter,
                                                  const PageRequest& page) {
  return inner_.ListRoomCodes(room, filter, page);
}

// Sessions touch none of the cached objects, so they neither read through
// nor invalidate.
Status CachedStore::RecordSessionEvents(const std::vector<SessionEvent>& events) {
  return inner_.RecordSessionEvents(events);
}
Result<SessionRecord> CachedStore::GetSession(const SessionId& id) { return inner_.GetSession(id); }
Result<Page<SessionRecord>> CachedStore::ListSessions(const SessionFilter& filter,
                                                      const PageRequest& page) {
  return inner_.ListSessions(filter, page);
}
Result<size_t> CachedStore::EndActiveSessions(UnixSeconds now) {
  return inner_.EndActiveSessions(now);
}

}  // namespace roomgate::store
