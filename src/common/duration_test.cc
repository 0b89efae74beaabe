#include "common/duration.h"

#include <gtest/gtest.h>

namespace roomgate {
namespace {

using std::chrono::seconds;

TEST(DurationTest, ParsesEveryUnit) {
  struct Case {
    const char* text;
    int64_t seconds;
  } cases[] = {{"0", 0},     {"3600", 3600}, {"30s", 30},
               {"15m", 900}, {"24h", 86400}, {"90d", 7776000}};
  for (const auto& c : cases) {
    auto d = ParseDuration(c.text);
    ASSERT_TRUE(d.ok()) << c.text;
    EXPECT_EQ(d->count(), c.seconds) << c.text;
  }
}

TEST(DurationTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "h", "-5s", "1.5h", "5 h", "5w", "24hh", "0x10", "99999999999999999999"}) {
    auto d = ParseDuration(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().code(), Status::Code::kInvalidArgument);
  }
}

TEST(DurationTest, RejectsDurationsThatWouldOverflowTimestamps) {
  EXPECT_FALSE(ParseDuration("99999999999d").ok());
}

TEST(DurationTest, FormatsShortestExactUnit) {
  EXPECT_EQ(FormatDuration(seconds(86400)), "1d");
  EXPECT_EQ(FormatDuration(seconds(5400)), "90m");
  EXPECT_EQ(FormatDuration(seconds(61)), "61s");
  EXPECT_EQ(FormatDuration(seconds(0)), "0s");
}

}  // namespace
}  // namespace roomgate
