#!/usr/bin/env bash
# Regenerates the Prebuilt screenshots in docs/screenshots/ (preview.png, call.png; 1280×720)
# with the real stack: Janus from scripts/janus/, `roomgate serve` and headless Chromium, inside
# a private network namespace (tests/browser/run_browser_tests.sh with ROOMGATE_SCREENSHOTS_ONLY).
# Needs root (the namespace), a built roomgate and scripts/setup.sh's packages.
#
#   scripts/screenshots.sh [OUTPUT_DIR]     default: docs/screenshots
#   ROOMGATE_BIN=build-x/src/cli/roomgate scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-docs/screenshots}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
bin="${ROOMGATE_BIN:-build/src/cli/roomgate}"
[ -x "$bin" ] || { echo "screenshots.sh: no roomgate binary at $bin (scripts/build.sh, or set ROOMGATE_BIN)" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

ROOMGATE_BIN="$bin" ROOMGATE_SCREENSHOTS_DIR="$out" ROOMGATE_SCREENSHOTS_ONLY=1 \
  exec bash tests/browser/run_browser_tests.sh
