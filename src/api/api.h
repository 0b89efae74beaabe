// The REST API's wiring: which services the handlers use, and one function
// per resource that registers its routes. Handlers are plain functions
// (Request, path params) -> Response: guard, validate, call the service,
// serialise (STYLE.md rule 7).
//
// Thread-safety: routes are registered at start-up; the services are
// thread-safe, so handlers run concurrently on every I/O thread.
#ifndef ROOMGATE_API_API_H_
#define ROOMGATE_API_API_H_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "api/router.h"
#include "codes/code_service.h"
#include "codes/rate_limiter.h"
#include "roomgate/token.h"
#include "rooms/room_service.h"
#include "sessions/live_rooms.h"
#include "sessions/session_recorder.h"
#include "store/store.h"

namespace roomgate::api {

// Monotonic milliseconds, for rate limiting (injected so tests control it).
using MonotonicMs = std::function<int64_t()>;

struct ApiServices {
  const TokenVerifier& verifier;  // management tokens for /v2 (except /v2/token)
  rooms::RoomService& rooms;
  codes::CodeService& codes;
  codes::FailureRateLimiter& redeem_limiter;
  MonotonicMs monotonic_ms;
  // Reverse proxies whose X-Forwarded-For names the client (exact addresses).
  std::vector<std::string> trusted_proxies;
};

// Wraps `handler` so it runs only with a valid management token in
// `Authorization: Bearer ...`; otherwise 401 JSON naming the reason.
RouteHandler WithManagementToken(const TokenVerifier& verifier, RouteHandler handler);

void AddTemplateRoutes(Router& router, ApiServices& services);
void AddRoomRoutes(Router& router, ApiServices& services);
void AddRoomCodeRoutes(Router& router, ApiServices& services);
void AddTokenRoutes(Router& router, ApiServices& services);

// All of the above: the /v2 surface of the access model.
void AddAllRoutes(Router& router, ApiServices& services);

// What the live-session routes use: the live rooms to see and act on, the
// recorded history, and its recorder (flushed before each history read, so a
// read sees every event that happened before the request).
struct LiveApiServices {
  const TokenVerifier& verifier;  // management tokens
  rooms::RoomService& rooms;      // the room's name for GET /v2/active-rooms/<id>
  sessions::LiveRooms& live;
  store::SessionStore& history;
  sessions::SessionRecorder& recorder;
};

void AddActiveRoomRoutes(Router& router, LiveApiServices& services);  // /v2/active-rooms/...
void AddSessionRoutes(Router& router, LiveApiServices& services);     // /v2/sessions

// Both of the above (reference §10). Kept apart from AddAllRoutes because
// they need the live sessions, which only the server's composition root has.
void AddLiveRoomRoutes(Router& router, LiveApiServices& services);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_API_H_
