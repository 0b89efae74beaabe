#include "server/metrics.h"

#include <algorithm>
#include <sstream>

namespace roomgate::server {

void Metrics::RecordRequest(int status, std::chrono::microseconds latency) {
  const size_t cls = status >= 100 && status < 600 ? static_cast<size_t>(status / 100 - 1) : 5;
  by_class_[cls].fetch_add(1, std::memory_order_relaxed);
  const int64_t us = latency.count();
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    if (us <= kBucketsUs[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(us), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::ostringstream out;
  out << "# HELP roomgate_http_requests_total HTTP requests by status class.\n"
         "# TYPE roomgate_http_requests_total counter\n";
  static constexpr const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
  for (size_t i = 0; i < by_class_.size(); ++i) {
    out << "roomgate_http_requests_total{code=\"" << kClasses[i] << "\"} "
        << by_class_[i].load(std::memory_order_relaxed) << "\n";
  }
  out << "# HELP roomgate_http_request_duration_seconds Time to handle a request.\n"
         "# TYPE roomgate_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out << "roomgate_http_request_duration_seconds_bucket{le=\""
        << static_cast<double>(kBucketsUs[i]) / 1e6 << "\"} " << cumulative << "\n";
  }
  const uint64_t count = count_.load(std::memory_order_relaxed);
  out << "roomgate_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count << "\n"
      << "roomgate_http_request_duration_seconds_sum "
      << static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6 << "\n"
      << "roomgate_http_request_duration_seconds_count " << count << "\n";
  return out.str();
}

std::string RenderSessionFigures(const SessionFigures& f) {
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, uint64_t value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
        << name << " " << value << "\n";
  };
  metric("roomgate_live_rooms", "gauge", "Rooms with a live session.", f.live_rooms);
  metric("roomgate_live_peers", "gauge", "Peers in live sessions.", f.live_peers);
  metric("roomgate_signalling_connections", "gauge", "Open signalling WebSockets.", f.connections);
  metric("roomgate_joins_total", "counter", "Peers admitted to a session.", f.joins);
  metric("roomgate_join_refusals_total", "counter", "Joins refused (token, room, role, caps).",
         f.join_refusals);
  metric("roomgate_session_events_recorded_total", "counter",
         "Session history events written to the store.", f.history_recorded);
  metric("roomgate_session_events_dropped_total", "counter",
         "Session history events dropped because the recorder's queue was full.",
         f.history_dropped);
  metric("roomgate_session_events_failed_total", "counter",
         "Session history events in batches the store refused.", f.history_failed);
  if (!f.media) return out.str();
  metric("roomgate_media_sfu_up", "gauge", "1 while roomgate's connection to Janus is open.",
         f.sfu_up ? 1 : 0);
  metric("roomgate_media_publications", "gauge", "Live publications (camera/mic or screen).",
         static_cast<uint64_t>(std::max<int64_t>(f.publications, 0)));
  metric("roomgate_media_subscriptions", "gauge", "Live subscriptions (receiver x publication).",
         static_cast<uint64_t>(std::max<int64_t>(f.subscriptions, 0)));
  metric("roomgate_media_publishes_total", "counter", "Publish requests accepted.", f.publishes);
  metric("roomgate_media_refusals_total", "counter", "Media requests answered with an error.",
         f.media_refusals);
  metric("roomgate_media_sfu_failures_total", "counter",
         "Media steps Janus failed or could not be reached for.", f.sfu_failures);
  return out.str();
}

}  // namespace roomgate::server
