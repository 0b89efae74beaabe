#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace roomgate::config {
namespace {

using std::chrono::seconds;

constexpr char kFullConfig[] = R"(// roomgate config, every setting given
{
  /* Two active keys: rotation in progress. */
  "keys": [
    {"access_key": "old-key", "secret": "old-secret-0123456789abcdef0123456789"},  // retiring
    {"access_key": "new-key", "secret": "new-secret-0123456789abcdef0123456789"}
  ],
  "signing_access_key": "new-key",
  "tokens": {
    "default_ttl": "2h",   // short sessions
    "max_ttl": "7d",
    "leeway": "30s",
    /* max_token_bytes: */ "max_token_bytes": 4096
  }
}
)";

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Status Load(std::string_view json) {
  Config c;
  return LoadJson(json, c);
}

TEST(ConfigTest, DefaultsAreValid) {
  const Config c;
  EXPECT_TRUE(c.keys.empty());
  EXPECT_TRUE(c.signing_access_key.empty());
  EXPECT_EQ(c.tokens.default_ttl, seconds(86400));
  EXPECT_EQ(c.tokens.max_ttl, seconds(90 * 86400));
  EXPECT_EQ(c.tokens.leeway, seconds(60));
  EXPECT_EQ(c.tokens.max_token_bytes, 8192u);
  EXPECT_EQ(c.SigningKey(), nullptr);
  EXPECT_TRUE(c.Validate().ok());
}

TEST(ConfigTest, LoadsFullCommentedConfig) {
  Config c;
  const Status s = LoadJson(kFullConfig, c);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.keys[0].access_key, "old-key");
  EXPECT_EQ(c.keys[0].secret, "old-secret-0123456789abcdef0123456789");
  EXPECT_EQ(c.keys[1].access_key, "new-key");
  EXPECT_EQ(c.signing_access_key, "new-key");
  EXPECT_EQ(c.tokens.default_ttl, seconds(7200));
  EXPECT_EQ(c.tokens.max_ttl, seconds(7 * 86400));
  EXPECT_EQ(c.tokens.leeway, seconds(30));
  EXPECT_EQ(c.tokens.max_token_bytes, 4096u);
  ASSERT_NE(c.SigningKey(), nullptr);
  EXPECT_EQ(c.SigningKey()->access_key, "new-key");
  EXPECT_TRUE(c.Validate().ok());
}

TEST(ConfigTest, PartialFileKeepsOtherDefaults) {
  Config c;
  ASSERT_TRUE(LoadJson(R"({"tokens": {"leeway": "5s"}})", c).ok());
  EXPECT_EQ(c.tokens.leeway, seconds(5));
  EXPECT_EQ(c.tokens.default_ttl, seconds(86400));
  EXPECT_EQ(c.tokens.max_token_bytes, 8192u);
  ASSERT_TRUE(LoadJson("{}", c).ok());
}

TEST(ConfigTest, SigningKeyDefaultsToFirstKey) {
  Config c;
  ASSERT_TRUE(LoadJson(R"({"keys": [{"access_key": "a", "secret": "s"},
                                    {"access_key": "b", "secret": "t"}]})",
                       c)
                  .ok());
  ASSERT_NE(c.SigningKey(), nullptr);
  EXPECT_EQ(c.SigningKey()->access_key, "a");
}

