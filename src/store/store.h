// The store: where templates, rooms and room codes live. Narrow interfaces,
// one per aggregate, so each service depends only on what it uses; one
// backend object (SQLite, in-memory, later PostgreSQL) implements all three.
// The composition root (src/server/) picks the backend.
//
// Contract shared by every backend (checked by store_conformance_test.cc):
//   - Every method is atomic. A write that returned OK is durable (for
//     SQLite: committed with synchronous=FULL in WAL mode, so it survives
//     kill -9 and power loss).
//   - Errors: kNotFound for a missing object, kAlreadyExists for a unique
//     key taken, kResourceExhausted for a limit reached, kInvalidArgument for
//     a bad page cursor, kInternal / kUnavailable for backend failures
//     (messages name no secret and no SQL).
//   - Lists are in creation order. A page holds at most `limit` items;
//     `last` is the id (code, for room codes) of the last item, or "" when the
//     page is empty; passing it as `start` continues after that item.
//   - Modify* runs `fn` on the current value inside the backend's
//     transaction: read-modify-write without lost updates. If `fn` returns an
//     error, nothing is written and that error is returned.
//
// Thread-safety: every method may be called from any thread concurrently.
#ifndef ROOMGATE_STORE_STORE_H_
#define ROOMGATE_STORE_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "roomgate/status.h"
#include "rooms/model.h"
#include "rooms/session_record.h"

namespace roomgate::store {

struct PageRequest {
  size_t limit = 10;
  std::string start;  // continue after the item with this id; "" = from the beginning
};

template <typename T>
struct Page {
  std::vector<T> data;
  std::string last;
};

class TemplateStore {
 public:
  virtual ~TemplateStore() = default;
  // Inserts `t` (its id must be new; kAlreadyExists when the id or the name
  // is taken).
  virtual Status CreateTemplate(const Template& t) = 0;
  virtual Result<Template> GetTemplate(const TemplateId& id) = 0;
  // Exact, case-sensitive name match; nullopt when there is none.
  virtual Result<std::optional<Template>> FindTemplateByName(const std::string& name) = 0;
  virtual Result<Page<Template>> ListTemplates(const PageRequest& page) = 0;
  // `fn` may change anything but the id; a name change that collides with
  // another template fails with kAlreadyExists.
  virtual Result<Template> ModifyTemplate(const TemplateId& id,
                                          const std::function<Status(Template&)>& fn) = 0;
};

struct RoomFilter {
  std::optional<bool> enabled;
  std::optional<std::string> name;  // case-insensitive exact match
  std::optional<TemplateId> template_id;
  std::optional<UnixSeconds> created_after;   // created_at > this
  std::optional<UnixSeconds> created_before;  // created_at < this
};

class RoomStore {
 public:
  virtual ~RoomStore() = default;
  // kAlreadyExists when the id, or the name compared case-insensitively
  // (ASCII), is taken.
  virtual Status CreateRoom(const Room& room) = 0;
  virtual Result<Room> GetRoom(const RoomId& id) = 0;
  virtual Result<std::optional<Room>> FindRoomByName(const std::string& name) = 0;
  virtual Result<Page<Room>> ListRooms(const RoomFilter& filter, const PageRequest& page) = 0;
  virtual Result<Room> ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) = 0;
};

struct RoomCodeFilter {
  std::optional<RoleName> role;
  std::optional<bool> enabled;
};

class RoomCodeStore {
 public:
  virtual ~RoomCodeStore() = default;
  // Inserts all codes or none. kAlreadyExists if any code is taken (the
  // caller draws new ones); kResourceExhausted if the room would then have
  // more than `max_per_room` codes in total (enabled or not).
  virtual Status CreateRoomCodes(const std::vector<RoomCode>& codes, size_t max_per_room) = 0;
  virtual Result<RoomCode> GetRoomCode(const RoomCodeText& code) = 0;
  virtual Result<Page<RoomCode>> ListRoomCodes(const RoomId& room, const RoomCodeFilter& filter,
                                               const PageRequest& page) = 0;
  // Sets `enabled` and `updated_at` of one code; returns the updated code.
  virtual Result<RoomCode> SetRoomCodeEnabled(const RoomCodeText& code, bool enabled,
                                              UnixSeconds now) = 0;
  // Sets `enabled` on every code of (room, role); returns how many changed.
  virtual Result<size_t> SetRoleCodesEnabled(const RoomId& room, const RoleName& role, bool enabled,
                                             UnixSeconds now) = 0;
};

struct SessionFilter {
  std::optional<RoomId> room_id;
  std::optional<bool> active;
  std::optional<UnixSeconds> created_after;   // created_at > this
  std::optional<UnixSeconds> created_before;  // created_at < this
};

// The history of live sessions. Written in batches by the session recorder
// (src/sessions/session_recorder.h), read by GET /v2/sessions.
class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Applies `events` in order, all or nothing, in one transaction. An event
  // for an unknown session or peer is skipped rather than failing the batch:
  // history is best kept whole, and the live session is the authority.
  virtual Status RecordSessionEvents(const std::vector<SessionEvent>& events) = 0;
  // The session with all its peers; kNotFound if unknown.
  virtual Result<SessionRecord> GetSession(const SessionId& id) = 0;
  // Sessions (with their peers) in creation order; `last` is a session id.
  virtual Result<Page<SessionRecord>> ListSessions(const SessionFilter& filter,
                                                   const PageRequest& page) = 0;
  // Marks every active session inactive at `now`, giving its present peers
  // left_at = now; returns how many sessions it ended. Run at start-up: a
  // session still active then was cut off by a crash, and no process is
  // running it any more.
  virtual Result<size_t> EndActiveSessions(UnixSeconds now) = 0;
};

// One object that is all the stores (what backends implement).
class Store : public TemplateStore, public RoomStore, public RoomCodeStore, public SessionStore {};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_STORE_H_
