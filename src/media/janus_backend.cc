#include "media/janus_backend.h"

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "media/janus_errors.h"
#include "media/videoroom.h"

namespace roomgate::media {

namespace {

constexpr const char* kPlugin = "janus.plugin.videoroom";
constexpr size_t kSecretBytes = 24;

using sessions::FeedId;
using sessions::SubscriberId;

std::string RandomSecret(SecureRandom& random) {
  uint8_t bytes[kSecretBytes];
  random.Fill(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// The SDP of the `jsep` of `reply`, of the wanted type.
Result<std::string> JsepSdp(const Json& reply, std::string_view type) {
  auto jsep = reply.find("jsep");
  if (jsep == reply.end() || !jsep->is_object() || jsep->value("type", "") != type ||
      !jsep->contains("sdp") || !(*jsep)["sdp"].is_string()) {
    return Status::Internal("Janus answered without an SDP " + std::string(type));
  }
  return (*jsep)["sdp"].get<std::string>();
}

Status ExpectEvent(const Json& data, std::string_view expected) {
  if (data.value("videoroom", std::string()) == expected) return Status::Ok();
  return Status::Internal("unexpected VideoRoom answer (wanted '" + std::string(expected) +
                          "'): " + data.dump().substr(0, 300));
}

class JanusRoomImpl final : public sessions::MediaRoom {
 public:
  JanusRoomImpl(std::shared_ptr<JanusConnection> connection, std::unique_ptr<VideoRoomAdmin> admin,
                JanusRoom room, std::string secret, sessions::FeedListener feeds)
      : connection_(std::move(connection)),
        admin_(std::move(admin)),
        room_(room),
        secret_(std::move(secret)),
        feeds_(std::move(feeds)) {}

  ~JanusRoomImpl() override {
    for (const auto& [feed, handle] : publishers_) {
      connection_->SetListener(session(), handle, nullptr);
    }
    // Best effort: when Janus is gone, so is the room.
    if (connection_->connected()) (void)admin_->DestroyRoom(room_, secret_);
    admin_.reset();  // destroys the Janus session and with it every handle
  }

  Result<sessions::PublishAnswer> Publish(const std::string& label,
                                          const std::string& offer) override {
    auto handle = connection_->Attach(session(), kPlugin);
    if (!handle.ok()) return handle.error();
    // Watching starts before the offer goes in; the feed id is known once
    // Janus answers, and `webrtcup` cannot come before the browser has that
    // answer, which it gets after this returns.
    auto feed_id = std::make_shared<std::atomic<uint64_t>>(0);
    connection_->SetListener(session(), *handle, [feeds = feeds_, feed_id](Result<JanusEvent> e) {
      const uint64_t id = feed_id->load();
      if (id == 0) return;
      if (!e.ok() || e->kind == "hangup") return feeds(FeedId{id}, false);
      if (e->kind == "webrtcup") feeds(FeedId{id}, true);
    });
    auto answer =
        Negotiate(*handle,
                  {{"request", "joinandconfigure"},
                   {"room", static_cast<uint64_t>(room_)},
                   {"ptype", "publisher"},
                   {"display", label}},
                  Json{{"type", "offer"}, {"sdp", offer}, {"trickle", false}}, "joined", "answer");
    const bool numeric_id =
        answer.ok() && answer->first.contains("id") && answer->first["id"].is_number_unsigned();
    if (!numeric_id) {
      connection_->SetListener(session(), *handle, nullptr);
      (void)connection_->Detach(session(), *handle);
      if (!answer.ok()) return answer.error();
      return Status::Internal("VideoRoom joined a publisher without a numeric id");
    }
    const auto& [data, sdp] = *answer;
    const FeedId feed{data["id"].get<uint64_t>()};
    feed_id->store(static_cast<uint64_t>(feed));
    publishers_[feed] = *handle;
    return sessions::PublishAnswer{feed, sdp};
  }

  Status Unpublish(FeedId feed) override {
    auto it = publishers_.find(feed);
    if (it == publishers_.end()) return Status::NotFound("no such publisher");
    const JanusHandle handle = it->second;
    publishers_.erase(it);
    connection_->SetListener(session(), handle, nullptr);  // its hangup is expected now
    return connection_->Detach(session(), handle);         // leaves the room, hangs up
  }

  Result<sessions::SubscribeOffer> Subscribe(FeedId feed) override {
    auto handle = connection_->Attach(session(), kPlugin);
    if (!handle.ok()) return handle.error();
    auto offer = Negotiate(*handle,
                           {{"request", "join"},
                            {"room", static_cast<uint64_t>(room_)},
                            {"ptype", "subscriber"},
                            {"streams", Json::array({{{"feed", static_cast<uint64_t>(feed)}}})}},
                           std::nullopt, "attached", "offer");
    if (!offer.ok()) {
      (void)connection_->Detach(session(), *handle);
      return offer.error();
    }
    const auto& [data, sdp] = *offer;
    sessions::SubscribeOffer out{SubscriberId{static_cast<uint64_t>(*handle)}, sdp, {}};
    for (const Json& s : data.value("streams", Json::array())) {
      if (!s.is_object() || !s.contains("mid") || !s["mid"].is_string()) continue;
      out.streams.push_back({s["mid"].get<std::string>(), s.value("feed_mid", std::string())});
    }
    subscribers_.emplace(out.subscriber);
    return out;
  }

  Status StartSubscriber(SubscriberId subscriber, const std::string& answer) override {
    if (!subscribers_.contains(subscriber)) return Status::NotFound("no such subscriber");
    const JanusHandle handle{static_cast<uint64_t>(subscriber)};
    // VideoRoom answers `start` with {"videoroom": "event", "started": "ok"}.
    auto started =
        Negotiate(handle, {{"request", "start"}},
                  Json{{"type", "answer"}, {"sdp", answer}, {"trickle", false}}, "event", "");
    return started.ok() ? Status::Ok() : started.error();
  }

  Status Moderate(FeedId feed, const std::string& mid, bool mute) override {
    return admin_->Moderate(room_, secret_, static_cast<uint64_t>(feed), mid, mute);
  }

  Status Unsubscribe(SubscriberId subscriber) override {
    if (subscribers_.erase(subscriber) == 0) return Status::NotFound("no such subscriber");
    return connection_->Detach(session(), JanusHandle{static_cast<uint64_t>(subscriber)});
  }

 private:
  JanusSession session() const { return admin_->session(); }

  // Sends a VideoRoom request (with `jsep` when given), checks the answer is
  // `expected`, and returns its plugin data and, when `want_sdp` names a
  // type, the SDP of that type it carries.
  Result<std::pair<Json, std::string>> Negotiate(JanusHandle handle, Json body,
                                                 std::optional<Json> jsep,
                                                 std::string_view expected,
                                                 std::string_view want_sdp) {
    auto reply = connection_->Message(session(), handle, std::move(body), std::move(jsep));
    if (!reply.ok()) return reply.error();
    auto data = PluginData(*reply);
    if (!data.ok()) return data.error();
    if (Status s = ExpectEvent(*data, expected); !s.ok()) return s;
    std::string sdp;
    if (!want_sdp.empty()) {
      auto got = JsepSdp(*reply, want_sdp);
      if (!got.ok()) return got.error();
      sdp = std::move(*got);
    }
    return std::make_pair(std::move(*data), std::move(sdp));
  }

  std::shared_ptr<JanusConnection> connection_;
  std::unique_ptr<VideoRoomAdmin> admin_;
  const JanusRoom room_;
  const std::string secret_;
  const sessions::FeedListener feeds_;
  std::map<FeedId, JanusHandle> publishers_;
  std::set<SubscriberId> subscribers_;
};

}  // namespace

JanusBackend::JanusBackend(JanusConnectionOptions options, SecureRandom& random)
    : options_(std::move(options)), random_(random) {}

Result<std::shared_ptr<JanusConnection>> JanusBackend::Connection() {
  std::lock_guard lock(mu_);
  if (closed_) return Status(Status::Code::kUnavailable, "roomgate is stopping");
  if (connection_ && connection_->connected()) return connection_;
  auto fresh = JanusConnection::Connect(options_, random_);
  if (!fresh.ok()) return fresh.error();
  connection_ = std::shared_ptr<JanusConnection>(std::move(*fresh));
  return connection_;
}

void JanusBackend::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  if (connection_) connection_->Disconnect();
}

bool JanusBackend::connected() {
  std::lock_guard lock(mu_);
  return connection_ && connection_->connected();
}

Status JanusBackend::Probe() {
  auto connection = Connection();
  return connection.ok() ? Status::Ok() : connection.error();
}

Result<std::unique_ptr<sessions::MediaRoom>> JanusBackend::OpenRoom(const std::string& label,
                                                                    int max_publishers,
                                                                    sessions::FeedListener feeds) {
  auto connection = Connection();
  if (!connection.ok()) return connection.error();
  auto admin = VideoRoomAdmin::Open(**connection);
  if (!admin.ok()) return admin.error();
  std::string secret = RandomSecret(random_);
  auto room = (*admin)->CreateRoom({std::nullopt, secret, max_publishers, "roomgate " + label});
  if (!room.ok()) return room.error();
  return std::unique_ptr<sessions::MediaRoom>(new JanusRoomImpl(
      *connection, std::move(*admin), *room, std::move(secret), std::move(feeds)));
}

}  // namespace roomgate::media