TEST(ConfigTest, RejectsUnknownSettings) {
  const struct {
    const char* json;
    const char* named;
  } cases[] = {
      {R"({"key": []})", "key"},
      {R"({"tokens": {"ttl": "1h"}})", "tokens.ttl"},
      {R"({"tokens": {"leway": "1s"}})", "tokens.leway"},
      {R"({"keys": [{"access_key": "a", "secret": "s", "secert": "t"}]})", "keys[].secert"},
  };
  for (const auto& c : cases) {
    const Status s = Load(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.json;
    EXPECT_NE(s.message().find(c.named), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("unknown setting"), std::string::npos) << s.message();
  }
}

TEST(ConfigTest, RejectsWrongTypes) {
  const struct {
    const char* json;
    const char* named;
  } cases[] = {
      {"[]", "object"},
      {R"("keys")", "object"},
      {R"({"keys": {"access_key": "a", "secret": "s"}})", "keys"},
      {R"({"keys": ["a:s"]})", "keys"},
      {R"({"keys": [{"access_key": "a"}]})", "keys"},
      {R"({"keys": [{"secret": "s"}]})", "keys"},
      {R"({"keys": [{"access_key": 7, "secret": "s"}]})", "keys"},
      {R"({"keys": [{"access_key": "a", "secret": null}]})", "keys"},
      {R"({"signing_access_key": 1})", "signing_access_key"},
      {R"({"tokens": []})", "tokens"},
      {R"({"tokens": {"default_ttl": 3600}})", "tokens.default_ttl"},
      {R"({"tokens": {"max_ttl": true}})", "tokens.max_ttl"},
      {R"({"tokens": {"leeway": null}})", "tokens.leeway"},
      {R"({"tokens": {"max_token_bytes": "8k"}})", "tokens.max_token_bytes"},
      {R"({"tokens": {"max_token_bytes": -1}})", "tokens.max_token_bytes"},
      {R"({"tokens": {"max_token_bytes": 1024.5}})", "tokens.max_token_bytes"},
      {R"({"tokens": {"max_token_bytes": 1e400}})", ""},  // out of double range
  };
  for (const auto& c : cases) {
    const Status s = Load(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.json;
    EXPECT_NE(s.message().find(c.named), std::string::npos) << s.message();
  }
}

TEST(ConfigTest, RejectsBadDurations) {
  for (const char* d : {"", "1.5h", "5w", "-5s", "24 h", "h", "1h30m", "99999999999d"}) {
    const std::string json = std::string(R"({"tokens": {"max_ttl": ")") + d + "\"}}";
    const Status s = Load(json);
    ASSERT_FALSE(s.ok()) << json;
    EXPECT_NE(s.message().find("tokens.max_ttl"), std::string::npos) << s.message();
  }
}

TEST(ConfigTest, InvalidJsonErrorDoesNotQuoteTheFile) {
  constexpr char kSecret[] = "Sup3rS3cretValue-do-not-log";
  const std::string texts[] = {
      std::string(R"({"keys": [{"access_key": "a", "secret": ")") + kSecret + R"(" "x"}]})",
      std::string(R"({"keys": [{"access_key": "a", "secret": ")") + kSecret + R"(}]})",
      std::string(R"({"keys": [{"access_key": "a", "secret": )") + kSecret + "}]}",
      std::string(R"({"keys": [{"access_key": "a", "secret": ")") + kSecret,
  };
  for (const std::string& text : texts) {
    const Status s = Load(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find("not valid JSON"), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("Sup3r"), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("S3cret"), std::string::npos) << s.message();
  }
}

TEST(ConfigTest, ValidateChecksRangesAndConsistency) {
  const struct {
    const char* what;
    void (*mutate)(Config&);
    const char* named;  // empty: the config is valid
  } cases[] = {
      {"zero default ttl", [](Config& c) { c.tokens.default_ttl = seconds(0); },
       "tokens.default_ttl"},
      {"default above max", [](Config& c) { c.tokens.default_ttl = c.tokens.max_ttl + seconds(1); },
       "tokens.max_ttl"},
      {"default equals max", [](Config& c) { c.tokens.default_ttl = c.tokens.max_ttl; }, ""},
      {"leeway 10m", [](Config& c) { c.tokens.leeway = seconds(600); }, ""},
      {"leeway above 10m", [](Config& c) { c.tokens.leeway = seconds(601); }, "tokens.leeway"},
      {"token bytes 511", [](Config& c) { c.tokens.max_token_bytes = 511; },
       "tokens.max_token_bytes"},
      {"token bytes 512", [](Config& c) { c.tokens.max_token_bytes = 512; }, ""},
      {"token bytes 65536", [](Config& c) { c.tokens.max_token_bytes = 65536; }, ""},
      {"token bytes 65537", [](Config& c) { c.tokens.max_token_bytes = 65537; },
       "tokens.max_token_bytes"},
      {"duplicate access key",
       [](Config& c) {
         c.keys = {{"a", "s"}, {"b", "t"}, {"a", "u"}};
       },
       "keys"},
      {"empty access key",
       [](Config& c) {
         c.keys = {{"", "s"}};
       },
       "keys"},
      {"signing key not listed",
       [](Config& c) {
         c.keys = {{"a", "s"}};
         c.signing_access_key = "b";
       },
       "signing_access_key"},
      {"signing key without keys", [](Config& c) { c.signing_access_key = "a"; },
       "signing_access_key"},
      {"signing key listed",
       [](Config& c) {
         c.keys = {{"a", "s"}, {"b", "t"}};
         c.signing_access_key = "b";
       },
       ""},
  };
  for (const auto& c : cases) {
    Config config;
    c.mutate(config);
    const Status s = config.Validate();
    if (*c.named == '\0') {
      EXPECT_TRUE(s.ok()) << c.what << ": " << s.message();
      continue;
    }
    ASSERT_FALSE(s.ok()) << c.what;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.what;
    EXPECT_NE(s.message().find(c.named), std::string::npos) << c.what << ": " << s.message();
  }
}

