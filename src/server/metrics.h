// Process metrics in the Prometheus text format (GET /metrics): request
// counts by route class and status, a latency histogram, and token counts.
// Lock-free counters so recording costs a few atomic adds per request.
//
// Thread-safety: all methods may be called concurrently.
#ifndef ROOMGATE_SERVER_METRICS_H_
#define ROOMGATE_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace roomgate::server {

class Metrics {
 public:
  void RecordRequest(int status, std::chrono::microseconds latency);
  // The response body of GET /metrics.
  std::string Render() const;

 private:
  static constexpr std::array<int64_t, 10> kBucketsUs = {100,  250,   500,   1000,   2500,
                                                         5000, 10000, 50000, 250000, 1000000};
  std::array<std::atomic<uint64_t>, 6> by_class_{};  // 1xx..5xx, other
  std::array<std::atomic<uint64_t>, kBucketsUs.size()> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

}  // namespace roomgate::server

#endif  // ROOMGATE_SERVER_METRICS_H_
