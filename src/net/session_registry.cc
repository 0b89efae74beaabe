#include "net/session_registry.h"

namespace roomgate::net {

bool SessionRegistry::Add(Session* session, size_t max_sessions) {
  std::lock_guard lock(mu_);
  if (closed_ || sessions_.size() >= max_sessions) return false;
  sessions_.insert(session);
  return true;
}

void SessionRegistry::Remove(Session* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_.notify_all();
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> SessionRegistry::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  return SnapshotLocked();
}

std::vector<std::shared_ptr<Session>> SessionRegistry::Snapshot() const {
  std::lock_guard lock(mu_);
  return SnapshotLocked();
}

bool SessionRegistry::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

// A session whose last owner is gone may still be listed while its destructor
// waits for mu_ to remove it; Lock() skips it, and the pointer itself stays
// valid until that destructor gets the lock. The destructor body is still
// running then (blocked in Remove), so the virtual call reaches the
// session's own Lock().
std::vector<std::shared_ptr<Session>> SessionRegistry::SnapshotLocked() const {
  std::vector<std::shared_ptr<Session>> alive;
  alive.reserve(sessions_.size());
  for (Session* session : sessions_) {
    if (auto strong = session->Lock()) alive.push_back(std::move(strong));
  }
  return alive;
}

}  // namespace roomgate::net
