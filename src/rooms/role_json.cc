#include "rooms/role_json.h"

namespace roomgate::rooms {
namespace {

using nlohmann::json;

constexpr PermissionField kPermissionFields[] = {
    {"endRoom", &Permissions::end_room},
    {"removeOthers", &Permissions::remove_others},
    {"mute", &Permissions::mute},
    {"unmute", &Permissions::unmute},
    {"changeRole", &Permissions::change_role},
    {"sendRoomState", &Permissions::send_room_state},
    {"pollRead", &Permissions::poll_read},
    {"pollWrite", &Permissions::poll_write},
    {"browserRecording", &Permissions::browser_recording},
    {"rtmpStreaming", &Permissions::rtmp_streaming},
    {"hlsStreaming", &Permissions::hls_streaming},
};

}  // namespace

std::span<const PermissionField> PermissionFields() { return kPermissionFields; }

json ObjectFromText(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json::object();
}

json RoleToJson(const Role& role) {
  json publish = ObjectFromText(role.publish_extra_json);
  publish["allowed"] = role.publish_allowed;
  json subscribe = ObjectFromText(role.subscribe_extra_json);
  json names = json::array();
  for (const RoleName& n : role.subscribe_to_roles) names.push_back(n.str());
  subscribe["subscribeToRoles"] = std::move(names);
  json permissions = json::object();
  for (const PermissionField& f : kPermissionFields)
    permissions[f.name] = role.permissions.*f.member;
  return {{"name", role.name.str()},
          {"publishParams", std::move(publish)},
          {"subscribeParams", std::move(subscribe)},
          {"permissions", std::move(permissions)},
          {"priority", role.priority},
          {"maxPeerCount", role.max_peer_count}};
}

}  // namespace roomgate::rooms
