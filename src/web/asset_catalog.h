// AssetCatalog: the static files roomgate serves to browsers (the JS SDK and
// the Prebuilt web app), looked up by the exact path they are served at.
//
// Lookup is by exact name in a map built once, never by touching a file
// system, so no request path can name anything outside the catalog: "..",
// "%2f" and friends are just names that are not in it.
//
// Each asset carries its content type (from the file extension) and a strong
// ETag: the SHA-256 of its bytes (OpenSSL), computed once when the catalog is
// built. The bytes are not copied; they must outlive the catalog (they are
// static data in the binary, see embedded_assets.h, or test literals).
//
// Thread-safety: immutable after Create; Find is safe from any thread.
#ifndef ROOMGATE_WEB_ASSET_CATALOG_H_
#define ROOMGATE_WEB_ASSET_CATALOG_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "roomgate/status.h"

namespace roomgate::web {

// One file to serve: where ("/sdk/signalling.mjs") and what.
struct AssetSource {
  std::string_view served_path;
  std::string_view bytes;
};

struct Asset {
  std::string_view bytes;
  std::string content_type;  // "text/javascript; charset=utf-8", ...
  std::string etag;          // quoted: "\"<64 hex digits>\""
  bool is_html = false;      // a document: gets the CSP and permissions headers
};

class AssetCatalog {
 public:
  // Fails with kInvalidArgument on a served path given twice or one that does
  // not start with '/', and kInternal if OpenSSL cannot hash.
  static Result<AssetCatalog> Create(const std::vector<AssetSource>& sources);

  // nullptr when `served_path` is not exactly one of the sources' paths.
  const Asset* Find(std::string_view served_path) const;
  size_t size() const { return assets_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> assets_;
};

// The Content-Type for a file name, by its extension (case-insensitive):
// text types carry "; charset=utf-8"; unknown extensions are
// "application/octet-stream" (and with nosniff, never run as script).
std::string ContentTypeFor(std::string_view file_name);

}  // namespace roomgate::web

#endif  // ROOMGATE_WEB_ASSET_CATALOG_H_
