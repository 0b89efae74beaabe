// SessionHub: state changes shared by the peers' requests and the REST API
// (role changes, peer updates, messages). Called with the room lock held.
#include "common/time_format.h"
#include "sessions/session_hub.h"

namespace roomgate::sessions {

using nlohmann::json;

std::optional<Error> SessionHub::CheckRoleTarget(const LiveRoom& room, const LivePeer& target,
                                                 const RoleName& role) const {
  const Role* r = room.FindRole(role);
  if (r == nullptr) {
    return Error{ErrorCode::kRoleNotFound,
                 "role '" + role.str() + "' is not in the room's template"};
  }
  if (r->max_peer_count < 0) {
    return Error{ErrorCode::kRoleNotAllowed,
                 "role '" + role.str() + "' may not join (maxPeerCount -1)"};
  }
  auto count = room.role_counts.find(role.str());
  const int in_role = count == room.role_counts.end() ? 0 : count->second;
  if (target.role != role && r->max_peer_count > 0 && in_role >= r->max_peer_count) {
    return Error{ErrorCode::kRoleFull, "role '" + role.str() + "' is full (maxPeerCount " +
                                           std::to_string(r->max_peer_count) + ")"};
  }
  return std::nullopt;
}

// The target learns its new powers (policy) before everyone sees the change.
void SessionHub::ApplyRoleLocked(LiveRoom& room, LivePeer& target, const RoleName& role,
                                 std::vector<std::string> also_changed) {
  if (target.role != role) {
    --room.role_counts[target.role.str()];
    ++room.role_counts[role.str()];
    target.role = role;
    room.outbox.Send(
        target.link,
        json{{"type", "policy"}, {"policy", PolicyJson(*room.tmpl, *room.FindRole(role))}}.dump(
            -1, ' ', false, kReplaceInvalid));
    also_changed.push_back("role");
    PostMediaStep(room, [m = MemberOf(room, target)](RoomMedia& media) mutable {
      media.OnRoleChanged(std::move(m));
    });
  }
  if (also_changed.empty()) return;
  AnnounceUpdateLocked(room, target, also_changed);
  RecordPeer(room, target, SessionEvent::Kind::kPeerUpdated);
}

void SessionHub::AnnounceUpdateLocked(LiveRoom& room, LivePeer& peer,
                                      const std::vector<std::string>& changed) {
  RefreshText(peer);
  room.outbox.Send(room.LinksExcept(PeerId()), R"({"type":"peer-updated","peer":)" + peer.text +
                                                   R"(,"changed":)" + json(changed).dump() + "}");
}

std::optional<std::string> SessionHub::MessageLocked(LiveRoom& room, const PeerAudience& to,
                                                     const std::string& type,
                                                     const std::string& message, const json& from) {
  Outbox::Links links;
  json to_json;
  if (to.peer) {
    LivePeer* target = room.Find(*to.peer);
    if (target == nullptr) return std::nullopt;
    links.push_back(target->link);
    to_json = {{"peer_id", to.peer->str()}};
  } else {
    for (const auto& [id, p] : room.peers) {
      const bool in_roles = std::find(to.roles.begin(), to.roles.end(), p.role) != to.roles.end();
      if (to.roles.empty() || in_roles) links.push_back(p.link);
    }
    if (!to.roles.empty()) {
      to_json = {{"roles", json::array()}};
      for (const RoleName& r : to.roles) to_json["roles"].push_back(r.str());
    }
  }
  std::string id = NewId();
  room.outbox.Send(std::move(links), json{{"type", "message"},
                                          {"message_id", id},
                                          {"message", message},
                                          {"message_type", type.empty() ? "chat" : type},
                                          {"from", from},
                                          {"to", to_json},
                                          {"sent_at", FormatRfc3339(clock_.NowSeconds())}}
                                         .dump(-1, ' ', false, kReplaceInvalid));
  return id;
}

}  // namespace roomgate::sessions
