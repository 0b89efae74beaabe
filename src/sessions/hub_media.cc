// SessionHub: the hand-off to each room's media (room_media.h). The hub
// keeps no media state; it only feeds the room's media queue, under the
// room lock, so the media sees joins, leaves, role changes and requests in
// exactly the room's order.
#include <algorithm>

#include "sessions/session_hub.h"

namespace roomgate::sessions {

namespace {

// Janus's VideoRoom counts a peer's camera and its screen share as two
// publishers; an unsized room gets a generous bound.
constexpr int kUnsizedPublishers = 200;
constexpr int kMaxPublishers = 2000;

}  // namespace

void SessionHub::AttachMedia(LiveRoom& room, int room_size) {
  if (media_.backend == nullptr) return;
  const int publishers =
      room_size > 0 ? std::min(2 * room_size, kMaxPublishers) : kUnsizedPublishers;
  room.media_queue = media_.workers->NewQueue();
  auto post = [weak = room.weak_from_this()](std::function<void(RoomMedia&)> step) {
    if (auto live = weak.lock()) PostMediaStep(*live, std::move(step));
  };
  room.media = std::make_unique<RoomMedia>(*media_.backend, room.outbox, random_, media_stats_,
                                           room.session_id.str(), publishers, std::move(post));
}

void PostMediaStep(LiveRoom& room, std::function<void(RoomMedia&)> step) {
  if (!room.media) return;
  // The task keeps the room (and so its media and outbox) alive.
  room.media_queue->Post([keep = room.shared_from_this(), step = std::move(step)] {
    step(*keep->media);
    keep->outbox.Deliver();
  });
}

void SessionHub::CloseSessionLocked(LiveRoom& room, UnixSeconds now) {
  room.closed = true;
  PostMediaStep(room, [](RoomMedia& media) { media.OnClosed(); });
  if (room.started_recorded) {
    recorder_.Record({SessionEvent::Kind::kEnded, room.session_id, room.room_id, {}, now});
  }
}

MediaMember SessionHub::MemberOf(const LiveRoom& room, const LivePeer& peer) {
  MediaMember m{peer.id, peer.role, {}, {}, peer.link};
  if (const Role* role = room.FindRole(peer.role)) {
    m.allowed = role->publish_allowed;
    m.subscribe_to = role->subscribe_to_roles;
  }
  return m;
}

}  // namespace roomgate::sessions
