#include "web/if_none_match.h"

#include <gtest/gtest.h>

namespace roomgate::web {
namespace {

TEST(IfNoneMatchTest, MatchesListsWeakTagsAndStar) {
  constexpr std::string_view kTag = "\"abc\"";
  const std::pair<std::string_view, bool> cases[] = {
      {"\"abc\"", true},
      {"W/\"abc\"", true},  // weak comparison, as RFC 9110 asks for If-None-Match
      {"\"x\", \"abc\"", true},
      {"\"x\",W/\"abc\"", true},
      {" \t\"x\" ,, \"abc\" ", true},
      {"\"a,b\", \"abc\"", true},  // a comma inside a tag does not split it
      {"*", true},
      {"\"x\"", false},
      {"\"abcd\"", false},
      {"\"ab\"", false},
      {"abc", false},        // unquoted
      {"w/\"abc\"", false},  // the weak prefix is case-sensitive
      {"\"abc", false},      // unterminated
      {"\"\"", false},
      {"", false},
      {" , ", false},
      {"garbage, \"abc\"", false},  // nothing after a malformed element counts
  };
  for (const auto& [header, hits] : cases) {
    EXPECT_EQ(IfNoneMatchHits(header, kTag), hits) << header;
  }
}

TEST(IfNoneMatchTest, MatchesATagHoldingAComma) {
  EXPECT_TRUE(IfNoneMatchHits("\"x\", \"a,b\"", "\"a,b\""));
  EXPECT_FALSE(IfNoneMatchHits("\"a\", \"b\"", "\"a,b\""));
}

}  // namespace
}  // namespace roomgate::web
