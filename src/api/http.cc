#include "api/http.h"

#include <nlohmann/json.hpp>

namespace roomgate::api {

Response ErrorResponse(int status, std::string_view message) {
  // `details` as 100ms sends it (reference §3); clients read it as a list.
  nlohmann::json body = {
      {"code", status}, {"message", message}, {"details", nlohmann::json::array()}};
  Response r;
  r.status = status;
  // Replace invalid UTF-8 rather than throw: messages may quote client input.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace roomgate::api
