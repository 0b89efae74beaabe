// Conversion between the wire and the API layer's plain api::Request /
// api::Response: requests come from Beast's parser; responses are written
// here directly.
//
// Why responses do not go through Beast's serializer: for the small JSON
// responses this server exists for, http::async_write of a Beast message
// (one allocation per header field, then a generic buffer-sequence walk)
// cost about half of the user-space instructions of a whole request under
// load. A response here is a status line and a few headers formatted into a
// buffer the connection reuses, written together with the body in one
// gathered write. Parsing stays with Beast: that is where a hand-written
// parser would be a security risk.
//
// This file owns everything about framing: Content-Length, Connection,
// Server and Date are set here and a handler cannot override them, so a
// handler bug cannot desynchronise a keep-alive connection.
//
// Internal to src/net/. Thread-safety: free functions on caller-owned values.
#ifndef ROOMGATE_NET_HTTP_MESSAGE_H_
#define ROOMGATE_NET_HTTP_MESSAGE_H_

#include <string>
#include <string_view>

#include "api/http.h"
#include "net/boost.h"
#include "roomgate/status.h"

namespace roomgate::net {

using BeastRequest = http::request<http::string_body>;

// Fills `out` from `in`, moving the body out of `in`. `out` is reused across
// requests on a connection so its strings keep their capacity. On a target
// that does not decode, returns kInvalidArgument and leaves out.path as the
// raw path (never the query) for the access log.
Status ToApiRequest(BeastRequest& in, std::string_view remote_address, api::Request& out);

// How the response is framed, decided by the connection, not the handler.
struct Framing {
  unsigned version = 11;   // 10: a keep-alive answer says so (1.0 closes by default)
  bool keep_alive = true;  // false adds "Connection: close"
  bool head = false;       // HEAD: Content-Length of the body, but no body
};

// A response ready for the socket. Reused per connection: `head` keeps its
// capacity; `body` is moved in from the handler's response.
struct WireResponse {
  std::string head;  // status line and headers, through the blank line
  std::string body;  // empty for HEAD, 204 and 304
  int status = 0;
};

// Fills `out` from `in` (moving the body). Fails with kInternal when the
// handler produced something that cannot go on the wire: a status outside
// 200..599, or a header name or value that could split the response (CR, LF,
// NUL). The caller answers 500 instead.
Status ToWireResponse(api::Response&& in, const Framing& framing, WireResponse& out);

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_HTTP_MESSAGE_H_
