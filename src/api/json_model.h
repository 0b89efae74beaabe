// The access model as 100ms's v2 JSON objects (reference §4.1, §8, §9), in
// both directions. Field names, nesting and camelCase-vs-snake_case follow
// 100ms exactly; that is the compatibility contract.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_API_JSON_MODEL_H_
#define ROOMGATE_API_JSON_MODEL_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "roomgate/status.h"
#include "rooms/model.h"
#include "rooms/session_record.h"
#include "sessions/live_rooms.h"
#include "store/store.h"

namespace roomgate::api {

nlohmann::json ToJson(const RoomCode& code);
nlohmann::json ToJson(const Room& room);
nlohmann::json ToJson(const Role& role);
nlohmann::json ToJson(const Template& t);

// Live peers, active rooms and recorded sessions (reference §10), in
// json_model_live.cc. 100ms keys peers by peer id in all of them.
nlohmann::json ToJson(const sessions::PeerView& peer);
nlohmann::json ToJson(const SessionRecord& session);
// {"<peer_id>": peer, ...}; {} when there are none.
nlohmann::json PeerMapJson(const std::vector<sessions::PeerView>& peers);
// {id, name, customer_id, session: {id, created_at, peers: {...}}}.
nlohmann::json ActiveRoomJson(const Room& room, const sessions::ActiveRoomView& live);

// Reads a role from its JSON object (as in POST /v2/templates/<id>/roles/<name>
// or inside a template's "roles" map); `name` is the role's name from the path
// or map key. InvalidArgument naming the bad field.
Result<Role> RoleFromJson(const std::string& name, const nlohmann::json& j);

// {"limit": n, "data": [...], "last": "..."} (reference §3).
template <typename T>
nlohmann::json PageJson(const store::Page<T>& page, size_t limit) {
  nlohmann::json data = nlohmann::json::array();
  for (const T& item : page.data) data.push_back(ToJson(item));
  return {{"limit", limit}, {"data", std::move(data)}, {"last", page.last}};
}

// Reads `limit` (1-100, default 10) and `start` from the query.
Result<store::PageRequest> PageFromQuery(const std::map<std::string, std::string>& query);
// Reads an optional boolean query parameter ("true"/"false").
Result<std::optional<bool>> BoolFromQuery(const std::map<std::string, std::string>& query,
                                          const std::string& name);
// Reads an optional RFC 3339 time query parameter (after=, before=).
Result<std::optional<UnixSeconds>> TimeFromQuery(const std::map<std::string, std::string>& query,
                                                 const std::string& name);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_JSON_MODEL_H_
