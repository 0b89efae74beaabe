// SessionHub as LiveRooms: the REST API's view of live sessions and the
// actions it takes as the server (the actor is null, no permission applies:
// the management token is the authority).
#include "sessions/session_hub.h"

namespace roomgate::sessions {

using nlohmann::json;

namespace {

Status NoSession() { return Status::NotFound("room has no active session"); }
Status NoPeer(const PeerId& id) {
  return Status::NotFound("peer '" + id.str() + "' is not in the room");
}

// Peer-facing errors of a role change, as REST statuses.
Status AsStatus(const Error& e) {
  if (e.code == ErrorCode::kRoleFull) return Status(Status::Code::kFailedPrecondition, e.message);
  return Status::InvalidArgument(e.message);
}

}  // namespace

// Runs `fn(room)` under the lock of the room's live session, then delivers.
template <class T, class Fn>
Result<T> WithLiveRoom(const std::shared_ptr<LiveRoom>& room, Fn fn) {
  if (!room) return NoSession();
  Result<T> out = [&]() -> Result<T> {
    std::lock_guard lock(room->mu);
    if (room->closed) return NoSession();
    return fn(*room);
  }();
  room->outbox.Deliver();
  return out;
}

Result<ActiveRoomView> SessionHub::GetActiveRoom(const RoomId& id) {
  return WithLiveRoom<ActiveRoomView>(FindLive(id), [&](LiveRoom& room) -> Result<ActiveRoomView> {
    ActiveRoomView view{room.room_id, room.session_id, room.started_at, {}};
    for (const LivePeer* p : room.PeersWhere([](const LivePeer&) { return true; })) {
      view.peers.push_back(ToView(*p));
    }
    return view;
  });
}

Result<std::vector<PeerView>> SessionHub::ListPeers(const RoomId& id, const PeerFilter& filter) {
  return WithLiveRoom<std::vector<PeerView>>(
      FindLive(id), [&](LiveRoom& room) -> Result<std::vector<PeerView>> {
        std::vector<PeerView> out;
        for (const LivePeer* p : room.PeersWhere([&](const LivePeer& p) {
               return (!filter.user_id || p.user_id == *filter.user_id) &&
                      (!filter.role || p.role == *filter.role);
             })) {
          out.push_back(ToView(*p));
        }
        return out;
      });
}

Result<PeerView> SessionHub::GetPeer(const RoomId& id, const PeerId& peer) {
  return WithLiveRoom<PeerView>(FindLive(id), [&](LiveRoom& room) -> Result<PeerView> {
    const LivePeer* p = room.Find(peer);
    if (p == nullptr) return NoPeer(peer);
    return ToView(*p);
  });
}

Result<PeerView> SessionHub::UpdatePeer(const RoomId& id, const PeerId& peer,
                                        const PeerUpdate& update) {
  return WithLiveRoom<PeerView>(FindLive(id), [&](LiveRoom& room) -> Result<PeerView> {
    LivePeer* p = room.Find(peer);
    if (p == nullptr) return NoPeer(peer);
    if (update.role) {
      if (auto bad = CheckRoleTarget(room, *p, *update.role)) return AsStatus(*bad);
    }
    std::vector<std::string> changed;
    if (update.name && *update.name != p->name) {
      p->name = *update.name;
      changed.push_back("name");
    }
    if (update.metadata && *update.metadata != p->metadata) {
      p->metadata = *update.metadata;
      changed.push_back("metadata");
    }
    // One peer-updated for the whole update, whatever it changed.
    ApplyRoleLocked(room, *p, update.role.value_or(p->role), std::move(changed));
    return ToView(*p);
  });
}

Status SessionHub::SendMessage(const RoomId& id, const Audience& to, const std::string& type,
                               const std::string& message) {
  PeerAudience audience{to.peer, {}};
  if (!to.peer && to.role) audience.roles.push_back(*to.role);
  auto sent = WithLiveRoom<bool>(FindLive(id), [&](LiveRoom& room) -> Result<bool> {
    if (!MessageLocked(room, audience, type, message, json())) return NoPeer(*to.peer);
    return true;
  });
  return sent.ok() ? Status::Ok() : sent.error();
}

Result<size_t> SessionHub::RemovePeers(const RoomId& id, const Audience& who,
                                       const std::string& reason) {
  if (!who.peer && !who.role) return Status::InvalidArgument("give a peer_id or a role");
  return WithLiveRoom<size_t>(FindLive(id), [&](LiveRoom& room) -> Result<size_t> {
    std::vector<PeerId> targets;
    for (const auto& [pid, p] : room.peers) {
      if (who.peer ? p.id == *who.peer : p.role == *who.role) targets.push_back(p.id);
    }
    if (targets.empty()) {
      return who.peer ? NoPeer(*who.peer)
                      : Status::NotFound("no peer with role '" + who.role->str() + "' in the room");
    }
    const json notice = {{"type", "removed"}, {"reason", reason}, {"by", nullptr}};
    for (const PeerId& t : targets) {
      RemoveLocked(room, t, LeaveReason::kRemoved, notice, kCloseRemoved);
    }
    return targets.size();
  });
}

Status SessionHub::EndRoom(const RoomId& id, const std::string& reason, bool lock) {
  return EndNow(id, reason, lock);
}

}  // namespace roomgate::sessions
