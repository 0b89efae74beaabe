// Recorded sessions REST API (reference §10; read-only), behind a management
// token:
//   GET /v2/sessions              ?room_id=&active=&after=&before=&limit=&start=
//   GET /v2/sessions/:session_id
//
// History reaches the store a few milliseconds behind the live state
// (session_recorder.h). Every read flushes the recorder first, so a client
// that has just ended a room, or seen a peer join, reads a history that
// already shows it. Queries are validated before the flush: a bad request
// should not wait on the disk.
#include "api/api.h"
#include "api/errors.h"
#include "api/json_model.h"
#include "api/reply.h"

namespace roomgate::api {
namespace {

Result<store::SessionFilter> FilterFrom(const Request& r) {
  store::SessionFilter f;
  if (auto it = r.query.find("room_id"); it != r.query.end()) f.room_id = RoomId(it->second);
  auto active = BoolFromQuery(r.query, "active");
  if (!active.ok()) return active.error();
  f.active = *active;
  auto after = TimeFromQuery(r.query, "after");
  if (!after.ok()) return after.error();
  f.created_after = *after;
  auto before = TimeFromQuery(r.query, "before");
  if (!before.ok()) return before.error();
  f.created_before = *before;
  return f;
}

Response List(LiveApiServices& s, const Request& r) {
  auto page = PageFromQuery(r.query);
  if (!page.ok()) return ErrorFrom(page.error());
  auto filter = FilterFrom(r);
  if (!filter.ok()) return ErrorFrom(filter.error());
  s.recorder.Flush();
  auto sessions = s.history.ListSessions(*filter, *page);
  if (!sessions.ok()) return ErrorFrom(sessions.error());
  return JsonResponse(PageJson(*sessions, page->limit));
}

Response Get(LiveApiServices& s, const PathParams& p) {
  s.recorder.Flush();
  return Reply(s.history.GetSession(SessionId(p.at("session_id"))));
}

}  // namespace

void AddSessionRoutes(Router& router, LiveApiServices& s) {
  auto guarded = [&](RouteHandler h) { return WithManagementToken(s.verifier, std::move(h)); };
  router.Add("GET", "/v2/sessions",
             guarded([&s](const Request& r, const PathParams&) { return List(s, r); }));
  router.Add("GET", "/v2/sessions/:session_id",
             guarded([&s](const Request&, const PathParams& p) { return Get(s, p); }));
}

}  // namespace roomgate::api
