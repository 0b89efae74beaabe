// The web routes over a catalog built from in-memory files, so the behaviour
// is tested independently of what sdk/ and web/prebuilt/ hold today.
#include "web/web_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

namespace roomgate::web {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kModule = "export const x = 1;\n";
constexpr std::string_view kPage = "<!doctype html><script type=module src=/prebuilt/app.mjs>";
constexpr std::string_view kStyle = "body { margin: 0 }\n";

std::optional<std::string> HeaderOf(const api::Response& r, std::string_view name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

class WebRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = AssetCatalog::Create({{"/sdk/signalling.mjs", kModule},
                                      {"/prebuilt/index.html", kPage},
                                      {"/prebuilt/app.css", kStyle},
                                      {"/prebuilt/app.mjs", kModule}});
    ASSERT_TRUE(made.ok()) << made.error().message();
    catalog_.emplace(std::move(*made));
    AddWebRoutes(router_, *catalog_);
  }

  api::Response Send(std::string method, std::string path,
                     std::map<std::string, std::string> headers = {}) const {
    api::Request request;
    request.method = std::move(method);
    request.path = std::move(path);  // as src/net hands it over: percent-decoded
    request.headers = std::move(headers);
    return router_.Dispatch(request);
  }
  api::Response Get(std::string path, std::map<std::string, std::string> headers = {}) const {
    return Send("GET", std::move(path), std::move(headers));
  }
  std::string ETagOf(std::string_view served_path) const {
    return catalog_->Find(served_path)->etag;
  }

  std::optional<AssetCatalog> catalog_;
  api::Router router_;
};

void ExpectJsonError(const api::Response& r, int status) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.content_type, "application/json");
  const auto body = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.value("code", 0), status);
  EXPECT_TRUE(body.contains("message") && body["message"].is_string()) << r.body;
}

TEST_F(WebRoutesTest, RegistersTheFourGetRoutes) {
  std::vector<std::string> routes;
  for (const auto& r : router_.Routes()) routes.push_back(r.method + " " + r.pattern);
  EXPECT_EQ(routes, (std::vector<std::string>{"GET /sdk/:file", "GET /prebuilt/:file",
                                              "GET /meeting/:code", "GET /preview/:code"}));
}

TEST_F(WebRoutesTest, ServesSdkModuleAsJavascriptToAnyOrigin) {
  const api::Response r = Get("/sdk/signalling.mjs");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kModule);
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"), std::nullopt);
}

TEST_F(WebRoutesTest, ServesPrebuiltFilesWithTheirTypes) {
  const api::Response css = Get("/prebuilt/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, kStyle);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  const api::Response page = Get("/prebuilt/index.html");
  EXPECT_EQ(page.body, kPage);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  // The web component is imported cross-origin like the SDK.
  EXPECT_EQ(HeaderOf(Get("/prebuilt/app.mjs"), "Access-Control-Allow-Origin"), "*");
}

TEST_F(WebRoutesTest, MeetingAndPreviewLinksServeTheAppPage) {
  for (const char* path : {"/meeting/abc-defg-hij", "/preview/abc-defg-hij", "/meeting/anything"}) {
    const api::Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kPage) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(r, "ETag"), ETagOf("/prebuilt/index.html")) << path;
  }
}

TEST_F(WebRoutesTest, EveryAssetCarriesValidatorAndSafetyHeaders) {
  for (const char* path : {"/sdk/signalling.mjs", "/prebuilt/app.css", "/prebuilt/index.html",
                           "/meeting/abc-defg-hij", "/preview/abc-defg-hij"}) {
    const api::Response r = Get(path);
    EXPECT_THAT(HeaderOf(r, "ETag").value_or(""), ::testing::MatchesRegex("\"[0-9a-f]{64}\""))
        << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "no-referrer") << path;
  }
}

