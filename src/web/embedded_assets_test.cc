// The build-time embedding against the files it came from: byte-exact,
// including binary data (testdata/all_bytes.bin goes through the same
// embed_file.cmake step as the real assets).
#include "web/embedded_assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace roomgate::web {
namespace embedded {
std::string_view EmbeddedTestAllBytes();  // generated from testdata/all_bytes.bin
}  // namespace embedded
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(ROOMGATE_SOURCE_DIR "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// "/sdk/x.mjs" -> "sdk/src/x.mjs", "/prebuilt/x" -> "web/prebuilt/x".
std::string SourceOf(std::string_view served_path) {
  if (served_path.starts_with("/sdk/")) return "sdk/src/" + std::string(served_path.substr(5));
  if (served_path.starts_with("/prebuilt/")) {
    return "web/prebuilt/" + std::string(served_path.substr(10));
  }
  return "";
}

TEST(EmbeddedAssetsTest, EmbedsBinaryBytesExactly) {
  const std::string expected = ReadSource("src/web/testdata/all_bytes.bin");
  ASSERT_GE(expected.size(), 256u);
  EXPECT_EQ(embedded::EmbeddedTestAllBytes(), expected);
}

TEST(EmbeddedAssetsTest, EmbedsTheSignallingModuleByteForByte) {
  const std::string expected = ReadSource("sdk/src/signalling.mjs");
  ASSERT_FALSE(expected.empty());
  std::optional<std::string_view> embedded;
  for (const AssetSource& source : EmbeddedSources()) {
    if (source.served_path == "/sdk/signalling.mjs") embedded = source.bytes;
  }
  ASSERT_TRUE(embedded.has_value()) << "sdk/src/signalling.mjs is not embedded";
  EXPECT_EQ(*embedded, expected);
}

TEST(EmbeddedAssetsTest, EveryEmbeddedFileComesFromTheSdkOrPrebuiltFolder) {
  for (const AssetSource& source : EmbeddedSources()) {
    const std::string file = SourceOf(source.served_path);
    ASSERT_FALSE(file.empty()) << source.served_path;
    EXPECT_TRUE(std::filesystem::exists(ROOMGATE_SOURCE_DIR "/" + file)) << file;
  }
}

TEST(EmbeddedAssetsTest, CatalogServesTheSdkAsJavascript) {
  const Result<AssetCatalog>& catalog = EmbeddedCatalog();
  ASSERT_TRUE(catalog.ok()) << catalog.error().message();
  EXPECT_EQ(catalog->size(), EmbeddedSources().size());
  const Asset* sdk = catalog->Find("/sdk/signalling.mjs");
  ASSERT_NE(sdk, nullptr);
  EXPECT_EQ(sdk->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(&EmbeddedCatalog(), &catalog);  // built once
}

}  // namespace
}  // namespace roomgate::web
