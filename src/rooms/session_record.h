// Recorded sessions: the history of who was in a room and when, kept in the
// store and served by GET /v2/sessions (reference §10). A session is one
// continuous live period of a room: it starts with the first peer and ends
// when the last one has left (after a grace period) or the room is ended.
//
// The live state itself (connections, pending requests) is in src/sessions/;
// these are the plain values written through store::SessionStore.
//
// Thread-safety: values.
#ifndef ROOMGATE_ROOMS_SESSION_RECORD_H_
#define ROOMGATE_ROOMS_SESSION_RECORD_H_

#include <map>
#include <optional>
#include <string>

#include "rooms/model.h"

namespace roomgate {

using SessionId = Id<struct SessionIdTag>;
using PeerId = Id<struct PeerIdTag>;

struct SessionPeerRecord {
  PeerId id;  // server-assigned UUID
  SessionId session_id;
  std::string name;
  RoleName role;  // the latest role (changeRole updates it)
  UserId user_id;
  UnixSeconds joined_at = 0;
  std::optional<UnixSeconds> left_at;  // unset while the peer is in the room
};

struct SessionRecord {
  SessionId id;  // server-assigned UUID
  RoomId room_id;
  bool active = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;                      // last event recorded for this session
  std::map<std::string, SessionPeerRecord> peers;  // by peer id
};

// One change to the history. The live session emits them in order; the store
// applies a batch of them in one transaction.
struct SessionEvent {
  enum class Kind {
    kStarted,      // session_id, room_id, at: a new active session
    kPeerJoined,   // session_id, peer (id, name, role, user_id), at = joined_at
    kPeerUpdated,  // session_id, peer (id, name, role): a rename or role change
    kPeerLeft,     // session_id, peer.id, at = left_at
    kEnded,        // session_id, at: inactive; peers still present get left_at = at
  };
  Kind kind = Kind::kStarted;
  SessionId session_id;
  RoomId room_id;          // kStarted only
  SessionPeerRecord peer;  // peer events only
  UnixSeconds at = 0;
};

}  // namespace roomgate

#endif  // ROOMGATE_ROOMS_SESSION_RECORD_H_
