// Rooms, templates and roles as 100ms's v2 JSON (reference §8, §9). Room
// codes and the query helpers are in json_model.cc.
//
// Reading a role is strict about what roomgate models (a wrong type or an
// unknown permission is a 400, never a silent default: a permission that
// failed to parse must not quietly become "allowed" or "denied"), and keeps
// the rest of publishParams / subscribeParams as given, so a client that sets
// video layers or degradation knobs reads them back.
#include <climits>

#include "api/json_body.h"
#include "api/json_model.h"
#include "common/time_format.h"
#include "rooms/role_json.h"

namespace roomgate::api {
namespace {

using nlohmann::json;

// Single-tenant: 100ms's workspace ids are there for clients that read them.
constexpr const char* kCustomerId = "";
constexpr const char* kAppId = "";

using rooms::PermissionField;

json ObjectFrom(const std::string& text) { return rooms::ObjectFromText(text); }

Status Invalid(const std::string& field, const char* rule) {
  return Status::InvalidArgument("'" + field + "' " + rule);
}

Status ReadStrings(const json& v, const std::string& field, std::vector<std::string>& out) {
  if (!v.is_array()) return Invalid(field, "must be an array of strings");
  out.clear();
  for (const json& item : v) {
    if (!item.is_string()) return Invalid(field, "must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return Status::Ok();
}

Status ReadInt(const json& v, const std::string& field, int& out) {
  if (!v.is_number_integer()) return Invalid(field, "must be an integer");
  const bool fits = v.is_number_unsigned()
                        ? v.get<uint64_t>() <= INT_MAX
                        : v.get<int64_t>() >= INT_MIN && v.get<int64_t>() <= INT_MAX;
  if (!fits) return Invalid(field, "is out of range");
  out = static_cast<int>(v.get<int64_t>());
  return Status::Ok();
}

// Members of publishParams / subscribeParams that roomgate only stores, with
// the JSON type each must have (so a typo'd type fails now, not in a client).
enum class Kind { kObject, kNumber };
struct KnownExtra {
  const char* name;
  Kind kind;
};

Status CheckKnownExtra(const std::string& parent, const std::string& key, const json& v,
                       std::initializer_list<KnownExtra> known) {
  for (const KnownExtra& k : known) {
    if (key != k.name) continue;
    const bool is_object = k.kind == Kind::kObject;
    if (is_object ? !v.is_object() : !v.is_number()) {
      return Invalid(parent + "." + key, is_object ? "must be an object" : "must be a number");
    }
  }
  return Status::Ok();
}

// Reads `v` (publishParams or subscribeParams): `list_name` into `list`, the
// rest into `extra` as JSON text.
Status ReadParams(const json& v, const std::string& parent, const char* list_name,
                  std::initializer_list<KnownExtra> known, std::vector<std::string>& list,
                  std::string& extra) {
  if (!v.is_object()) return Invalid(parent, "must be an object");
  json rest = json::object();
  for (const auto& [key, value] : v.items()) {
    if (key == list_name) {
      if (Status s = ReadStrings(value, parent + "." + key, list); !s.ok()) return s;
    } else if (Status s = CheckKnownExtra(parent, key, value, known); !s.ok()) {
      return s;
    } else {
      rest[key] = value;
    }
  }
  extra = Dump(rest);
  return Status::Ok();
}

Status ReadPublish(const json& v, Role& role) {
  return ReadParams(v, "publishParams", "allowed",
                    {{"audio", Kind::kObject},
                     {"video", Kind::kObject},
                     {"screen", Kind::kObject},
                     {"simulcast", Kind::kObject}},
                    role.publish_allowed, role.publish_extra_json);
}

Status ReadSubscribe(const json& v, Role& role) {
  std::vector<std::string> names;
  Status s =
      ReadParams(v, "subscribeParams", "subscribeToRoles",
                 {{"maxSubsBitRate", Kind::kNumber}, {"subscribeDegradation", Kind::kObject}},
                 names, role.subscribe_extra_json);
  role.subscribe_to_roles.clear();
  for (std::string& n : names) role.subscribe_to_roles.emplace_back(std::move(n));
  return s;
}

// Permissions not given keep the model's defaults (100ms's: false, except
// the three recording/streaming ones).
Status ReadPermissions(const json& v, Permissions& p) {
  if (!v.is_object()) return Invalid("permissions", "must be an object");
  for (const auto& [key, value] : v.items()) {
    const PermissionField* field = nullptr;
    for (const PermissionField& f : rooms::PermissionFields()) {
      if (key == f.name) field = &f;
    }
    if (field == nullptr) return Status::InvalidArgument("unknown permission '" + key + "'");
    if (!value.is_boolean()) return Invalid("permissions." + key, "must be a boolean");
    p.*(field->member) = value.get<bool>();
  }
  return Status::Ok();
}

Status ReadRoleField(const std::string& key, const json& v, Role& role) {
  if (v.is_null()) return Status::Ok();  // as absent, like every body field
  if (key == "name") {
    if (v.is_string() && v.get<std::string>() == role.name.str()) return Status::Ok();
    return Invalid("name", "must be the role's name");
  }
  if (key == "publishParams") return ReadPublish(v, role);
  if (key == "subscribeParams") return ReadSubscribe(v, role);
  if (key == "permissions") return ReadPermissions(v, role.permissions);
  if (key == "priority") return ReadInt(v, key, role.priority);
  if (key == "maxPeerCount") return ReadInt(v, key, role.max_peer_count);
  return Status::InvalidArgument("unexpected field '" + key + "'");
}

}  // namespace

json ToJson(const Room& r) {
  json j = ObjectFrom(r.extra_json);  // recording_info, webhook, polls
  j.update(json{{"id", r.id.str()},
                {"name", r.name},
                {"enabled", r.enabled},
                {"description", r.description},
                {"customer_id", kCustomerId},
                {"customer", kCustomerId},  // deprecated alias, still read by old clients
                {"app_id", kAppId},
                {"template_id", r.template_id.str()},
                // Deprecated; 100ms puts the template's name here. The id is
                // what this layer has, and it identifies the template too.
                {"template", r.template_id.str()},
                {"region", r.region},
                {"large_room", r.large_room},
                {"size", r.size},
                {"max_duration_seconds", r.max_duration_seconds},
                {"created_at", FormatRfc3339(r.created_at)},
                {"updated_at", FormatRfc3339(r.updated_at)}});
  return j;
}

json ToJson(const Role& role) { return rooms::RoleToJson(role); }

json ToJson(const Template& t) {
  json roles = json::object();
  for (const auto& [name, role] : t.roles) roles[name] = ToJson(role);
  return {{"id", t.id.str()},
          {"name", t.name},
          {"customer_id", kCustomerId},
          {"roles", std::move(roles)},
          {"settings", ObjectFrom(t.settings_json)},
          {"destinations", ObjectFrom(t.destinations_json)},
          {"created_at", FormatRfc3339(t.created_at)},
          {"updated_at", FormatRfc3339(t.updated_at)}};
}

Result<Role> RoleFromJson(const std::string& name, const json& j) {
  const std::string where = "role '" + name + "': ";
  if (!j.is_object()) return Status::InvalidArgument(where + "must be a JSON object");
  Role role;
  role.name = RoleName(name);
  for (const auto& [key, value] : j.items()) {
    if (Status s = ReadRoleField(key, value, role); !s.ok()) {
      return Status::InvalidArgument(where + s.message());
    }
  }
  return role;
}

}  // namespace roomgate::api