TEST_F(WebRoutesTest, PagesGetContentSecurityAndPermissionsPolicies) {
  const api::Response r = Get("/meeting/abc-defg-hij");
  EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            "media-src 'self' blob:; connect-src 'self' ws: wss:; frame-ancestors *; "
            "base-uri 'none'; form-action 'none'");
  EXPECT_EQ(HeaderOf(r, "Permissions-Policy"),
            "camera=(self), microphone=(self), display-capture=(self)");
  EXPECT_EQ(HeaderOf(r, "Access-Control-Allow-Origin"), std::nullopt);
  EXPECT_EQ(HeaderOf(Get("/prebuilt/app.css"), "Permissions-Policy"), std::nullopt);
}

TEST_F(WebRoutesTest, AnswersNotModifiedWhenTheETagMatches) {
  const std::string tag = ETagOf("/sdk/signalling.mjs");
  for (const std::string& header : {tag, "W/" + tag, "\"other\", " + tag, std::string("*")}) {
    const api::Response r = Get("/sdk/signalling.mjs", {{"if-none-match", header}});
    EXPECT_EQ(r.status, 304) << header;
    EXPECT_EQ(r.body, "") << header;
    EXPECT_EQ(HeaderOf(r, "ETag"), tag) << header;  // RFC 9110: as the 200 would
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << header;
    EXPECT_EQ(HeaderOf(r, "Access-Control-Allow-Origin"), "*") << header;
  }
  const api::Response page =
      Get("/meeting/abc-defg-hij", {{"if-none-match", ETagOf("/prebuilt/index.html")}});
  EXPECT_EQ(page.status, 304);
  EXPECT_TRUE(HeaderOf(page, "Content-Security-Policy").has_value());
}

TEST_F(WebRoutesTest, AnswersInFullWhenTheETagDiffers) {
  // The stylesheet's tag does not validate the module.
  const api::Response r =
      Get("/sdk/signalling.mjs", {{"if-none-match", ETagOf("/prebuilt/app.css")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kModule);
}

TEST_F(WebRoutesTest, UnknownFileIsNotFoundJson) {
  for (const char* path : {"/sdk/missing.mjs", "/prebuilt/missing.css", "/sdk/index.html",
                           "/prebuilt/signalling.mjs", "/sdk/SIGNALLING.MJS"}) {
    SCOPED_TRACE(path);
    ExpectJsonError(Get(path), 404);
  }
}

// src/net percent-decodes the path before routing, so "..%2f" arrives as
// "../"; the undecoded spellings are checked too. Lookup is by exact name in
// the catalog, so none of these can reach anything but a 404.
TEST_F(WebRoutesTest, TraversalAttemptsAreNotFound) {
  for (const char* path :
       {"/sdk/..", "/sdk/.", "/sdk/../../etc/passwd", "/sdk/../prebuilt/index.html",
        "/sdk/..%2f..%2fetc%2fpasswd", "/sdk/%2e%2e", "/sdk/..\\..\\etc\\passwd",
        "/prebuilt/../sdk/signalling.mjs", "/prebuilt/..", "/meeting/../../etc/passwd",
        "/sdk/signalling.mjs/..", "/sdk/./signalling.mjs", "/sdk/"}) {
    SCOPED_TRACE(path);
    ExpectJsonError(Get(path), 404);
  }
}

TEST_F(WebRoutesTest, OtherMethodsAreMethodNotAllowed) {
  for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "OPTIONS"}) {
    SCOPED_TRACE(method);
    const api::Response r = Send(method, "/sdk/signalling.mjs");
    ExpectJsonError(r, 405);
    EXPECT_EQ(HeaderOf(r, "Allow"), "GET");
    ExpectJsonError(Send(method, "/meeting/abc-defg-hij"), 405);
  }
}

TEST(WebRoutesWithoutAppTest, MeetingLinkIsNotFoundWhenTheAppIsNotBuiltIn) {
  auto catalog = AssetCatalog::Create({{"/sdk/signalling.mjs", kModule}});
  ASSERT_TRUE(catalog.ok());
  api::Router router;
  AddWebRoutes(router, *catalog);
  api::Request request;
  request.method = "GET";
  request.path = "/meeting/abc-defg-hij";
  const api::Response r = router.Dispatch(request);
  ExpectJsonError(r, 404);
  EXPECT_THAT(r.body, HasSubstr("/prebuilt/index.html"));
}

}  // namespace
}  // namespace roomgate::web
