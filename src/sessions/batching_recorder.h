// BatchingSessionRecorder: the SessionRecorder roomgate runs with. Record()
// appends to a bounded in-memory queue; one writer thread drains it into the
// store, many events per transaction (see session_recorder.h for why
// history is written behind the live state).
//
// Why the queue is bounded and drops rather than blocks: Record() is called
// with a room's lock held, so waiting on a slow disk there would stall the
// live session — exactly what batching is for avoiding. When the store falls
// so far behind that the queue is full, the NEWEST event is dropped and
// counted: what is already queued stays intact and in order, a later event
// whose session or peer was dropped is skipped by the store as unknown, and
// start-up's EndActiveSessions closes a session whose kEnded was lost.
//
// A batch the store refuses is logged (one line, the store's message, which
// names no secret) and dropped, counted in failed(): retrying a batch that
// failed for a non-transient reason would wedge the writer forever.
//
// Thread-safety: Record, Flush and the counters may be called from any
// thread concurrently. The destructor must not race with Record or Flush
// (the owner stops the producers first); it flushes, then joins the writer.
// Flush must not be called from inside the store (it waits for the writer).
#ifndef ROOMGATE_SESSIONS_BATCHING_RECORDER_H_
#define ROOMGATE_SESSIONS_BATCHING_RECORDER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "sessions/session_recorder.h"
#include "store/store.h"

namespace roomgate::sessions {

struct BatchingRecorderOptions {
  // Events waiting for the writer at most; Record drops beyond this.
  // Default: 100,000 (tens of MB at worst; minutes of a busy node's joins).
  size_t max_queued_events = 100000;
  // Events per store transaction at most: bounds how long one commit holds
  // the store's lock and its write lock. Default: 2,000.
  size_t max_batch_events = 2000;
  // How long the writer waits to gather more events while fewer than a full
  // batch are queued: trades a little latency for fewer commits (fsyncs).
  // Flush() cuts the wait short. Default: 20 ms.
  std::chrono::milliseconds flush_interval{20};
};

class BatchingSessionRecorder final : public SessionRecorder {
 public:
  // `store` must outlive this object. Starts the writer thread.
  explicit BatchingSessionRecorder(store::SessionStore& store,
                                   BatchingRecorderOptions options = {});
  // Writes everything still queued, then stops the writer.
  ~BatchingSessionRecorder() override;
  BatchingSessionRecorder(const BatchingSessionRecorder&) = delete;
  BatchingSessionRecorder& operator=(const BatchingSessionRecorder&) = delete;

  void Record(SessionEvent event) override;
  void Flush() override;

  // Counters for metrics, in events. recorded: written to the store;
  // dropped: refused by Record because the queue was full; failed: in
  // batches the store refused. Monotonic.
  uint64_t recorded() const { return recorded_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  void WriterLoop();
  // Waits (lock held) until there is a batch to take or the recorder stops
  // with nothing queued; false in the latter case.
  bool WaitForBatch(std::unique_lock<std::mutex>& lock);
  // Hands one batch to the store and counts the outcome (lock not held).
  void Write(const std::vector<SessionEvent>& batch);

  store::SessionStore& store_;
  const BatchingRecorderOptions options_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // the writer waits here
  std::condition_variable done_cv_;  // Flush waits here
  // Guarded by mu_. Sequence numbers count accepted events: the n-th event
  // Record queued is n; everything up to done_seq_ has been attempted.
  std::deque<SessionEvent> queue_;
  uint64_t accepted_seq_ = 0;
  uint64_t done_seq_ = 0;
  uint64_t flush_seq_ = 0;    // the highest accepted_seq_ a Flush waits for
  bool overflowing_ = false;  // logged the current run of drops already
  bool stop_ = false;

  std::atomic<uint64_t> recorded_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> failed_{0};

  std::thread writer_;  // last: starts once everything above is ready
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_BATCHING_RECORDER_H_
