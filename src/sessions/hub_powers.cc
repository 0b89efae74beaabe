// SessionHub: the requests of a joined peer. Each in-room power is checked
// against the acting peer's live role here, on the server, whatever the
// client's UI shows.
#include "common/time_format.h"
#include "sessions/session_hub.h"

namespace roomgate::sessions {

using nlohmann::json;

namespace {

std::optional<Error> Need(const LiveRoom& room, const LivePeer& self, bool Permissions::*permission,
                          const char* name) {
  const Role* role = room.FindRole(self.role);
  if (role != nullptr && role->permissions.*permission) return std::nullopt;
  return Error{ErrorCode::kPermissionDenied,
               "role '" + self.role.str() + "' may not do this (" + name + ")"};
}

Error NoSuchPeer(const PeerId& id) {
  return {ErrorCode::kPeerNotFound, "peer '" + id.str() + "' is not in the room"};
}

Error NotYourself() { return {ErrorCode::kInvalidTarget, "this request cannot target yourself"}; }

bool HasRole(const std::vector<RoleName>& roles, const RoleName& role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

template <class Fn>
Reply SessionHub::WithMember(const Membership& member, Fn fn) {
  Reply reply = [&]() -> Reply {
    std::lock_guard lock(member.room->mu);
    LivePeer* self = member.room->closed ? nullptr : member.room->Find(member.peer);
    if (self == nullptr) return Error{ErrorCode::kNotJoined, "you are no longer in the room"};
    return fn(*member.room, *self);
  }();
  member.room->outbox.Deliver();
  return reply;
}

Reply SessionHub::UpdateSelf(const Membership& member, const std::optional<std::string>& name,
                             const std::optional<std::string>& metadata) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    std::vector<std::string> changed;
    if (name && *name != self.name) {
      self.name = *name;
      changed.push_back("name");
      RecordPeer(room, self, SessionEvent::Kind::kPeerUpdated);
    }
    if (metadata && *metadata != self.metadata) {
      self.metadata = *metadata;
      changed.push_back("metadata");
    }
    if (!changed.empty()) AnnounceUpdateLocked(room, self, changed);
    return json{{"peer", PeerJson(self)}};
  });
}

Reply SessionHub::SendPeerMessage(const Membership& member, const PeerAudience& to,
                                  const std::string& type, const std::string& message) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    auto id = MessageLocked(room, to, type, message, PeerJson(self));
    if (!id) return NoSuchPeer(*to.peer);
    return json{{"message_id", *id}};
  });
}

Reply SessionHub::RemovePeer(const Membership& member, const PeerId& target,
                             const std::string& reason) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    if (auto denied = Need(room, self, &Permissions::remove_others, "removeOthers")) return *denied;
    if (target == self.id) return NotYourself();
    if (room.Find(target) == nullptr) return NoSuchPeer(target);
    RemoveLocked(room, target, LeaveReason::kRemoved,
                 json{{"type", "removed"}, {"reason", reason}, {"by", PeerJson(self)}},
                 kCloseRemoved);
    return json::object();
  });
}

// The permission is checked, the room disabled (with lock) and the session
// ended under one hold of the room lock, so a peer removed or demoted
// meanwhile cannot end the room with powers it no longer has. The store
// write blocks only this room, and end-room is rare.
Reply SessionHub::EndRoomByPeer(const Membership& member, const std::string& reason, bool lock,
                                const json& reply_id) {
  LiveRoom& room = *member.room;
  Reply reply = [&]() -> Reply {
    std::lock_guard room_lock(room.mu);
    LivePeer* self = room.closed ? nullptr : room.Find(member.peer);
    if (self == nullptr) return Error{ErrorCode::kNotJoined, "you are no longer in the room"};
    if (auto denied = Need(room, *self, &Permissions::end_room, "endRoom")) return *denied;
    if (lock) {
      rooms::RoomChanges disable;
      disable.enabled = false;
      auto updated = rooms_.UpdateRoom(room.room_id, disable);
      if (!updated.ok()) {
        return Error{ErrorCode::kInternal, "could not lock the room: " + updated.error().message()};
      }
    }
    // The reply goes first: after room-ended the link is closing.
    if (!reply_id.is_null()) room.outbox.Send(self->link, ReplyMessage(reply_id, json::object()));
    EndLocked(room, reason, lock, PeerJson(*self));
    return json();  // answered above
  }();
  room.outbox.Deliver();
  if (reply.ok()) Forget(member.room);
  return reply;
}

