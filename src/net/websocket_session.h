// WebSocketSession: one accepted WebSocket, from the 101 to the close. It is
// created by HttpSession when the acceptor accepts an upgrade, and takes over
// that connection's socket and already-read bytes.
//
// Like HttpSession, everything runs on the connection's strand, so the state
// needs no lock; only Send and Close come from other threads, and they touch
// two atomics and post the rest. One read is always pending (so a close from
// the peer or a dead socket is noticed), and one write is in flight at most,
// behind a queue whose byte count is bounded (ws_max_queued_bytes).
//
// Liveness is ours, not Beast's keep_alive_pings, because Beast ties the ping
// interval to half the idle timeout: a timer sends a ping every
// ws_ping_interval and drops the socket once nothing (message, ping or pong)
// arrived for ws_idle_timeout. Closing handshakes are bounded by
// read_timeout: a peer that does not read cannot receive a close frame.
//
// The application's WebSocketConnection holds only a weak reference, so the
// session's lifetime is that of its pending operations, and Stop() can wait
// for it.
//
// Internal to src/net/. Thread-safety: Send, Close, Shutdown and ForceClose
// from any thread; the rest on the strand.
#ifndef ROOMGATE_NET_WEBSOCKET_SESSION_H_
#define ROOMGATE_NET_WEBSOCKET_SESSION_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/boost.h"
#include "net/http_message.h"
#include "net/prefixed_socket.h"
#include "net/server_context.h"
#include "net/session_registry.h"
#include "net/websocket.h"

namespace roomgate::net {

class WebSocketSession : public Session, public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes the socket and moves the unread bytes out of `buffer`.
  WebSocketSession(StrandSocket socket, beast::flat_buffer& buffer, ServerContext& context,
                   std::unique_ptr<WebSocketHandler> handler, std::string remote_address);
  ~WebSocketSession() override;
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;

  // Answers `request` with 101 and starts the conversation. `log` is the
  // access log entry so far (method, path, address); `start` the request's
  // first byte.
  void Start(BeastRequest request, AccessLogEntry log, Clock::time_point start);

  void Shutdown() override;
  void ForceClose() override;
  std::shared_ptr<Session> Lock() override { return weak_from_this().lock(); }

  bool Send(std::shared_ptr<const std::string> text);
  void Close(uint16_t code, std::string reason);

 private:
  void OnAccepted(beast::error_code ec, AccessLogEntry log, Clock::time_point start);
  void ReadNext();
  void OnRead(beast::error_code ec);
  void Deliver();
  void DrainPending();
  void Enqueue(std::shared_ptr<const std::string> text);
  void WriteFront();
  void OnWritten(beast::error_code ec);
  void BeginClose(uint16_t code, std::string reason);
  void CloseAfterQueue(uint16_t code, std::string reason);
  void SchedulePing();
  void OnPingTimer(beast::error_code ec);
  void CloseSocket();
  void NotifyClosed();
  void Finish();

  ServerContext& context_;
  websocket::stream<PrefixedSocket> ws_;
  StrandTimer ping_timer_;
  StrandTimer close_timer_;
  std::unique_ptr<WebSocketHandler> handler_;
  std::string remote_address_;
  beast::flat_buffer read_buffer_;
  // front() is in flight when writing_. A list, not a deque: an idle
  // connection should not hold a deque's preallocated 512-byte node.
  std::list<std::shared_ptr<const std::string>> queue_;

  // Written from Send on any thread.
  std::atomic<size_t> queued_bytes_{0};
  std::atomic<bool> closing_{false};  // Send refuses from here on
  // Sends not yet moved to queue_ by the strand; one post drains them all.
  std::mutex pending_mu_;
  std::vector<std::shared_ptr<const std::string>> pending_;
  bool drain_posted_ = false;

  bool opened_ = false;
  bool writing_ = false;
  bool close_started_ = false;
  bool ping_pending_ = false;
  bool finished_ = false;
  // Set by Close: the close frame follows once the queue has been written.
  std::optional<std::pair<uint16_t, std::string>> close_after_queue_;
  Clock::time_point last_heard_;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_WEBSOCKET_SESSION_H_
