#include "codes/rate_limiter.h"

#include <gtest/gtest.h>

namespace roomgate::codes {
namespace {

TEST(FailureRateLimiterTest, AllowsBurstThenBlocksWithRetryAfter) {
  FailureRateLimiter limiter({/*burst=*/3, /*per_minute=*/6, /*max_tracked=*/100});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.Check("1.2.3.4", 0).has_value()) << i;
    limiter.RecordFailure("1.2.3.4", 0);
  }
  auto wait = limiter.Check("1.2.3.4", 0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->count(), 10);  // 6 per minute: one every 10 s
}

TEST(FailureRateLimiterTest, RefillsOverTime) {
  FailureRateLimiter limiter({1, 6, 100});
  limiter.RecordFailure("a", 0);
  EXPECT_TRUE(limiter.Check("a", 9000).has_value());
  EXPECT_FALSE(limiter.Check("a", 10000).has_value());
}

TEST(FailureRateLimiterTest, AddressesAreIndependent) {
  FailureRateLimiter limiter({1, 1, 100});
  limiter.RecordFailure("a", 0);
  EXPECT_TRUE(limiter.Check("a", 0).has_value());
  EXPECT_FALSE(limiter.Check("b", 0).has_value());
}

TEST(FailureRateLimiterTest, UnknownAddressesAreNeverBlocked) {
  FailureRateLimiter limiter({1, 1, 100});
  EXPECT_FALSE(limiter.Check("never-failed", 0).has_value());
}

TEST(FailureRateLimiterTest, MemoryStaysBoundedUnderAddressChurn) {
  FailureRateLimiter limiter({2, 1, /*max_tracked=*/160});
  for (int i = 0; i < 10000; ++i) limiter.RecordFailure("x" + std::to_string(i), i);
  EXPECT_LE(limiter.tracked(), 160u);
  // The newest addresses are still tracked and limited.
  limiter.RecordFailure("x9999", 10000);
  EXPECT_TRUE(limiter.Check("x9999", 10000).has_value());
}

}  // namespace
}  // namespace roomgate::codes
