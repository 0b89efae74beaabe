// SessionRegistry: the set of open connections, so that Stop() can reach
// every one of them and wait for them to end.
//
// It is touched once when a connection opens and once when it closes, never
// per request, so a mutex is cheap here and keeps the request path lock-free.
//
// Internal to src/net/. Thread-safety: every method is safe from any thread.
#ifndef ROOMGATE_NET_SESSION_REGISTRY_H_
#define ROOMGATE_NET_SESSION_REGISTRY_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace roomgate::net {

// What Stop() needs of a connection, HTTP or WebSocket.
class Session {
 public:
  virtual ~Session() = default;
  // Stop() has begun: finish politely (HTTP: after the response in flight;
  // WebSocket: a 1001 close frame). Any thread.
  virtual void Shutdown() = 0;
  // The grace period is over: close the socket now. Any thread.
  virtual void ForceClose() = 0;
  // A strong reference, or null once the last owner let go (the destructor
  // may be waiting to Remove it). Called with the registry's lock held.
  virtual std::shared_ptr<Session> Lock() = 0;
};

class SessionRegistry {
 public:
  // Adds a session unless `max_sessions` are open or Close() was called (so
  // that a connection accepted while the server stops cannot slip past the
  // shutdown sweep).
  bool Add(Session* session, size_t max_sessions);
  // Called from the session's destructor.
  void Remove(Session* session);
  size_t size() const;

  // Refuses later Adds and returns the sessions still alive.
  std::vector<std::shared_ptr<Session>> Close();
  std::vector<std::shared_ptr<Session>> Snapshot() const;
  // True once no session is left, false if `deadline` passed first.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  std::vector<std::shared_ptr<Session>> SnapshotLocked() const;

  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::unordered_set<Session*> sessions_;
  bool closed_ = false;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_SESSION_REGISTRY_H_
