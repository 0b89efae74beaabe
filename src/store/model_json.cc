#include "store/model_json.h"

#include <nlohmann/json.hpp>

namespace roomgate::store {
namespace {

using nlohmann::json;

json PermissionsToJson(const Permissions& p) {
  return json{{"end_room", p.end_room},
              {"remove_others", p.remove_others},
              {"mute", p.mute},
              {"unmute", p.unmute},
              {"change_role", p.change_role},
              {"send_room_state", p.send_room_state},
              {"poll_read", p.poll_read},
              {"poll_write", p.poll_write},
              {"browser_recording", p.browser_recording},
              {"rtmp_streaming", p.rtmp_streaming},
              {"hls_streaming", p.hls_streaming}};
}

json RoleNamesToJson(const std::vector<RoleName>& names) {
  json out = json::array();
  for (const RoleName& n : names) out.push_back(n.str());
  return out;
}

json RoleToJson(const Role& r) {
  return json{{"name", r.name.str()},
              {"publish_allowed", r.publish_allowed},
              {"subscribe_to_roles", RoleNamesToJson(r.subscribe_to_roles)},
              {"permissions", PermissionsToJson(r.permissions)},
              {"priority", r.priority},
              {"max_peer_count", r.max_peer_count},
              {"publish_extra_json", r.publish_extra_json},
              {"subscribe_extra_json", r.subscribe_extra_json}};
}

// Reads j[key] into `out` when present; throws on a wrong type (the caller
// turns that into a Status).
template <typename T>
void ReadField(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it != j.end()) it->get_to(out);
}

Permissions PermissionsFromJson(const json& j) {
  j.get_ref<const json::object_t&>();  // throws unless an object: find() would not
  Permissions p;
  ReadField(j, "end_room", p.end_room);
  ReadField(j, "remove_others", p.remove_others);
  ReadField(j, "mute", p.mute);
  ReadField(j, "unmute", p.unmute);
  ReadField(j, "change_role", p.change_role);
  ReadField(j, "send_room_state", p.send_room_state);
  ReadField(j, "poll_read", p.poll_read);
  ReadField(j, "poll_write", p.poll_write);
  ReadField(j, "browser_recording", p.browser_recording);
  ReadField(j, "rtmp_streaming", p.rtmp_streaming);
  ReadField(j, "hls_streaming", p.hls_streaming);
  return p;
}

Role RoleFromJson(const json& j) {
  Role r;
  std::string name;
  ReadField(j, "name", name);
  r.name = RoleName(std::move(name));
  ReadField(j, "publish_allowed", r.publish_allowed);
  std::vector<std::string> subscribe;
  ReadField(j, "subscribe_to_roles", subscribe);
  for (std::string& s : subscribe) r.subscribe_to_roles.emplace_back(std::move(s));
  if (auto it = j.find("permissions"); it != j.end()) r.permissions = PermissionsFromJson(*it);
  ReadField(j, "priority", r.priority);
  ReadField(j, "max_peer_count", r.max_peer_count);
  ReadField(j, "publish_extra_json", r.publish_extra_json);
  ReadField(j, "subscribe_extra_json", r.subscribe_extra_json);
  return r;
}

}  // namespace

Result<std::string> RolesToJson(const std::map<std::string, Role>& roles) {
  try {
    json out = json::object();
    for (const auto& [key, role] : roles) out[key] = RoleToJson(role);
    return out.dump();
  } catch (const json::exception&) {
    // dump() throws on invalid UTF-8; name no value, it may be anything.
    return Status::InvalidArgument("template roles contain text that is not valid UTF-8");
  }
}

Result<std::map<std::string, Role>> RolesFromJson(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (!j.is_object()) return Status::Internal("store error: corrupt template roles");
    std::map<std::string, Role> roles;
    for (const auto& [key, value] : j.items()) {
      if (!value.is_object()) return Status::Internal("store error: corrupt template roles");
      roles.emplace(key, RoleFromJson(value));
    }
    return roles;
  } catch (const json::exception&) {
    return Status::Internal("store error: corrupt template roles");
  }
}

}  // namespace roomgate::store
