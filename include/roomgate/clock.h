// Clock: the source of "now" for everything time-dependent (token expiry,
// leeways). Injected so tests use a FakeClock and never sleep (STYLE.md rule 5).
//
// Thread-safety: implementations must be safe to call from any thread.
#ifndef ROOMGATE_CLOCK_H_
#define ROOMGATE_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace roomgate {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, the unit of JWT NumericDate claims.
  virtual int64_t NowSeconds() const = 0;
};

// The wall clock (CLOCK_REALTIME): JWT times are absolute, so a monotonic
// clock would be wrong here.
class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  // A process-wide instance, for callers that have no clock to inject.
  static const SystemClock& Instance();
};

// A clock tests set by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_.load(std::memory_order_relaxed); }
  void Set(int64_t now) { now_.store(now, std::memory_order_relaxed); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace roomgate

#endif  // ROOMGATE_CLOCK_H_
