#include "server/bootstrap.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace roomgate::server {
namespace {

class BootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roomgate-bootstrap-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    config_.server.data_dir = dir_ + "/data";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  config::Config config_;
};

TEST_F(BootstrapTest, FirstStartGeneratesPrivateCredentialsAndLaterStartsReuseThem) {
  auto first = EnsureCredentials(config_, OpenSslRandom());
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->kind, CredentialsSource::Kind::kGenerated);
  ASSERT_EQ(config_.keys.size(), 1u);
  struct stat st {};
  ASSERT_EQ(stat(first->path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  config::Config again;
  again.server.data_dir = config_.server.data_dir;
  auto second = EnsureCredentials(again, OpenSslRandom());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, CredentialsSource::Kind::kLoadedFromDataDir);
  ASSERT_EQ(again.keys.size(), 1u);
  EXPECT_EQ(again.keys[0].access_key, config_.keys[0].access_key);
  EXPECT_EQ(again.keys[0].secret, config_.keys[0].secret);
}

TEST_F(BootstrapTest, ConfiguredKeysWinAndNothingIsGenerated) {
  config_.keys.push_back({"configured", "a-secret-that-is-at-least-32-bytes-long!!"});
  auto source = EnsureCredentials(config_, OpenSslRandom());
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->kind, CredentialsSource::Kind::kConfigured);
  EXPECT_FALSE(std::filesystem::exists(config_.server.data_dir + "/credentials.json"));
}

TEST_F(BootstrapTest, AtomicWriteReplacesWholeFileWithRequestedMode) {
  const std::string path = dir_ + "/f.json";
  ASSERT_TRUE(WriteFileAtomically(path, "one", 0600).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "two", 0644).ok());
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "two");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(BootstrapTest, UnwritableDataFolderIsAClearError) {
  config_.server.data_dir = "/proc/roomgate-cannot-exist";
  auto source = EnsureCredentials(config_, OpenSslRandom());
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.error().message().find("data folder"), std::string::npos);
}

}  // namespace
}  // namespace roomgate::server
