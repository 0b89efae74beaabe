// HttpSession: one accepted TCP connection, from its first byte to its close.
//
// A session is a small state machine driven by completion handlers on its own
// strand (the socket's executor), so its state needs no lock:
//
//   kIdle ──first byte──► kReading ──request parsed──► kHandling ──► kWriting
//     ▲                                                                │
//     └──────────── keep-alive (next request may already be buffered) ─┘
//                         otherwise ──► kLingering ──► kClosed
//
// A WebSocket upgrade the acceptor accepts leaves from kHandling: the socket
// and buffer move to a WebSocketSession and this object is done (kClosed).
//
// Parsing is done here with Beast's parser over one flat_buffer reused for the
// whole connection, rather than with http::async_read, so that a pipelined
// request already in the buffer is parsed without another trip through the
// io_context, and so that the session knows when a request really starts (its
// first byte), which separates the idle timeout from the read timeout.
//
// Timeouts use one steady_timer per session as a watchdog over `deadline_`
// (see SetDeadline). Moving the deadline later, which is what happens on every
// request, is a plain store; the timer is only re-armed when it fires early or
// when a deadline moves earlier. Beast's tcp_stream would instead arm and
// cancel a timer around every read and write.
//
// Internal to src/net/. Thread-safety: Start, Shutdown and ForceClose may be
// called from any thread (they post to the strand); everything else runs on
// the strand.
#ifndef ROOMGATE_NET_HTTP_SESSION_H_
#define ROOMGATE_NET_HTTP_SESSION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"
#include "net/boost.h"
#include "net/http_message.h"
#include "net/server_context.h"
#include "net/session_registry.h"
#include "net/websocket.h"

namespace roomgate::net {

class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  // `socket` must be bound to a strand of its own (Listener does this).
  HttpSession(StrandSocket socket, ServerContext& context);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void Start();
  // Stop() has begun: close now if idle, otherwise after the response in
  // flight.
  void Shutdown() override;
  // The shutdown grace period is over: close whatever the state.
  void ForceClose() override;
  std::shared_ptr<Session> Lock() override { return weak_from_this().lock(); }

 private:
  using Clock = std::chrono::steady_clock;
  enum class Phase { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  // Reading and parsing (http_session.cc).
  void AwaitRequest();
  void ReadMore();
  void OnRead(beast::error_code ec, size_t bytes);
  void BeginRequest();
  void ParseBuffered();
  bool MaybeSendContinue();
  void OnReadFailed(beast::error_code ec);
  void OnParseError(beast::error_code ec);

  // Handling and writing (http_session_write.cc).
  void Dispatch();
  api::Response CallHandler();
  // WebSocket hand-off (http_session_upgrade.cc).
  bool IsWebSocketUpgrade(const BeastRequest& message) const;
  void HandleUpgrade(const Framing& framing);
  WebSocketAcceptance CallAcceptor();
  void WriteResponse(api::Response response, Framing framing);
  void WriteError(int status, std::string_view message);
  void OnWritten(beast::error_code ec, size_t bytes);
  void LogAccess(size_t bytes);
  void Linger();
  void OnLingerRead(beast::error_code ec, size_t bytes);
  void CloseNow();

  // The watchdog (http_session.cc).
  void SetDeadline(Clock::time_point deadline);
  void ArmWatchdog();
  void OnWatchdog(beast::error_code ec, uint64_t generation);
  void OnDeadline();

  ServerContext& context_;
  StrandSocket socket_;
  StrandTimer watchdog_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  WireResponse response_;
  api::Request request_;  // reused, so its strings keep their capacity
  std::string remote_address_;

  Phase phase_ = Phase::kIdle;
  bool close_after_write_ = false;
  bool continue_sent_ = false;
  bool timed_out_ = false;
  size_t lingered_bytes_ = 0;
  Clock::time_point request_start_;
  Clock::time_point deadline_;
  Clock::time_point watchdog_expiry_;
  bool watchdog_armed_ = false;
  uint64_t watchdog_generation_ = 0;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_HTTP_SESSION_H_
