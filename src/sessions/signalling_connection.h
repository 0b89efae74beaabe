// SignallingConnection: one peer's WebSocket conversation, from the first
// message to the close. It parses each message (docs/signalling.md),
// applies the per-peer rate limit, checks field types and sizes, and hands
// the request to the SessionHub; the answer goes back as a reply or error.
//
// Thread-safety: OnMessage and OnClose are called serially (the transport
// serialises one connection's callbacks); OnJoinDeadline may come from the
// ticker thread at any time, so what it reads is atomic.
#ifndef ROOMGATE_SESSIONS_SIGNALLING_CONNECTION_H_
#define ROOMGATE_SESSIONS_SIGNALLING_CONNECTION_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "sessions/peer_link.h"
#include "sessions/session_hub.h"

namespace roomgate::sessions {

struct ConnectionOptions {
  // Token bucket per connection (every message counts, join included).
  double messages_per_second = 20;
  double message_burst = 50;
};

// Monotonic milliseconds (injected so tests control the rate limiter).
using MonotonicClock = std::function<int64_t()>;

class SignallingConnection {
 public:
  SignallingConnection(SessionHub& hub, std::shared_ptr<PeerLink> link, ConnectionOptions options,
                       MonotonicClock monotonic_ms);

  void OnMessage(std::string_view text);
  // The transport closed: a joined peer leaves ("disconnected").
  void OnClose();
  // The join timeout passed; closes with 4012 unless the peer has joined
  // or is joining.
  void OnJoinDeadline();
  // The server is stopping: a connection that has not joined is closed
  // (1001); joined peers are told by the hub.
  void OnServerStopping();

 private:
  void Handle(const std::string& type, const nlohmann::json& id, const nlohmann::json& msg);
  void HandleJoin(const nlohmann::json& id, const nlohmann::json& msg);
  Reply Request(const std::string& type, const nlohmann::json& id, const nlohmann::json& msg);
  void Answer(const nlohmann::json& id, const Reply& reply);
  // Once joined, through the room's outbox, so a reply never overtakes the
  // join reply or an event queued before it.
  void Send(std::string text);
  // waiting → closed, for the deadline and shutdown; false if not waiting.
  bool CloseIfWaiting();
  bool TakeToken();

  SessionHub& hub_;
  const std::shared_ptr<PeerLink> link_;
  const ConnectionOptions options_;
  const MonotonicClock monotonic_ms_;
  std::optional<Membership> member_;
  // A join and the join deadline (ticker thread) race for this: whichever
  // moves it out of kWaiting first wins.
  enum State { kWaiting, kJoining, kJoined, kClosed };
  std::atomic<int> state_{kWaiting};
  double tokens_;
  int64_t last_refill_ms_;
};

// Connections that have not joined yet, in deadline order (the timeout is
// the same for all, so arrival order is deadline order).
class PendingJoins {
 public:
  void Add(std::weak_ptr<SignallingConnection> connection, int64_t deadline);
  // Calls OnJoinDeadline on every connection whose deadline is <= now.
  void Sweep(int64_t now);
  // Calls OnServerStopping on every connection still listed.
  void StopAll();

 private:
  std::mutex mu_;
  std::deque<std::pair<std::weak_ptr<SignallingConnection>, int64_t>> queue_;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_SIGNALLING_CONNECTION_H_
