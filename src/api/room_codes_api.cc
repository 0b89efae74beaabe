// Room codes REST API (reference §4), all behind a management token:
//   POST /v2/room-codes/room/:room_id             codes for every role -> {data: [...]}
//   POST /v2/room-codes/room/:room_id/role/:role  one more code for one role
//   GET  /v2/room-codes/room/:room_id             ?role=&enabled=&limit=&start=
//   POST /v2/room-codes/code                      {code, enabled}
//   POST /v2/room-codes/code/:code                {enabled}   (the pre-2023 form)
#include "api/api.h"
#include "api/errors.h"
#include "api/json_body.h"
#include "api/json_model.h"

namespace roomgate::api {
namespace {

Response Json(const nlohmann::json& j) { return Response{200, Dump(j), "application/json", {}}; }

Response CreateForAll(ApiServices& s, const PathParams& p) {
  auto codes = s.codes.CreateForAllRoles(RoomId(p.at("room_id")));
  if (!codes.ok()) return ErrorFrom(codes.error());
  nlohmann::json data = nlohmann::json::array();
  for (const RoomCode& c : *codes) data.push_back(ToJson(c));
  return Json({{"data", std::move(data)}});
}

Response CreateForRole(ApiServices& s, const PathParams& p) {
  auto code = s.codes.CreateForRole(RoomId(p.at("room_id")), RoleName(p.at("role")));
  if (!code.ok()) return ErrorFrom(code.error());
  return Json(ToJson(*code));
}

Response List(ApiServices& s, const Request& r, const PathParams& p) {
  auto page = PageFromQuery(r.query);
  if (!page.ok()) return ErrorFrom(page.error());
  store::RoomCodeFilter filter;
  auto enabled = BoolFromQuery(r.query, "enabled");
  if (!enabled.ok()) return ErrorFrom(enabled.error());
  filter.enabled = *enabled;
  if (auto it = r.query.find("role"); it != r.query.end()) filter.role = RoleName(it->second);
  auto codes = s.codes.List(RoomId(p.at("room_id")), filter, *page);
  if (!codes.ok()) return ErrorFrom(codes.error());
  return Json(PageJson(*codes, page->limit));
}

// Both update forms end here; `code` comes from the body or the path.
Response SetEnabled(ApiServices& s, const Request& r, std::optional<std::string> path_code) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  const bool legacy = path_code.has_value();
  if (Status st = legacy ? body->OnlyFields({"enabled"}) : body->OnlyFields({"code", "enabled"});
      !st.ok()) {
    return ErrorFrom(st);
  }
  auto code = legacy ? Result<std::optional<std::string>>(path_code) : body->String("code");
  if (!code.ok()) return ErrorFrom(code.error());
  if (!*code) return ErrorResponse(400, "'code' is required");
  auto enabled = body->Bool("enabled");
  if (!enabled.ok()) return ErrorFrom(enabled.error());
  if (!*enabled) return ErrorResponse(400, "'enabled' is required");
  auto updated = s.codes.SetEnabled(RoomCodeText(**code), **enabled);
  if (!updated.ok()) return ErrorFrom(updated.error());
  return Json(ToJson(*updated));
}

}  // namespace

void AddRoomCodeRoutes(Router& router, ApiServices& s) {
  auto guarded = [&](RouteHandler h) { return WithManagementToken(s.verifier, std::move(h)); };
  router.Add("POST", "/v2/room-codes/room/:room_id",
             guarded([&s](const Request&, const PathParams& p) { return CreateForAll(s, p); }));
  router.Add("POST", "/v2/room-codes/room/:room_id/role/:role",
             guarded([&s](const Request&, const PathParams& p) { return CreateForRole(s, p); }));
  router.Add("GET", "/v2/room-codes/room/:room_id",
             guarded([&s](const Request& r, const PathParams& p) { return List(s, r, p); }));
  router.Add("POST", "/v2/room-codes/code", guarded([&s](const Request& r, const PathParams&) {
               return SetEnabled(s, r, std::nullopt);
             }));
  router.Add("POST", "/v2/room-codes/code/:code",
             guarded([&s](const Request& r, const PathParams& p) {
               return SetEnabled(s, r, p.at("code"));
             }));
}

}  // namespace roomgate::api
