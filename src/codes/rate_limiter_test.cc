#include "codes/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace roomgate::codes {
namespace {

TEST(FailureRateLimiterTest, AllowsBurstOfFailuresThenBlocksWithRetryAfter) {
  FailureRateLimiter limiter({/*burst=*/3, /*per_minute=*/6, /*max_tracked=*/100});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Reserve("1.2.3.4", 0).has_value()) << i;
  auto wait = limiter.Reserve("1.2.3.4", 0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->count(), 10);  // 6 per minute: one every 10 s
}

TEST(FailureRateLimiterTest, SuccessfulAttemptsCostNothing) {
  FailureRateLimiter limiter({2, 1, 100});
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(limiter.Reserve("a", 0).has_value()) << i;
    limiter.Refund("a", 0);
  }
}

TEST(FailureRateLimiterTest, RefillsOverTime) {
  FailureRateLimiter limiter({1, 6, 100});
  EXPECT_FALSE(limiter.Reserve("a", 0).has_value());
  EXPECT_TRUE(limiter.Reserve("a", 9000).has_value());
  EXPECT_FALSE(limiter.Reserve("a", 10000).has_value());
}

TEST(FailureRateLimiterTest, AddressesAreIndependent) {
  FailureRateLimiter limiter({1, 1, 100});
  EXPECT_FALSE(limiter.Reserve("a", 0).has_value());
  EXPECT_TRUE(limiter.Reserve("a", 0).has_value());
  EXPECT_FALSE(limiter.Reserve("b", 0).has_value());
}

TEST(FailureRateLimiterTest, ConcurrentAttemptsCannotOverrunTheBurst) {
  FailureRateLimiter limiter({5, 1, 100});
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) admitted += !limiter.Reserve("x", 0).has_value();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 5);
}

TEST(FailureRateLimiterTest, MemoryStaysBoundedUnderAddressChurn) {
  FailureRateLimiter limiter({2, 1, /*max_tracked=*/160});
  for (int i = 0; i < 10000; ++i) (void)limiter.Reserve("x" + std::to_string(i), i);
  EXPECT_LE(limiter.tracked(), 160u);
  // The newest addresses are still tracked and limited.
  (void)limiter.Reserve("x9999", 10000);
  EXPECT_TRUE(limiter.Reserve("x9999", 10000).has_value());
}

TEST(RateLimitKeyTest, GroupsIpv6ByPrefixAndUnmapsIpv4) {
  EXPECT_EQ(RateLimitKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(RateLimitKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2::1"), RateLimitKey("2001:db8:1:2:ffff::9"));
  EXPECT_NE(RateLimitKey("2001:db8:1:2::1"), RateLimitKey("2001:db8:1:3::1"));
}

TEST(ClientAddressTest, IgnoresForwardedForUnlessThePeerIsATrustedProxy) {
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.1", {}), "203.0.113.5");
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.1", {"10.0.0.1"}), "203.0.113.5");
  EXPECT_EQ(ClientAddress("10.0.0.1", std::nullopt, {"10.0.0.1"}), "10.0.0.1");
}

TEST(ClientAddressTest, TakesTheRightmostUntrustedHop) {
  const std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(ClientAddress("10.0.0.1", "198.51.100.1", proxies), "198.51.100.1");
  // The client can prepend anything; only what our proxies appended counts.
  EXPECT_EQ(ClientAddress("10.0.0.1", "1.1.1.1, 198.51.100.1, 10.0.0.2", proxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", "10.0.0.2", proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.1", " , ", proxies), "10.0.0.1");
}

}  // namespace
}  // namespace roomgate::codes
