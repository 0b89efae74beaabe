#include "web/web_routes.h"

#include <string>

#include "api/errors.h"
#include "web/if_none_match.h"

namespace roomgate::web {
namespace {

constexpr std::string_view kAppPage = "/prebuilt/index.html";

// Only what the app's own origin serves may run or style the page. Media and
// images also from blob:/data: (camera previews, avatars); signalling over
// ws:/wss: to us. frame-ancestors * because the iframe recipe embeds
// /meeting links in customers' pages on any origin.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self' ws: wss:; frame-ancestors *; base-uri 'none'; "
    "form-action 'none'";

// Why (self) and not *: a document's own Permissions-Policy header decides
// what that document and the frames it embeds may use, and `self` means the
// document's own origin, i.e. roomgate's. When a customer page embeds
// /meeting/<code> in an <iframe allow="camera; microphone; display-capture">,
// the parent's allow= grants the feature to the frame's origin (the inherited
// policy) and our header then allows it for roomgate's origin: both agree, so
// the camera works in the iframe. `camera=*` would add nothing for that case;
// it would only let third-party frames inside our page ask for the camera.
constexpr std::string_view kPermissionsPolicy =
    "camera=(self), microphone=(self), display-capture=(self)";

void AddAssetHeaders(const Asset& asset, api::Response& r) {
  r.headers.emplace_back("ETag", asset.etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // The room code in a /meeting URL is a credential: never send it onward.
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (asset.is_html) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    r.headers.emplace_back("Permissions-Policy", std::string(kPermissionsPolicy));
  } else {
    // Module scripts (the SDK, the Prebuilt web component) are fetched with
    // CORS when a customer's page on another origin imports them. Every
    // non-document asset is public and served without credentials, so `*`
    // exposes nothing. Documents do not need it.
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  }
}

api::Response Serve(const AssetCatalog& catalog, const api::Request& request,
                    std::string_view served_path) {
  const Asset* asset = catalog.Find(served_path);
  if (asset == nullptr) {
    return api::ErrorFrom(Status::NotFound("no such file: " + std::string(served_path)));
  }
  api::Response r(200, {}, asset->content_type);
  AddAssetHeaders(*asset, r);
  if (auto tags = request.Header("if-none-match"); tags && IfNoneMatchHits(*tags, asset->etag)) {
    r.status = 304;
    return r;
  }
  r.body.assign(asset->bytes);
  return r;
}

api::RouteHandler FileUnder(const AssetCatalog& catalog, std::string prefix) {
  return [&catalog, prefix = std::move(prefix)](const api::Request& request,
                                                const api::PathParams& params) {
    return Serve(catalog, request, prefix + params.at("file"));
  };
}

api::RouteHandler AppPage(const AssetCatalog& catalog) {
  return [&catalog](const api::Request& request, const api::PathParams&) {
    return Serve(catalog, request, kAppPage);
  };
}

}  // namespace

void AddWebRoutes(api::Router& router, const AssetCatalog& catalog) {
  router.Add("GET", "/sdk/:file", FileUnder(catalog, "/sdk/"));
  router.Add("GET", "/prebuilt/:file", FileUnder(catalog, "/prebuilt/"));
  router.Add("GET", "/meeting/:code", AppPage(catalog));
  router.Add("GET", "/preview/:code", AppPage(catalog));
}

}  // namespace roomgate::web
