#include "api/router.h"

#include <set>

namespace roomgate::api {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const size_t end = std::min(path.find('/', pos), path.size());
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  Route r{std::move(method), pattern, {}, std::move(handler)};
  for (auto s : SplitPath(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path,
                   PathParams& params) {
  if (route.segments.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (!seg.empty() && seg[0] == ':') {
      params[seg.substr(1)] = std::string(path[i]);
    } else if (seg != path[i]) {
      return false;
    }
  }
  return true;
}

Response Router::Dispatch(const Request& request) const {
  const auto path = SplitPath(request.path);
  PathParams params;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Match(route, path, params)) continue;
    if (route.method == request.method) return route.handler(request, params);
    allowed.insert(route.method);
  }
  if (allowed.empty()) return ErrorResponse(404, "no such endpoint: " + request.path);
  // OPTIONS on a known path is answered by the route if it registered one;
  // otherwise 405 with Allow, as RFC 9110 asks.
  Response r = ErrorResponse(405, "method " + request.method + " not allowed here");
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  r.headers.emplace_back("Allow", allow);
  return r;
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const Route& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace roomgate::api
