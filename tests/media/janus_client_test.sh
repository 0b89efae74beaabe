#!/usr/bin/env bash
# media.janus_client: roomgate's own Janus client (src/media/: JanusConnection
# over Janus's WebSocket API, VideoRoomAdmin on top) against the real Janus.
#
# Inside a private network namespace (scripts/janus/in_private_netns.sh):
# configures Janus with an api_secret, starts it, and runs janus_client_check
# ($ROOMGATE_JANUS_CLIENT_BIN), which checks that a wrong or missing apisecret
# is refused, creates a session and a VideoRoom handle, creates / lists /
# destroys a room with a secret, and finally freezes and kills Janus while a
# request is in flight (the call must fail with kUnavailable). Needs root and
# janus (scripts/setup.sh installs it). Fails loudly, never skips.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
janus_sh="$root/scripts/janus/janus.sh"
netns_sh="$root/scripts/janus/in_private_netns.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }

bin="${ROOMGATE_JANUS_CLIENT_BIN:-}"
[ -n "$bin" ] && [ -x "$bin" ] || fail "set ROOMGATE_JANUS_CLIENT_BIN to the janus_client_check binary"

# --- outside: check prerequisites, then re-run this script in the namespace.
if [ "${ROOMGATE_JANUS_CLIENT_INNER:-}" != "1" ]; then
  [ "$(id -u)" -eq 0 ] || fail "must run as root (the private network namespace needs it)"
  for tool in janus curl unshare ip; do
    command -v "$tool" >/dev/null 2>&1 \
      || fail "'$tool' is missing; run scripts/setup.sh (janus: scripts/janus/janus.sh install)"
  done
  ROOMGATE_JANUS_CLIENT_INNER=1 exec bash "$netns_sh" bash "${BASH_SOURCE[0]}"
fi

# --- inside the private namespace from here on.
ip -o -4 addr show dev rg0 2>/dev/null | grep -q ' 127\.0\.0\.1/32 ' \
  || fail "not inside scripts/janus/in_private_netns.sh (no rg0 carrying 127.0.0.1/32)"

http_port=18089
ws_port=18189
api_secret="client-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

work="$(mktemp -d /tmp/roomgate-janus-client.XXXXXX)"
cleanup() {
  local rc=$?
  # The check kills Janus itself at the end; stop is a no-op then.
  bash "$janus_sh" stop "$work" >/dev/null 2>&1 || true
  if [ "$rc" -ne 0 ] && [ -f "$work/janus.log" ]; then
    echo "--- tail of janus.log ---" >&2
    tail -n 30 "$work/janus.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$janus_sh" config "$work" --http-port "$http_port" --ws-port "$ws_port" \
  --rtp-range 20000-20019 --api-secret "$api_secret" >/dev/null
bash "$janus_sh" start "$work"
pid=$(cat "$work/janus.pid")

"$bin" --port "$ws_port" --api-secret "$api_secret" --janus-pid "$pid"

if kill -0 "$pid" 2>/dev/null && ! grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null; then
  fail "janus (pid $pid) still running after the check killed it"
fi
echo "janus_client_test: passed"
