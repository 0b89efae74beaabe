#!/usr/bin/env bash
# Configures (once) and builds roomgate in ./build with Ninja and ccache.
# Extra arguments are passed to the CMake configure step; ROOMGATE_BUILD_TARGET
# builds one target only (scripts/run.sh: just the server).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${ROOMGATE_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROOMGATE_WERROR=ON "$@"
fi
cmake --build "$build_dir" ${ROOMGATE_BUILD_TARGET:+--target "$ROOMGATE_BUILD_TARGET"}
