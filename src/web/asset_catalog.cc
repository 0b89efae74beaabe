#include "web/asset_catalog.h"

#include <openssl/evp.h>

#include <array>

namespace roomgate::web {
namespace {

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

// Scripts are text/javascript (RFC 9239; module scripts need a JavaScript
// MIME type, and nosniff makes browsers hold us to it).
constexpr TypeByExtension kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"json", "application/json"},
    {"webmanifest", "application/manifest+json"},
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A strong validator: equal ETags mean byte-identical bodies.
Result<std::string> Sha256ETag(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return Status::Internal("SHA-256 of a web asset failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (unsigned int i = 0; i < length; ++i) {
    etag += kHex[digest[i] >> 4];
    etag += kHex[digest[i] & 15];
  }
  etag += '"';
  return etag;
}

}  // namespace

std::string ContentTypeFor(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && file_name.find('/', dot) == std::string_view::npos) {
    const std::string extension = Lower(file_name.substr(dot + 1));
    for (const auto& type : kTypes) {
      if (type.extension == extension) return std::string(type.content_type);
    }
  }
  return "application/octet-stream";
}

Result<AssetCatalog> AssetCatalog::Create(const std::vector<AssetSource>& sources) {
  AssetCatalog catalog;
  for (const AssetSource& source : sources) {
    const std::string path(source.served_path);
    if (path.empty() || path[0] != '/') {
      return Status::InvalidArgument("web asset path must start with '/': " + path);
    }
    auto etag = Sha256ETag(source.bytes);
    if (!etag.ok()) return etag.error();
    std::string type = ContentTypeFor(path);
    const bool html = type.rfind("text/html", 0) == 0;
    Asset asset{source.bytes, std::move(type), std::move(*etag), html};
    if (!catalog.assets_.emplace(path, std::move(asset)).second) {
      return Status::InvalidArgument("web asset listed twice: " + path);
    }
  }
  return catalog;
}

const Asset* AssetCatalog::Find(std::string_view served_path) const {
  auto it = assets_.find(served_path);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace roomgate::web
