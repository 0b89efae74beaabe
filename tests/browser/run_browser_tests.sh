#!/usr/bin/env bash
# browser.prebuilt: real video through Janus, driven by roomgate, in headless Chromium.
#
# Inside a private network namespace (scripts/janus/in_private_netns.sh, via
# tests/media/janus_test_lib.sh; every packet stays on 127.0.0.1): configures Janus with a
# random api_secret into a temp folder and starts it with scripts/janus/janus.sh (default
# ports: nothing else listens in a fresh namespace), then runs
#   node --test --test-concurrency=1 tests/browser/*.test.mjs
# (each file boots its own `roomgate serve` on port 0 with media.backend janus, and one
# Chromium from playwright-core), and with ROOMGATE_SCREENSHOTS_DIR set also
# tests/browser/screenshots.mjs. Every step has a time bound; on exit, however it ends, Janus
# is stopped and every process left in the namespace is killed, and the temp folder removed.
#
# Environment:
#   ROOMGATE_BIN               the roomgate binary (required; ctest sets it)
#   ROOMGATE_BROWSER_TESTS     test files to run (default: tests/browser/*.test.mjs)
#   ROOMGATE_BROWSER_TIMEOUT   seconds for the node test run (default 240)
#   ROOMGATE_SCREENSHOTS_DIR   also write preview.png and call.png there
#   ROOMGATE_SCREENSHOTS_ONLY  1: only the screenshots, no tests (scripts/screenshots.sh)
# Needs root, janus, node (+ npm packages: scripts/setup.sh), /usr/bin/chromium.
# Fails loudly, never skips.
set -euo pipefail

# shellcheck source=tests/media/janus_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../media/janus_test_lib.sh"

bin="${ROOMGATE_BIN:-}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  fail "set ROOMGATE_BIN to the roomgate binary (e.g. build/src/cli/roomgate)"
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" # the tests run from the repository root
export ROOMGATE_BIN="$bin"
chromium_bin="${ROOMGATE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || fail "$chromium_bin is missing; run scripts/setup.sh (Debian package chromium)"
[ -d "$root/node_modules/playwright-core" ] || fail "node_modules/playwright-core is missing; run scripts/setup.sh"

janus_test_enter_netns "${BASH_SOURCE[0]}" janus curl node timeout

test_budget_s="${ROOMGATE_BROWSER_TIMEOUT:-240}"
shots_budget_s=120
started=$SECONDS

janus_test_workdir browser

# Every process in this namespace was started by this script (it is the namespace's first
# process; see in_private_netns.sh). Kill whatever is left: TERM, a bounded wait, then KILL.
netns_leftovers() {
  local me ns p
  me=$(readlink /proc/$$/ns/net)
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ]; then continue; fi
    ns=$(readlink "/proc/$p/ns/net" 2>/dev/null) || continue
    [ "$ns" = "$me" ] || continue
    # Janus is stopped by janus_test_cleanup through its pid file.
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" != "janus" ] || continue
    echo "$p"
  done
}

# (mapfile + process substitution: no pipeline process of our own shows up in the list.)
kill_leftovers() {
  local pids=()
  mapfile -t pids < <(netns_leftovers)
  ((${#pids[@]})) || return 0
  echo "run_browser_tests: stopping leftover processes: ${pids[*]}" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 5))
  while ((SECONDS < deadline)); do
    mapfile -t pids < <(netns_leftovers)
    ((${#pids[@]})) || return 0
    sleep 0.2
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# shellcheck disable=SC2317  # runs from the EXIT trap
browser_cleanup() {
  local rc=$?
  trap - EXIT
  kill_leftovers
  echo "run_browser_tests: finished in $((SECONDS - started)) s (exit $rc)"
  # Stops Janus (log tail on failure), removes $work, exits with rc; it reads rc from $?
  # (so no errexit here: `(exit 1)` would end the script before the cleanup).
  set +e
  (exit "$rc")
  janus_test_cleanup
}
trap browser_cleanup EXIT

api_secret="browser-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
bash "$janus_sh" config "$work" --api-secret "$api_secret" >/dev/null
bash "$janus_sh" start "$work"
# shellcheck disable=SC1091
source "$work/roomgate-janus.env"

mkdir -p "$work/tmp"
export ROOMGATE_BIN="$bin"
export ROOMGATE_CHROMIUM="$chromium_bin"
export ROOMGATE_BROWSER_JANUS_WS_PORT="$JANUS_WS_PORT"
export ROOMGATE_BROWSER_JANUS_API_SECRET="$api_secret"
export ROOMGATE_BROWSER_JANUS_LOG="$work/janus.log"
export TMPDIR="$work/tmp" # Chromium profiles, roomgate data folders: removed with $work
export HOME="$work/tmp"   # Chromium writes below $HOME even with a temp profile

cd "$root"
# Runs "$@" bounded by $1 seconds (TERM, then KILL 10 s later), in the foreground.
bounded() {
  local secs=$1
  shift
  timeout --kill-after=10 "$secs" "$@"
}

rc=0
if [ "${ROOMGATE_SCREENSHOTS_ONLY:-0}" != "1" ]; then
  # shellcheck disable=SC2206  # word splitting and globbing of the file list are wanted
  files=(${ROOMGATE_BROWSER_TESTS:-tests/browser/*.test.mjs})
  bounded "$test_budget_s" node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || rc=$?
  [ "$rc" -ne 124 ] || echo "run_browser_tests: the tests did not finish within ${test_budget_s} s" >&2
fi
if [ -n "${ROOMGATE_SCREENSHOTS_DIR:-}" ]; then
  kill_leftovers
  bounded "$shots_budget_s" node tests/browser/screenshots.mjs "$ROOMGATE_SCREENSHOTS_DIR" || rc=$?
fi
exit "$rc"
