// RoomService: 100ms's validation and upsert rules over the store.
//
// Every write is validated on the value it would store (after the changes are
// applied, inside the store's read-modify-write), so cross-field rules (size
// vs large_room, subscribeToRoles naming roles of the same template) hold for
// every stored object whichever call produced it.
#include "rooms/room_service.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "common/uuid.h"

namespace roomgate::rooms {
namespace {

using Code = Status::Code;

// Limits from 100ms's docs (reference §8, §9).
constexpr size_t kMaxNameLength = 128;
constexpr size_t kMaxRoleNameLength = 64;
constexpr size_t kMaxDescriptionBytes = 1024;
constexpr int64_t kMaxRoomSize = 2500;
constexpr int64_t kMaxLargeRoomSize = 20000;
constexpr int64_t kMinDurationSeconds = 120;
constexpr int64_t kMaxDurationSeconds = 43200;
constexpr int kMinPriority = 1;
constexpr int kMaxPriority = 5;
constexpr std::array<std::string_view, 5> kRegions = {"", "eu", "in", "us", "auto"};
constexpr std::array<std::string_view, 4> kTrackKinds = {"audio", "video", "screen", "simulcast"};

// Room names take 100ms's alphabet; template names the same without ':'.
constexpr std::string_view kRoomNameExtra = ".:_-";
constexpr std::string_view kTemplateNameExtra = "._-";
constexpr std::string_view kRoleNameExtra = "_-";

template <typename Container>
bool Contains(const Container& c, std::string_view v) {
  return std::find(c.begin(), c.end(), v) != c.end();
}

// 1..max characters, each an ASCII letter or digit or one of `extra`. ASCII
// only on purpose: names travel in tokens and URLs, and no locale decides.
bool IsValidName(std::string_view s, size_t max, std::string_view extra) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [extra](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

Status Invalid(std::string_view field, std::string_view rule) {
  return Status::InvalidArgument("'" + std::string(field) + "' " + std::string(rule));
}

bool IsJsonObject(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_object();
}

// ---- Rooms ----

// Per-field rules, checked on the request before any store access. The
// 64-bit numbers are range-checked here, before they narrow to the model's int.
Status CheckRoomChanges(const RoomChanges& c) {
  if (c.name && !IsValidName(*c.name, kMaxNameLength, kRoomNameExtra)) {
    return Invalid("name", "must be 1-128 characters of a-z A-Z 0-9 . : _ -");
  }
  if (c.description && c.description->size() > kMaxDescriptionBytes) {
    return Invalid("description", "must be at most 1024 bytes");
  }
  if (c.region && !Contains(kRegions, *c.region)) {
    return Invalid("region", "must be one of eu, in, us, auto");
  }
  if (c.size && (*c.size < 0 || *c.size > kMaxLargeRoomSize)) {
    return Invalid("size", "must be from 0 to 2500 (20000 with large_room)");
  }
  if (const auto& d = c.max_duration_seconds;
      d && *d != 0 && (*d < kMinDurationSeconds || *d > kMaxDurationSeconds)) {
    return Invalid("max_duration_seconds", "must be from 120 to 43200");
  }
  if (c.extra_json && !IsJsonObject(*c.extra_json)) {
    return Status::InvalidArgument("room extras must be a JSON object");
  }
  return Status::Ok();
}

// The one rule that spans two fields, checked on the value to be stored.
Status CheckRoomSize(const Room& r) {
  if (r.size > (r.large_room ? kMaxLargeRoomSize : kMaxRoomSize)) {
    return Invalid("size", "must be from 0 to 2500 (20000 with large_room)");
  }
  return Status::Ok();
}

// recording_info, webhook and polls are replaced one member at a time, so an
// update that sets only `webhook` keeps the room's recording_info (100ms
// updates field by field; replacing the whole text would lose the others).
std::string MergeExtra(const std::string& stored, const std::string& changes) {
  nlohmann::json out = nlohmann::json::parse(stored, nullptr, false);
  if (!out.is_object()) out = nlohmann::json::object();
  const nlohmann::json patch = nlohmann::json::parse(changes, nullptr, false);
  for (const auto& [key, value] : patch.items()) out[key] = value;
  return out.dump();
}

void ApplyRoomChanges(const RoomChanges& c, bool rename, Room& r) {
  if (rename && c.name) r.name = *c.name;
  if (c.description) r.description = *c.description;
  if (c.template_id) r.template_id = *c.template_id;
  if (c.region) r.region = *c.region;
  if (c.large_room) r.large_room = *c.large_room;
  if (c.size) r.size = static_cast<int>(*c.size);
  if (c.max_duration_seconds) r.max_duration_seconds = static_cast<int>(*c.max_duration_seconds);
  if (c.enabled) r.enabled = *c.enabled;
  if (c.extra_json) r.extra_json = MergeExtra(r.extra_json, *c.extra_json);
}

// The template a room is to use: the named one, which must exist (100ms
// answers 400, not 404, for a body field naming nothing), or the default.
Result<TemplateId> ResolveTemplate(RoomService& service, store::Store& store,
                                   const std::optional<TemplateId>& id) {
  if (!id) {
    auto t = service.EnsureDefaultTemplate();
    if (!t.ok()) return t.error();
    return t->id;
  }
  auto t = store.GetTemplate(*id);
  if (!t.ok()) {
    if (t.error().code() == Code::kNotFound) return Status::InvalidArgument("template not found");
    return t.error();
  }
  return *id;
}

Result<Room> ModifyRoomWith(store::Store& store, UnixSeconds now, const RoomId& id,
                            const RoomChanges& c, bool rename) {
  return store.ModifyRoom(id, [&](Room& r) {
    ApplyRoomChanges(c, rename, r);
    r.updated_at = now;
    return CheckRoomSize(r);
  });
}

// ---- Templates and roles ----

Status CheckRole(const std::string& key, const Role& role, const Template& t) {
  const std::string where = "role '" + key + "': ";
  if (role.name.str() != key) return Status::InvalidArgument(where + "'name' must match");
  if (!IsValidName(key, kMaxRoleNameLength, kRoleNameExtra)) {
    return Status::InvalidArgument(where + "role names are 1-64 characters of a-z A-Z 0-9 _ -");
  }
  std::set<std::string_view> kinds;
  for (const std::string& kind : role.publish_allowed) {
    if (!Contains(kTrackKinds, kind) || !kinds.insert(kind).second) {
      return Status::InvalidArgument(where + "'publishParams.allowed' has '" + kind +
                                     "'; allowed are audio, video, screen, simulcast, once each");
    }
  }
  for (const RoleName& other : role.subscribe_to_roles) {
    if (!t.roles.count(other.str())) {
      return Status::InvalidArgument(where + "'subscribeParams.subscribeToRoles' names '" +
                                     other.str() + "', which is not a role of this template");
    }
  }
  if (role.priority < kMinPriority || role.priority > kMaxPriority) {
    return Status::InvalidArgument(where + "'priority' must be from 1 to 5");
  }
  if (role.max_peer_count < -1) {
    return Status::InvalidArgument(where +
                                   "'maxPeerCount' must be -1 (nobody), 0 (no cap) or more");
  }
  return Status::Ok();
}

Status CheckTemplateName(const std::string& name) {
  if (!IsValidName(name, kMaxNameLength, kTemplateNameExtra)) {
    return Invalid("name", "must be 1-128 characters of a-z A-Z 0-9 . _ -");
  }
  return Status::Ok();
}

Status CheckTemplate(const Template& t) {
  if (Status s = CheckTemplateName(t.name); !s.ok()) return s;
  for (const auto& [key, role] : t.roles) {
    if (Status s = CheckRole(key, role, t); !s.ok()) return s;
  }
  if (!IsJsonObject(t.settings_json)) return Invalid("settings", "must be a JSON object");
  if (!IsJsonObject(t.destinations_json)) return Invalid("destinations", "must be a JSON object");
  return Status::Ok();
}

void ApplyTemplateChanges(const TemplateChanges& c, Template& t) {
  if (c.name) t.name = *c.name;
  if (c.roles) t.roles = *c.roles;
  if (c.settings_json) t.settings_json = *c.settings_json;
  if (c.destinations_json) t.destinations_json = *c.destinations_json;
}

Role MakeRole(const char* name, std::vector<std::string> publish,
              std::vector<const char*> subscribe, Permissions permissions, int priority) {
  Role r;
  r.name = RoleName(name);
  r.publish_allowed = std::move(publish);
  for (const char* s : subscribe) r.subscribe_to_roles.emplace_back(s);
  r.permissions = permissions;
  r.priority = priority;
  return r;
}

// host runs the room; guest talks; viewer watches. Viewers subscribe to the
// speaking roles only: their own tracks are never published.
std::map<std::string, Role> DefaultRoles() {
  const Permissions all{true, true, true, true, true, true, true, true, true, true, true};
  Permissions guest;  // no power over others; streaming defaults as 100ms
  guest.poll_read = true;
  const Permissions none{false, false, false, false, false, false,
                         false, false, false, false, false};
  std::map<std::string, Role> roles;
  roles["host"] =
      MakeRole("host", {"audio", "video", "screen"}, {"host", "guest", "viewer"}, all, 1);
  roles["guest"] = MakeRole("guest", {"audio", "video", "screen"}, {"host", "guest"}, guest, 2);
  roles["viewer"] = MakeRole("viewer", {}, {"host", "guest"}, none, 3);
  return roles;
}

// Find by name; modify what is found, or insert. An insert that fails with
// kAlreadyExists lost a race with a concurrent create of the same name, so
// the winner is looked up again and modified (once: a second loss is
// returned to the caller).
template <typename T, typename Find, typename Insert, typename Modify>
Result<T> Upsert(const Find& find, const Insert& insert, const Modify& modify) {
  for (int attempt = 0;; ++attempt) {
    auto found = find();
    if (!found.ok()) return found.error();
    if (*found) return modify(**found);
    Result<T> created = insert();
    if (created.ok() || created.error().code() != Code::kAlreadyExists || attempt == 1) {
      return created;
    }
  }
}

}  // namespace

std::string NewObjectId(SecureRandom& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 12> bytes;
  random.Fill(bytes);
  std::string id;
  id.reserve(2 * bytes.size());
  for (uint8_t b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

RoomService::RoomService(store::Store& store, const Clock& clock, SecureRandom& random)
    : store_(store), clock_(clock), random_(random) {}

// ---- Templates ----

Result<Template> RoomService::EnsureDefaultTemplate() {
  const std::string name(kDefaultTemplateName);
  auto find = [&] { return store_.FindTemplateByName(name); };
  auto insert = [&]() -> Result<Template> {
    Template t;
    t.id = TemplateId(NewObjectId(random_));
    t.name = name;
    t.roles = DefaultRoles();
    t.created_at = t.updated_at = clock_.NowSeconds();
    if (Status s = store_.CreateTemplate(t); !s.ok()) return s;
    return t;
  };
  auto keep = [](const Template& existing) -> Result<Template> { return existing; };
  return Upsert<Template>(find, insert, keep);
}

Result<Template> RoomService::CreateTemplate(const TemplateChanges& c) {
  if (!c.name) return Invalid("name", "is required");
  if (Status s = CheckTemplateName(*c.name); !s.ok()) return s;
  auto find = [&] { return store_.FindTemplateByName(*c.name); };
  auto insert = [&]() -> Result<Template> {
    Template t;
    t.id = TemplateId(NewObjectId(random_));
    t.created_at = t.updated_at = clock_.NowSeconds();
    ApplyTemplateChanges(c, t);
    if (Status s = CheckTemplate(t); !s.ok()) return s;
    if (Status s = store_.CreateTemplate(t); !s.ok()) return s;
    return t;
  };
  auto update = [&](const Template& existing) { return UpdateTemplate(existing.id, c); };
  return Upsert<Template>(find, insert, update);
}

Result<Template> RoomService::GetTemplate(const TemplateId& id) { return store_.GetTemplate(id); }

Result<store::Page<Template>> RoomService::ListTemplates(const store::PageRequest& page) {
  return store_.ListTemplates(page);
}

Result<Template> RoomService::UpdateTemplate(const TemplateId& id, const TemplateChanges& c) {
  const UnixSeconds now = clock_.NowSeconds();
  return store_.ModifyTemplate(id, [&](Template& t) {
    ApplyTemplateChanges(c, t);
    t.updated_at = now;
    return CheckTemplate(t);
  });
}

Result<Role> RoomService::GetRole(const TemplateId& id, const RoleName& role) {
  auto t = store_.GetTemplate(id);
  if (!t.ok()) return t.error();
  auto it = t->roles.find(role.str());
  if (it == t->roles.end()) return Status::NotFound("role '" + role.str() + "' not found");
  return it->second;
}

Result<Role> RoomService::PutRole(const TemplateId& id, const Role& role) {
  const UnixSeconds now = clock_.NowSeconds();
  auto t = store_.ModifyTemplate(id, [&](Template& stored) {
    stored.roles[role.name.str()] = role;
    stored.updated_at = now;
    return CheckTemplate(stored);
  });
  if (!t.ok()) return t.error();
  return t->roles.at(role.name.str());
}

// Other roles' subscriptions to the deleted role are dropped with it: a
// subscription to a role that cannot exist has no meaning, and keeping it
// would make the template fail its own validation on the next write.
Status RoomService::DeleteRole(const TemplateId& id, const RoleName& role) {
  const UnixSeconds now = clock_.NowSeconds();
  auto t = store_.ModifyTemplate(id, [&](Template& stored) {
    if (stored.roles.erase(role.str()) == 0) {
      return Status::NotFound("role '" + role.str() + "' not found");
    }
    for (auto& [name, other] : stored.roles) std::erase(other.subscribe_to_roles, role);
    stored.updated_at = now;
    return Status::Ok();
  });
  return t.ok() ? Status::Ok() : t.error();
}

// ---- Rooms ----

// On an existing name the room keeps its stored name: the name is the key
// the request matched by, and only its letter case could differ.
Result<Room> RoomService::CreateRoom(const RoomChanges& c) {
  if (Status s = CheckRoomChanges(c); !s.ok()) return s;
  auto template_id = ResolveTemplate(*this, store_, c.template_id);
  if (!template_id.ok()) return template_id.error();
  const std::string name = c.name ? *c.name : NewUuidV4(random_);
  auto find = [&] { return store_.FindRoomByName(name); };
  auto insert = [&]() -> Result<Room> {
    Room r;
    r.id = RoomId(NewObjectId(random_));
    r.name = name;
    r.template_id = *template_id;
    r.created_at = r.updated_at = clock_.NowSeconds();
    ApplyRoomChanges(c, /*rename=*/false, r);
    if (Status s = CheckRoomSize(r); !s.ok()) return s;
    if (Status s = store_.CreateRoom(r); !s.ok()) return s;
    return r;
  };
  auto update = [&](const Room& existing) {
    return ModifyRoomWith(store_, clock_.NowSeconds(), existing.id, c, /*rename=*/false);
  };
  return Upsert<Room>(find, insert, update);
}

Result<Room> RoomService::GetRoom(const RoomId& id) { return store_.GetRoom(id); }

Result<store::Page<Room>> RoomService::ListRooms(const store::RoomFilter& filter,
                                                 const store::PageRequest& page) {
  return store_.ListRooms(filter, page);
}

Result<Room> RoomService::UpdateRoom(const RoomId& id, const RoomChanges& c) {
  if (Status s = CheckRoomChanges(c); !s.ok()) return s;
  if (c.template_id) {
    if (auto t = ResolveTemplate(*this, store_, c.template_id); !t.ok()) return t.error();
  }
  return ModifyRoomWith(store_, clock_.NowSeconds(), id, c, /*rename=*/true);
}

}  // namespace roomgate::rooms
