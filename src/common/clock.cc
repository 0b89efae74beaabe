#include "roomgate/clock.h"

#include <ctime>

namespace roomgate {

int64_t SystemClock::NowSeconds() const {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec);
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace roomgate
