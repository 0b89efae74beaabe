#include "web/asset_catalog.h"

#include <gtest/gtest.h>

namespace roomgate::web {
namespace {

TEST(AssetCatalogTest, ContentTypeFollowsExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"app.mjs", "text/javascript; charset=utf-8"},
      {"legacy.js", "text/javascript; charset=utf-8"},
      {"app.css", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"icon.png", "image/png"},
      {"favicon.ico", "image/x-icon"},
      {"layout.json", "application/json"},
      {"app.webmanifest", "application/manifest+json"},
      {"INDEX.HTML", "text/html; charset=utf-8"},
      {"/prebuilt/app.v2.mjs", "text/javascript; charset=utf-8"},
      {"README", "application/octet-stream"},
      {"app.mjs.map", "application/octet-stream"},
      {"archive.tar.gz", "application/octet-stream"},
      {"/dir.html/file", "application/octet-stream"},
      {"trailing.", "application/octet-stream"},
  };
  for (const auto& [name, type] : cases) EXPECT_EQ(ContentTypeFor(name), type) << name;
}

TEST(AssetCatalogTest, FindsOnlyExactServedPaths) {
  auto catalog = AssetCatalog::Create({{"/sdk/a.mjs", "a"}, {"/prebuilt/index.html", "<p>"}});
  ASSERT_TRUE(catalog.ok()) << catalog.error().message();
  EXPECT_EQ(catalog->size(), 2u);
  ASSERT_NE(catalog->Find("/sdk/a.mjs"), nullptr);
  EXPECT_EQ(catalog->Find("/sdk/a.mjs")->bytes, "a");
  using namespace std::string_view_literals;
  const std::string_view misses[] = {
      "/sdk/A.mjs",    "sdk/a.mjs",       "/sdk/a.mjs/",     "/sdk//a.mjs", "/sdk/../sdk/a.mjs",
      "/sdk/./a.mjs",  "/prebuilt/a.mjs", "/sdk/index.html", "/index.html", "",
      "/sdk/a.mjs\0"sv};
  for (std::string_view miss : misses) {
    EXPECT_EQ(catalog->Find(miss), nullptr) << miss;
  }
}

TEST(AssetCatalogTest, ETagIsQuotedSha256OfTheBytes) {
  auto catalog = AssetCatalog::Create({{"/sdk/abc.mjs", "abc"}, {"/sdk/empty.mjs", ""}});
  ASSERT_TRUE(catalog.ok());
  // FIPS 180-2 test vector, and the digest of no bytes.
  EXPECT_EQ(catalog->Find("/sdk/abc.mjs")->etag,
            "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
  EXPECT_EQ(catalog->Find("/sdk/empty.mjs")->etag,
            "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
}

TEST(AssetCatalogTest, SameBytesShareAnETagAndOneByteChangesIt) {
  auto catalog = AssetCatalog::Create(
      {{"/sdk/a.mjs", "same"}, {"/prebuilt/a.mjs", "same"}, {"/sdk/b.mjs", "samf"}});
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->Find("/sdk/a.mjs")->etag, catalog->Find("/prebuilt/a.mjs")->etag);
  EXPECT_NE(catalog->Find("/sdk/a.mjs")->etag, catalog->Find("/sdk/b.mjs")->etag);
}

TEST(AssetCatalogTest, MarksOnlyHtmlAsDocument) {
  auto catalog = AssetCatalog::Create({{"/prebuilt/index.html", "<p>"},
                                       {"/prebuilt/app.mjs", ""},
                                       {"/prebuilt/logo.svg", "<svg/>"}});
  ASSERT_TRUE(catalog.ok());
  EXPECT_TRUE(catalog->Find("/prebuilt/index.html")->is_html);
  EXPECT_FALSE(catalog->Find("/prebuilt/app.mjs")->is_html);
  EXPECT_FALSE(catalog->Find("/prebuilt/logo.svg")->is_html);
  EXPECT_EQ(catalog->Find("/prebuilt/logo.svg")->content_type, "image/svg+xml");
}

TEST(AssetCatalogTest, KeepsBinaryBytesIntact) {
  static constexpr char kBytes[] = "\x89PNG\r\n\x1a\n\0\xff";
  const std::string_view bytes(kBytes, sizeof(kBytes) - 1);
  auto catalog = AssetCatalog::Create({{"/prebuilt/i.png", bytes}});
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->Find("/prebuilt/i.png")->bytes, bytes);
  EXPECT_EQ(catalog->Find("/prebuilt/i.png")->bytes.size(), 10u);
}

TEST(AssetCatalogTest, RejectsDuplicateAndRelativePaths) {
  auto twice = AssetCatalog::Create({{"/sdk/a.mjs", "1"}, {"/sdk/a.mjs", "2"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), Status::Code::kInvalidArgument);
  auto relative = AssetCatalog::Create({{"sdk/a.mjs", "1"}});
  ASSERT_FALSE(relative.ok());
  EXPECT_EQ(relative.error().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace roomgate::web
