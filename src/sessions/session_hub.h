// SessionHub: every live session of this roomgate process. It admits peers
// (token → room → role → caps), keeps each room's state, carries out the
// in-room powers after checking the acting role's permission, serves the
// REST API's view (LiveRooms), and runs the clock-driven parts: expiry
// warnings and removal at `exp`, the empty-room grace, stale role requests.
//
// Join = authenticate → resolve room and role → admit (under the room lock:
// duplicate user, role cap, room size) → announce. The caps are checked and
// the peer inserted under one lock, so concurrent joins cannot overshoot.
//
// Why the server checks every permission: a client's UI hiding a button is
// a convenience, not a control; a hand-written client must get exactly
// what its role allows.
//
// Thread-safety: every method may be called from any thread concurrently.
// Lock order: mu_ (the room map) before a LiveRoom's mu; messages go out
// through the room's Outbox after its lock is released.
#ifndef ROOMGATE_SESSIONS_SESSION_HUB_H_
#define ROOMGATE_SESSIONS_SESSION_HUB_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "roomgate/clock.h"
#include "roomgate/secure_random.h"
#include "roomgate/token.h"
#include "rooms/room_service.h"
#include "sessions/live_room.h"
#include "sessions/live_rooms.h"
#include "sessions/media_backend.h"
#include "sessions/media_stats.h"
#include "sessions/media_workers.h"
#include "sessions/protocol.h"
#include "sessions/session_recorder.h"

namespace roomgate::sessions {

struct HubOptions {
  bool refuse_duplicate_user = false;  // else replace the old connection
  std::chrono::seconds expiry_warning{60};
  bool remove_on_expiry = true;
  std::chrono::seconds empty_grace{10};
  std::chrono::seconds role_request_timeout{60};
};

// The media plane, when the server has one (config media.backend): the SFU
// and the threads that drive it. Both must outlive the hub.
struct MediaPlane {
  MediaBackend* backend = nullptr;
  MediaWorkers* workers = nullptr;
};

// A connection's place in a room after a successful join.
struct Membership {
  std::shared_ptr<LiveRoom> room;
  PeerId peer;
};

struct JoinRequest {
  std::string token;
  std::string name;
  std::string metadata;
  nlohmann::json reply_id;  // the join request's id, echoed in the reply
  std::shared_ptr<PeerLink> link;
};

// Who a peer's message or mute request is for: one peer, the peers of some
// roles, or (neither) everyone.
struct PeerAudience {
  std::optional<PeerId> peer;
  std::vector<RoleName> roles;
};

using Reply = Result<nlohmann::json, Error>;

class SessionHub final : public LiveRooms {
 public:
  // Every reference must outlive the hub.
  SessionHub(const TokenVerifier& verifier, rooms::RoomService& rooms, SessionRecorder& recorder,
             const Clock& clock, SecureRandom& random, HubOptions options, MediaPlane media = {});

  // Admits the peer; its join reply is queued before any later room event.
  // On refusal nothing is queued: the caller answers and closes.
  Result<Membership, Error> Join(const JoinRequest& request);
  // The peer leaves (request or disconnect); a no-op if it is already gone.
  void Leave(const Membership& member, LeaveReason reason);

  // A joined peer's requests (docs/signalling.md). Each first checks that
  // the peer is still in the room (kNotJoined otherwise).
  Reply UpdateSelf(const Membership& member, const std::optional<std::string>& name,
                   const std::optional<std::string>& metadata);
  Reply SendPeerMessage(const Membership& member, const PeerAudience& to, const std::string& type,
                        const std::string& message);
  Reply RemovePeer(const Membership& member, const PeerId& target, const std::string& reason);
  // Answers the request itself when it succeeds (the reply must reach the
  // peer before room-ended and the close) and then returns null.
  Reply EndRoomByPeer(const Membership& member, const std::string& reason, bool lock,
                      const nlohmann::json& reply_id);
  Reply RequestMute(const Membership& member, const PeerAudience& to, const std::string& track,
                    bool mute);
  Reply ChangeRole(const Membership& member, const PeerId& target, const RoleName& role,
                   bool force);
  Reply AcceptRoleChange(const Membership& member, const std::string& request_id);
  Reply RefreshToken(const Membership& member, const std::string& token);
  // publish, unpublish, subscribe-answer, mute-track: handed to the room's
  // media queue, which answers under `reply_id` (the result is then null);
  // 4501 at once when the server has no media backend.
  Reply MediaRequest(const Membership& member, const std::string& type, const nlohmann::json& msg,
                     const nlohmann::json& reply_id);
  bool media_available() const { return media_.backend != nullptr; }
  const MediaStats& media_stats() const { return media_stats_; }

