// Templates (with their roles) and rooms: the rules the REST API applies on
// top of the store (reference §8, §9).
//
// - Templates: create (an existing name is overwritten, keeping its id),
//   get, list, update; get / create-or-update / delete one role.
// - Rooms: create is an upsert by name (case-insensitive): an existing name
//   returns that room with the new settings applied; a missing name gets a
//   generated one; a missing template_id means the default template. Get,
//   list with filters, update, enable/disable. A disabled room refuses new
//   joins and its codes stop working (the token endpoint checks).
// - The default template (roles host, guest, viewer) is seeded at first
//   start by EnsureDefaultTemplate.
//
// Validation errors are kInvalidArgument naming the field.
//
// Thread-safety: all methods may be called concurrently.
#ifndef ROOMGATE_ROOMS_ROOM_SERVICE_H_
#define ROOMGATE_ROOMS_ROOM_SERVICE_H_

#include <optional>
#include <string>

#include "roomgate/clock.h"
#include "roomgate/secure_random.h"
#include "store/store.h"

namespace roomgate::rooms {

inline constexpr std::string_view kDefaultTemplateName = "default";

// Fields of a room create/update request; unset fields are left alone on
// update (and defaulted on create).
struct RoomChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<TemplateId> template_id;
  std::optional<std::string> region;
  std::optional<bool> large_room;
  std::optional<int64_t> size;
  std::optional<int64_t> max_duration_seconds;
  std::optional<bool> enabled;
  std::optional<std::string> extra_json;  // recording_info, webhook, polls: replaces when set
};

struct TemplateChanges {
  std::optional<std::string> name;
  std::optional<std::map<std::string, Role>> roles;  // replaces all roles when set
  std::optional<std::string> settings_json;
  std::optional<std::string> destinations_json;
};

class RoomService {
 public:
  // `store`, `clock` and `random` must outlive the service.
  RoomService(store::Store& store, const Clock& clock, SecureRandom& random);

  // Ids are 24 lowercase hex digits (like 100ms's), from the CSPRNG.
  Result<Template> EnsureDefaultTemplate();
  Result<Template> CreateTemplate(const TemplateChanges& t);  // upsert by name
  Result<Template> GetTemplate(const TemplateId& id);
  Result<store::Page<Template>> ListTemplates(const store::PageRequest& page);
  Result<Template> UpdateTemplate(const TemplateId& id, const TemplateChanges& changes);
  Result<Role> GetRole(const TemplateId& id, const RoleName& role);
  Result<Role> PutRole(const TemplateId& id, const Role& role);  // create or replace
  Status DeleteRole(const TemplateId& id, const RoleName& role);

  Result<Room> CreateRoom(const RoomChanges& changes);  // upsert by name
  Result<Room> GetRoom(const RoomId& id);
  Result<store::Page<Room>> ListRooms(const store::RoomFilter& filter,
                                      const store::PageRequest& page);
  Result<Room> UpdateRoom(const RoomId& id, const RoomChanges& changes);

 private:
  store::Store& store_;
  const Clock& clock_;
  SecureRandom& random_;
};

// 24 lowercase hex digits from `random` (the shape of 100ms's object ids).
std::string NewObjectId(SecureRandom& random);

}  // namespace roomgate::rooms

#endif  // ROOMGATE_ROOMS_ROOM_SERVICE_H_
