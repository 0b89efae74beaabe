// RoomMedia: the media requests of a peer (docs/signalling.md, "Media").
// Every check that protects the room — the role's publishParams.allowed,
// the offer holding exactly the declared tracks, ownership — happens here,
// before the SFU sees anything.
#include <algorithm>
#include <set>

#include "sessions/media_sdp.h"
#include "sessions/room_media.h"

namespace roomgate::sessions {

using nlohmann::json;

namespace {

constexpr size_t kMaxSdp = 32 * 1024;
constexpr size_t kMaxMid = 64;
constexpr size_t kMaxId = 64;

Error Bad(std::string message) { return {ErrorCode::kBadMessage, std::move(message)}; }
Error NotFound(const std::string& what) {
  return {ErrorCode::kMediaNotFound, "no such " + what + " of yours"};
}

// A string field of 1..max bytes, or nullopt.
std::optional<std::string> Str(const json& msg, const char* key, size_t max) {
  auto it = msg.find(key);
  if (it == msg.end() || !it->is_string()) return std::nullopt;
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty() || s.size() > max) return std::nullopt;
  return s;
}

struct DeclaredTrack {
  std::string mid;
  std::string kind;
  bool muted = false;
};

Result<std::vector<DeclaredTrack>, Error> DeclaredTracks(const json& msg) {
  auto it = msg.find("tracks");
  if (it == msg.end() || !it->is_array() || it->empty() || it->size() > 2) {
    return Bad("'tracks' must be an array of 1 or 2 tracks");
  }
  std::vector<DeclaredTrack> out;
  for (const json& t : *it) {
    if (!t.is_object()) return Bad("each track must be an object");
    auto mid = Str(t, "mid", kMaxMid);
    auto kind = Str(t, "kind", 8);
    if (!mid) return Bad("each track needs a 'mid' of 1 to 64 bytes");
    if (kind != "audio" && kind != "video") return Bad("a track's 'kind' is 'audio' or 'video'");
    auto muted = t.find("muted");
    if (muted != t.end() && !muted->is_boolean()) return Bad("a track's 'muted' is a boolean");
    for (const auto& other : out) {
      if (other.kind == *kind) return Bad("at most one track of each kind per publication");
      if (other.mid == *mid) return Bad("two tracks with the same mid");
    }
    out.push_back({*mid, *kind, muted != t.end() && muted->get<bool>()});
  }
  return out;
}

// The offer's active media sections must be exactly the declared tracks.
std::optional<Error> MatchOffer(const std::string& sdp, const std::vector<DeclaredTrack>& tracks) {
  auto sections = ParseSdpSections(sdp);
  if (!sections.ok()) return Error{ErrorCode::kBadSdp, sections.error().message()};
  size_t active = 0;
  for (const SdpSection& s : *sections) {
    if (!s.active) continue;
    ++active;
    if (s.media != "audio" && s.media != "video") {
      return Error{ErrorCode::kBadSdp, "the offer has a '" + s.media.substr(0, 32) +
                                           "' section; only audio and video are published"};
    }
    auto match = std::find_if(tracks.begin(), tracks.end(), [&](const DeclaredTrack& t) {
      return t.mid == s.mid && t.kind == s.media;
    });
    if (match == tracks.end()) {
      return Error{ErrorCode::kBadSdp, "the offer's " + s.media + " section (mid '" +
                                           s.mid.substr(0, kMaxMid) +
                                           "') is not among the declared tracks"};
    }
  }
  if (active != tracks.size()) {
    return Error{ErrorCode::kBadSdp, "the offer does not carry every declared track"};
  }
  return std::nullopt;
}

}  // namespace

void RoomMedia::Request(const PeerId& peer, const std::string& type, const json& msg,
                        const json& reply_id) {
  auto self = members_.find(peer.str());
  Answer answer = Error{ErrorCode::kNotJoined, "you are no longer in the room"};
  if (!closed_ && self != members_.end()) {
    if (type == "publish") {
      answer = Publish(self->second, msg);
    } else if (type == "unpublish") {
      answer = Unpublish(self->second, msg);
    } else if (type == "subscribe-answer") {
      answer = SubscribeAnswer(self->second, msg);
    } else if (type == "mute-track") {
      answer = MuteTrack(self->second, msg);
    } else {
      answer = Error{ErrorCode::kUnknownType, "not a media request"};
    }
  }
  if (!answer.ok()) ++stats_.refusals;
  if (self == members_.end()) return;  // gone: its connection is closing
  // As for every request, success without an id is not answered.
  if (answer.ok() && reply_id.is_null()) return;
  outbox_.Send(self->second.link, answer.ok() ? ReplyMessage(reply_id, *answer)
                                              : ErrorMessage(reply_id, answer.error()));
}

