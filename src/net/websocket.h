// WebSocket endpoints on the HttpServer's port: the transport for live-session
// signalling. An HTTP/1.1 GET carrying `Upgrade: websocket` is offered to the
// application's WebSocketAcceptor, which refuses with an ordinary
// api::Response or accepts with a WebSocketHandler that then owns the
// conversation. Only text messages are carried; the message protocol on top
// is the application's. No Beast types appear here (STYLE.md rule 7).
//
// Lifecycle of one connection: acceptor → handshake (101) → OnOpen →
// OnMessage* → OnClose (exactly once, on any thread of the server, never
// concurrently with the other callbacks of the same connection).
//
// Thread-safety: a WebSocketConnection may be used from any thread. Handler
// callbacks of one connection are serialised on that connection's strand;
// callbacks of different connections run concurrently, so state shared
// between handlers needs its own lock. A handler must not block.
#ifndef ROOMGATE_NET_WEBSOCKET_H_
#define ROOMGATE_NET_WEBSOCKET_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/http.h"

namespace roomgate::net {

// Close codes (RFC 6455 §7.4.1) the server uses.
inline constexpr uint16_t kWsCloseNormal = 1000;
inline constexpr uint16_t kWsCloseGoingAway = 1001;      // server shutting down
inline constexpr uint16_t kWsCloseUnsupported = 1003;    // a binary message
inline constexpr uint16_t kWsClosePolicy = 1008;         // slow reader
inline constexpr uint16_t kWsCloseTooBig = 1009;         // over ws_max_frame_bytes
inline constexpr uint16_t kWsCloseInternalError = 1011;  // a handler threw

// The application's handle on one open WebSocket. It does not keep the
// connection alive: once the connection is gone, Send returns false and
// Close does nothing, so holding one past OnClose (or past the server) is
// safe.
class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;

  // Queues one text message. The outgoing queue is bounded by
  // HttpServer::Options::ws_max_queued_bytes: a peer that does not read
  // would otherwise grow it without limit, so going over closes the
  // connection with 1008 and returns false. Also false once closing.
  virtual bool Send(std::shared_ptr<const std::string> text) = 0;
  // The same text to many connections: share one buffer instead of copying.
  bool Send(std::string text) { return Send(std::make_shared<const std::string>(std::move(text))); }
  // Closes the connection: messages queued before the call are written
  // first (bounded by the read timeout, for a peer that stopped reading),
  // then the peer gets `code` and `reason` (at most 123 bytes; longer is
  // cut). Later Sends return false. Idempotent: only the first call counts.
  virtual void Close(uint16_t code, std::string reason) = 0;
  // The peer's IP address, as in api::Request::remote_address.
  virtual const std::string& remote_address() const = 0;
};

// Implemented by the application, one instance per accepted connection.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  // The handshake is done; `connection` is valid for sending from now on.
  virtual void OnOpen(std::shared_ptr<WebSocketConnection> connection) = 0;
  // One complete text message (valid UTF-8, checked by the server).
  virtual void OnMessage(std::string_view text) = 0;
  // The connection is closed or closing, for whatever reason: called as
  // soon as the server starts a close (Close, a slow reader, a bad frame,
  // shutdown) or the connection ends; later Sends are no-ops and no more
  // messages arrive. Not called when the handshake itself failed (OnOpen
  // never ran).
  virtual void OnClose() = 0;
};

// The acceptor's answer: a handler accepts, a Response refuses (e.g. 404 for
// an unknown path, 401 without a valid token). A null handler is a 500.
using WebSocketAcceptance = std::variant<std::unique_ptr<WebSocketHandler>, api::Response>;

// Called on an I/O thread with the upgrade request (path, query, headers;
// no body). Authentication belongs here, before the 101 is sent, so that a
// refused client gets an HTTP status rather than an opened-then-closed
// socket. Must be thread-safe and must not block.
using WebSocketAcceptor = std::function<WebSocketAcceptance(const api::Request&)>;

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_WEBSOCKET_H_