TEST(ConfigTest, ValidateNeverQuotesSecrets) {
  Config c;
  c.keys = {{"a", "secret-one"}, {"a", "secret-two"}};
  const Status s = c.Validate();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("secret-"), std::string::npos) << s.message();
}

TEST(ConfigTest, EnvironmentSetsPrimaryKeyAndDurations) {
  Config c;
  const Status s = ApplyEnvironment(FakeEnv({{"ROOMGATE_ACCESS_KEY", "env-key"},
                                             {"ROOMGATE_SECRET", "env-secret"},
                                             {"ROOMGATE_TOKEN_TTL", "1h"},
                                             {"ROOMGATE_MAX_TOKEN_TTL", "30d"},
                                             {"ROOMGATE_TOKEN_LEEWAY", "90"}}),
                                    c);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(c.keys.size(), 1u);
  ASSERT_NE(c.SigningKey(), nullptr);
  EXPECT_EQ(c.SigningKey()->access_key, "env-key");
  EXPECT_EQ(c.SigningKey()->secret, "env-secret");
  EXPECT_EQ(c.tokens.default_ttl, seconds(3600));
  EXPECT_EQ(c.tokens.max_ttl, seconds(30 * 86400));
  EXPECT_EQ(c.tokens.leeway, seconds(90));
}

TEST(ConfigTest, EmptyEnvironmentChangesNothing) {
  Config c;
  ASSERT_TRUE(ApplyEnvironment(FakeEnv({}), c).ok());
  EXPECT_TRUE(c.keys.empty());
  EXPECT_EQ(c.tokens.default_ttl, seconds(86400));
}

TEST(ConfigTest, EnvironmentNeedsBothKeyVariables) {
  for (const char* only : {"ROOMGATE_ACCESS_KEY", "ROOMGATE_SECRET"}) {
    Config c;
    const Status s = ApplyEnvironment(FakeEnv({{only, "value"}}), c);
    ASSERT_FALSE(s.ok()) << only;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_TRUE(c.keys.empty()) << only;
  }
}

TEST(ConfigTest, EnvironmentRejectsBadDurationNamingTheVariable) {
  for (const char* var :
       {"ROOMGATE_TOKEN_TTL", "ROOMGATE_MAX_TOKEN_TTL", "ROOMGATE_TOKEN_LEEWAY"}) {
    Config c;
    const Status s = ApplyEnvironment(FakeEnv({{var, "soon"}}), c);
    ASSERT_FALSE(s.ok()) << var;
    EXPECT_NE(s.message().find(var), std::string::npos) << s.message();
  }
}

TEST(ConfigTest, SetPrimaryKeyReplacesSecretOfExistingKey) {
  Config c;
  c.keys = {{"a", "old-a"}, {"b", "old-b"}};
  SetPrimaryKey("b", "new-b", c);
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.keys[0].secret, "old-a");
  EXPECT_EQ(c.keys[1].secret, "new-b");
  ASSERT_NE(c.SigningKey(), nullptr);
  EXPECT_EQ(c.SigningKey()->access_key, "b");
  EXPECT_EQ(c.SigningKey()->secret, "new-b");
  EXPECT_TRUE(c.Validate().ok());
}

