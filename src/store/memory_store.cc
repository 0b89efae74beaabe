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

}  // namespace roomgate::store
