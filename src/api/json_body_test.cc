#include "api/json_body.h"

#include <gtest/gtest.h>

#include "api/http.h"

namespace roomgate::api {
namespace {

std::string Nested(int depth) {
  return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

TEST(JsonBodyTest, RefusesBodiesNestedDeeperThan32Levels) {
  EXPECT_TRUE(JsonBody::Parse(Nested(32)).ok());
  auto deep = JsonBody::Parse(Nested(33));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code(), Status::Code::kInvalidArgument);
  // A hostile depth that would overflow the stack when dumped is refused too.
  EXPECT_FALSE(JsonBody::Parse(Nested(200000)).ok());
}

TEST(JsonBodyTest, BracketsInsideStringsDoNotCount) {
  const std::string body = "{\"a\":\"" + std::string(100, '[') + "\\\"" + "\"}";
  EXPECT_TRUE(JsonBody::Parse(body).ok());
}

TEST(JsonBodyTest, EmptyBodyIsAnEmptyObjectAndOthersMustBeObjects) {
  EXPECT_TRUE(JsonBody::Parse("").ok());
  EXPECT_TRUE(JsonBody::Parse(" \n").ok());
  EXPECT_FALSE(JsonBody::Parse("[]").ok());
  EXPECT_FALSE(JsonBody::Parse("{").ok());
}

TEST(JsonBodyTest, ErrorBodiesCarryCodeMessageAndDetails) {
  const Response r = ErrorResponse(404, "nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"code":404,"details":[],"message":"nope"})");
}

}  // namespace
}  // namespace roomgate::api
