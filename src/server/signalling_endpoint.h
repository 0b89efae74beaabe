// SignallingEndpoint: live sessions on the HTTP port. It accepts WebSocket
// upgrades on /v2/signal, adapts each connection to the session layer
// (PeerLink + SignallingConnection), and runs the ticker thread that drives
// the hub's clock work (expiry, empty-room grace) and the join timeouts.
//
// The auth token is not looked at here: it arrives in the first message,
// so it never appears in a URL or an access log.
//
// Thread-safety: Accept from any I/O thread; Shutdown once, from the owner.
#ifndef ROOMGATE_SERVER_SIGNALLING_ENDPOINT_H_
#define ROOMGATE_SERVER_SIGNALLING_ENDPOINT_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "net/websocket.h"
#include "sessions/session_hub.h"
#include "sessions/signalling_connection.h"

namespace roomgate::server {

inline constexpr const char* kSignallingPath = "/v2/signal";

class SignallingEndpoint {
 public:
  // `hub` must outlive the endpoint. Starts the ticker.
  SignallingEndpoint(sessions::SessionHub& hub, sessions::ConnectionOptions options,
                     std::chrono::seconds join_timeout);
  ~SignallingEndpoint();  // stops the ticker

  net::WebSocketAcceptance Accept(const api::Request& request);
  // Tells every peer the server is stopping, closes them, and waits up to
  // `grace` for the connections to finish closing.
  void Shutdown(std::chrono::milliseconds grace);
  size_t open_connections() const { return open_.load(); }

 private:
  class Handler;
  void TickerLoop();
  void StopTicker();

  sessions::SessionHub& hub_;
  const sessions::ConnectionOptions options_;
  const std::chrono::seconds join_timeout_;
  sessions::PendingJoins pending_;
  std::atomic<size_t> open_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace roomgate::server

#endif  // ROOMGATE_SERVER_SIGNALLING_ENDPOINT_H_
