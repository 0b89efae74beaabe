// MediaBackend: the one seam between live sessions and the SFU that carries
// their media (Janus's VideoRoom today: src/media/janus_backend.h).
//
// The session layer decides everything a client could abuse — who may
// publish what, who receives whom — and only then asks the backend to do
// the media work: an SFU room per live session, a publisher per
// publication (SDP offer in, answer out), a subscriber per (receiving peer,
// publication) pair (offer out, answer in). The backend knows nothing about
// roles or peers.
//
// Thread-safety: every method may block on the SFU (bounded by the backend's
// own timeouts) and is called only from media worker threads, never from a
// network thread or with a room lock held. Implementations must accept calls
// from several threads at once (for different rooms).
#ifndef ROOMGATE_SESSIONS_MEDIA_BACKEND_H_
#define ROOMGATE_SESSIONS_MEDIA_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "roomgate/status.h"

namespace roomgate::sessions {

// The backend's ids for a publisher and a subscriber within one media room.
enum class FeedId : uint64_t {};
enum class SubscriberId : uint64_t {};

struct PublishAnswer {
  FeedId feed{};
  std::string sdp;  // the SFU's answer
};

struct SubscribeOffer {
  SubscriberId subscriber{};
  std::string sdp;  // the SFU's offer to the receiving browser
  // For each media section of `sdp`: its mid, and the publisher's mid it
  // carries (how the receiver maps what arrives to a track).
  struct Stream {
    std::string mid;
    std::string feed_mid;
  };
  std::vector<Stream> streams;
};

// One live session's room in the SFU. Destroying it tears down every
// publisher and subscriber in it.
class MediaRoom {
 public:
  virtual ~MediaRoom() = default;
  // `label` names the publisher in the SFU's logs (a peer id, never a name).
  virtual Result<PublishAnswer> Publish(const std::string& label, const std::string& offer_sdp) = 0;
  virtual Status Unpublish(FeedId feed) = 0;
  virtual Result<SubscribeOffer> Subscribe(FeedId feed) = 0;
  virtual Status StartSubscriber(SubscriberId subscriber, const std::string& answer_sdp) = 0;
  virtual Status Unsubscribe(SubscriberId subscriber) = 0;
  // Stops (or resumes) forwarding one of a publisher's streams, whatever
  // its client does: how a `mute` power is enforced on the server.
  virtual Status Moderate(FeedId feed, const std::string& mid, bool mute) = 0;
};

// Tells the session layer that a publisher's media is flowing (`up`: its
// WebRTC connection to the SFU is established, so it can be subscribed to)
// or has stopped (its connection failed or closed without an Unpublish).
// Called on the backend's own thread; must not block.
using FeedListener = std::function<void(FeedId feed, bool up)>;

class MediaBackend {
 public:
  virtual ~MediaBackend() = default;
  // A new SFU room for a live session; `max_publishers` bounds its feeds.
  // kUnavailable, with a message naming the SFU, when it cannot be reached.
  // `feeds` hears about the room's publishers until the room is destroyed.
  virtual Result<std::unique_ptr<MediaRoom>> OpenRoom(const std::string& label, int max_publishers,
                                                      FeedListener feeds) = 0;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_MEDIA_BACKEND_H_
