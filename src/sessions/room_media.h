// RoomMedia: one live session's media — its publications, the tracks in
// them, and the subscriptions that carry them to other peers — and the
// rules: a peer publishes only what its role's publishParams.allowed lists,
// and receives exactly the publications of the roles its
// subscribeParams.subscribeToRoles names. Peers never ask to subscribe; the
// server offers, and withdraws when roles change (Reconcile).
//
// The media itself is the SFU's (MediaBackend); the SFU room is opened at
// the first publish and torn down when the session closes.
//
// Thread-safety: none of its own. Every method runs on the room's media
// queue (MediaWorkers), one at a time, in the order the hub posted them
// while holding the room lock: so `members_` follows the room's membership
// exactly, and a request is always checked against the role the peer has
// at that point of the room's history. Messages go out through the room's
// Outbox (after the join reply, in order with the room's other events); the
// caller delivers it after each method.
#ifndef ROOMGATE_SESSIONS_ROOM_MEDIA_H_
#define ROOMGATE_SESSIONS_ROOM_MEDIA_H_

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "roomgate/secure_random.h"
#include "rooms/model.h"
#include "rooms/session_record.h"
#include "sessions/media_backend.h"
#include "sessions/media_stats.h"
#include "sessions/outbox.h"
#include "sessions/protocol.h"

namespace roomgate::sessions {

// What the media plane needs to know about a peer: its live role's media
// rules, and where to send.
struct MediaMember {
  PeerId peer;
  RoleName role;
  std::vector<std::string> allowed;    // publishParams.allowed
  std::vector<RoleName> subscribe_to;  // subscribeParams.subscribeToRoles
  std::shared_ptr<PeerLink> link;
};

// The publishParams.allowed entry a track of `kind` from `source` needs:
// "screen" for anything shared from a screen, else the kind itself.
inline std::string AllowanceFor(const std::string& source, const std::string& kind) {
  return source == "screen" ? "screen" : kind;
}

class RoomMedia {
 public:
  // Runs a step on this room's media queue (later, in order); how the SFU's
  // events re-enter the room.
  using Post = std::function<void(std::function<void(RoomMedia&)>)>;

  // `label` names the SFU room in its logs (the session id). References
  // must outlive this object.
  RoomMedia(MediaBackend& backend, Outbox& outbox, SecureRandom& random, MediaStats& stats,
            std::string label, int max_publishers, Post post);

  void OnJoined(MediaMember member);
  void OnLeft(const PeerId& peer);
  void OnRoleChanged(MediaMember member);
  // The session is over: the SFU room and everything in it go away.
  void OnClosed();
  // A media request (`publish`, `unpublish`, `subscribe-answer`,
  // `mute-track`); answers it under `reply_id`.
  void Request(const PeerId& peer, const std::string& type, const nlohmann::json& msg,
               const nlohmann::json& reply_id);
  // The SFU's news about a publisher (FeedListener): offers go out once its
  // media flows; a feed that died is withdrawn.
  void OnFeed(FeedId feed, bool up);
  // A `request-mute` with mute: true from a peer holding the `mute` power
  // (checked by the hub): the targets' `track` ("audio", "video", "screen")
  // stops being forwarded by the SFU until its owner unmutes it.
  void ForceMute(const std::vector<PeerId>& targets, const std::string& track);

  size_t publication_count() const { return publications_.size(); }
  size_t subscription_count() const { return subscriptions_.size(); }

 private:
  struct Track {
    std::string id;
    std::string kind;  // "audio" | "video"
    std::string mid;   // in the publisher's offer
    bool muted = false;
    bool moderated = false;  // muted at the SFU by someone's `mute` power
  };
  struct Publication {
    std::string id;
    PeerId peer;
    std::string source;  // "regular" | "screen"
    FeedId feed{};
    std::vector<Track> tracks;
    // The publisher's media reaches the SFU: only then can it be subscribed
    // to (Janus refuses subscribers to a feed that has not started).
    bool live = false;
  };
  struct Subscription {
    std::string id;
    PeerId subscriber;
    std::string publication;
    SubscriberId sfu_id{};
  };
  using Answer = Result<nlohmann::json, Error>;

  Answer Publish(const MediaMember& self, const nlohmann::json& msg);
  Answer Unpublish(const MediaMember& self, const nlohmann::json& msg);
  Answer SubscribeAnswer(const MediaMember& self, const nlohmann::json& msg);
  Answer MuteTrack(const MediaMember& self, const nlohmann::json& msg);

  // The SFU room, opened on first use.
  Result<MediaRoom*, Error> Sfu();
  // Maps a backend failure to the client's error; on kUnavailable the SFU
  // room is presumed lost and everything in it is withdrawn.
  Error Failed(const Status& status);
  void ResetSfu();

  // Both take the id by value: callers often pass the key of the entry
  // they erase.
  void RemovePublication(std::string id, const char* owner_reason);
  void CloseSubscription(std::string id, const char* reason, bool tell);
  // Opens the subscriptions the roles call for and closes the ones they no
  // longer allow.
  void Reconcile();
  void OpenSubscription(const MediaMember& to, const Publication& pub);
  bool MayReceive(const MediaMember& to, const Publication& pub) const;

  nlohmann::json TrackJson(const Publication& pub, const Track& track) const;
  void SendTo(const PeerId& peer, const nlohmann::json& message);
  void SendToAllBut(const PeerId& except, const nlohmann::json& message);
  std::string NewId();

  MediaBackend& backend_;
  Outbox& outbox_;
  SecureRandom& random_;
  MediaStats& stats_;
  const std::string label_;
  const int max_publishers_;
  const Post post_;

  std::unique_ptr<MediaRoom> sfu_;
  bool closed_ = false;
  std::map<std::string, MediaMember> members_;         // by peer id
  std::map<std::string, Publication> publications_;    // by id
  std::map<std::string, Subscription> subscriptions_;  // by id
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_ROOM_MEDIA_H_
