// MediaStats: the media plane's figures for /metrics, kept by each room's
// media (room_media.h) at its single change points.
//
// Thread-safety: atomics; written by the media workers, read by /metrics.
#ifndef ROOMGATE_SESSIONS_MEDIA_STATS_H_
#define ROOMGATE_SESSIONS_MEDIA_STATS_H_

#include <atomic>
#include <cstdint>

namespace roomgate::sessions {

struct MediaStats {
  std::atomic<int64_t> publications{0};   // live, in every room
  std::atomic<int64_t> subscriptions{0};  // live, in every room
  std::atomic<uint64_t> publishes{0};     // accepted publish requests
  std::atomic<uint64_t> refusals{0};      // media requests answered with an error
  std::atomic<uint64_t> sfu_failures{0};  // steps the SFU failed or could not be reached for
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_MEDIA_STATS_H_
