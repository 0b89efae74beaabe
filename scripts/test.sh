#!/usr/bin/env bash
# The README's "test" command and all that CI runs: installs what is missing,
# builds everything (library, CLI, tests, benchmarks, example), and runs the
# whole suite: unit tests, the fuzz corpus replay, the installed-package
# example, the interop tests against jsonwebtoken and @100mslive/server-sdk,
# the integration suites against the real binary, the media plane against the
# real Janus and the browser tests (headless Chromium; both inside a private
# network namespace, so they need root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)"
