#!/usr/bin/env bash
# media.janus_smoke: the project's Janus scripts work end to end, on loopback.
#
# Inside a private network namespace (scripts/janus/in_private_netns.sh):
# writes a config into a temp folder (with an api_secret), starts Janus, and
# over its HTTP API creates a session, attaches janus.plugin.videoroom,
# creates a room with a secret, finds it in `list`, fails to destroy it with
# a wrong secret, destroys it with the right one, detaches and destroys the
# session; checks with ss that Janus listens only on 127.0.0.1; stops Janus.
# Needs root, janus (scripts/setup.sh installs it), curl, jq, ss, unshare, ip.
# Fails loudly, never skips. No other test depends on Janus.
set -euo pipefail

# shellcheck source=tests/media/janus_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/janus_test_lib.sh"
janus_test_enter_netns "${BASH_SOURCE[0]}" janus curl jq ss

checks=0
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }

http_port=18088
ws_port=18188
rtp_range=20000-20019
api_secret="smoke-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
room=$(( (RANDOM << 15 | RANDOM) % 900000000 + 100000000 ))
room_secret="room-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

janus_test_workdir smoke

base="http://127.0.0.1:$http_port/janus"
# POST a Janus API request (JSON) to $base$1; prints the response body.
api() {
  curl -sS --noproxy '*' --max-time 5 -H 'Content-Type: application/json' \
    -d "$2" "$base$1" || fail "no HTTP answer from $base$1"
}
tx() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }
# jq -e on a response, with the response in the failure message.
expect() {
  local resp="$1" filter="$2" what="$3"
  jq -e "$filter" >/dev/null <<<"$resp" || fail "$what; response: $resp"
}

# 1. config
bash "$janus_sh" config "$work" --http-port "$http_port" --ws-port "$ws_port" \
  --rtp-range "$rtp_range" --api-secret "$api_secret"
for f in janus.jcfg janus.plugin.videoroom.jcfg janus.transport.http.jcfg \
         janus.transport.websockets.jcfg; do
  [ -s "$work/$f" ] || fail "config did not write $f"
done
grep -q "^[[:space:]]*api_secret = \"$api_secret\"" "$work/janus.jcfg" \
  || fail "janus.jcfg has no api_secret line"
if grep -Eq '^[[:space:]]*(stun_server|turn_server|turn_rest_api|nat_1_1_mapping|admin_secret)[[:space:]]*=' \
    "$work/janus.jcfg"; then
  fail "janus.jcfg sets STUN/TURN/NAT mapping or an admin secret"
fi
ok "config written: 4 .jcfg files, api_secret set, no STUN/TURN/admin secret"

# 2. start
t0=$(date +%s%N)
bash "$janus_sh" start "$work"
t1=$(date +%s%N)
pid=$(cat "$work/janus.pid")
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "janus" ] || fail "janus.pid ($pid) is not a janus process"
ok "janus started (pid $pid) and answered /janus/info in $(( (t1 - t0) / 1000000 )) ms"

info=$(curl -sS --noproxy '*' --max-time 5 "$base/info")
expect "$info" '.janus == "server_info"' "/janus/info is not server_info"
version=$(jq -r '.version_string' <<<"$info")
expect "$info" '.plugins | keys == ["janus.plugin.videoroom"]' "plugins other than VideoRoom are loaded"
expect "$info" '.transports | keys | sort == ["janus.transport.http", "janus.transport.websockets"]' \
  "transports other than HTTP + WebSocket are loaded"
expect "$info" '.ipv6 == false and .["ice-tcp"] == false and .["mdns-enabled"] == false and (.["stun-server"] // null) == null and (.["turn-server"] // null) == null' \
  "ipv6/ICE-TCP/mDNS/STUN/TURN not off"
expect "$info" '.["api_secret"] == true and .["auth_token"] == false' "api_secret should be required and token auth off"
expect "$info" '(.["local-ip"] // "") == "127.0.0.1"' "local IP is not 127.0.0.1"
expect "$info" '.event_handlers == false and (.events | length) == 0 and (.loggers | length) == 0' \
  "event handlers or loggers are enabled"
ok "server_info: Janus $version; plugins = videoroom only; transports = http + websockets; no ipv6/mDNS/STUN/TURN/event handlers/loggers; local IP 127.0.0.1; api_secret required"

# 3. the api_secret is enforced
resp=$(api "" "{\"janus\":\"create\",\"transaction\":\"$(tx)\"}")
expect "$resp" '.janus == "error" and .error.code == 403' "a request without apisecret was not refused"
ok "request without apisecret refused (403 unauthorized)"

# 4. session + handle
resp=$(api "" "{\"janus\":\"create\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\"}")
expect "$resp" '.janus == "success" and (.data.id | type == "number")' "create session failed"
session=$(jq -r '.data.id' <<<"$resp")
ok "session created ($session)"

resp=$(api "/$session" "{\"janus\":\"attach\",\"plugin\":\"janus.plugin.videoroom\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\"}")
expect "$resp" '.janus == "success" and (.data.id | type == "number")' "attach janus.plugin.videoroom failed"
handle=$(jq -r '.data.id' <<<"$resp")
ok "attached janus.plugin.videoroom (handle $handle)"