Reply SessionHub::RequestMute(const Membership& member, const PeerAudience& to,
                              const std::string& track, bool mute) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    auto denied = mute ? Need(room, self, &Permissions::mute, "mute")
                       : Need(room, self, &Permissions::unmute, "unmute");
    if (denied) return *denied;
    Outbox::Links links;
    if (to.peer) {
      if (*to.peer == self.id) return NotYourself();
      LivePeer* target = room.Find(*to.peer);
      if (target == nullptr) return NoSuchPeer(*to.peer);
      links.push_back(target->link);
    } else {
      for (const auto& [id, p] : room.peers) {
        if (p.id != self.id && (to.roles.empty() || HasRole(to.roles, p.role))) {
          links.push_back(p.link);
        }
      }
    }
    const size_t delivered = links.size();
    room.outbox.Send(
        std::move(links),
        json{{"type", "mute-request"}, {"from", PeerJson(self)}, {"track", track}, {"mute", mute}}
            .dump(-1, ' ', false, kReplaceInvalid));
    if (mute) {
      // A mute is enforced at the SFU too, so a client that ignores the
      // request is muted all the same; an unmute stays a request.
      std::vector<PeerId> targets;
      for (const auto& [id, p] : room.peers) {
        const bool chosen =
            to.peer ? p.id == *to.peer
                    : p.id != self.id && (to.roles.empty() || HasRole(to.roles, p.role));
        if (chosen) targets.push_back(p.id);
      }
      PostMediaStep(room, [targets, track](RoomMedia& media) { media.ForceMute(targets, track); });
    }
    return json{{"delivered", delivered}};
  });
}

Reply SessionHub::ChangeRole(const Membership& member, const PeerId& target_id,
                             const RoleName& role, bool force) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    if (auto denied = Need(room, self, &Permissions::change_role, "changeRole")) return *denied;
    if (target_id == self.id) return NotYourself();
    LivePeer* target = room.Find(target_id);
    if (target == nullptr) return NoSuchPeer(target_id);
    if (auto bad = CheckRoleTarget(room, *target, role)) return *bad;
    if (force) {
      ApplyRoleLocked(room, *target, role);
      return json{{"peer", PeerJson(*target)}};
    }
    // One open request per target: a newer one replaces it.
    std::erase_if(room.role_requests, [&](const auto& r) { return r.second.target == target_id; });
    const std::string request_id = NewId();
    const json from = PeerJson(self);
    room.role_requests[request_id] =
        RoleRequest{self.id, target_id, role, from,
                    clock_.NowSeconds() + options_.role_request_timeout.count()};
    room.outbox.Send(target->link, json{{"type", "role-change-request"},
                                        {"request_id", request_id},
                                        {"from", from},
                                        {"role", role.str()}}
                                       .dump(-1, ' ', false, kReplaceInvalid));
    return json{{"request_id", request_id}};
  });
}

Reply SessionHub::AcceptRoleChange(const Membership& member, const std::string& request_id) {
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    auto it = room.role_requests.find(request_id);
    if (it == room.role_requests.end() || it->second.target != self.id ||
        it->second.deadline <= clock_.NowSeconds()) {
      return Error{ErrorCode::kRequestNotFound,
                   "no pending role change '" + request_id + "' for you"};
    }
    // The request carries its requester's authority, which must still hold.
    const LivePeer* requester = room.Find(it->second.requester);
    if (requester == nullptr ||
        Need(room, *requester, &Permissions::change_role, "changeRole").has_value()) {
      room.role_requests.erase(it);
      return Error{ErrorCode::kRequestNotFound,
                   "the peer that asked may no longer change roles; the request is void"};
    }
    const RoleName role = it->second.role;
    if (auto bad = CheckRoleTarget(room, self, role)) return *bad;
    room.role_requests.erase(it);
    ApplyRoleLocked(room, self, role);
    return json{{"peer", PeerJson(self)}};
  });
}

// Checked like a join (token, room enabled, role present), and it must be
// the same room and user: a refresh continues this peer's stay, it does not
// move it.
Reply SessionHub::RefreshToken(const Membership& member, const std::string& token) {
  auto admission = Authenticate(token);
  if (!admission.ok()) return admission.error();
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    const TokenClaims& claims = admission->claims;
    if (claims.room_id != room.room_id || claims.user_id.value_or(UserId()) != self.token_user_id) {
      return Error{ErrorCode::kTokenMismatch, "the new token is for another room or user"};
    }
    self.token_exp = claims.expires_at;
    self.expiry_warned = false;
    return json{{"expires_at", FormatRfc3339(self.token_exp)}};
  });
}

Reply SessionHub::MediaRequest(const Membership& member, const std::string& type, const json& msg,
                               const json& reply_id) {
  if (!media_available()) {
    return Error{ErrorCode::kMediaUnavailable,
                 "this server has no media backend (media.backend is \"none\")"};
  }
  return WithMember(member, [&](LiveRoom& room, LivePeer& self) -> Reply {
    PostMediaStep(room, [peer = self.id, type, msg, reply_id](RoomMedia& media) {
      media.Request(peer, type, msg, reply_id);
    });
    return json();  // answered by the media queue
  });
}

}  // namespace roomgate::sessions
