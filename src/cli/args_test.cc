#include "cli/args.h"

#include <gtest/gtest.h>

namespace roomgate::cli {
namespace {

const std::set<std::string> kAllowed = {"room-id", "role", "ttl"};

Result<Args> Parse(std::vector<std::string> argv) { return Args::Parse(argv, kAllowed); }

TEST(ArgsTest, ReadsValueFromNextArgument) {
  auto args = Parse({"--room-id", "r1", "--role", "host"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_EQ(args->Get("room-id"), "r1");
  EXPECT_EQ(args->Get("role"), "host");
  EXPECT_TRUE(args->Has("room-id"));
  EXPECT_FALSE(args->Has("ttl"));
  EXPECT_EQ(args->Get("ttl"), std::nullopt);
  EXPECT_TRUE(args->positional().empty());
}

TEST(ArgsTest, ReadsValueAfterEqualsSign) {
  auto args = Parse({"--room-id=r1", "--role=", "--ttl=a=b"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_EQ(args->Get("room-id"), "r1");
  EXPECT_EQ(args->Get("role"), "");  // given, but empty
  EXPECT_TRUE(args->Has("role"));
  EXPECT_EQ(args->Get("ttl"), "a=b");  // only the first '=' separates
}

TEST(ArgsTest, KeepsPositionalArgumentsInOrder) {
  auto args = Parse({"create", "--role", "host", "app", "-x", "last"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"create", "app", "-x", "last"}));
  EXPECT_EQ(args->Get("role"), "host");
}

TEST(ArgsTest, ValueMayLookLikeAnything) {
  auto args = Parse({"--role", "-host", "--room-id", ""});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_EQ(args->Get("role"), "-host");
  EXPECT_EQ(args->Get("room-id"), "");
}

TEST(ArgsTest, AcceptsHelpFlag) {
  auto args = Parse({"--help"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_TRUE(args->Has("help"));
  EXPECT_EQ(args->Get("help"), "");
}

TEST(ArgsTest, AcceptsDeclaredFlagsBetweenOptions) {
  auto args = Args::Parse({"--verbose", "--role", "host", "pos"}, kAllowed, {"help", "verbose"});
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_TRUE(args->Has("verbose"));
  EXPECT_FALSE(args->Has("help"));
  EXPECT_EQ(args->Get("role"), "host");
  EXPECT_EQ(args->positional(), std::vector<std::string>{"pos"});
}

TEST(ArgsTest, RejectsMalformedCommandLines) {
  const struct {
    const char* what;
    std::vector<std::string> argv;
    const char* message;
  } cases[] = {
      {"unknown option", {"--rol", "host"}, "unknown option --rol"},
      {"unknown option with value", {"--secret=x"}, "unknown option --secret"},
      {"option given twice", {"--role", "a", "--role", "b"}, "--role given twice"},
      {"option twice, mixed forms", {"--role=a", "--role", "b"}, "--role given twice"},
      {"flag given twice", {"--help", "--help"}, "--help given twice"},
      {"missing value", {"--role"}, "--role needs a value"},
      {"missing value at end", {"--room-id", "r", "--ttl"}, "--ttl needs a value"},
      {"flag with value", {"--help=yes"}, "--help takes no value"},
      {"empty option name", {"--=x"}, "unknown option --"},
  };
  for (const auto& c : cases) {
    auto args = Parse(c.argv);
    ASSERT_FALSE(args.ok()) << c.what;
    EXPECT_EQ(args.error().code(), Status::Code::kInvalidArgument) << c.what;
    EXPECT_EQ(args.error().message(), c.message) << c.what;
  }
}

TEST(ArgsTest, EmptyCommandLineHasNothing) {
  auto args = Parse({});
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(args->positional().empty());
  EXPECT_FALSE(args->Has("help"));
}

}  // namespace
}  // namespace roomgate::cli
