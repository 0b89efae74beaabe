#!/usr/bin/env bash
# Installs everything roomgate's build, tests and benchmarks need on Debian 12.
# Idempotent: apt-get installs only what is missing; npm ci runs only when the
# lockfile changed since the last install. Safe to run before every build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: toolchain, libraries (DESIGN.md "Firm decisions"), test and
# benchmark tools. Node.js/npm only when no node is on the PATH already.
packages=(
  build-essential g++ cmake ninja-build ccache pkg-config clang-format
  clang libclang-rt-14-dev
  libssl-dev libboost1.74-dev libsqlite3-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl jq
  janus iproute2  # the media plane: see scripts/janus/
  chromium fonts-dejavu-core  # the browser tests (tests/browser) and screenshots
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's janus package enables a system service listening on every
# interface; roomgate starts Janus itself, on loopback (scripts/janus/).
bash scripts/janus/janus.sh install >/dev/null

# npm packages for the interop tests and benchmarks, pinned by package-lock.json.
stamp=node_modules/.roomgate-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
