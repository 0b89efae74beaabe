#include "sessions/media_workers.h"

namespace roomgate::sessions {

namespace {
// Tasks a queue runs before it yields its thread to another room's queue.
constexpr int kBatch = 8;
}  // namespace

void MediaWorkers::Queue::Post(std::function<void()> task) {
  std::unique_lock lock(mu_);
  tasks_.push_back(std::move(task));
  if (scheduled_) return;
  scheduled_ = true;
  lock.unlock();
  workers_.Schedule(shared_from_this());  // kept alive while scheduled
}

MediaWorkers::MediaWorkers(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

MediaWorkers::~MediaWorkers() { Stop(); }

std::shared_ptr<MediaWorkers::Queue> MediaWorkers::NewQueue() {
  return std::shared_ptr<Queue>(new Queue(*this));
}

void MediaWorkers::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  ready_cv_.notify_all();
  for (auto& t : threads_) t.join();
  std::deque<std::shared_ptr<Queue>> dropped;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    dropped.swap(ready_);
  }
  // Destroyed outside the lock: dropping a task may destroy its room, and
  // with it the room's SFU handle, which must not run under our lock.
}

void MediaWorkers::Schedule(std::shared_ptr<Queue> queue) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    ready_.push_back(std::move(queue));
  }
  ready_cv_.notify_one();
}

bool MediaWorkers::Drain(Queue& queue) {
  for (int i = 0; i < kBatch; ++i) {
    std::function<void()> task;
    {
      std::lock_guard lock(queue.mu_);
      if (queue.tasks_.empty()) {
        queue.scheduled_ = false;
        return false;
      }
      task = std::move(queue.tasks_.front());
      queue.tasks_.pop_front();
    }
    task();
  }
  return true;
}

void MediaWorkers::Run() {
  for (;;) {
    std::shared_ptr<Queue> queue;
    {
      std::unique_lock lock(mu_);
      ready_cv_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
      if (ready_.empty()) return;  // stopping, and everything queued has run
      queue = std::move(ready_.front());
      ready_.pop_front();
    }
    if (Drain(*queue)) Schedule(std::move(queue));
  }
}

}  // namespace roomgate::sessions
