#include "server/metrics.h"

#include <gtest/gtest.h>

namespace roomgate::server {
namespace {

TEST(MetricsTest, CountsRequestsByClassAndFillsCumulativeHistogram) {
  Metrics m;
  m.RecordRequest(200, std::chrono::microseconds(80));
  m.RecordRequest(201, std::chrono::microseconds(3000));
  m.RecordRequest(404, std::chrono::microseconds(2000000));
  const std::string text = m.Render();
  EXPECT_NE(text.find("roomgate_http_requests_total{code=\"2xx\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("roomgate_http_requests_total{code=\"4xx\"} 1"), std::string::npos);
  EXPECT_NE(text.find("roomgate_http_request_duration_seconds_bucket{le=\"0.0001\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_http_request_duration_seconds_bucket{le=\"0.005\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_http_request_duration_seconds_bucket{le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_http_request_duration_seconds_count 3"), std::string::npos);
}

TEST(MetricsTest, RendersSessionFiguresAsGaugesAndCounters) {
  SessionFigures f{2, 5, 6, 40, 3, 90, 1, 4};
  const std::string text = RenderSessionFigures(f);
  EXPECT_NE(text.find("# TYPE roomgate_live_rooms gauge\nroomgate_live_rooms 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_live_peers 5\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_signalling_connections 6\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE roomgate_joins_total counter\nroomgate_joins_total 40\n"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_join_refusals_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_session_events_recorded_total 90\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_session_events_dropped_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_session_events_failed_total 4\n"), std::string::npos);
  EXPECT_EQ(text.find("roomgate_media_"), std::string::npos)
      << "no media backend, no media figures";
}

TEST(MetricsTest, RendersMediaFiguresWhenThereIsAMediaBackend) {
  SessionFigures f;
  f.media = true;
  f.sfu_up = true;
  f.publications = 3;
  f.subscriptions = 6;
  f.publishes = 9;
  f.media_refusals = 2;
  f.sfu_failures = 1;
  const std::string text = RenderSessionFigures(f);
  EXPECT_NE(text.find("# TYPE roomgate_media_sfu_up gauge\nroomgate_media_sfu_up 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("roomgate_media_publications 3\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_media_subscriptions 6\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_media_publishes_total 9\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_media_refusals_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("roomgate_media_sfu_failures_total 1\n"), std::string::npos);
}

}  // namespace
}  // namespace roomgate::server
