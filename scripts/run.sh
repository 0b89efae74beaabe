#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds, and runs the
# roomgate server on its embedded SQLite store in ./roomgate-data, listening
# on 127.0.0.1:8080 (override with ROOMGATE_LISTEN / ROOMGATE_DATA_DIR or
# serve's flags, passed through: scripts/run.sh --listen 127.0.0.1:9000).
# The first start generates an app key pair into the data folder. Ctrl-C stops
# it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
echo "roomgate: built; CLI at build/src/cli/roomgate (see README: Quick start)"
exec build/src/cli/roomgate serve "$@"
