#include "sessions/batching_recorder.h"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <utility>

namespace roomgate::sessions {

BatchingSessionRecorder::BatchingSessionRecorder(store::SessionStore& store,
                                                 BatchingRecorderOptions options)
    : store_(store), options_(options) {
  writer_ = std::thread([this] { WriterLoop(); });
}

BatchingSessionRecorder::~BatchingSessionRecorder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_one();
  // The writer drains the queue before it exits: that is the final flush.
  writer_.join();
}

void BatchingSessionRecorder::Record(SessionEvent event) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.max_queued_events) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      // One line per run of drops, not one per event: a full queue means a
      // flood, and the log must not become the next bottleneck.
      if (!overflowing_) {
        overflowing_ = true;
        std::clog << "session recorder: queue full (" << options_.max_queued_events
                  << " events); dropping new session history events\n";
      }
      return;
    }
    queue_.push_back(std::move(event));
    ++accepted_seq_;
    // Wake the writer only when it can act: it sleeps on an empty queue, or
    // gathers until a full batch is queued.
    wake = queue_.size() == 1 || queue_.size() >= options_.max_batch_events;
  }
  if (wake) work_cv_.notify_one();
}

void BatchingSessionRecorder::Flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = accepted_seq_;
  if (done_seq_ >= target) return;
  flush_seq_ = std::max(flush_seq_, target);
  work_cv_.notify_one();  // cut the writer's gathering wait short
  done_cv_.wait(lock, [&] { return done_seq_ >= target; });
}

bool BatchingSessionRecorder::WaitForBatch(std::unique_lock<std::mutex>& lock) {
  work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
  if (queue_.empty()) return false;  // stopping with nothing left
  // Gather: a few milliseconds' wait turns many small commits into one.
  work_cv_.wait_for(lock, options_.flush_interval, [this] {
    return stop_ || queue_.size() >= options_.max_batch_events || flush_seq_ > done_seq_;
  });
  return true;
}

void BatchingSessionRecorder::Write(const std::vector<SessionEvent>& batch) {
  const Status s = store_.RecordSessionEvents(batch);
  if (s.ok()) {
    recorded_.fetch_add(batch.size(), std::memory_order_relaxed);
    return;
  }
  failed_.fetch_add(batch.size(), std::memory_order_relaxed);
  // The store's messages name no secret and no SQL (store.h), so the line
  // may quote it; the events themselves (names, user ids) are not logged.
  std::clog << "session recorder: store refused a batch of " << batch.size()
            << " events, dropped: " << CodeName(s.code()) << ": " << s.message() << "\n";
}

void BatchingSessionRecorder::WriterLoop() {
  std::unique_lock lock(mu_);
  while (WaitForBatch(lock)) {
    const size_t n = std::min(queue_.size(), std::max<size_t>(options_.max_batch_events, 1));
    std::vector<SessionEvent> batch(std::make_move_iterator(queue_.begin()),
                                    std::make_move_iterator(queue_.begin() + n));
    queue_.erase(queue_.begin(), queue_.begin() + n);
    overflowing_ = false;  // there is room again: log the next run of drops
    lock.unlock();
    Write(batch);
    lock.lock();
    done_seq_ += n;
    done_cv_.notify_all();
  }
}

}  // namespace roomgate::sessions
