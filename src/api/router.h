// Router: maps (method, path) to a route handler and produces 404 / 405 for
// everything else. Paths are patterns with `:name` segments
// ("/v2/rooms/:room_id"); a segment never matches an empty string.
//
// The route table is also the source of truth for the OpenAPI check
// (docs/openapi.yaml must list every route; see api/openapi_test.cc).
//
// Thread-safety: build at start-up; Dispatch is then const and thread-safe.
#ifndef ROOMGATE_API_ROUTER_H_
#define ROOMGATE_API_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http.h"

namespace roomgate::api {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<Response(const Request&, const PathParams&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteHandler handler);
  Response Dispatch(const Request& request) const;
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  static bool Match(const Route& route, const std::vector<std::string_view>& path,
                    PathParams& params);
  std::vector<Route> routes_;
};

}  // namespace roomgate::api

#endif  // ROOMGATE_API_ROUTER_H_