# VideoRoom synchronous request: body JSON in $1; prints plugindata.data.
vr() {
  local r
  r=$(api "/$session/$handle" "{\"janus\":\"message\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\",\"body\":$1}")
  jq -e '.janus == "success" and .plugindata.plugin == "janus.plugin.videoroom"' >/dev/null <<<"$r" \
    || fail "VideoRoom request $1 got no plugin answer; response: $r"
  jq -c '.plugindata.data' <<<"$r"
}

# 5. create a room with a secret
data=$(vr "{\"request\":\"create\",\"room\":$room,\"secret\":\"$room_secret\",\"description\":\"roomgate smoke\",\"publishers\":4,\"permanent\":false}")
expect "$data" ".videoroom == \"created\" and .room == $room" "room create did not answer created"
ok "room $room created with a secret (videoroom: created)"

data=$(vr "{\"request\":\"exists\",\"room\":$room}")
expect "$data" '.exists == true' "room does not exist after create"

# 6. list finds it
data=$(vr '{"request":"list"}')
expect "$data" ".videoroom == \"success\" and ([.list[] | select(.room == $room and .description == \"roomgate smoke\")] | length) == 1" \
  "room $room not in list"
ok "list shows room $room ($(jq '.list | length' <<<"$data") room(s) in total)"

# 7. the room secret is enforced, then destroy with it
data=$(vr "{\"request\":\"destroy\",\"room\":$room,\"secret\":\"wrong-$room_secret\"}")
expect "$data" '.videoroom == "event" and .error_code == 433' "destroy with a wrong secret was not refused"
ok "destroy with a wrong secret refused (error_code 433)"

data=$(vr "{\"request\":\"destroy\",\"room\":$room,\"secret\":\"$room_secret\"}")
expect "$data" ".videoroom == \"destroyed\" and .room == $room" "destroy with the secret failed"
data=$(vr '{"request":"list"}')
expect "$data" "([.list[] | select(.room == $room)] | length) == 0" "room $room still listed after destroy"
ok "room $room destroyed with its secret and gone from list"

# 8. detach, destroy the session
resp=$(api "/$session/$handle" "{\"janus\":\"detach\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\"}")
expect "$resp" '.janus == "success"' "detach failed"
resp=$(api "/$session" "{\"janus\":\"destroy\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\"}")
expect "$resp" '.janus == "success"' "destroy session failed"
resp=$(api "/$session" "{\"janus\":\"keepalive\",\"transaction\":\"$(tx)\",\"apisecret\":\"$api_secret\"}")
expect "$resp" '.janus == "error" and .error.code == 458' "session still alive after destroy"
ok "handle detached, session $session destroyed (keepalive now: 458 no such session)"

# 9. Janus listens only on 127.0.0.1 (TCP and UDP)
tcp=$(ss -H -ltnp | grep "pid=$pid," || true)
udp=$(ss -H -lunp | grep "pid=$pid," || true)
[ -n "$tcp" ] || fail "ss shows no TCP listener for janus (pid $pid)"
bad=$(printf '%s\n%s\n' "$tcp" "$udp" | awk 'NF && $4 !~ /^127\.0\.0\.1:[0-9]+$/' || true)
[ -z "$bad" ] || fail "janus listens beyond 127.0.0.1:"$'\n'"$bad"
tcp_ports=$(awk '{ sub(/.*:/, "", $4); print $4 }' <<<"$tcp" | sort -n | tr '\n' ' ')
[ "$tcp_ports" = "$http_port $ws_port " ] \
  || fail "janus TCP listeners are on ports '$tcp_ports', expected exactly $http_port (HTTP) and $ws_port (WS)"
udp_count=$(grep -c . <<<"$udp" || true)
ok "ss: janus TCP listeners = 127.0.0.1:$http_port (HTTP) + 127.0.0.1:$ws_port (WS) only; $udp_count UDP listener(s), all on 127.0.0.1"
# Nothing at all in this namespace listens on a wildcard or other address.
all_bad=$( { ss -H -ltn; ss -H -lun; } | awk '$4 !~ /^127\.0\.0\.1:[0-9]+$/' || true)
[ -z "$all_bad" ] || fail "something in the namespace listens beyond 127.0.0.1:"$'\n'"$all_bad"

# 10. stop
bash "$janus_sh" stop "$work"
if kill -0 "$pid" 2>/dev/null && ! grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null; then
  fail "janus (pid $pid) still running after stop"
fi
[ ! -f "$work/janus.pid" ] || fail "janus.pid left behind after stop"
if curl -sS --noproxy '*' --max-time 2 -o /dev/null "$base/info" 2>/dev/null; then
  fail "Janus still answers after stop"
fi
grep -q 'Bye!' "$work/janus.log" || fail "janus.log has no clean shutdown ('Bye!')"
ok "janus stopped cleanly (log ends with Bye!), port $http_port closed"

echo "janus_smoke: $checks checks passed (Janus $version, private netns, 127.0.0.1 only)"
