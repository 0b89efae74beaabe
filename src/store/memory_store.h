// MemoryStore: a Store that keeps everything in process memory. The reference
// semantics for the conformance suite and the backend for unit tests of the
// services above the store; nothing survives the process, so it is never the
// production choice.
//
// Thread-safety: every method may be called from any thread; one mutex guards
// all state. Modify* call `fn` while holding it: `fn` must not call back
// into the store.
#ifndef ROOMGATE_STORE_MEMORY_STORE_H_
#define ROOMGATE_STORE_MEMORY_STORE_H_

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/memory_table.h"
#include "store/store.h"

namespace roomgate::store {

class MemoryStore : public Store {
 public:
  MemoryStore();

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
  // Checks CreateRoomCodes' preconditions: the limit, then collisions.
  Status CheckNewCodes(const std::vector<RoomCode>& codes, size_t max_per_room) const;
  const std::vector<size_t>& CodesOfRoom(const RoomId& room) const;
  // Applies one event, or skips it when its session or peer is unknown.
  void ApplySessionEvent(const SessionEvent& event);

  std::mutex mu_;
  // Everything below is guarded by mu_.
  MemoryTable<Template> templates_;
  MemoryTable<Room> rooms_;
  std::vector<RoomCode> codes_;                                      // creation order
  std::unordered_map<std::string, size_t> code_index_;               // code -> position
  std::unordered_map<std::string, std::vector<size_t>> room_codes_;  // room id -> positions
  std::vector<SessionRecord> sessions_;                              // creation order
  std::unordered_map<std::string, size_t> session_index_;            // id -> position
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_MEMORY_STORE_H_
