#include "net/request_target.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace roomgate::net {
namespace {

struct TargetCase {
  const char* target;
  const char* path;
  std::map<std::string, std::string> query;
};

TEST(RequestTargetTest, DecodesPathAndQuery) {
  const TargetCase kCases[] = {
      {"/", "/", {}},
      {"/v2/rooms", "/v2/rooms", {}},
      {"/a%20b/c%2Fd", "/a b/c/d", {}},
      {"/a+b", "/a+b", {}},  // '+' is literal in a path
      {"/q?a=1&b=x+y&c=%2B", "/q", {{"a", "1"}, {"b", "x y"}, {"c", "+"}}},
      {"/q?a=1&a=2", "/q", {{"a", "1"}}},
      {"/q?flag&&=v&k=", "/q", {{"flag", ""}, {"", "v"}, {"k", ""}}},
      {"/q?k=a=b", "/q", {{"k", "a=b"}}},
      {"/%C3%A9?%C3%A9=%c3%a9", "/\xC3\xA9", {{"\xC3\xA9", "\xC3\xA9"}}},
      {"*", "*", {}},
      {"http://example.test/x?y=1", "/x", {{"y", "1"}}},
      {"HTTPS://example.test", "/", {}},
      {"http://example.test?y=1", "/", {{"y", "1"}}},
  };
  for (const TargetCase& c : kCases) {
    SCOPED_TRACE(c.target);
    std::string path = "stale";
    std::map<std::string, std::string> query = {{"stale", "1"}};
    ASSERT_TRUE(ParseRequestTarget(c.target, path, query).ok());
    EXPECT_EQ(path, c.path);
    EXPECT_EQ(query, c.query);
  }
}

TEST(RequestTargetTest, RejectsInvalidTargets) {
  const char* kCases[] = {"",      "v2/rooms", "/a%",      "/a%4",     "/a%zz",
                          "/a%00", "/q?a=%",   "/q?%GG=1", "/q?a=%00", "ftp://h/x"};
  for (const char* target : kCases) {
    SCOPED_TRACE(target);
    std::string path;
    std::map<std::string, std::string> query;
    Status status = ParseRequestTarget(target, path, query);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  }
}

TEST(RequestTargetTest, RawPathNeverIncludesQuery) {
  EXPECT_EQ(RawTargetPath("/a%zz?token=secret"), "/a%zz");
  EXPECT_EQ(RawTargetPath("/plain"), "/plain");
}

}  // namespace
}  // namespace roomgate::net