  // LiveRooms: the REST API's actions, taken by the server itself.
  Result<ActiveRoomView> GetActiveRoom(const RoomId& room) override;
  Result<std::vector<PeerView>> ListPeers(const RoomId& room, const PeerFilter& filter) override;
  Result<PeerView> GetPeer(const RoomId& room, const PeerId& peer) override;
  Result<PeerView> UpdatePeer(const RoomId& room, const PeerId& peer,
                              const PeerUpdate& update) override;
  Status SendMessage(const RoomId& room, const Audience& to, const std::string& type,
                     const std::string& message) override;
  Result<size_t> RemovePeers(const RoomId& room, const Audience& who,
                             const std::string& reason) override;
  Status EndRoom(const RoomId& room, const std::string& reason, bool lock) override;

  // Expiry warnings, removal at exp, stale role requests, sessions of rooms
  // empty past the grace. Called about every 200 ms by the server's ticker.
  void Tick();
  // Tells every peer the server is stopping and closes it with 1001.
  void Shutdown();

  size_t room_count() const;
  const Clock& clock() const { return clock_; }
  size_t peer_count() const { return peers_.load(); }
  uint64_t joins() const { return joins_.load(); }
  uint64_t refusals() const { return refusals_.load(); }

 private:
  // What authentication and resolution found for a token.
  struct Admission {
    TokenClaims claims;
    Room room;
    std::shared_ptr<const Template> tmpl;
    Role role;
  };
  Result<Admission, Error> Authenticate(const std::string& token) const;
  Result<std::shared_ptr<LiveRoom>, Error> RoomFor(const RoomId& id);
  std::optional<Error> Admit(LiveRoom& room, const Admission& a, const JoinRequest& request,
                             PeerId& peer_id);
  std::shared_ptr<LiveRoom> FindLive(const RoomId& id) const;
  // Runs `fn(room, peer)` under the room lock if the peer is still there,
  // then delivers the room's outbox.
  template <class Fn>
  Reply WithMember(const Membership& member, Fn fn);

  // State changes, called with the room lock held. `by` is the actor: a
  // Peer object, or null for the server.
  void RemoveLocked(LiveRoom& room, PeerId peer, LeaveReason reason, const nlohmann::json& notice,
                    uint16_t close_code);
  void EndLocked(LiveRoom& room, const std::string& reason, bool lock, const nlohmann::json& by);
  std::optional<Error> CheckRoleTarget(const LiveRoom& room, const LivePeer& target,
                                       const RoleName& role) const;
  // Moves `target` to `role` (policy to the target first), then announces
  // that and `also_changed` (fields the caller changed) in one peer-updated.
  void ApplyRoleLocked(LiveRoom& room, LivePeer& target, const RoleName& role,
                       std::vector<std::string> also_changed = {});
  // Refreshes the peer's cached text and tells everyone.
  void AnnounceUpdateLocked(LiveRoom& room, LivePeer& peer,
                            const std::vector<std::string>& changed);
  // Sends a `message` event to `to`; its id, or nullopt when `to.peer` is
  // not in the room.
  std::optional<std::string> MessageLocked(LiveRoom& room, const PeerAudience& to,
                                           const std::string& type, const std::string& message,
                                           const nlohmann::json& from);
  void RecordPeer(const LiveRoom& room, const LivePeer& peer, SessionEvent::Kind kind);
  void TickRoom(LiveRoom& room, UnixSeconds now, bool& retire);
  void Retire(const RoomId& id, const std::shared_ptr<LiveRoom>& room, UnixSeconds now);
  // Closes the session (under the room lock) and forgets the room.
  // The REST end: with lock, the room is disabled first, then whatever
  // session is live after that write is ended.
  Status EndNow(const RoomId& id, const std::string& reason, bool lock);
  // Forgets `room` in the map if it is still the room's entry.
  void Forget(const std::shared_ptr<LiveRoom>& room);
  std::string NewId();
  // A new session's media object and queue (none without a media backend).
  // Steps reach it through PostMediaStep (live_room.h), posted with the room
  // lock held so they keep the room's order.
  void AttachMedia(LiveRoom& room, int room_size);
  // The session is over (ended, retired or shut down), under the room lock:
  // joins need a new room, its media is torn down, history gets kEnded.
  void CloseSessionLocked(LiveRoom& room, UnixSeconds now);
  static MediaMember MemberOf(const LiveRoom& room, const LivePeer& peer);

  const TokenVerifier& verifier_;
  rooms::RoomService& rooms_;
  SessionRecorder& recorder_;
  const Clock& clock_;
  SecureRandom& random_;
  const HubOptions options_;
  const MediaPlane media_;
  MediaStats media_stats_;

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<LiveRoom>> rooms_by_id_;
  bool stopping_ = false;  // set by Shutdown: no new sessions
  std::atomic<size_t> peers_{0};
  std::atomic<uint64_t> joins_{0};
  std::atomic<uint64_t> refusals_{0};
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_SESSION_HUB_H_
