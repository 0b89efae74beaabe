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

# shellcheck source=tests/media/janus_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/janus_test_lib.sh"

bin="${ROOMGATE_JANUS_CLIENT_BIN:-}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  fail "set ROOMGATE_JANUS_CLIENT_BIN to the janus_client_check binary"
fi
janus_test_enter_netns "${BASH_SOURCE[0]}" janus curl

http_port=18089
ws_port=18189
api_secret="client-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

janus_test_workdir client

bash "$janus_sh" config "$work" --http-port "$http_port" --ws-port "$ws_port" \
  --rtp-range 20000-20019 --api-secret "$api_secret" >/dev/null
bash "$janus_sh" start "$work"
pid=$(cat "$work/janus.pid")

"$bin" --port "$ws_port" --api-secret "$api_secret" --janus-pid "$pid"

if kill -0 "$pid" 2>/dev/null && ! grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null; then
  fail "janus (pid $pid) still running after the check killed it"
fi
echo "janus_client_test: passed"
