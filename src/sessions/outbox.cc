#include "sessions/outbox.h"

namespace roomgate::sessions {

void Outbox::Send(std::shared_ptr<PeerLink> to, std::string text) {
  Links links;
  links.push_back(std::move(to));
  Send(std::move(links), std::move(text));
}

void Outbox::Send(Links to, std::string text) {
  if (to.empty()) return;
  std::lock_guard lock(mu_);
  items_.push_back(Item{std::move(to), std::make_shared<const std::string>(std::move(text))});
}

void Outbox::Close(std::shared_ptr<PeerLink> to, uint16_t code, std::string reason) {
  std::lock_guard lock(mu_);
  items_.push_back(
      Item{{std::move(to)}, std::make_shared<const std::string>(std::move(reason)), code});
}

void Outbox::Deliver() {
  std::unique_lock lock(mu_);
  if (delivering_) return;  // that thread will send our items too
  delivering_ = true;
  while (!items_.empty()) {
    std::deque<Item> batch;
    batch.swap(items_);
    lock.unlock();
    for (Item& item : batch) {
      // One failed send (say, out of memory) must not wedge the room:
      // delivering_ would stay set and nothing would go out again.
      try {
        Perform(item);
      } catch (...) {
      }
    }
    lock.lock();
  }
  delivering_ = false;
}

void Outbox::Perform(Item& item) {
  if (item.close_code != 0) {
    item.to.front()->Close(item.close_code, *item.text);
    return;
  }
  for (const auto& link : item.to) link->SendShared(item.text);
}

}  // namespace roomgate::sessions