RoomMedia::Answer RoomMedia::Publish(const MediaMember& self, const json& msg) {
  auto source = Str(msg, "source", 16);
  if (source != "regular" && source != "screen") {
    return Bad("'source' is 'regular' or 'screen'");
  }
  auto sdp = Str(msg, "sdp", kMaxSdp);
  if (!sdp) return Bad("'sdp' must be an SDP offer of at most 32 KiB");
  auto tracks = DeclaredTracks(msg);
  if (!tracks.ok()) return tracks.error();
  for (const DeclaredTrack& t : *tracks) {
    const std::string need = AllowanceFor(*source, t.kind);
    if (std::find(self.allowed.begin(), self.allowed.end(), need) == self.allowed.end()) {
      return Error{ErrorCode::kPermissionDenied, "role '" + self.role.str() + "' may not publish " +
                                                     need + " (publishParams.allowed)"};
    }
  }
  for (const auto& [id, pub] : publications_) {
    if (pub.peer == self.peer && pub.source == *source) {
      return Error{ErrorCode::kAlreadyPublishing,
                   "a '" + *source + "' publication is live (" + id + "); unpublish it first"};
    }
  }
  if (auto mismatch = MatchOffer(*sdp, *tracks)) return *mismatch;

  auto sfu = Sfu();
  if (!sfu.ok()) return sfu.error();
  auto answer = (*sfu)->Publish(self.peer.str(), *sdp);
  if (!answer.ok()) return Failed(answer.error());

  Publication pub{NewId(), self.peer, *source, answer->feed, {}};
  json track_list = json::array();
  for (const DeclaredTrack& t : *tracks) {
    pub.tracks.push_back({NewId(), t.kind, t.mid, t.muted});
    track_list.push_back(TrackJson(pub, pub.tracks.back()));
  }
  for (const json& t : track_list)
    SendToAllBut(self.peer, json{{"type", "track-added"}, {"track", t}});
  const std::string id = pub.id;
  publications_.emplace(id, std::move(pub));
  ++stats_.publications;
  ++stats_.publishes;
  Reconcile();
  return json{{"publication_id", id}, {"sdp", answer->sdp}, {"tracks", std::move(track_list)}};
}

RoomMedia::Answer RoomMedia::Unpublish(const MediaMember& self, const json& msg) {
  auto id = Str(msg, "publication_id", kMaxId);
  if (!id) return Bad("'publication_id' is required");
  auto it = publications_.find(*id);
  if (it == publications_.end() || it->second.peer != self.peer) return NotFound("publication");
  RemovePublication(*id, nullptr);
  return json::object();
}

RoomMedia::Answer RoomMedia::SubscribeAnswer(const MediaMember& self, const json& msg) {
  auto id = Str(msg, "subscription_id", kMaxId);
  auto sdp = Str(msg, "sdp", kMaxSdp);
  if (!id) return Bad("'subscription_id' is required");
  if (!sdp) return Bad("'sdp' must be an SDP answer of at most 32 KiB");
  auto it = subscriptions_.find(*id);
  if (it == subscriptions_.end() || it->second.subscriber != self.peer) {
    return NotFound("subscription");
  }
  auto sections = ParseSdpSections(*sdp);
  if (!sections.ok()) return Error{ErrorCode::kBadSdp, sections.error().message()};
  if (!sfu_) return Error{ErrorCode::kMediaUnavailable, "the media room is gone"};
  const Status started = sfu_->StartSubscriber(it->second.sfu_id, *sdp);
  if (!started.ok()) return Failed(started);
  return json::object();
}

RoomMedia::Answer RoomMedia::MuteTrack(const MediaMember& self, const json& msg) {
  auto id = Str(msg, "track_id", kMaxId);
  auto muted = msg.find("muted");
  if (!id) return Bad("'track_id' is required");
  if (muted == msg.end() || !muted->is_boolean()) return Bad("'muted' must be a boolean");
  for (auto& [pub_id, pub] : publications_) {
    if (pub.peer != self.peer) continue;
    for (Track& t : pub.tracks) {
      if (t.id != *id) continue;
      if (t.moderated && !muted->get<bool>()) {
        // Its owner may always unmute (100ms's rule); the SFU forwards again.
        const Status resumed = sfu_ ? sfu_->Moderate(pub.feed, t.mid, false)
                                    : Status(Status::Code::kUnavailable, "the media room is gone");
        if (!resumed.ok()) return Failed(resumed);
        t.moderated = false;
      }
      if (t.muted != muted->get<bool>()) {
        t.muted = muted->get<bool>();
        SendToAllBut(self.peer, json{{"type", "track-updated"}, {"track", TrackJson(pub, t)}});
      }
      return json{{"track", TrackJson(pub, t)}};
    }
  }
  return NotFound("track");
}

}  // namespace roomgate::sessions
