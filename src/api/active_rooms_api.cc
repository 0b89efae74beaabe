// Active rooms REST API (reference §10), all behind a management token:
//   GET  /v2/active-rooms/:room_id                 the live session and its peers
//   GET  /v2/active-rooms/:room_id/peers           ?user_id=&role=
//   GET  /v2/active-rooms/:room_id/peers/:peer_id  the peer with its tracks
//   POST /v2/active-rooms/:room_id/peers/:peer_id  {name?, role?, metadata?}
//   POST /v2/active-rooms/:room_id/send-message    {message, peer_id?, role?, type?}
//   POST /v2/active-rooms/:room_id/remove-peers    {peer_id | role, reason?}
//   POST /v2/active-rooms/:room_id/end-room        {reason?, lock?}
//
// Bodies are strict, as in rooms_api.cc: an unknown field is a 400, because
// a misspelt `peer_id` silently dropped would turn a message to one peer
// into a broadcast. Text fields are capped, since whatever one request puts
// here is relayed to every peer in the room.
#include "api/api.h"
#include "api/errors.h"
#include "api/json_body.h"
#include "api/json_model.h"
#include "api/reply.h"

namespace roomgate::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxNameBytes = 256;   // peer name, role, peer id, message type
constexpr size_t kMaxTextBytes = 4096;  // metadata, message, reason

// One optional string field of a body and the length (in bytes) it may have.
struct TextField {
  const char* name;
  size_t min_bytes;
  size_t max_bytes;
};

Status ReadText(const JsonBody& body, const TextField& field, std::optional<std::string>& out) {
  auto read = body.String(field.name);
  if (!read.ok()) return read.error();
  out = std::move(*read);
  if (!out || (out->size() >= field.min_bytes && out->size() <= field.max_bytes)) {
    return Status::Ok();
  }
  const std::string name = std::string("'") + field.name + "'";
  const std::string max = std::to_string(field.max_bytes);
  if (field.min_bytes == 0) {
    return Status::InvalidArgument(name + " must be at most " + max + " bytes");
  }
  return Status::InvalidArgument(name + " must be " + std::to_string(field.min_bytes) + " to " +
                                 max + " bytes");
}

// The first error of reads done in order (a braced list evaluates in order).
Status FirstError(std::initializer_list<Status> reads) {
  for (const Status& s : reads) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Response Message(const char* text) { return JsonResponse({{"message", text}}); }

// Media tracks come with the media backend; the field is there now so
// clients that iterate it need no change then.
Response PeerReply(const Result<sessions::PeerView>& peer) {
  if (!peer.ok()) return ErrorFrom(peer.error());
  json j = ToJson(*peer);
  j["tracks"] = json::object();
  return JsonResponse(j);
}

// Who a message or removal is for. `peerId` is what @100mslive/server-sdk
// sends for send-message (its RoomMessageOptions is camelCase, unlike the
// REST docs); remove-peers refuses it through its field list. The peer wins
// over the role, as in 100ms: the role is dropped here, not passed along, so
// no LiveRooms implementation can act on both.
Result<sessions::Audience> AudienceFrom(const JsonBody& body) {
  std::optional<std::string> peer, camel, role;
  if (Status s = FirstError({ReadText(body, {"peer_id", 1, kMaxNameBytes}, peer),
                             ReadText(body, {"peerId", 1, kMaxNameBytes}, camel),
                             ReadText(body, {"role", 1, kMaxNameBytes}, role)});
      !s.ok()) {
    return s;
  }
  if (peer && camel && *peer != *camel) {
    return Status::InvalidArgument("'peer_id' and 'peerId' name different peers");
  }
  if (!peer) peer = std::move(camel);
  sessions::Audience to;
  if (peer) {
    to.peer = PeerId(*peer);
  } else if (role) {
    to.role = RoleName(*role);
  }
  return to;
}

Response GetActiveRoom(LiveApiServices& s, const PathParams& p) {
  const RoomId room(p.at("room_id"));
  auto live = s.live.GetActiveRoom(room);
  if (!live.ok()) {
    // Unknown room or no one in it: one answer, as 100ms gives.
    if (live.error().code() == Status::Code::kNotFound) {
      return ErrorFrom(Status::NotFound("room has no active session"));
    }
    return ErrorFrom(live.error());
  }
  auto stored = s.rooms.GetRoom(room);
  if (!stored.ok()) return ErrorFrom(stored.error());
  return JsonResponse(ActiveRoomJson(*stored, *live));
}

Response ListPeers(LiveApiServices& s, const Request& r, const PathParams& p) {
  sessions::PeerFilter filter;
  if (auto it = r.query.find("user_id"); it != r.query.end()) filter.user_id = UserId(it->second);
  if (auto it = r.query.find("role"); it != r.query.end()) filter.role = RoleName(it->second);
  auto peers = s.live.ListPeers(RoomId(p.at("room_id")), filter);
  if (!peers.ok()) return ErrorFrom(peers.error());
  return JsonResponse({{"peers", PeerMapJson(*peers)}});
}

Result<sessions::PeerUpdate> PeerUpdateFrom(const Request& r) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return body.error();
  sessions::PeerUpdate update;
  std::optional<std::string> role;
  if (Status s = FirstError({body->OnlyFields({"name", "role", "metadata"}),
                             ReadText(*body, {"name", 1, kMaxNameBytes}, update.name),
                             ReadText(*body, {"role", 1, kMaxNameBytes}, role),
                             ReadText(*body, {"metadata", 0, kMaxTextBytes}, update.metadata)});
      !s.ok()) {
    return s;
  }
  if (role) update.role = RoleName(*role);
  if (!update.name && !update.role && !update.metadata) {
    return Status::InvalidArgument("one of 'name', 'role' or 'metadata' is required");
  }
  return update;
}

