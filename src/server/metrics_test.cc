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

}  // namespace
}  // namespace roomgate::server
