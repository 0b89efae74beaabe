// MediaWorkers: the threads that do live sessions' media work, each room's
// tasks strictly in the order they were posted.
//
// Why threads of their own: media work waits on the SFU (a Janus round trip
// per step), and a network thread that waited would stall every connection
// it serves. Why a queue per room: a room's media state (publications,
// subscriptions) then needs no lock, and it sees the room's membership
// changes in the order the hub made them — the hub posts them while it
// still holds the room lock.
//
// Thread-safety: Post from any thread. Stop runs what is queued, joins the
// threads, and turns later posts into no-ops (the SFU drops its state when
// roomgate's connection to it closes).
#ifndef ROOMGATE_SESSIONS_MEDIA_WORKERS_H_
#define ROOMGATE_SESSIONS_MEDIA_WORKERS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace roomgate::sessions {

class MediaWorkers {
 public:
  // One room's tasks, run one at a time in posting order.
  class Queue : public std::enable_shared_from_this<Queue> {
   public:
    void Post(std::function<void()> task);

   private:
    friend class MediaWorkers;
    explicit Queue(MediaWorkers& workers) : workers_(workers) {}
    MediaWorkers& workers_;
    std::mutex mu_;
    std::deque<std::function<void()>> tasks_;
    bool scheduled_ = false;  // in the workers' ready list or running
  };

  explicit MediaWorkers(int threads);
  ~MediaWorkers();
  MediaWorkers(const MediaWorkers&) = delete;
  MediaWorkers& operator=(const MediaWorkers&) = delete;

  // The queue must not outlive the workers.
  std::shared_ptr<Queue> NewQueue();
  void Stop();

 private:
  void Schedule(std::shared_ptr<Queue> queue);
  void Run();
  // Runs a few of the queue's tasks; true if it has more.
  static bool Drain(Queue& queue);

  std::mutex mu_;
  std::condition_variable ready_cv_;
  std::deque<std::shared_ptr<Queue>> ready_;
  bool stopping_ = false;
  bool stopped_ = false;  // the threads are gone: posts are dropped
  std::vector<std::thread> threads_;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_MEDIA_WORKERS_H_
