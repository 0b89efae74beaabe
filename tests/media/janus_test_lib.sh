# shellcheck shell=bash
# Sourced by the media tests (janus_smoke.sh, janus_client_test.sh): run the
# calling script inside the private network namespace, and give it a Janus
# work folder that is stopped and removed however the script ends.
#
#   source janus_test_lib.sh
#   janus_test_enter_netns "${BASH_SOURCE[0]}" janus curl jq   # tools it needs
#   janus_test_workdir smoke                                   # sets $work
#
# Sets root, janus_sh, netns_sh; defines fail.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
janus_sh="$root/scripts/janus/janus.sh"
netns_sh="$root/scripts/janus/in_private_netns.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Outside the namespace: checks root and the tools, then re-runs SCRIPT inside
# (ROOMGATE_JANUS_TEST_INNER marks the inner run). Inside: checks that this
# really is the namespace (127.0.0.1/32 on rg0, no default route).
janus_test_enter_netns() {
  local script=$1
  shift
  if [ "${ROOMGATE_JANUS_TEST_INNER:-}" != "1" ]; then
    [ "$(id -u)" -eq 0 ] || fail "must run as root (the private network namespace needs it)"
    local tool
    for tool in "$@" unshare ip; do
      command -v "$tool" >/dev/null 2>&1 \
        || fail "'$tool' is missing; run scripts/setup.sh (janus: scripts/janus/janus.sh install)"
    done
    ROOMGATE_JANUS_TEST_INNER=1 exec bash "$netns_sh" bash "$script"
  fi
  ip -o -4 addr show dev rg0 2>/dev/null | grep -q ' 127\.0\.0\.1/32 ' \
    || fail "not inside scripts/janus/in_private_netns.sh (no rg0 carrying 127.0.0.1/32)"
  [ -z "$(ip -4 route show default)" ] || fail "the namespace has a default route"
}

# Makes $work and arranges, on any exit, to stop a Janus started from it,
# show its log tail if the script failed, and remove it.
janus_test_workdir() {
  work="$(mktemp -d "/tmp/roomgate-janus-$1.XXXXXX")"
  trap janus_test_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

janus_test_cleanup() {
  local rc=$?
  if [ -f "$work/janus.pid" ]; then
    bash "$janus_sh" stop "$work" >/dev/null 2>&1 || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$work/janus.log" ]; then
    echo "--- tail of janus.log ---" >&2
    tail -n 30 "$work/janus.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
