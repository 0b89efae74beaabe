// Request and Response as the API layer sees them: plain values with no
// Beast types (STYLE.md rule 7), so handlers are functions that tests call
// directly, and the network layer (src/net/) only converts at its edge.
//
// Thread-safety: values.
#ifndef ROOMGATE_API_HTTP_H_
#define ROOMGATE_API_HTTP_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace roomgate::api {

struct Request {
  std::string method;  // "GET", "POST", ... as received
  std::string path;    // percent-decoded path, without the query ("/v2/rooms/abc")
  std::map<std::string, std::string> query;  // percent-decoded; a repeated key keeps the first
  // Header names lower-cased; a repeated header keeps the first.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string remote_address;  // peer IP, for rate limiting and logs

  std::optional<std::string_view> Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
  }
};

struct Response {
  // A constructor rather than aggregate initialisation, so the common
  // Response{status, body} form leaves the rest defaulted without warnings.
  Response(int status_code = 200, std::string body_text = {}, std::string type = "application/json",
           std::vector<std::pair<std::string, std::string>> extra_headers = {})
      : status(status_code),
        body(std::move(body_text)),
        content_type(std::move(type)),
        headers(std::move(extra_headers)) {}

  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// The whole application behind the network layer. Called on an I/O thread;
// must not block for long (store calls are fine; no network waits).
using Handler = std::function<Response(const Request&)>;

// A JSON error body {"code": status, "message": ...} (DESIGN.md: the status
// is repeated in `code`, which 100ms clients branch on).
Response ErrorResponse(int status, std::string_view message);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_HTTP_H_
