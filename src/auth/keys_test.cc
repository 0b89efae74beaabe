#include "roomgate/keys.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"

namespace roomgate {
namespace {

const std::string kSecret = "a-secret-of-at-least-thirty-two-bytes-0123456789";

TEST(KeysTest, GeneratedCredentialHasTheDocumentedShape) {
  const Credential c = GenerateCredential(OpenSslRandom());
  ASSERT_EQ(c.access_key.str().size(), 24u);
  for (char ch : c.access_key.str()) EXPECT_TRUE(std::isxdigit(ch) && !std::isupper(ch)) << ch;
  std::string raw;
  ASSERT_TRUE(auth::Base64UrlDecode(c.secret, raw));
  EXPECT_EQ(raw.size(), 48u);
  EXPECT_TRUE(ValidateCredential(c).ok());
  EXPECT_NE(GenerateCredential(OpenSslRandom()).secret, c.secret);
}

TEST(KeysTest, ValidateRejectsBadKeysWithoutQuotingTheSecret) {
  const std::string short_secret = "tooshort-secret-value";
  struct Case {
    const char* name;
    Credential c;
  } cases[] = {
      {"empty key", {AccessKey(""), kSecret}},
      {"space in key", {AccessKey("a b"), kSecret}},
      {"newline in key", {AccessKey("a\nb"), kSecret}},
      {"key too long", {AccessKey(std::string(129, 'a')), kSecret}},
      {"short secret", {AccessKey("ak"), short_secret}},
  };
  for (const auto& c : cases) {
    Status s = ValidateCredential(c.c);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.message().find(short_secret), std::string::npos) << c.name;
    EXPECT_EQ(s.message().find(kSecret), std::string::npos) << c.name;
  }
}

TEST(KeysTest, ProviderFindsEachKeyAndOnlyThose) {
  auto p =
      StaticKeyProvider::Create({{AccessKey("k1"), kSecret}, {AccessKey("k2"), kSecret + "x"}});
  ASSERT_TRUE(p.ok());
  EXPECT_NE((*p)->Find("k1"), nullptr);
  EXPECT_NE((*p)->Find("k2"), nullptr);
  EXPECT_NE((*p)->Find("k1"), (*p)->Find("k2"));
  EXPECT_EQ((*p)->Find("k3"), nullptr);
  EXPECT_EQ((*p)->Find(""), nullptr);
}

TEST(KeysTest, ProviderRejectsDuplicateAndInvalidKeys) {
  EXPECT_FALSE(
      StaticKeyProvider::Create({{AccessKey("k1"), kSecret}, {AccessKey("k1"), kSecret}}).ok());
  EXPECT_FALSE(StaticKeyProvider::Create({{AccessKey("k1"), "short"}}).ok());
}

}  // namespace
}  // namespace roomgate
