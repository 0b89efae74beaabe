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

// Live-session figures, sampled when /metrics is read.
struct SessionFigures {
  size_t live_rooms = 0;
  size_t live_peers = 0;
  size_t connections = 0;  // open signalling WebSockets, joined or not
  uint64_t joins = 0;
  uint64_t join_refusals = 0;
  uint64_t history_recorded = 0;  // session events written to the store
  uint64_t history_dropped = 0;   // refused: the recorder's queue was full
  uint64_t history_failed = 0;    // in batches the store refused
  // The media plane (absent with media.backend "none").
  bool media = false;
  bool sfu_up = false;  // roomgate's connection to Janus is open
  int64_t publications = 0;
  int64_t subscriptions = 0;
  uint64_t publishes = 0;
  uint64_t media_refusals = 0;
  uint64_t sfu_failures = 0;
};

// The Prometheus text for `f` (appended to Metrics::Render's by the server).
std::string RenderSessionFigures(const SessionFigures& f);

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
