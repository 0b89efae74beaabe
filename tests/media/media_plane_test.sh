#!/usr/bin/env bash
# media.plane: roomgate's media plane against the real Janus, without a
# browser — every rule the server enforces and every Janus step it drives,
# checked over the signalling protocol with SDP offers shaped like Chromium's
# (tests/media/media_plane.test.mjs). The browser suite (tests/browser/) then
# shows real frames flowing; this one pins the server's behaviour quickly.
#
# Inside a private network namespace: Janus configured and started by
# scripts/janus/ (with an api_secret), the real roomgate on 127.0.0.1:0 with
# media.backend janus, node --test. Needs root, janus, node. Never skips.
set -euo pipefail

# shellcheck source=tests/media/janus_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/janus_test_lib.sh"
[ -n "${ROOMGATE_BIN:-}" ] && [ -x "$ROOMGATE_BIN" ] || fail "set ROOMGATE_BIN to the roomgate binary"
janus_test_enter_netns "${BASH_SOURCE[0]}" janus node curl

http_port=18090
ws_port=18190
api_secret="plane-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
janus_test_workdir plane

bash "$janus_sh" config "$work" --http-port "$http_port" --ws-port "$ws_port" \
  --rtp-range 20000-20039 --api-secret "$api_secret" >/dev/null
bash "$janus_sh" start "$work"

JANUS_WS_PORT="$ws_port" JANUS_HTTP_PORT="$http_port" JANUS_API_SECRET="$api_secret" JANUS_PID="$(cat "$work/janus.pid")" \
  timeout 240 node --test --test-concurrency=1 "$root/tests/media/media_plane.test.mjs"
