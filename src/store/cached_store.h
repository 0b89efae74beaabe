// CachedStore: a read-through cache in front of another Store for the hot
// lookups of the token endpoint (GetRoomCode, GetRoom, GetTemplate).
//
// Correctness over cleverness: every write through this object, of any kind,
// empties the whole cache, so disabling a code or a room takes effect for the
// very next request. Writes are rare (admin actions); reads are the token
// endpoint. A lookup that raced with a write never repopulates the cache with
// what it read before the write: entries are only inserted if no write
// happened since the lookup started (a generation counter).
//
// Scope: one process. With several roomgate nodes sharing a database, a
// write on another node would not be seen here; such deployments must not
// use this cache (or must add cross-node invalidation).
//
// Thread-safety: all methods may be called concurrently.
#ifndef ROOMGATE_STORE_CACHED_STORE_H_
#define ROOMGATE_STORE_CACHED_STORE_H_

#include <atomic>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "store/store.h"

namespace roomgate::store {

class CachedStore : public Store {
 public:
  // `inner` must outlive this object. Each cache holds at most `max_entries`
  // items and starts over when full.
  explicit CachedStore(Store& inner, size_t max_entries = 100000);

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

  // Sessions pass straight through, uncached: they are written in batches by
  // the recorder and read by an admin list, never on the token path, and
  // caching them would only add invalidation for no latency win.
  Status RecordSessionEvents(const std::vector<SessionEvent>& events) override;
  Result<SessionRecord> GetSession(const SessionId& id) override;
  Result<Page<SessionRecord>> ListSessions(const SessionFilter& filter,
                                           const PageRequest& page) override;
  Result<size_t> EndActiveSessions(UnixSeconds now) override;

 private:
  template <typename T>
  using Map = std::unordered_map<std::string, T>;

  // Looks `key` up in `map`, else loads it from the inner store and caches it
  // (only found objects are cached: a miss may be created a moment later).
  template <typename T, typename Load>
  Result<T> ReadThrough(Map<T>& map, const std::string& key, Load load);
  // Empties every cache; called after every write, successful or not (a
  // failed Modify may still have raced with a successful one elsewhere).
  void Invalidate();
  // Every write: the inner store's result (already computed, as an argument),
  // then invalidation, then the result unchanged.
  template <typename R>
  R WriteThrough(R result) {
    Invalidate();
    return result;
  }

  Store& inner_;
  const size_t max_entries_;
  std::shared_mutex mu_;
  std::atomic<uint64_t> generation_{0};
  Map<Template> templates_;
  Map<Room> rooms_;
  Map<RoomCode> codes_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_CACHED_STORE_H_
