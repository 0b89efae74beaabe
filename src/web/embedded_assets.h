// The web assets built into the roomgate binary: every sdk/src/*.mjs, served
// at /sdk/<name>, and every web/prebuilt/ file (html, mjs, js, css, svg, png,
// ico, json, webmanifest), served at /prebuilt/<name>. roomgate needs no path
// configuration and cannot serve a file that was not there at build time.
//
// How the bytes get in: src/web/CMakeLists.txt globs those folders and, per
// file, runs embed_file.cmake to write a generated .cc holding the bytes;
// editing one file regenerates and recompiles that one source. The list of
// files (the generated embedded_index.cc) is written at configure time;
// adding or removing a file re-runs CMake's configure step.
//
// Thread-safety: EmbeddedCatalog is built on first use (thread-safe static
// initialisation) and immutable after.
#ifndef ROOMGATE_WEB_EMBEDDED_ASSETS_H_
#define ROOMGATE_WEB_EMBEDDED_ASSETS_H_

#include <vector>

#include "roomgate/status.h"
#include "web/asset_catalog.h"

namespace roomgate::web {

// Every embedded file with its served path. Defined in the generated
// embedded_index.cc.
std::vector<AssetSource> EmbeddedSources();

// The catalog of EmbeddedSources(), hashed once per process. An error only if
// OpenSSL cannot hash (the server refuses to start then).
const Result<AssetCatalog>& EmbeddedCatalog();

}  // namespace roomgate::web

#endif  // ROOMGATE_WEB_EMBEDDED_ASSETS_H_
