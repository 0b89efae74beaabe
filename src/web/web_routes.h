// The browser-facing routes: the JS SDK, the Prebuilt web app, and the
// shareable meeting links that open it.
//
//   GET /sdk/:file       sdk/src/<file>
//   GET /prebuilt/:file  web/prebuilt/<file>
//   GET /meeting/:code   web/prebuilt/index.html (the app reads the code from
//   GET /preview/:code   the path; the token endpoint judges it, not us)
//
// A name not in the catalog is a 404 JSON error like every other API error.
// Other methods get the Router's 405 with Allow. Every asset answer carries a
// strong ETag with `Cache-Control: no-cache` (assets change with the binary,
// so browsers revalidate and get 304 while it is unchanged).
//
// HEAD is not routed: the Router matches methods exactly and the OpenAPI
// check reads only GET/POST/...; a HEAD request gets 405 like any other
// unrouted method. (Answering HEAD everywhere belongs in the Router.)
//
// Thread-safety: registered at start-up; `catalog` must outlive `router`.
#ifndef ROOMGATE_WEB_WEB_ROUTES_H_
#define ROOMGATE_WEB_WEB_ROUTES_H_

#include "api/router.h"
#include "web/asset_catalog.h"

namespace roomgate::web {

void AddWebRoutes(api::Router& router, const AssetCatalog& catalog);

}  // namespace roomgate::web

#endif  // ROOMGATE_WEB_WEB_ROUTES_H_
