#include "net/session_registry.h"

#include "net/http_session.h"

namespace roomgate::net {

bool SessionRegistry::Add(HttpSession* session, size_t max_sessions) {
  std::lock_guard lock(mu_);
  if (closed_ || sessions_.size() >= max_sessions) return false;
  sessions_.insert(session);
  return true;
}

void SessionRegistry::Remove(HttpSession* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_.notify_all();
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<HttpSession>> SessionRegistry::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  return SnapshotLocked();
}

std::vector<std::shared_ptr<HttpSession>> SessionRegistry::Snapshot() const {
  std::lock_guard lock(mu_);
  return SnapshotLocked();
}

bool SessionRegistry::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

// A session whose last owner is gone may still be listed while its destructor
// waits for mu_ to remove it; lock() skips it, and the pointer itself stays
// valid until that destructor gets the lock.
std::vector<std::shared_ptr<HttpSession>> SessionRegistry::SnapshotLocked() const {
  std::vector<std::shared_ptr<HttpSession>> alive;
  alive.reserve(sessions_.size());
  for (HttpSession* session : sessions_) {
    if (auto strong = session->weak_from_this().lock()) alive.push_back(std::move(strong));
  }
  return alive;
}

}  // namespace roomgate::net
