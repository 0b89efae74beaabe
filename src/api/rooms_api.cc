// Rooms REST API (reference §8), all behind a management token:
//   POST /v2/rooms           create; an existing name gets the body applied
//   GET  /v2/rooms           ?enabled=&name=&template_id=&after=&before=&limit=&start=
//   GET  /v2/rooms/:room_id
//   POST /v2/rooms/:room_id  update fields and/or {"enabled": bool}
//
// Bodies are strict: an unknown field is a 400, since a misspelt field that
// was silently dropped would leave a room configured other than its caller
// believes. `template` (the deprecated name field) gets its own message, as
// from 100ms, because it is the mistake clients actually make.
#include "api/api.h"
#include "api/errors.h"
#include "api/json_body.h"
#include "api/json_model.h"
#include "api/reply.h"
#include "common/time_format.h"

namespace roomgate::api {
namespace {

template <typename T>
Status Assign(Result<std::optional<T>> read, std::optional<T>& out) {
  if (!read.ok()) return read.error();
  out = std::move(*read);
  return Status::Ok();
}

// recording_info, webhook and polls are kept as given (roomgate records
// nothing and calls no webhook) and returned on every read of the room.
Status ReadExtras(const JsonBody& body, std::optional<std::string>& out) {
  nlohmann::json extras = nlohmann::json::object();
  for (const char* name : {"recording_info", "webhook", "polls"}) {
    auto it = body.json().find(name);
    if (it == body.json().end() || it->is_null()) continue;
    // 100ms does not document the shape of `polls` (a list of poll ids, or an
    // object), so both are kept.
    if (!it->is_object() && !(std::string_view(name) == "polls" && it->is_array())) {
      return Status::InvalidArgument(std::string("'") + name + "' must be an object");
    }
    extras[name] = *it;
  }
  if (!extras.empty()) out = Dump(extras);
  return Status::Ok();
}

Status CheckRoomFields(const JsonBody& body, bool update) {
  if (body.Has("template")) {
    return Status::InvalidArgument("'template' is not a room field; use 'template_id'");
  }
  // 100ms's update takes neither template_id nor (on create) enabled.
  if (update) {
    return body.OnlyFields({"name", "description", "region", "large_room", "size",
                            "max_duration_seconds", "recording_info", "webhook", "polls",
                            "enabled"});
  }
  return body.OnlyFields({"name", "description", "template_id", "region", "large_room", "size",
                          "max_duration_seconds", "recording_info", "webhook", "polls"});
}

Result<rooms::RoomChanges> RoomChangesFrom(const Request& r, bool update) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return body.error();
  if (Status s = CheckRoomFields(*body, update); !s.ok()) return s;
  rooms::RoomChanges c;
  std::optional<std::string> template_id;
  const Status reads[] = {
      Assign(body->String("name"), c.name),
      Assign(body->String("description"), c.description),
      Assign(body->String("template_id"), template_id),
      Assign(body->String("region"), c.region),
      Assign(body->Bool("large_room"), c.large_room),
      Assign(body->Int("size"), c.size),
      Assign(body->Int("max_duration_seconds"), c.max_duration_seconds),
      Assign(body->Bool("enabled"), c.enabled),
      ReadExtras(*body, c.extra_json),
  };
  for (const Status& s : reads) {
    if (!s.ok()) return s;
  }
  if (template_id) c.template_id = TemplateId(*template_id);
  return c;
}

Status ReadTime(const Request& r, const std::string& name, std::optional<UnixSeconds>& out) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return Status::Ok();
  out = ParseRfc3339(it->second);
  if (!out) return Status::InvalidArgument("'" + name + "' must be an RFC 3339 time");
  return Status::Ok();
}

// `enabled` defaults to true, as 100ms documents (reference §8): a drop-in
// must list what the hosted service lists; disabled rooms need enabled=false.
Result<store::RoomFilter> FilterFrom(const Request& r) {
  store::RoomFilter f;
  auto enabled = BoolFromQuery(r.query, "enabled");
  if (!enabled.ok()) return enabled.error();
  f.enabled = enabled->value_or(true);
  if (auto it = r.query.find("name"); it != r.query.end()) f.name = it->second;
  if (auto it = r.query.find("template_id"); it != r.query.end()) {
    f.template_id = TemplateId(it->second);
  }
  if (Status s = ReadTime(r, "after", f.created_after); !s.ok()) return s;
  if (Status s = ReadTime(r, "before", f.created_before); !s.ok()) return s;
  return f;
}

Response Create(ApiServices& s, const Request& r) {
  auto changes = RoomChangesFrom(r, /*update=*/false);
  if (!changes.ok()) return ErrorFrom(changes.error());
  return Reply(s.rooms.CreateRoom(*changes));
}

Response List(ApiServices& s, const Request& r) {
  auto page = PageFromQuery(r.query);
  if (!page.ok()) return ErrorFrom(page.error());
  auto filter = FilterFrom(r);
  if (!filter.ok()) return ErrorFrom(filter.error());
  auto rooms = s.rooms.ListRooms(*filter, *page);
  if (!rooms.ok()) return ErrorFrom(rooms.error());
  return JsonResponse(PageJson(*rooms, page->limit));
}

Response Update(ApiServices& s, const Request& r, const PathParams& p) {
  auto changes = RoomChangesFrom(r, /*update=*/true);
  if (!changes.ok()) return ErrorFrom(changes.error());
  return Reply(s.rooms.UpdateRoom(RoomId(p.at("room_id")), *changes));
}

}  // namespace

void AddRoomRoutes(Router& router, ApiServices& s) {
  auto guarded = [&](RouteHandler h) { return WithManagementToken(s.verifier, std::move(h)); };
  router.Add("POST", "/v2/rooms",
             guarded([&s](const Request& r, const PathParams&) { return Create(s, r); }));
  router.Add("GET", "/v2/rooms",
             guarded([&s](const Request& r, const PathParams&) { return List(s, r); }));
  router.Add("GET", "/v2/rooms/:room_id", guarded([&s](const Request&, const PathParams& p) {
               return Reply(s.rooms.GetRoom(RoomId(p.at("room_id"))));
             }));
  router.Add("POST", "/v2/rooms/:room_id",
             guarded([&s](const Request& r, const PathParams& p) { return Update(s, r, p); }));
}

}  // namespace roomgate::api
