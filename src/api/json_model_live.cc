// Live peers, active rooms and recorded sessions as 100ms's v2 JSON
// (reference §10). Rooms and templates are in json_model_rooms.cc.
//
// Peers are a map keyed by peer id everywhere, including the active room's
// `session.peers`: 100ms's docs table lists ids there, but its responses (and
// every other peer collection in the API) carry the peer objects, and a map
// of objects is what a client reading either shape can still use by key.
#include "api/json_model.h"
#include "common/time_format.h"

namespace roomgate::api {
namespace {

using nlohmann::json;

// Single-tenant: as in json_model_rooms.cc, the workspace ids are empty.
constexpr const char* kCustomerId = "";
constexpr const char* kAppId = "";

// A recorded peer has no metadata (history keeps who and when, not what
// they said about themselves); left_at is absent while the peer is present.
json ToJson(const SessionPeerRecord& p) {
  json j = {{"id", p.id.str()},
            {"session_id", p.session_id.str()},
            {"name", p.name},
            {"role", p.role.str()},
            {"user_id", p.user_id.str()},
            {"joined_at", FormatRfc3339(p.joined_at)}};
  if (p.left_at) j["left_at"] = FormatRfc3339(*p.left_at);
  return j;
}

}  // namespace

json ToJson(const sessions::PeerView& p) {
  return {{"id", p.id.str()},           {"name", p.name},
          {"user_id", p.user_id.str()}, {"metadata", p.metadata},
          {"role", p.role.str()},       {"joined_at", FormatRfc3339(p.joined_at)}};
}

json PeerMapJson(const std::vector<sessions::PeerView>& peers) {
  json out = json::object();
  for (const sessions::PeerView& p : peers) out[p.id.str()] = ToJson(p);
  return out;
}

json ActiveRoomJson(const Room& room, const sessions::ActiveRoomView& live) {
  return {{"id", room.id.str()},
          {"name", room.name},
          {"customer_id", kCustomerId},
          {"session",
           {{"id", live.session_id.str()},
            {"created_at", FormatRfc3339(live.session_started_at)},
            {"peers", PeerMapJson(live.peers)}}}};
}

json ToJson(const SessionRecord& s) {
  json peers = json::object();
  for (const auto& [id, peer] : s.peers) peers[id] = ToJson(peer);
  return {{"id", s.id.str()},
          {"room_id", s.room_id.str()},
          {"customer_id", kCustomerId},
          {"app_id", kAppId},
          {"active", s.active},
          {"peers", std::move(peers)},
          {"created_at", FormatRfc3339(s.created_at)},
          {"updated_at", FormatRfc3339(s.updated_at)}};
}

// The session filters' after= / before=; rooms_api.cc's ReadTime predates it
// and could use it too.
Result<std::optional<UnixSeconds>> TimeFromQuery(const std::map<std::string, std::string>& query,
                                                 const std::string& name) {
  auto it = query.find(name);
  if (it == query.end()) return std::optional<UnixSeconds>();
  std::optional<int64_t> t = ParseRfc3339(it->second);
  if (!t) return Status::InvalidArgument("'" + name + "' must be an RFC 3339 time");
  return std::optional<UnixSeconds>(*t);
}

}  // namespace roomgate::api
