// LiveRooms: what the server-side REST API (reference §10, "active rooms")
// may see and do in live sessions. A narrow view of the SessionHub so the
// API layer depends on this seam only, and its tests can use a fake.
//
// Every action here is taken by the holder of a management token ("api" as
// the actor): no role permission applies, and peers are told the action
// came from the server.
//
// Errors: kNotFound when the room has no live session or the peer is not in
// it; kInvalidArgument for a role the room's template does not have (or
// that may not join, maxPeerCount -1); kFailedPrecondition when a role
// change would exceed the target role's maxPeerCount.
//
// Thread-safety: every method may be called from any thread concurrently.
#ifndef ROOMGATE_SESSIONS_LIVE_ROOMS_H_
#define ROOMGATE_SESSIONS_LIVE_ROOMS_H_

#include <optional>
#include <string>
#include <vector>

#include "roomgate/status.h"
#include "rooms/session_record.h"

namespace roomgate::sessions {

// A peer as the REST API shows it.
struct PeerView {
  PeerId id;
  std::string name;
  UserId user_id;
  RoleName role;
  std::string metadata;  // opaque text (often JSON) chosen by the peer or the API
  UnixSeconds joined_at = 0;
};

struct ActiveRoomView {
  RoomId room_id;
  SessionId session_id;
  UnixSeconds session_started_at = 0;
  std::vector<PeerView> peers;  // in join order
};

struct PeerFilter {
  std::optional<UserId> user_id;
  std::optional<RoleName> role;
};

// Unset fields are left as they are.
struct PeerUpdate {
  std::optional<std::string> name;
  std::optional<RoleName> role;
  std::optional<std::string> metadata;
};

// Who a message or a removal is for: one peer, every peer of one role, or
// (neither set) everyone. `peer` wins when both are set, as in 100ms.
struct Audience {
  std::optional<PeerId> peer;
  std::optional<RoleName> role;
};

class LiveRooms {
 public:
  virtual ~LiveRooms() = default;

  virtual Result<ActiveRoomView> GetActiveRoom(const RoomId& room) = 0;
  // The peers matching `filter` (empty when none match), in join order.
  virtual Result<std::vector<PeerView>> ListPeers(const RoomId& room, const PeerFilter& filter) = 0;
  virtual Result<PeerView> GetPeer(const RoomId& room, const PeerId& peer) = 0;
  // Applies the update and pushes it live (peer-updated to everyone; a role
  // change also sends the target its new policy). Returns the updated peer.
  virtual Result<PeerView> UpdatePeer(const RoomId& room, const PeerId& peer,
                                      const PeerUpdate& update) = 0;
  // Delivers a `message` event from the server; kNotFound if `to` names a
  // peer that is not in the room. `type` defaults to "chat" when empty.
  virtual Status SendMessage(const RoomId& room, const Audience& to, const std::string& type,
                             const std::string& message) = 0;
  // Removes the peer, or every peer of the role (a removal of the whole room
  // is end-room, so one of the two must be set: kInvalidArgument otherwise).
  // Returns how many were removed; kNotFound when that is none.
  virtual Result<size_t> RemovePeers(const RoomId& room, const Audience& who,
                                     const std::string& reason) = 0;
  // Ends the live session: every peer gets room-ended and is disconnected.
  // With `lock`, the room is disabled first, so nobody can rejoin until it
  // is enabled again (POST /v2/rooms/<id> {"enabled": true}).
  virtual Status EndRoom(const RoomId& room, const std::string& reason, bool lock) = 0;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_LIVE_ROOMS_H_