TEST(ConfigTest, SetPrimaryKeyAddsNewKeyAndSignsWithIt) {
  Config c;
  c.keys = {{"a", "secret-a"}};
  SetPrimaryKey("c", "secret-c", c);
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.SigningKey()->access_key, "c");
  EXPECT_EQ(c.SigningKey()->secret, "secret-c");
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  Config c;
  ASSERT_TRUE(LoadJson(kFullConfig, c).ok());
  const Status s = ApplyEnvironment(FakeEnv({{"ROOMGATE_ACCESS_KEY", "old-key"},
                                             {"ROOMGATE_SECRET", "rotated-secret"},
                                             {"ROOMGATE_TOKEN_LEEWAY", "0"}}),
                                    c);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.SigningKey()->access_key, "old-key");
  EXPECT_EQ(c.SigningKey()->secret, "rotated-secret");
  EXPECT_EQ(c.keys[1].secret, "new-secret-0123456789abcdef0123456789");
  EXPECT_EQ(c.tokens.leeway, seconds(0));
  EXPECT_EQ(c.tokens.default_ttl, seconds(7200));  // the file's, not overridden
  EXPECT_TRUE(c.Validate().ok());
}

TEST(ConfigTest, LoadsFileFromDisk) {
  const std::string path = ::testing::TempDir() + "roomgate_config_test.json";
  {
    std::ofstream out(path);
    out << kFullConfig;
  }
  Config c;
  const Status s = LoadFile(path, c);
  std::remove(path.c_str());
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.tokens.max_token_bytes, 4096u);
}

TEST(ConfigTest, MissingFileIsNotFound) {
  Config c;
  const Status s = LoadFile(::testing::TempDir() + "no/such/roomgate.json", c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST(ConfigTest, TrustedProxiesMustBeIpAddresses) {
  Config ok;
  ASSERT_TRUE(LoadJson(R"({"server":{"trusted_proxies":["10.0.0.1","::1"]}})", ok).ok());
  EXPECT_EQ(ok.server.trusted_proxies, (std::vector<std::string>{"10.0.0.1", "::1"}));
  for (const char* bad : {R"({"server":{"trusted_proxies":"10.0.0.1"}})",
                          R"({"server":{"trusted_proxies":["proxy.local"]}})",
                          R"({"server":{"trusted_proxies":["10.0.0.0/8"]}})",
                          R"({"server":{"trusted_proxies":[1]}})"}) {
    Config c;
    EXPECT_FALSE(LoadJson(bad, c).ok()) << bad;
  }
}

TEST(ConfigTest, MediaSectionDefaultsFileAndEnvironment) {
  Config c;
  EXPECT_EQ(c.media.backend, "janus");
  EXPECT_EQ(c.media.janus_port, 8188);
  ASSERT_TRUE(LoadJson(R"({"media": {"backend": "none", "janus_port": 18188,
                                     "janus_api_secret": "s3cret", "janus_timeout": "2s",
                                     "workers": 4}})",
                       c)
                  .ok());
  EXPECT_EQ(c.media.backend, "none");
  EXPECT_EQ(c.media.janus_port, 18188);
  EXPECT_EQ(c.media.janus_api_secret, "s3cret");
  EXPECT_EQ(c.media.janus_timeout, seconds(2));
  EXPECT_EQ(c.media.workers, 4);
  ASSERT_TRUE(ApplyEnvironment(FakeEnv({{"ROOMGATE_MEDIA_BACKEND", "janus"},
                                        {"ROOMGATE_JANUS_PORT", "28188"},
                                        {"ROOMGATE_JANUS_API_SECRET", "from-env"}}),
                               c)
                  .ok());
  EXPECT_EQ(c.media.backend, "janus");
  EXPECT_EQ(c.media.janus_port, 28188);
  EXPECT_EQ(c.media.janus_api_secret, "from-env");
  EXPECT_TRUE(c.Validate().ok());
}

TEST(ConfigTest, BadMediaSettingsAreNamedAndTheSecretIsNeverEchoed) {
  for (const char* text :
       {R"({"media": {"backend": "mediasoup"}})", R"({"media": {"janus_port": 0}})",
        R"({"media": {"workers": 0}})", R"({"media": {"janus_timeout": "0s"}})"}) {
    Config c;
    Status s = LoadJson(text, c);
    if (s.ok()) s = c.Validate();
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_NE(s.message().find("media."), std::string::npos) << s.message();
  }
  Config c;
  const Status typo = LoadJson(R"({"media": {"janus_secret": "hunter2"}})", c);
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.message().find("hunter2"), std::string::npos) << typo.message();
  const Status bad_type = LoadJson(R"({"media": {"janus_api_secret": 42}})", c);
  EXPECT_FALSE(bad_type.ok());
  EXPECT_FALSE(ApplyEnvironment(FakeEnv({{"ROOMGATE_JANUS_PORT", "88x"}}), c).ok());
}

}  // namespace
}  // namespace roomgate::config
