#include "store/memory_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "store/store_errors.h"

namespace roomgate::store {
namespace {

std::string ExactName(const std::string& name) { return name; }

// ASCII-only folding, as SQLite's NOCASE and as 100ms compare room names.
std::string FoldedName(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool RoomMatches(const RoomFilter& f, const Room& r) {
  return (!f.enabled || r.enabled == *f.enabled) &&
         (!f.name || FoldedName(r.name) == FoldedName(*f.name)) &&
         (!f.template_id || r.template_id == *f.template_id) &&
         (!f.created_after || r.created_at > *f.created_after) &&
         (!f.created_before || r.created_at < *f.created_before);
}

bool CodeMatches(const RoomCodeFilter& f, const RoomCode& c) {
  return (!f.role || c.role == *f.role) && (!f.enabled || c.enabled == *f.enabled);
}

bool SessionMatches(const SessionFilter& f, const SessionRecord& s) {
  return (!f.room_id || s.room_id == *f.room_id) && (!f.active || s.active == *f.active) &&
         (!f.created_after || s.created_at > *f.created_after) &&
         (!f.created_before || s.created_at < *f.created_before);
}

// Ends `session` at `at`: what kEnded and EndActiveSessions share.
void EndSession(SessionRecord& session, UnixSeconds at) {
  session.active = false;
  session.updated_at = at;
  for (auto& [id, peer] : session.peers) {
    if (!peer.left_at) peer.left_at = at;
  }
}

// Applies a peer event or kEnded to a known session; false when the event
// names an unknown peer and is skipped.
bool ApplyToSession(SessionRecord& session, const SessionEvent& event) {
  using Kind = SessionEvent::Kind;
  if (event.kind == Kind::kEnded) {
    EndSession(session, event.at);
    return true;
  }
  if (event.kind == Kind::kPeerJoined) {
    // A join of a known peer id replaces it: the latest join wins.
    SessionPeerRecord peer = event.peer;
    peer.session_id = session.id;
    peer.joined_at = event.at;
    peer.left_at.reset();
    session.peers.insert_or_assign(peer.id.str(), std::move(peer));
    return true;
  }
  auto it = session.peers.find(event.peer.id.str());
  if (it == session.peers.end()) return false;
  if (event.kind == Kind::kPeerUpdated) {
    it->second.name = event.peer.name;
    it->second.role = event.peer.role;
  } else if (event.kind == Kind::kPeerLeft) {
    it->second.left_at = event.at;
  }
  return true;
}

}  // namespace

MemoryStore::MemoryStore() : templates_("template", ExactName), rooms_("room", FoldedName) {}

Status MemoryStore::CreateTemplate(const Template& t) {
  std::lock_guard lock(mu_);
  return templates_.Insert(t);
}

Result<Template> MemoryStore::GetTemplate(const TemplateId& id) {
  std::lock_guard lock(mu_);
  return templates_.Get(id.str());
}

Result<std::optional<Template>> MemoryStore::FindTemplateByName(const std::string& name) {
  std::lock_guard lock(mu_);
  return templates_.FindByName(name);
}

Result<Page<Template>> MemoryStore::ListTemplates(const PageRequest& page) {
  std::lock_guard lock(mu_);
  return templates_.List(page, [](const Template&) { return true; });
}

Result<Template> MemoryStore::ModifyTemplate(const TemplateId& id,
                                             const std::function<Status(Template&)>& fn) {
  std::lock_guard lock(mu_);
  return templates_.Modify(id.str(), fn);
}

Status MemoryStore::CreateRoom(const Room& room) {
  std::lock_guard lock(mu_);
  return rooms_.Insert(room);
}

Result<Room> MemoryStore::GetRoom(const RoomId& id) {
  std::lock_guard lock(mu_);
  return rooms_.Get(id.str());
}

Result<std::optional<Room>> MemoryStore::FindRoomByName(const std::string& name) {
  std::lock_guard lock(mu_);
  return rooms_.FindByName(name);
}

Result<Page<Room>> MemoryStore::ListRooms(const RoomFilter& filter, const PageRequest& page) {
  std::lock_guard lock(mu_);
  return rooms_.List(page, [&filter](const Room& r) { return RoomMatches(filter, r); });
}

Result<Room> MemoryStore::ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) {
  std::lock_guard lock(mu_);
  return rooms_.Modify(id.str(), fn);
}

const std::vector<size_t>& MemoryStore::CodesOfRoom(const RoomId& room) const {
  static const std::vector<size_t> kNone;
  auto it = room_codes_.find(room.str());
  return it == room_codes_.end() ? kNone : it->second;
}

Status MemoryStore::CheckNewCodes(const std::vector<RoomCode>& codes, size_t max_per_room) const {
  std::map<RoomId, size_t> added;
  for (const RoomCode& c : codes) ++added[c.room_id];
  for (const auto& [room, count] : added) {
    if (CodesOfRoom(room).size() + count > max_per_room) return TooManyCodesError();
  }
  std::set<std::string> batch;
  for (const RoomCode& c : codes) {
    if (code_index_.count(c.code.str()) > 0 || !batch.insert(c.code.str()).second) {
      return AlreadyExistsError("room code");
    }
  }
  return Status::Ok();
}

Status MemoryStore::CreateRoomCodes(const std::vector<RoomCode>& codes, size_t max_per_room) {
  std::lock_guard lock(mu_);
  if (Status s = CheckNewCodes(codes, max_per_room); !s.ok()) return s;
  for (const RoomCode& c : codes) {
    code_index_.emplace(c.code.str(), codes_.size());
    room_codes_[c.room_id.str()].push_back(codes_.size());
    codes_.push_back(c);
  }
  return Status::Ok();
}

Result<RoomCode> MemoryStore::GetRoomCode(const RoomCodeText& code) {
  std::lock_guard lock(mu_);
  auto it = code_index_.find(code.str());
  if (it == code_index_.end()) return NotFoundError("room code");
  return codes_[it->second];
}

Result<Page<RoomCode>> MemoryStore::ListRoomCodes(const RoomId& room, const RoomCodeFilter& filter,
                                                  const PageRequest& page) {
  std::lock_guard lock(mu_);
  const std::vector<size_t>& positions = CodesOfRoom(room);
  size_t begin = 0;
  if (!page.start.empty()) {
    auto it = code_index_.find(page.start);
    if (it == code_index_.end() || codes_[it->second].room_id != room) {
      return UnknownCursorError();
    }
    // positions ascend (creation order), so the start is found by bisection.
    begin =
        std::lower_bound(positions.begin(), positions.end(), it->second) - positions.begin() + 1;
  }
  return CollectPage<RoomCode>(
      begin, positions.size(), page.limit,
      [&](size_t i) -> const RoomCode& { return codes_[positions[i]]; },
      [&filter](const RoomCode& c) { return CodeMatches(filter, c); },
      [](const RoomCode& c) { return c.code; });
}

Result<RoomCode> MemoryStore::SetRoomCodeEnabled(const RoomCodeText& code, bool enabled,
                                                 UnixSeconds now) {
  std::lock_guard lock(mu_);
  auto it = code_index_.find(code.str());
  if (it == code_index_.end()) return NotFoundError("room code");
  RoomCode& c = codes_[it->second];
  c.enabled = enabled;
  c.updated_at = now;
  return c;
}

Result<size_t> MemoryStore::SetRoleCodesEnabled(const RoomId& room, const RoleName& role,
                                                bool enabled, UnixSeconds now) {
  std::lock_guard lock(mu_);
  size_t changed = 0;
  for (size_t position : CodesOfRoom(room)) {
    RoomCode& c = codes_[position];
    if (c.role != role || c.enabled == enabled) continue;
    c.enabled = enabled;
    c.updated_at = now;
    ++changed;
  }
  return changed;
}

void MemoryStore::ApplySessionEvent(const SessionEvent& event) {
  auto it = session_index_.find(event.session_id.str());
  if (event.kind == SessionEvent::Kind::kStarted) {
    // A repeated start (a retried batch) keeps the session recorded first.
    if (it != session_index_.end()) return;
    SessionRecord session;
    session.id = event.session_id;
    session.room_id = event.room_id;
    session.created_at = event.at;
    session.updated_at = event.at;
    session_index_.emplace(session.id.str(), sessions_.size());
    sessions_.push_back(std::move(session));
    return;
  }
  if (it == session_index_.end()) return;
  SessionRecord& session = sessions_[it->second];
  if (ApplyToSession(session, event)) session.updated_at = event.at;
}

Status MemoryStore::RecordSessionEvents(const std::vector<SessionEvent>& events) {
  std::lock_guard lock(mu_);
  // No event can fail (unknown ones are skipped), so applying them one by one
  // under the lock is all or nothing.
  for (const SessionEvent& event : events) ApplySessionEvent(event);
  return Status::Ok();
}

Result<SessionRecord> MemoryStore::GetSession(const SessionId& id) {
  std::lock_guard lock(mu_);
  auto it = session_index_.find(id.str());
  if (it == session_index_.end()) return NotFoundError("session");
  return sessions_[it->second];
}

Result<Page<SessionRecord>> MemoryStore::ListSessions(const SessionFilter& filter,
                                                      const PageRequest& page) {
  std::lock_guard lock(mu_);
  size_t begin = 0;
  if (!page.start.empty()) {
    auto it = session_index_.find(page.start);
    if (it == session_index_.end()) return UnknownCursorError();
    begin = it->second + 1;
  }
  return CollectPage<SessionRecord>(
      begin, sessions_.size(), page.limit,
      [this](size_t i) -> const SessionRecord& { return sessions_[i]; },
      [&filter](const SessionRecord& s) { return SessionMatches(filter, s); },
      [](const SessionRecord& s) { return s.id; });
}

Result<size_t> MemoryStore::EndActiveSessions(UnixSeconds now) {
  std::lock_guard lock(mu_);
  size_t ended = 0;
  for (SessionRecord& session : sessions_) {
    if (!session.active) continue;
    EndSession(session, now);
    ++ended;
  }
  return ended;
}

}  // namespace roomgate::store
