#include "sessions/signalling_connection.h"

#include <algorithm>

#include "common/json_depth.h"
#include "common/time_format.h"

namespace roomgate::sessions {

using nlohmann::json;

namespace {

constexpr size_t kMaxName = 256;
constexpr size_t kMaxMetadata = 4096;
constexpr size_t kMaxMessage = 4096;
constexpr size_t kMaxShort = 256;  // reasons, types, ids, role names
constexpr size_t kMaxToken = 8192;
constexpr size_t kMaxRoles = 32;
constexpr size_t kMaxRoleName = 64;  // the REST API's limit for role names

// Reads request fields, remembering the first problem: every request
// answers one bad_message naming the first bad field.
class Fields {
 public:
  explicit Fields(const json& msg) : msg_(msg) {}

  std::optional<std::string> Str(const char* name, size_t max, bool required = false) {
    auto it = msg_.find(name);
    if (it == msg_.end() || it->is_null()) {
      if (required) Fail(std::string("'") + name + "' is required");
      return std::nullopt;
    }
    if (!it->is_string() || it->get_ref<const std::string&>().size() > max ||
        (required && it->get_ref<const std::string&>().empty())) {
      Fail(std::string("'") + name + "' must be a" + (required ? " non-empty" : "") +
           " string of at most " + std::to_string(max) + " bytes");
      return std::nullopt;
    }
    return it->get<std::string>();
  }
  bool Bool(const char* name, bool fallback) {
    auto it = msg_.find(name);
    if (it == msg_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) Fail(std::string("'") + name + "' must be true or false");
    return it->is_boolean() ? it->get<bool>() : fallback;
  }
  PeerAudience Audience() {
    PeerAudience to;
    if (auto peer = Str("peer_id", kMaxShort)) to.peer = PeerId(*peer);
    auto it = msg_.find("roles");
    if (it == msg_.end() || it->is_null()) return to;
    if (!it->is_array() || it->size() > kMaxRoles) {
      Fail("'roles' must be an array of at most 32 role names");
      return to;
    }
    for (const json& r : *it) {
      if (!r.is_string() || r.get_ref<const std::string&>().empty() ||
          r.get_ref<const std::string&>().size() > kMaxRoleName) {
        Fail("'roles' must hold role names of 1 to 64 bytes");
        return to;
      }
      to.roles.emplace_back(r.get<std::string>());
    }
    return to;
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  void Fail(std::string message) {
    if (!error_) error_ = Error{ErrorCode::kBadMessage, std::move(message)};
  }
  const json& msg_;
  std::optional<Error> error_;
};

bool ValidId(const json& id) {
  return id.is_null() || id.is_number() ||
         (id.is_string() && id.get_ref<const std::string&>().size() <= 64);
}

}  // namespace

SignallingConnection::SignallingConnection(SessionHub& hub, std::shared_ptr<PeerLink> link,
                                           ConnectionOptions options, MonotonicClock monotonic_ms)
    : hub_(hub),
      link_(std::move(link)),
      options_(options),
      monotonic_ms_(std::move(monotonic_ms)),
      tokens_(options.message_burst),
      last_refill_ms_(monotonic_ms_()) {}

bool SignallingConnection::TakeToken() {
  const int64_t now = monotonic_ms_();
  tokens_ = std::min(options_.message_burst,
                     tokens_ + (now - last_refill_ms_) * options_.messages_per_second / 1000.0);
  last_refill_ms_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

void SignallingConnection::OnMessage(std::string_view text) {
  if (state_ == kClosed) return;
  // Parsed before the rate limit so that a dropped request is still
  // answered under its id; parsing a capped frame is cheap next to a request.
  const bool allowed = TakeToken();
  json msg;
  if (!JsonNestsDeeperThan(text)) msg = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!msg.is_object()) {
    link_->Send(ErrorMessage(nullptr, {ErrorCode::kBadMessage, "a message must be a JSON object"}));
    return;
  }
  const json id = msg.contains("id") ? msg["id"] : json();
  if (!ValidId(id)) {
    link_->Send(ErrorMessage(nullptr, {ErrorCode::kBadMessage,
                                       "'id' must be a number or a string of at most 64 bytes"}));
    return;
  }
  if (!allowed) {
    link_->Send(
        ErrorMessage(id, {ErrorCode::kRateLimited, "too many messages; this one was dropped"}));
    return;
  }
  auto type = msg.find("type");
  if (type == msg.end() || !type->is_string()) {
    link_->Send(ErrorMessage(id, {ErrorCode::kBadMessage, "'type' must be a string"}));
    return;
  }
  Handle(type->get<std::string>(), id, msg);
}

void SignallingConnection::Handle(const std::string& type, const json& id, const json& msg) {
  if (type == "join") return HandleJoin(id, msg);
  if (!member_) {
    auto types = RequestTypes();
    const bool known = std::find(types.begin(), types.end(), type) != types.end();
    Answer(id, known ? Error{ErrorCode::kNotJoined, "send 'join' first"}
                     : Error{ErrorCode::kUnknownType,
                             "unknown message type '" + type.substr(0, 64) + "'"});
    return;
  }
  if (type == "leave") {
    Answer(id, json::object());
    hub_.Leave(*member_, LeaveReason::kLeft);
    state_ = kClosed;
    member_->room->outbox.Close(link_, kCloseLeft, "left");  // after the reply
    member_->room->outbox.Deliver();
    return;
  }
  Answer(id, Request(type, id, msg));
}

void SignallingConnection::HandleJoin(const json& id, const json& msg) {
  if (member_) return Answer(id, Error{ErrorCode::kAlreadyJoined, "this connection has joined"});
  int waiting = kWaiting;
  if (!state_.compare_exchange_strong(waiting, kJoining)) return;  // timed out meanwhile
  Fields f(msg);
  auto protocol = msg.find("protocol");
  if (protocol == msg.end() || !protocol->is_number_integer() ||
      protocol->get<int64_t>() != kProtocolVersion) {
    const Error e{ErrorCode::kUnsupportedProtocol, "this server speaks protocol 1"};
    Answer(id, e);
    state_ = kClosed;
    return link_->Close(static_cast<uint16_t>(e.code), std::string(ErrorName(e.code)));
  }
  JoinRequest request;
  request.token = f.Str("token", kMaxToken, true).value_or("");
  request.name = f.Str("name", kMaxName).value_or("");
  request.metadata = f.Str("metadata", kMaxMetadata).value_or("");
  request.reply_id = id;
  request.link = link_;
  if (f.error()) {
    state_ = kWaiting;  // a malformed join may be followed by a good one
    return Answer(id, *f.error());
  }
  auto joined = hub_.Join(request);
  if (!joined.ok()) {
    Answer(id, joined.error());
    state_ = kClosed;
    link_->Close(static_cast<uint16_t>(joined.error().code),
                 std::string(ErrorName(joined.error().code)));
    return;
  }
  member_ = std::move(*joined);  // the hub has queued the reply
  state_ = kJoined;
}

Reply SignallingConnection::Request(const std::string& type, const json& id, const json& msg) {
  Fields f(msg);
  if (type == "ping") return json{{"server_time", FormatRfc3339(hub_.clock().NowSeconds())}};
  if (type == "update-self") {
    auto name = f.Str("name", kMaxName);
    auto metadata = f.Str("metadata", kMaxMetadata);
    if (f.error()) return *f.error();
    return hub_.UpdateSelf(*member_, name, metadata);
  }
  if (type == "send-message") {
    auto message = f.Str("message", kMaxMessage, true);
    auto kind = f.Str("message_type", kMaxShort);
    auto to = f.Audience();
    if (f.error()) return *f.error();
    return hub_.SendPeerMessage(*member_, to, kind.value_or("chat"), *message);
  }
  if (type == "remove-peer") {
    auto peer = f.Str("peer_id", kMaxShort, true);
    auto reason = f.Str("reason", kMaxShort);
    if (f.error()) return *f.error();
    return hub_.RemovePeer(*member_, PeerId(*peer), reason.value_or(""));
  }
  if (type == "end-room") {
    auto reason = f.Str("reason", kMaxShort);
    bool lock = f.Bool("lock", false);
    if (f.error()) return *f.error();
    return hub_.EndRoomByPeer(*member_, reason.value_or(""), lock, id);
  }
  if (type == "request-mute") {
    auto to = f.Audience();
    auto track = f.Str("track", kMaxShort, true);
    auto mute = msg.find("mute");
    if (f.error()) return *f.error();
    if (*track != "audio" && *track != "video" && *track != "screen") {
      return Error{ErrorCode::kBadMessage, "'track' must be \"audio\", \"video\" or \"screen\""};
    }
    if (mute == msg.end() || !mute->is_boolean()) {
      return Error{ErrorCode::kBadMessage, "'mute' must be true or false"};
    }
    return hub_.RequestMute(*member_, to, *track, mute->get<bool>());
  }
  if (type == "change-role") {
    auto peer = f.Str("peer_id", kMaxShort, true);
    auto role = f.Str("role", kMaxShort, true);
    bool force = f.Bool("force", false);
    if (f.error()) return *f.error();
    return hub_.ChangeRole(*member_, PeerId(*peer), RoleName(*role), force);
  }
  if (type == "accept-role-change") {
    auto request = f.Str("request_id", kMaxShort, true);
    if (f.error()) return *f.error();
    return hub_.AcceptRoleChange(*member_, *request);
  }
  if (type == "refresh-token") {
    auto token = f.Str("token", kMaxToken, true);
    if (f.error()) return *f.error();
    return hub_.RefreshToken(*member_, *token);
  }
  if (type == "publish" || type == "unpublish" || type == "subscribe-answer" ||
      type == "mute-track") {
    // Parsed, checked and answered by the room's media, in order with the
    // room's membership changes (room_media.h).
    return hub_.MediaRequest(*member_, type, msg, id);
  }
  return Error{ErrorCode::kUnknownType, "unknown message type '" + type.substr(0, 64) + "'"};
}

// A request without an id gets no reply on success (docs/signalling.md).
void SignallingConnection::Answer(const json& id, const Reply& reply) {
  if (!reply.ok()) {
    Send(ErrorMessage(id, reply.error()));
  } else if (!id.is_null() && !reply->is_null()) {  // null: the hub has answered
    Send(ReplyMessage(id, *reply));
  }
}

void SignallingConnection::Send(std::string text) {
  if (!member_) {
    link_->Send(std::move(text));
    return;
  }
  member_->room->outbox.Send(link_, std::move(text));
  member_->room->outbox.Deliver();
}

bool SignallingConnection::CloseIfWaiting() {
  int waiting = kWaiting;
  return state_.compare_exchange_strong(waiting, kClosed);
}

void SignallingConnection::OnServerStopping() {
  if (CloseIfWaiting()) link_->Close(1001, "server shutting down");
}

void SignallingConnection::OnClose() {
  state_ = kClosed;
  if (member_) hub_.Leave(*member_, LeaveReason::kDisconnected);
}

void SignallingConnection::OnJoinDeadline() {
  if (!CloseIfWaiting()) return;
  const Error e{ErrorCode::kJoinTimeout, "no 'join' in time"};
  link_->Send(ErrorMessage(nullptr, e));
  link_->Close(static_cast<uint16_t>(e.code), std::string(ErrorName(e.code)));
}

void PendingJoins::Add(std::weak_ptr<SignallingConnection> connection, int64_t deadline) {
  std::lock_guard lock(mu_);
  queue_.emplace_back(std::move(connection), deadline);
}

void PendingJoins::Sweep(int64_t now) {
  std::vector<std::shared_ptr<SignallingConnection>> due;
  {
    std::lock_guard lock(mu_);
    while (!queue_.empty() && queue_.front().second <= now) {
      if (auto c = queue_.front().first.lock()) due.push_back(std::move(c));
      queue_.pop_front();
    }
  }
  for (auto& c : due) c->OnJoinDeadline();
}

void PendingJoins::StopAll() {
  std::vector<std::shared_ptr<SignallingConnection>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [weak, deadline] : queue_) {
      if (auto c = weak.lock()) all.push_back(std::move(c));
    }
    queue_.clear();
  }
  for (auto& c : all) c->OnServerStopping();
}

}  // namespace roomgate::sessions
