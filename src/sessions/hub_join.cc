// SessionHub: admission, leaving, and the life of a session (start, end,
// retirement after the empty-room grace, shutdown).
#include "common/time_format.h"
#include "common/uuid.h"
#include "sessions/session_hub.h"

namespace roomgate::sessions {

using nlohmann::json;

namespace {

Error TokenRefusal(const TokenRejection& r) {
  switch (r.error) {
    case TokenError::kExpired:
      return {ErrorCode::kTokenExpired, "the auth token has expired"};
    case TokenError::kNotYetValid:
      return {ErrorCode::kTokenNotYetValid, "the auth token is not valid yet (nbf)"};
    case TokenError::kWrongType:
      return {ErrorCode::kTokenWrongType, "only an app token (type \"app\") can join a room"};
    default:
      return {ErrorCode::kTokenInvalid, "invalid auth token: " + r.message};
  }
}

}  // namespace

SessionHub::SessionHub(const TokenVerifier& verifier, rooms::RoomService& rooms,
                       SessionRecorder& recorder, const Clock& clock, SecureRandom& random,
                       HubOptions options, MediaPlane media)
    : verifier_(verifier),
      rooms_(rooms),
      recorder_(recorder),
      clock_(clock),
      random_(random),
      options_(options),
      media_(media) {}

std::string SessionHub::NewId() { return NewUuidV4(random_); }

Result<SessionHub::Admission, Error> SessionHub::Authenticate(const std::string& token) const {
  auto claims = verifier_.Verify(token, TokenType::kApp);
  if (!claims.ok()) return TokenRefusal(claims.error());
  Admission a;
  a.claims = std::move(*claims);
  auto room = rooms_.GetRoom(a.claims.room_id);
  if (!room.ok()) {
    if (room.error().code() == Status::Code::kNotFound) {
      return Error{ErrorCode::kRoomNotFound,
                   "room '" + a.claims.room_id.str() + "' does not exist"};
    }
    return Error{ErrorCode::kInternal, "could not read the room; try again"};
  }
  a.room = std::move(*room);
  if (!a.room.enabled) return Error{ErrorCode::kRoomDisabled, "the room is disabled"};
  auto tmpl = rooms_.GetTemplate(a.room.template_id);
  if (!tmpl.ok()) return Error{ErrorCode::kInternal, "could not read the room's template"};
  auto role = tmpl->roles.find(a.claims.role.str());
  if (role == tmpl->roles.end()) {
    return Error{ErrorCode::kRoleNotFound,
                 "role '" + a.claims.role.str() + "' is not in the room's template"};
  }
  if (role->second.max_peer_count < 0) {
    return Error{ErrorCode::kRoleNotAllowed,
                 "role '" + a.claims.role.str() + "' may not join (maxPeerCount -1)"};
  }
  a.role = role->second;
  a.tmpl = std::make_shared<const Template>(std::move(*tmpl));
  return a;
}

// The live room to join, creating it (a new session) if there is none. A
// new session re-reads the room under the map lock: an end-with-lock
// disables the room before it removes the old session from the map, so a
// join racing it sees the lock here rather than starting a session in a
// locked room.
Result<std::shared_ptr<LiveRoom>, Error> SessionHub::RoomFor(const RoomId& id) {
  std::lock_guard lock(mu_);
  if (stopping_) return Error{ErrorCode::kInternal, "the server is shutting down"};
  auto it = rooms_by_id_.find(id.str());
  if (it != rooms_by_id_.end() && !it->second->closed) return it->second;
  auto room = rooms_.GetRoom(id);
  if (!room.ok()) return Error{ErrorCode::kInternal, "could not read the room; try again"};
  if (!room->enabled) return Error{ErrorCode::kRoomDisabled, "the room is disabled"};
  const UnixSeconds now = clock_.NowSeconds();
  auto live = std::make_shared<LiveRoom>(id, SessionId(NewId()), now);
  live->empty_since = now;
  AttachMedia(*live, room->size);
  rooms_by_id_[id.str()] = live;
  return live;
}

std::optional<Error> SessionHub::Admit(LiveRoom& room, const Admission& a,
                                       const JoinRequest& request, PeerId& peer_id) {
  const UserId token_user = a.claims.user_id.value_or(UserId());
  const LivePeer* replaced = nullptr;
  for (const auto& [id, p] : room.peers) {
    if (!token_user.empty() && p.token_user_id == token_user) replaced = &p;
  }
  if (replaced && options_.refuse_duplicate_user) {
    return Error{ErrorCode::kDuplicateUser,
                 "user '" + token_user.str() + "' is already in the room"};
  }
  const bool same_role = replaced && replaced->role == a.role.name;
  const int in_role = room.role_counts[a.role.name.str()] - (same_role ? 1 : 0);
  if (a.role.max_peer_count > 0 && in_role >= a.role.max_peer_count) {
    return Error{ErrorCode::kRoleFull, "role '" + a.role.name.str() + "' is full (maxPeerCount " +
                                           std::to_string(a.role.max_peer_count) + ")"};
  }
  const size_t others = room.peers.size() - (replaced ? 1 : 0);
  if (a.room.size > 0 && others >= static_cast<size_t>(a.room.size)) {
    return Error{ErrorCode::kRoomFull,
                 "the room is full (size " + std::to_string(a.room.size) + ")"};
  }
  if (replaced) {
    RemoveLocked(room, replaced->id, LeaveReason::kReplaced, json{{"type", "replaced"}},
                 kCloseReplaced);
  }
  room.tmpl = a.tmpl;
  LivePeer p;
  p.id = PeerId(NewId());
  p.name = request.name;
  p.token_user_id = token_user;
  p.user_id = token_user.empty() ? UserId(p.id.str()) : token_user;
  p.role = p.token_role = a.role.name;
  p.metadata = request.metadata;
  p.joined_at = clock_.NowSeconds();
  p.seq = room.next_seq++;
  p.token_exp = a.claims.expires_at;
  p.link = request.link;
  RefreshText(p);

  // The peer list is spliced from each peer's cached text: in a full room it
  // is most of the reply, and rebuilding it as JSON on every join was the
  // join path's main cost.
  std::string peers = "[";
  for (const LivePeer* o : room.PeersWhere([](const LivePeer&) { return true; })) {
    if (peers.size() > 1) peers += ',';
    peers += o->text;
  }
  peers += ']';
  json result = {{"protocol", kProtocolVersion},
                 {"session_id", room.session_id.str()},
                 {"room", {{"id", a.room.id.str()}, {"name", a.room.name}}},
                 {"peer", PeerJson(p)},
                 {"policy", PolicyJson(*a.tmpl, a.role)},
                 {"token_expires_at", FormatRfc3339(p.token_exp)},
                 {"media", {{"available", media_available()}, {"ice_servers", json::array()}}},
                 {"server_time", FormatRfc3339(p.joined_at)}};
  room.outbox.Send(p.link, ReplyWithPeers(request.reply_id, result, peers));
  room.outbox.Send(room.LinksExcept(p.id), R"({"type":"peer-joined","peer":)" + p.text + "}");
  if (!room.started_recorded) {
    room.started_recorded = true;
    recorder_.Record(
        {SessionEvent::Kind::kStarted, room.session_id, room.room_id, {}, room.started_at});
  }
  RecordPeer(room, p, SessionEvent::Kind::kPeerJoined);
  room.empty_since = 0;
  ++room.role_counts[p.role.str()];
  peer_id = p.id;
  auto placed = room.peers.emplace(p.id.str(), std::move(p)).first;
  ++peers_;
  PostMediaStep(room, [m = MemberOf(room, placed->second)](RoomMedia& media) mutable {
    media.OnJoined(std::move(m));
  });
  return std::nullopt;
}

Result<Membership, Error> SessionHub::Join(const JoinRequest& request) {
  auto admission = Authenticate(request.token);
  if (!admission.ok()) {
    ++refusals_;
    return admission.error();
  }
  // A room retired between RoomFor and the lock is replaced by a new one.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto room = RoomFor(admission->room.id);
    if (!room.ok()) {
      ++refusals_;
      return room.error();
    }
    LiveRoom& live = **room;
    std::unique_lock lock(live.mu);
    if (live.closed) continue;
    PeerId peer;
    std::optional<Error> refused = Admit(live, *admission, request, peer);
    lock.unlock();
    live.outbox.Deliver();
    if (refused) {
      ++refusals_;
      return *refused;
    }
    ++joins_;
    return Membership{*room, peer};
  }
  ++refusals_;
  return Error{ErrorCode::kInternal, "the room's session is restarting; try again"};
}