Response UpdatePeer(LiveApiServices& s, const Request& r, const PathParams& p) {
  auto update = PeerUpdateFrom(r);
  if (!update.ok()) return ErrorFrom(update.error());
  return PeerReply(s.live.UpdatePeer(RoomId(p.at("room_id")), PeerId(p.at("peer_id")), *update));
}

Response SendMessage(LiveApiServices& s, const Request& r, const PathParams& p) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  std::optional<std::string> message, type;
  if (Status st = FirstError({body->OnlyFields({"message", "peer_id", "peerId", "role", "type"}),
                              ReadText(*body, {"message", 1, kMaxTextBytes}, message),
                              ReadText(*body, {"type", 0, kMaxNameBytes}, type)});
      !st.ok()) {
    return ErrorFrom(st);
  }
  if (!message) return ErrorFrom(Status::InvalidArgument("'message' is required"));
  auto to = AudienceFrom(*body);
  if (!to.ok()) return ErrorFrom(to.error());
  Status sent = s.live.SendMessage(RoomId(p.at("room_id")), *to, type.value_or(""), *message);
  return sent.ok() ? Message("message sent") : ErrorFrom(sent);
}

Response RemovePeers(LiveApiServices& s, const Request& r, const PathParams& p) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  std::optional<std::string> reason;
  if (Status st = FirstError({body->OnlyFields({"peer_id", "role", "reason"}),
                              ReadText(*body, {"reason", 0, kMaxTextBytes}, reason)});
      !st.ok()) {
    return ErrorFrom(st);
  }
  auto who = AudienceFrom(*body);
  if (!who.ok()) return ErrorFrom(who.error());
  // Everyone is end-room's job; an empty audience here is a mistake.
  if (!who->peer && !who->role) {
    return ErrorFrom(Status::InvalidArgument("one of 'peer_id' or 'role' is required"));
  }
  auto removed = s.live.RemovePeers(RoomId(p.at("room_id")), *who, reason.value_or(""));
  return removed.ok() ? Message("peer remove request submitted") : ErrorFrom(removed.error());
}

Response EndRoom(LiveApiServices& s, const Request& r, const PathParams& p) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  std::optional<std::string> reason;
  Result<std::optional<bool>> lock = body->Bool("lock");
  if (Status st = FirstError({body->OnlyFields({"reason", "lock"}),
                              ReadText(*body, {"reason", 0, kMaxTextBytes}, reason),
                              lock.ok() ? Status::Ok() : lock.error()});
      !st.ok()) {
    return ErrorFrom(st);
  }
  Status ended =
      s.live.EndRoom(RoomId(p.at("room_id")), reason.value_or(""), lock->value_or(false));
  return ended.ok() ? Message("session is ending") : ErrorFrom(ended);
}

}  // namespace

void AddActiveRoomRoutes(Router& router, LiveApiServices& s) {
  auto guarded = [&](RouteHandler h) { return WithManagementToken(s.verifier, std::move(h)); };
  const std::string base = "/v2/active-rooms/:room_id";
  router.Add("GET", base,
             guarded([&s](const Request&, const PathParams& p) { return GetActiveRoom(s, p); }));
  router.Add("GET", base + "/peers",
             guarded([&s](const Request& r, const PathParams& p) { return ListPeers(s, r, p); }));
  router.Add("GET", base + "/peers/:peer_id", guarded([&s](const Request&, const PathParams& p) {
               return PeerReply(s.live.GetPeer(RoomId(p.at("room_id")), PeerId(p.at("peer_id"))));
             }));
  router.Add("POST", base + "/peers/:peer_id",
             guarded([&s](const Request& r, const PathParams& p) { return UpdatePeer(s, r, p); }));
  router.Add("POST", base + "/send-message",
             guarded([&s](const Request& r, const PathParams& p) { return SendMessage(s, r, p); }));
  router.Add("POST", base + "/remove-peers",
             guarded([&s](const Request& r, const PathParams& p) { return RemovePeers(s, r, p); }));
  router.Add("POST", base + "/end-room",
             guarded([&s](const Request& r, const PathParams& p) { return EndRoom(s, r, p); }));
}

void AddLiveRoomRoutes(Router& router, LiveApiServices& services) {
  AddActiveRoomRoutes(router, services);
  AddSessionRoutes(router, services);
}

}  // namespace roomgate::api
