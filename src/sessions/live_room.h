// LiveRoom: one room's live session — its peers, their counts per role,
// pending role-change requests, and the outbox its events go through.
//
// A LiveRoom is created by the SessionHub for the first join and retired
// (`closed`) when the session ends; a join that finds a closed room asks the
// hub for a new one, so a session's peers never leak into the next.
//
// Thread-safety: every field is guarded by `mu` (the outbox has its own
// lock). Lock order: the hub's lock before `mu`, never the reverse.
#ifndef ROOMGATE_SESSIONS_LIVE_ROOM_H_
#define ROOMGATE_SESSIONS_LIVE_ROOM_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "rooms/model.h"
#include "rooms/session_record.h"
#include "sessions/live_rooms.h"
#include "sessions/media_workers.h"
#include "sessions/outbox.h"
#include "sessions/peer_link.h"
#include "sessions/room_media.h"

namespace roomgate::sessions {

struct LivePeer {
  PeerId id;
  std::string name;
  UserId user_id;        // the token's, or the peer id when the token has none
  UserId token_user_id;  // the token's user_id claim ("" when absent)
  RoleName role;         // live role; changeRole moves it
  RoleName token_role;   // the role the peer joined with
  std::string metadata;
  UnixSeconds joined_at = 0;
  uint64_t seq = 0;       // join order within the room
  int64_t token_exp = 0;  // exp of the latest accepted token
  bool expiry_warned = false;
  std::shared_ptr<PeerLink> link;
  std::string text;  // PeerJson as text; RefreshText after every change
};

struct RoleRequest {
  PeerId requester;  // must still be present, with changeRole, at the accept
  PeerId target;
  RoleName role;
  nlohmann::json from;  // the requester, as an Actor
  UnixSeconds deadline = 0;
};

// The JSON Peer object of docs/signalling.md.
nlohmann::json PeerJson(const LivePeer& peer);
PeerView ToView(const LivePeer& peer);
void RefreshText(LivePeer& peer);

struct LiveRoom : std::enable_shared_from_this<LiveRoom> {
  LiveRoom(RoomId room, SessionId session, UnixSeconds started);

  // Peers in join order (by seq) matching `keep`.
  template <class Pred>
  std::vector<const LivePeer*> PeersWhere(Pred keep) const {
    std::vector<const LivePeer*> out;
    for (const auto& [id, p] : peers) {
      if (keep(p)) out.push_back(&p);
    }
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
    return out;
  }
  LivePeer* Find(const PeerId& id);
  const Role* FindRole(const RoleName& name) const;
  // Links of every peer but `except` (which may be empty).
  Outbox::Links LinksExcept(const PeerId& except) const;

  const RoomId room_id;
  const SessionId session_id;
  const UnixSeconds started_at;

  std::mutex mu;
  std::shared_ptr<const Template> tmpl;             // latest seen at a join
  std::unordered_map<std::string, LivePeer> peers;  // by peer id
  std::unordered_map<std::string, int> role_counts;
  std::map<std::string, RoleRequest> role_requests;  // by request id
  uint64_t next_seq = 1;
  bool started_recorded = false;  // kStarted goes out with the first peer
  // The session is over; joins need a new room. Written under `mu`, also
  // read without it by the hub's map (which replaces a closed room).
  std::atomic<bool> closed{false};
  UnixSeconds empty_since = 0;  // when the last peer left (0: not empty)
  Outbox outbox;
  // The session's media, when the server has a media backend: state only
  // the room's media queue touches (room_media.h), fed by the hub in the
  // room's order.
  std::unique_ptr<RoomMedia> media;
  std::shared_ptr<MediaWorkers::Queue> media_queue;
};

// Runs `step` on the room's media queue, then delivers the room's outbox;
// a no-op for a room without media. Safe under the room lock.
void PostMediaStep(LiveRoom& room, std::function<void(RoomMedia&)> step);

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_LIVE_ROOM_H_