void SessionHub::Leave(const Membership& member, LeaveReason reason) {
  {
    std::lock_guard lock(member.room->mu);
    RemoveLocked(*member.room, member.peer, reason, json(), kCloseLeft);
  }
  member.room->outbox.Deliver();
}

void SessionHub::RecordPeer(const LiveRoom& room, const LivePeer& p, SessionEvent::Kind kind) {
  SessionPeerRecord record{p.id, room.session_id, p.name, p.role, p.user_id, p.joined_at, {}};
  recorder_.Record({kind, room.session_id, room.room_id, std::move(record), clock_.NowSeconds()});
}

void SessionHub::RemoveLocked(LiveRoom& room, PeerId id, LeaveReason reason, const json& notice,
                              uint16_t close_code) {
  auto it = room.peers.find(id.str());
  if (it == room.peers.end()) return;
  LivePeer peer = std::move(it->second);
  room.peers.erase(it);
  --room.role_counts[peer.role.str()];
  --peers_;
  std::erase_if(room.role_requests,
                [&](const auto& r) { return r.second.target == id || r.second.requester == id; });
  PostMediaStep(room, [id](RoomMedia& media) { media.OnLeft(id); });
  if (!notice.is_null()) room.outbox.Send(peer.link, notice.dump(-1, ' ', false, kReplaceInvalid));
  room.outbox.Close(peer.link, close_code, std::string(LeaveReasonName(reason)));
  room.outbox.Send(
      room.LinksExcept(PeerId()),
      json{{"type", "peer-left"}, {"peer_id", peer.id.str()}, {"reason", LeaveReasonName(reason)}}
          .dump(-1, ' ', false, kReplaceInvalid));
  const UnixSeconds now = clock_.NowSeconds();
  SessionPeerRecord record{peer.id,      room.session_id, peer.name, peer.role,
                           peer.user_id, peer.joined_at,  now};
  recorder_.Record({SessionEvent::Kind::kPeerLeft, room.session_id, room.room_id, record, now});
  if (room.peers.empty()) room.empty_since = now;
}

void SessionHub::EndLocked(LiveRoom& room, const std::string& reason, bool lock, const json& by) {
  const std::string notice =
      json{{"type", "room-ended"}, {"reason", reason}, {"lock", lock}, {"by", by}}.dump(
          -1, ' ', false, kReplaceInvalid);
  for (auto& [id, peer] : room.peers) {
    room.outbox.Send(peer.link, notice);
    room.outbox.Close(peer.link, kCloseRoomEnded, "room ended");
  }
  peers_ -= room.peers.size();
  room.peers.clear();
  room.role_counts.clear();
  room.role_requests.clear();
  CloseSessionLocked(room, clock_.NowSeconds());
}

std::shared_ptr<LiveRoom> SessionHub::FindLive(const RoomId& id) const {
  std::lock_guard lock(mu_);
  auto it = rooms_by_id_.find(id.str());
  return it == rooms_by_id_.end() ? nullptr : it->second;
}

size_t SessionHub::room_count() const {
  std::lock_guard lock(mu_);
  return rooms_by_id_.size();
}

}  // namespace roomgate::sessions
