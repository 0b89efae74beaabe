// RoomMedia: membership, the SFU room's lifetime, and subscriptions.
// (The media requests are in room_media_requests.cc.)
#include "sessions/room_media.h"

#include <algorithm>

#include "common/uuid.h"

namespace roomgate::sessions {

using nlohmann::json;

RoomMedia::RoomMedia(MediaBackend& backend, Outbox& outbox, SecureRandom& random, MediaStats& stats,
                     std::string label, int max_publishers, Post post)
    : backend_(backend),
      outbox_(outbox),
      random_(random),
      stats_(stats),
      label_(std::move(label)),
      max_publishers_(max_publishers),
      post_(std::move(post)) {}

void RoomMedia::OnJoined(MediaMember member) {
  if (closed_) return;
  const std::string id = member.peer.str();
  members_[id] = std::move(member);
  // The newcomer learns what is already published (after its join reply:
  // both go through the room's outbox, and the join reply went first).
  for (const auto& [pub_id, pub] : publications_) {
    for (const Track& t : pub.tracks) {
      SendTo(PeerId(id), json{{"type", "track-added"}, {"track", TrackJson(pub, t)}});
    }
  }
  Reconcile();
}

void RoomMedia::OnLeft(const PeerId& peer) {
  if (closed_) return;
  std::vector<std::string> gone;
  for (const auto& [id, pub] : publications_) {
    if (pub.peer == peer) gone.push_back(id);
  }
  for (const auto& id : gone) RemovePublication(id, nullptr);
  gone.clear();
  for (const auto& [id, sub] : subscriptions_) {
    if (sub.subscriber == peer) gone.push_back(id);
  }
  for (const auto& id : gone) CloseSubscription(id, nullptr, /*tell=*/false);
  members_.erase(peer.str());
}

void RoomMedia::OnRoleChanged(MediaMember member) {
  if (closed_) return;
  auto it = members_.find(member.peer.str());
  if (it == members_.end()) return;
  it->second = std::move(member);
  const MediaMember& self = it->second;
  // Publications the new role may not keep are withdrawn.
  std::vector<std::string> withdrawn;
  for (const auto& [id, pub] : publications_) {
    if (pub.peer != self.peer) continue;
    for (const Track& t : pub.tracks) {
      const std::string need = AllowanceFor(pub.source, t.kind);
      if (std::find(self.allowed.begin(), self.allowed.end(), need) == self.allowed.end()) {
        withdrawn.push_back(id);
        break;
      }
    }
  }
  for (const auto& id : withdrawn) RemovePublication(id, "role_changed");
  Reconcile();
}

void RoomMedia::OnClosed() {
  closed_ = true;
  // Peers are being disconnected by the hub; the SFU room's destruction
  // tears down every publisher and subscriber in it at once.
  stats_.subscriptions -= static_cast<int64_t>(subscriptions_.size());
  stats_.publications -= static_cast<int64_t>(publications_.size());
  subscriptions_.clear();
  publications_.clear();
  members_.clear();
  sfu_.reset();
}

void RoomMedia::OnFeed(FeedId feed, bool up) {
  if (closed_) return;
  auto it = std::find_if(publications_.begin(), publications_.end(),
                         [&](const auto& p) { return p.second.feed == feed; });
  if (it == publications_.end()) return;  // already unpublished
  if (!up) return RemovePublication(it->first, "media_error");
  if (it->second.live) return;
  it->second.live = true;
  Reconcile();
}

void RoomMedia::ForceMute(const std::vector<PeerId>& targets, const std::string& track) {
  if (closed_ || !sfu_) return;
  for (auto& [id, pub] : publications_) {
    if (std::find(targets.begin(), targets.end(), pub.peer) == targets.end()) continue;
    const bool screen = pub.source == "screen";
    for (Track& t : pub.tracks) {
      const bool match = track == "screen" ? screen : !screen && t.kind == track;
      if (!match || t.moderated) continue;
      if (!sfu_->Moderate(pub.feed, t.mid, true).ok()) continue;  // the request still went out
      t.moderated = true;
      t.muted = true;
      // Everyone, the owner included: its client did not choose this.
      SendToAllBut(PeerId(), json{{"type", "track-updated"}, {"track", TrackJson(pub, t)}});
    }
  }
}

Result<MediaRoom*, Error> RoomMedia::Sfu() {
  if (sfu_) return sfu_.get();
  // The SFU calls back on its own thread: its news joins this room's queue.
  // `post_` holds the room only weakly, so a late event for a closed
  // session is dropped.
  auto room = backend_.OpenRoom(label_, max_publishers_, [post = post_](FeedId feed, bool up) {
    post([feed, up](RoomMedia& media) { media.OnFeed(feed, up); });
  });
  if (!room.ok()) return Failed(room.error());
  sfu_ = std::move(*room);
  return sfu_.get();
}

Error RoomMedia::Failed(const Status& status) {
  ++stats_.sfu_failures;
  if (status.code() == Status::Code::kUnavailable) {
    ResetSfu();
    return {ErrorCode::kMediaUnavailable, "media server unavailable: " + status.message()};
  }
  if (status.code() == Status::Code::kInvalidArgument) {
    return {ErrorCode::kBadSdp,
            "the media server refused the session description: " + status.message()};
  }
  return {ErrorCode::kInternal, "the media server failed: " + status.message()};
}

// The SFU room is gone (the SFU restarted or is unreachable): every
// publication and subscription in it is dead, so the clients are told and
// the next publish opens a fresh room.
void RoomMedia::ResetSfu() {
  std::vector<std::string> ids;
  for (const auto& [id, sub] : subscriptions_) ids.push_back(id);
  for (const auto& id : ids) CloseSubscription(id, "media_error", /*tell=*/true);
  ids.clear();
  for (const auto& [id, pub] : publications_) ids.push_back(id);
  for (const auto& id : ids) RemovePublication(id, "media_error");
  sfu_.reset();
}

void RoomMedia::RemovePublication(std::string id, const char* owner_reason) {
  auto it = publications_.find(id);
  if (it == publications_.end()) return;
  const Publication pub = std::move(it->second);
  publications_.erase(it);
  --stats_.publications;
  std::vector<std::string> subs;
  for (const auto& [sub_id, sub] : subscriptions_) {
    if (sub.publication == id) subs.push_back(sub_id);
  }
  for (const auto& sub_id : subs) CloseSubscription(sub_id, "unpublished", /*tell=*/true);
  // Best effort: a failing SFU has dropped the feed anyway.
  if (sfu_) (void)sfu_->Unpublish(pub.feed);
  for (const Track& t : pub.tracks) {
    SendToAllBut(pub.peer, json{{"type", "track-removed"}, {"track", TrackJson(pub, t)}});
  }
  if (owner_reason != nullptr) {
    SendTo(pub.peer,
           json{{"type", "publication-closed"}, {"publication_id", id}, {"reason", owner_reason}});
  }
}

void RoomMedia::CloseSubscription(std::string id, const char* reason, bool tell) {
  auto it = subscriptions_.find(id);
  if (it == subscriptions_.end()) return;
  const Subscription sub = std::move(it->second);
  subscriptions_.erase(it);
  --stats_.subscriptions;
  if (sfu_) (void)sfu_->Unsubscribe(sub.sfu_id);
  if (tell) {
    SendTo(sub.subscriber,
           json{{"type", "subscription-closed"}, {"subscription_id", id}, {"reason", reason}});
  }
}

bool RoomMedia::MayReceive(const MediaMember& to, const Publication& pub) const {
  if (to.peer == pub.peer || !pub.live) return false;
  auto owner = members_.find(pub.peer.str());
  if (owner == members_.end()) return false;
  const auto& roles = to.subscribe_to;
  return std::find(roles.begin(), roles.end(), owner->second.role) != roles.end();
}

void RoomMedia::Reconcile() {
  std::vector<std::string> stale;
  for (const auto& [id, sub] : subscriptions_) {
    auto to = members_.find(sub.subscriber.str());
    auto pub = publications_.find(sub.publication);
    if (to == members_.end() || pub == publications_.end() ||
        !MayReceive(to->second, pub->second)) {
      stale.push_back(id);
    }
  }
  for (const auto& id : stale) CloseSubscription(id, "role_changed", /*tell=*/true);
  for (const auto& [peer_id, member] : members_) {
    for (const auto& [pub_id, pub] : publications_) {
      if (!MayReceive(member, pub)) continue;
      const bool open = std::any_of(subscriptions_.begin(), subscriptions_.end(), [&](auto& s) {
        return s.second.subscriber == member.peer && s.second.publication == pub_id;
      });
      if (!open) OpenSubscription(member, pub);
      if (!sfu_) return;  // the SFU failed: everything was withdrawn
    }
  }
}

void RoomMedia::OpenSubscription(const MediaMember& to, const Publication& pub) {
  // Copies: a failing SFU withdraws every publication, `pub` included.
  const std::string pub_id = pub.id;
  const PeerId receiver = to.peer;
  auto tell = [&](const Error& e) {
    SendTo(receiver, json{{"type", "media-error"},
                          {"code", static_cast<int>(e.code)},
                          {"error", ErrorName(e.code)},
                          {"message", e.message},
                          {"publication_id", pub_id}});
  };
  auto sfu = Sfu();
  if (!sfu.ok()) return tell(sfu.error());
  auto offer = (*sfu)->Subscribe(pub.feed);
  if (!offer.ok()) return tell(Failed(offer.error()));
  json tracks = json::array();
  for (const auto& stream : offer->streams) {
    for (const Track& t : pub.tracks) {
      if (t.mid == stream.feed_mid) tracks.push_back({{"track_id", t.id}, {"mid", stream.mid}});
    }
  }
  Subscription sub{NewId(), receiver, pub_id, offer->subscriber};
  SendTo(receiver, json{{"type", "subscribe-offer"},
                        {"subscription_id", sub.id},
                        {"peer_id", pub.peer.str()},
                        {"publication_id", pub_id},
                        {"tracks", std::move(tracks)},
                        {"sdp", offer->sdp}});
  subscriptions_.emplace(sub.id, std::move(sub));
  ++stats_.subscriptions;
}

json RoomMedia::TrackJson(const Publication& pub, const Track& track) const {
  return {{"track_id", track.id}, {"peer_id", pub.peer.str()}, {"publication_id", pub.id},
          {"source", pub.source}, {"kind", track.kind},        {"muted", track.muted}};
}

void RoomMedia::SendTo(const PeerId& peer, const json& message) {
  auto it = members_.find(peer.str());
  if (it == members_.end()) return;
  outbox_.Send(it->second.link, message.dump(-1, ' ', false, kReplaceInvalid));
}

void RoomMedia::SendToAllBut(const PeerId& except, const json& message) {
  Outbox::Links links;
  for (const auto& [id, m] : members_) {
    if (m.peer != except) links.push_back(m.link);
  }
  if (!links.empty()) outbox_.Send(std::move(links), message.dump(-1, ' ', false, kReplaceInvalid));
}

std::string RoomMedia::NewId() { return NewUuidV4(random_); }

}  // namespace roomgate::sessions
