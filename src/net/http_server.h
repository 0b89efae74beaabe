// HttpServer: the HTTP/1.1 server that carries roomgate's REST API and token
// endpoint. It turns bytes on a socket into api::Request values, calls one
// api::Handler, and writes the api::Response back; everything about HTTP
// framing, limits and timeouts lives here so that handlers never see a socket
// (STYLE.md rule 7).
//
// Design (after the Boost.Beast 1.74 advanced_server example):
//  - one io_context run by `threads` threads; every connection lives on its
//    own strand, so a connection's reads, writes and timer never race and
//    need no lock;
//  - one request at a time per connection: read, handle, write, then the
//    next (pipelined requests wait in the connection's buffer), which keeps
//    responses in order and exactly one write in flight;
//  - every read has a deadline: `read_timeout` for a whole request (so a
//    slow-loris client cannot hold a connection by trickling headers) and
//    `idle_timeout` between keep-alive requests; writes use `read_timeout`;
//  - headers and bodies are capped before they are buffered (431 / 413).
//
// Thread-safety: Start, port and Stop may be called from any thread except an
// I/O thread of this server (Stop joins them). The handler and the access log
// hook are called concurrently from all I/O threads and must be thread-safe.
#ifndef ROOMGATE_NET_HTTP_SERVER_H_
#define ROOMGATE_NET_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http.h"
#include "net/websocket.h"
#include "roomgate/status.h"

namespace roomgate::net {

// One line of the access log: one per response written. It deliberately has
// no query string, headers or body: those carry tokens, room codes as link
// parameters and secrets, and a log is the easiest place for them to leak.
struct AccessLogEntry {
  std::string method;  // empty when the request line could not be parsed
  std::string path;    // percent-decoded path, never the query
  int status = 0;
  std::chrono::microseconds latency{0};  // first byte of the request to last byte written
  std::string remote_address;
  size_t response_bytes = 0;  // status line, headers and body as written
};

using AccessLog = std::function<void(const AccessLogEntry&)>;

class HttpServer {
 public:
  struct Options {
    // An IP address literal; never resolved (no DNS at startup).
    std::string host = "127.0.0.1";
    uint16_t port = 8080;                   // 0 picks an ephemeral port; see port()
    int threads = 0;                        // I/O threads; 0 = std::thread::hardware_concurrency()
    size_t max_body_bytes = 1 << 20;        // larger bodies get 413
    size_t max_header_bytes = 16 << 10;     // request line + headers; larger gets 431
    std::chrono::seconds read_timeout{30};  // whole request, and each response write
    std::chrono::seconds idle_timeout{60};  // keep-alive wait for the next request
    size_t max_connections = 10000;         // beyond this, new connections are closed
    // WebSocket connections (see websocket.h). A longer message closes with
    // 1009; Beast checks it before buffering, so it bounds memory per peer.
    size_t ws_max_frame_bytes = 64 << 10;
    // Outgoing bytes queued per connection; beyond this, 1008 (slow reader).
    size_t ws_max_queued_bytes = 1 << 20;
    // A ping this often keeps NAT and proxy state alive and tests the peer.
    std::chrono::seconds ws_ping_interval{20};
    // Nothing (data, ping or pong) from the peer for this long: close. A
    // dead peer cannot answer a close frame, so this drops the socket.
    std::chrono::seconds ws_idle_timeout{60};
  };

  // Binds, starts the I/O threads and returns a running server. Fails with
  // kInvalidArgument for bad options and kUnavailable when the address cannot
  // be bound (e.g. the port is in use).
  static Result<std::unique_ptr<HttpServer>> Start(Options options, api::Handler handler,
                                                   AccessLog access_log = {});
  // As above, and also serves WebSocket upgrades through `ws_acceptor`.
  // Without one, an upgrade request is an ordinary request for `handler`.
  static Result<std::unique_ptr<HttpServer>> Start(Options options, api::Handler handler,
                                                   AccessLog access_log,
                                                   WebSocketAcceptor ws_acceptor);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // calls Stop()

  // The bound port (the chosen one when Options::port was 0).
  uint16_t port() const;

  // Graceful shutdown: stops accepting, closes idle keep-alive connections,
  // lets requests in flight finish for up to 5 s (their responses carry
  // `Connection: close`), closes every WebSocket with 1001 (OnClose runs),
  // then closes what is left and joins the threads.
  // A handler that never returns blocks this forever. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_HTTP_SERVER_H_
