#include "web/embedded_assets.h"

namespace roomgate::web {

const Result<AssetCatalog>& EmbeddedCatalog() {
  static const Result<AssetCatalog> catalog = AssetCatalog::Create(EmbeddedSources());
  return catalog;
}

}  // namespace roomgate::web
