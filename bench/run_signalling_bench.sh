#!/usr/bin/env bash
# shellcheck disable=SC2317,SC2046,SC2207  # cleanup is the EXIT trap; $(rooms_args) and $(sizes ...) split on purpose (also into LG_ARGS)
# The live-session benchmark: roomgate's signalling WebSocket (/v2/signal,
# docs/signalling.md) on loopback, side by side with a minimal Node `ws` room
# server doing the same fan-out (bench/signalling/node_room_server.mjs), both
# driven by the same load generators: the C++ one (bench/signalling/loadgen*.cc,
# target signal_loadgen: one thread, events counted, never parsed; broadcast
# stamps found by substring) for the hold, joins and broadcast phases, the Node
# one (bench/signalling/loadgen.mjs) for making rooms and tokens (and for every
# phase with LOADGEN=node). Tokens are minted before timing by loadgen.mjs
# into a file the C++ load generator reads.
#
#   hold       PEERS peers (default 10000) joined in rooms of 100 and held:
#              server memory per peer = (VmRSS holding them - VmRSS before
#              connecting) / peers joined, from /proc/PID/status (VmHWM shown too)
#   joins      JOINS connections (default 5000), 256 in flight, each sending
#              `join` with a pre-minted token, rooms of 100: joins/s
#   broadcast  one room of 100 peers, 50 `send-message`/s over 10 rotating
#              senders (5/s each: under roomgate's default per-peer limit of
#              20/s, so the limit is left as it is) for BENCH_SECONDS; the
#              latency from send to receipt at each of the 99 other peers
#
# Each phase runs on a freshly started server, so one phase's memory or
# background work (roomgate ends sessions 10 s after a room empties) does not
# leak into the next; roomgate's hold phase runs on the process that has just
# served the REST calls creating the rooms, as a real server would have. roomgate's rooms are created first through its REST API
# (default template, role `guest`, uncapped) and the anchor gets tokens for the
# same room ids. Then a table: each figure, its target, PASS/FAIL and the ratio
# to the anchor (>1 = roomgate ahead).
#
#   bench/run_signalling_bench.sh                 # ~2-3 minutes
#   BENCH_SMOKE=1 bench/run_signalling_bench.sh   # tiny sizes (~30 s): checks the
#                                                 # benchmark works, judges nothing
#
# Environment:
#   PEERS            peers held in the memory phase (default 10000)
#   JOINS            connections of the join-rate phase (default 5000)
#   BENCH_SECONDS    measured seconds of the broadcast phase (default 10)
#   BENCH_SERVERS    which servers to run: "roomgate anchor" (default), or one
#   BENCH_SMOKE      1: loadgen --smoke sizes (200 peers, rooms of 20, 2 s)
#   ROOMGATE_BIN     server binary (default build/src/cli/roomgate; when that
#                    default is missing, scripts/build.sh builds it). Copied at
#                    the start, so a rebuild during the run changes nothing.
#   ROOMGATE_THREADS server.threads for roomgate (default 0 = one per core)
#   LOADGEN          cpp (default): signal_loadgen drives hold, joins and
#                    broadcast; node: loadgen.mjs does (2 worker processes
#                    for hold/joins: it burns ~3x the CPU per join of the C++
#                    one on the server's cores; its event loop and GC add to
#                    the broadcast latencies)
#   LOADGEN_BROADCAST  cpp or node: the broadcast phase's load generator
#                    (default: LOADGEN's), e.g. to compare the two
#   LOADGEN_BIN      signal_loadgen binary (default: beside ROOMGATE_BIN's build,
#                    i.e. BUILD/bench/signal_loadgen, else build/bench/...;
#                    when the default is missing it is built with ninja there).
#                    Copied at the start like the server.
#
# Only 127.0.0.1 is contacted; every server listens on an ephemeral port and
# is stopped after its phase (and on any exit); the temp dir is removed.
# Needs node + `npm ci` (ws, fast-jwt), jq, timeout.
# Exit status: 0 when every phase completed with no failed join, lost message
# or dropped connection; 1 when a phase failed (its figures are not results);
# 2 on a missing prerequisite. Missed targets are reported, not failures.
set -euo pipefail
cd "$(dirname "$0")/.."

PEERS=${PEERS:-10000}
JOINS=${JOINS:-5000}
SECS=${BENCH_SECONDS:-10}
SMOKE=${BENCH_SMOKE:-0}
SERVERS=${BENCH_SERVERS:-roomgate anchor}
THREADS=${ROOMGATE_THREADS:-0}
LOADGEN=${LOADGEN:-cpp}
LOADGEN_BROADCAST=${LOADGEN_BROADCAST:-$LOADGEN}
ROOM_SIZE=100
CONCURRENCY=256
BC_PEERS=100
TARGET_PEERS=10000
TARGET_KIB=32
TARGET_JOINS=2000
TARGET_P99_MS=10

for v in PEERS JOINS SECS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "error: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done
[[ $THREADS =~ ^[0-9]+$ ]] || { echo "error: ROOMGATE_THREADS must be a number" >&2; exit 2; }
[[ $LOADGEN == cpp || $LOADGEN == node ]] || { echo "error: LOADGEN must be cpp or node, got '$LOADGEN'" >&2; exit 2; }
[[ $LOADGEN_BROADCAST == cpp || $LOADGEN_BROADCAST == node ]] ||
  { echo "error: LOADGEN_BROADCAST must be cpp or node, got '$LOADGEN_BROADCAST'" >&2; exit 2; }
for s in $SERVERS; do
  [[ $s == roomgate || $s == anchor ]] || { echo "error: BENCH_SERVERS: unknown server '$s'" >&2; exit 2; }
done
BC_ARGS=(--rate 50 --senders 10 --warmup 1)  # signal_loadgen broadcast; loadgen.mjs's defaults
SMOKE_ARGS=()
if [[ $SMOKE == 1 ]]; then
  PEERS=200 JOINS=200 SECS=2 ROOM_SIZE=20 CONCURRENCY=32 BC_PEERS=20  # loadgen --smoke's sizes
  BC_ARGS=(--rate 20 --senders 5 --warmup 0.5)
  SMOKE_ARGS=(--smoke)
fi

need() { command -v "$1" >/dev/null || { echo "error: '$1' not found ($2)" >&2; exit 2; }; }
need node "Node.js >= 18"
need jq "apt-get install jq"
need timeout "coreutils"
for m in ws fast-jwt; do
  [[ -d node_modules/$m ]] || { echo "error: node_modules/$m missing (run npm ci)" >&2; exit 2; }
done
if [[ " $SERVERS " == *" roomgate "* ]]; then
  if [[ -z ${ROOMGATE_BIN:-} && ! -x build/src/cli/roomgate ]]; then
    echo "build/src/cli/roomgate missing: scripts/build.sh" >&2
    scripts/build.sh >&2
  fi
  ROOMGATE=${ROOMGATE_BIN:-build/src/cli/roomgate}
  [[ -x $ROOMGATE ]] || { echo "error: $ROOMGATE is not an executable" >&2; exit 2; }
fi

USE_CPP=0
if [[ $LOADGEN == cpp || $LOADGEN_BROADCAST == cpp ]]; then USE_CPP=1; fi
if ((USE_CPP)); then
  # ROOMGATE_BIN=BUILD/src/cli/roomgate -> BUILD/bench/signal_loadgen
  lg_build=build
  if [[ -n ${ROOMGATE_BIN:-} ]]; then lg_build=$(dirname "$(dirname "$(dirname "$ROOMGATE_BIN")")"); fi
  if [[ -z ${LOADGEN_BIN:-} && ! -x $lg_build/bench/signal_loadgen && -f $lg_build/build.ninja ]]; then
    echo "$lg_build/bench/signal_loadgen missing: building it" >&2
    timeout 600 cmake --build "$lg_build" --target signal_loadgen >&2 || true
  fi
  LOADGEN_BIN=${LOADGEN_BIN:-$lg_build/bench/signal_loadgen}
  [[ -x $LOADGEN_BIN ]] || { echo "error: $LOADGEN_BIN is not an executable (build target signal_loadgen with -DROOMGATE_BUILD_BENCH=ON, or LOADGEN=node)" >&2; exit 2; }
fi

# Each held peer is a socket in this shell's children (loadgen) and in the server.
hard=$(ulimit -Hn)
ulimit -n "$hard"
if [[ $hard != unlimited ]] && ((hard < PEERS + 1000)); then
  echo "error: ulimit -n hard limit $hard is below PEERS + 1000 = $((PEERS + 1000))" >&2; exit 2
fi

work=$(mktemp -d)
PIDS=()  # `timeout` wrappers still running (servers, background loadgen)
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "$*" >&2; }
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

if [[ -n ${ROOMGATE:-} ]]; then
  ROOMGATE_SRC=$ROOMGATE
  ROOMGATE_BUILT=$(date -u -r "$ROOMGATE" '+%Y-%m-%d %H:%M:%SZ')
  cp "$ROOMGATE" "$work/roomgate"
  ROOMGATE=$work/roomgate
fi
if ((USE_CPP)); then
  LOADGEN_SRC=$LOADGEN_BIN
  cp "$LOADGEN_BIN" "$work/signal_loadgen"
  LOADGEN_BIN=$work/signal_loadgen
fi

# App credentials for this run only: roomgate reads them from its config, the
# anchor and the load generator from the environment (passed per command).
read -r ACCESS_KEY SECRET < <(node -e '
  const c = require("node:crypto");
  console.log(c.randomBytes(12).toString("hex"), c.randomBytes(36).toString("base64url"))')
CREDS=(env "ROOMGATE_ACCESS_KEY=$ACCESS_KEY" "ROOMGATE_SECRET=$SECRET")
(umask 077; jq -n --arg k "$ACCESS_KEY" --arg s "$SECRET" --arg d "$work/roomgate-data" --argjson t "$THREADS" \
  '{keys: [{access_key: $k, secret: $s}],
    server: {listen: "127.0.0.1:0", data_dir: $d, access_log: false, threads: $t}}' >"$work/roomgate.json")

HZ=$(getconf CLK_TCK)
SERVER_MAX=$((PEERS / 100 + JOINS / 100 + SECS + 300))  # upper bound on a server's lifetime

# ---- servers -----------------------------------------------------------------

# start_server KIND: sets PORT, URL, WRAP_PID (the timeout wrapper) and
# SERVER_PID (the server itself, for /proc).
STARTS=0
start_server() {
  STARTS=$((STARTS + 1))
  # A new file per start: the background job truncates its output only once it
  # runs, and the wait below must never read an earlier start's port.
  local kind=$1 out=$work/$1-$STARTS.out pattern
  if [[ $kind == roomgate ]]; then
    env -u ROOMGATE_ACCESS_KEY -u ROOMGATE_SECRET -u ROOMGATE_CONFIG \
      timeout -k 5 "$SERVER_MAX" "$ROOMGATE" serve --config "$work/roomgate.json" >"$out" 2>"$work/$kind-$STARTS.err" &
    pattern='roomgate: listening on http://127\.0\.0\.1:[0-9]*'
  else
    "${CREDS[@]}" NODE_ENV=production timeout -k 5 "$SERVER_MAX" \
      node bench/signalling/node_room_server.mjs >"$out" 2>"$work/$kind-$STARTS.err" &
    pattern='listening on ws://127\.0\.0\.1:[0-9]*'
  fi
  WRAP_PID=$!
  PIDS+=("$WRAP_PID")
  PORT=""
  local i
  for ((i = 0; i < 150; i++)); do
    PORT=$(grep -o "$pattern" "$out" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n $PORT ]] && break
    kill -0 "$WRAP_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $PORT ]]; then
    log "error: $kind did not start:"; cat "$out" "$work/$kind-$STARTS.err" >&2; exit 1
  fi
  SERVER_PID=$(pgrep -P "$WRAP_PID" | head -n1)
  [[ -n $SERVER_PID ]] || { log "error: cannot find $kind's process"; exit 1; }
  URL=ws://127.0.0.1:$PORT/v2/signal
}

stop_server() {
  kill -TERM "$WRAP_PID" 2>/dev/null || true
  wait "$WRAP_PID" 2>/dev/null || true
  forget_pid "$WRAP_PID"
}

status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }  # utime+stime
cpu_machine() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6; exit}' /proc/stat; }  # total, idle

# CPU split over one loadgen run, in cores: server / load generator / everything
# else on the machine (other > ~0.15 means something else was running: the
# run was disturbed). cpu_begin before, cpu_end KIND PHASE after.
cpu_begin() { read -r -a M0 < <(cpu_machine); S0=$(cpu_ticks "$SERVER_PID"); }
cpu_end() {
  local m1 s1 lg
  read -r -a m1 < <(cpu_machine); s1=$(cpu_ticks "$SERVER_PID")
  lg=$({ jq -r '.cpu_s // empty' "$work/$2-$1.jsonl" 2>/dev/null || true; } | tail -n1)
  R[$1.$2.cpu]=$(awk -v tot=$((m1[0] - M0[0])) -v idle=$((m1[1] - M0[1])) -v srv=$((s1 - S0)) \
      -v lg="${lg:-0}" -v hz="$HZ" -v ncpu="$(nproc)" 'BEGIN{ if (tot <= 0) { print "-"; exit }
    busy = tot - idle; lgt = lg * hz; other = busy - srv - lgt; if (other < 0) other = 0
    printf "%.2f/%.2f/%.2f", srv * ncpu / tot, lgt * ncpu / tot, other * ncpu / tot }')
}

# loadgen MODE ARGS...: runs the load generator in the foreground, bounded;
# its JSON lines go to $work/MODE-KIND.jsonl, its summary to stderr.
loadgen() {
  local mode=$1; shift
  "${CREDS[@]}" timeout -k 5 $((PEERS / 50 + JOINS / 50 + SECS + 120)) \
    node bench/signalling/loadgen.mjs "$mode" "${SMOKE_ARGS[@]}" "$@" >"$work/$mode-$KIND.jsonl"
}

declare -A R  # R[kind.figure]
INVALID=0
ROOMS_FILE=""

# get KIND MODE JQ: a field of the loadgen's result line of MODE.
get() { { jq -r "select(.mode == \"$2\") | $3 // empty" "$work/$2-$1.jsonl" 2>/dev/null || true; } | tail -n1; }

sizes() {
  if [[ $SMOKE == 1 ]]; then return; fi
  echo "$@"
}

phase_rooms() {  # roomgate: rooms for every phase, through the REST API
  local count=$(((PEERS > JOINS ? PEERS : JOINS) / ROOM_SIZE + 2))
  log "  creating $count rooms through the REST API"
  if ! loadgen rooms --api "http://127.0.0.1:$PORT" --count "$count" --out "$work/rooms.json" --label "$KIND"; then
    log "error: could not create rooms"; exit 1
  fi
  ROOMS_FILE=$work/rooms.json
}

rooms_args() { if [[ -n $ROOMS_FILE ]]; then echo "--rooms-file $ROOMS_FILE"; fi; }

# mint_file N [ROOM_SIZE]: mints N app tokens (rooms of ROOM_SIZE, default
# $ROOM_SIZE: the same rooms the Node load generator would use) into
# $work/tokens for the C++ load generator, before any timing starts.
mint_file() {
  if ! "${CREDS[@]}" timeout -k 5 120 node bench/signalling/loadgen.mjs tokens $(rooms_args) \
      --peers "$1" --room-size "${2:-$ROOM_SIZE}" --out "$work/tokens" >/dev/null; then
    log "error: could not mint tokens"; exit 1
  fi
}

# mint_tokens N: with LOADGEN=cpp, mint_file N and sets LG_ARGS to the C++
# load generator's arguments; with LOADGEN=node, LG_ARGS is loadgen.mjs's
# (which mints on its own).
mint_tokens() {
  if [[ $LOADGEN == node ]]; then
    LG_ARGS=("${SMOKE_ARGS[@]}" $(rooms_args) $(sizes --peers "$1"))
    return
  fi
  mint_file "$1"
  LG_ARGS=(--tokens-file "$work/tokens" --concurrency "$CONCURRENCY" --room-size "$ROOM_SIZE")
}

# lg_cmd MODE: the load generator command for hold/joins (LOADGEN picks it).
lg_cmd() {
  if [[ $LOADGEN == cpp ]]; then LG_CMD=("$LOADGEN_BIN" "$1"); else LG_CMD=(node bench/signalling/loadgen.mjs "$1"); fi
}

phase_hold() {
  local rss0 rss1 hwm threads out=$work/hold-$KIND.jsonl lg_wrap lg_pid i rc=0
  sleep 1
  rss0=$(status_kib "$SERVER_PID" VmRSS)
  mint_tokens "$PEERS"
  lg_cmd hold
  log "  hold: $PEERS peers (server VmRSS before: $rss0 KiB), $LOADGEN load generator"
  cpu_begin
  "${CREDS[@]}" timeout -k 5 $((PEERS / 50 + 200)) "${LG_CMD[@]}" "${LG_ARGS[@]}" \
    --url "$URL" --label "$KIND" --hold-seconds 120 >"$out" &
  lg_wrap=$!
  PIDS+=("$lg_wrap")
  for ((i = 0; i < (PEERS / 50 + 60) * 10; i++)); do
    grep -q '"hold_ready"' "$out" 2>/dev/null && break
    kill -0 "$lg_wrap" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q '"hold_ready"' "$out"; then
    sleep 1
    rss1=$(status_kib "$SERVER_PID" VmRSS)
    hwm=$(status_kib "$SERVER_PID" VmHWM)
    threads=$(status_kib "$SERVER_PID" Threads)
    log "  server VmRSS holding: $rss1 KiB, VmHWM $hwm KiB, $threads threads"
    lg_pid=$(pgrep -P "$lg_wrap" | head -n1 || true)
    if [[ -n $lg_pid ]]; then kill -USR2 "$lg_pid" 2>/dev/null || true; fi
  else
    log "  error: the load generator never reported its peers held"
  fi
  wait "$lg_wrap" || rc=$?
  forget_pid "$lg_wrap"
  cpu_end "$KIND" hold
  ((rc == 0)) || { INVALID=1; log "  FAILED: hold (loadgen exit $rc)"; }
  local joined open
  joined=$(get "$KIND" hold .joined)
  open=$(get "$KIND" hold .still_open_at_release)
  R[$KIND.held]=${open:-0}
  R[$KIND.hold_joins]=$({ jq -r 'select(.event == "hold_ready") | .joins_per_s // empty' "$out" 2>/dev/null || true; } | tail -n1)
  R[$KIND.rss0]=$rss0
  R[$KIND.rss1]=${rss1:-}
  R[$KIND.hwm]=${hwm:-}
  if [[ -n ${rss1:-} && ${joined:-0} -gt 0 ]]; then
    # Per peer actually held (a refused peer costs the server nothing).
    R[$KIND.kib_per_peer]=$(awk -v a="$rss0" -v b="$rss1" -v n="$joined" 'BEGIN{printf "%.2f", (b - a) / n}')
  fi
}

phase_joins() {
  local rc=0
  mint_tokens "$JOINS"
  lg_cmd joins
  log "  joins: $JOINS connections, $LOADGEN load generator"
  cpu_begin
  "${CREDS[@]}" timeout -k 5 $((JOINS / 50 + 120)) "${LG_CMD[@]}" "${LG_ARGS[@]}" \
    --url "$URL" --label "$KIND" >"$work/joins-$KIND.jsonl" || rc=$?
  cpu_end "$KIND" joins
  ((rc == 0)) || { INVALID=1; log "  FAILED: joins (loadgen exit $rc)"; }
  R[$KIND.joins]=$(get "$KIND" joins .joins_per_s)
  R[$KIND.join_p50]=$(get "$KIND" joins .join_p50_ms)
  R[$KIND.join_p99]=$(get "$KIND" joins .join_p99_ms)
  R[$KIND.join_failed]=$(get "$KIND" joins .failed)
  R[$KIND.lg_cpu]=$(get "$KIND" joins .loadgen_cpu_cores)
}

phase_broadcast() {
  local rc=0
  log "  broadcast: 1 room of $BC_PEERS peers, ${SECS}s, $LOADGEN_BROADCAST load generator"
  if [[ $LOADGEN_BROADCAST == cpp ]]; then
    mint_file "$BC_PEERS" "$BC_PEERS"  # room 0 of the rooms file, as loadgen.mjs's broadcast
    cpu_begin
    "${CREDS[@]}" timeout -k 5 $((SECS + 60)) "$LOADGEN_BIN" broadcast --tokens-file "$work/tokens" \
      --url "$URL" --label "$KIND" --seconds "$SECS" "${BC_ARGS[@]}" >"$work/broadcast-$KIND.jsonl" || rc=$?
  else
    cpu_begin
    loadgen broadcast --url "$URL" --label "$KIND" $(rooms_args) $(sizes --seconds "$SECS") || rc=$?
  fi
  cpu_end "$KIND" broadcast
  ((rc == 0)) || { INVALID=1; log "  FAILED: broadcast (loadgen exit $rc)"; }
  local f
  for f in p50_ms p95_ms p99_ms max_ms delivered expected errors; do
    R[$KIND.bc_$f]=$(get "$KIND" broadcast ".$f")
  done
}

for KIND in $SERVERS; do
  log "== $KIND"
  start_server "$KIND"
  if [[ $KIND == roomgate ]]; then phase_rooms; fi
  phase_hold
  stop_server
  start_server "$KIND"
  phase_joins
  stop_server
  start_server "$KIND"
  phase_broadcast
  stop_server
done
if [[ -z $ROOMS_FILE ]]; then log "(no roomgate in this run: the anchor used synthetic room ids)"; fi

# ---- report --------------------------------------------------------------------

val() { echo "${R[$1]:-}"; }
# ratio A B: A / B with two decimals, "-" when either is missing or B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
# judge VALUE OP TARGET: PASS / FAIL / "-" (missing).
judge() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{ if (v == "") { print "-"; exit }
  ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "PASS" : "FAIL" }'; }
ahead() { awk -v r="$1" 'BEGIN{ if (r == "-") print "-"; else print (r + 0 > 1) ? "ahead" : "BEHIND" }'; }

echo
node_lg="Node $(node --version) ws $(node -p 'require("./node_modules/ws/package.json").version')"
lg_name() { if [[ $1 == cpp ]]; then echo "signal_loadgen (C++, one thread, $LOADGEN_SRC)"; else echo "$node_lg"; fi; }
if [[ $LOADGEN == "$LOADGEN_BROADCAST" ]]; then
  echo "live sessions on loopback, $(nproc) cores; load generator (same machine): $(lg_name "$LOADGEN")"
else
  echo "live sessions on loopback, $(nproc) cores; load generators (same machine): hold+joins $(lg_name "$LOADGEN"), broadcast $(lg_name "$LOADGEN_BROADCAST")"
fi
if [[ -n ${ROOMGATE:-} ]]; then
  echo "roomgate: $("$ROOMGATE" version 2>/dev/null | head -n1), server.threads $THREADS; binary $ROOMGATE_SRC (built $ROOMGATE_BUILT), tree $(git describe --always --dirty 2>/dev/null || echo unknown)"
fi
echo "anchor:   bench/signalling/node_room_server.mjs (ws, fast-jwt, perMessageDeflate off)"
echo "hold $PEERS peers (rooms of $ROOM_SIZE) | joins $JOINS ($CONCURRENCY in flight, rooms of $ROOM_SIZE) | broadcast 1 room of $BC_PEERS peers, ${SECS}s"
if [[ $SMOKE == 1 ]]; then echo "SMOKE RUN: tiny sizes, the targets are not judged"; fi
echo

for k in $SERVERS; do
  printf '%-9s hold: %s/%s held, VmRSS %s -> %s KiB (VmHWM %s KiB) = %s KiB/peer; joined at %s joins/s\n' "$k" \
    "$(val "$k.held")" "$PEERS" "$(val "$k.rss0")" "$(val "$k.rss1")" "$(val "$k.hwm")" "$(val "$k.kib_per_peer")" "$(val "$k.hold_joins")"
  printf '%-9s joins: %s joins/s, join latency p50 %s ms p99 %s ms, failed %s; loadgen %s cores while joining\n' "$k" \
    "$(val "$k.joins")" "$(val "$k.join_p50")" "$(val "$k.join_p99")" "$(val "$k.join_failed")" "$(val "$k.lg_cpu")"
  printf '%-9s broadcast: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms; %s/%s delivered, %s errors\n' "$k" \
    "$(val "$k.bc_p50_ms")" "$(val "$k.bc_p95_ms")" "$(val "$k.bc_p99_ms")" "$(val "$k.bc_max_ms")" \
    "$(val "$k.bc_delivered")" "$(val "$k.bc_expected")" "$(val "$k.bc_errors")"
  printf '%-9s cpu cores server/loadgen/other: hold %s, joins %s, broadcast %s\n' "$k" \
    "$(val "$k.hold.cpu")" "$(val "$k.joins.cpu")" "$(val "$k.broadcast.cpu")"
done
disturbed=""
for k in $SERVERS; do
  for ph in hold joins broadcast; do
    o=$(val "$k.$ph.cpu"); o=${o##*/}
    if [[ -n $o && $o != - ]] && awk -v o="$o" 'BEGIN{exit !(o > 0.15)}'; then disturbed+=" $k/$ph ($o)"; fi
  done
done
if [[ -n $disturbed ]]; then
  echo "WARNING: other processes took CPU during:$disturbed cores; rerun on a quiet machine"
fi
echo

if [[ " $SERVERS " == *" roomgate "* ]]; then
  rg_held=$(val roomgate.held) an_held=$(val anchor.held)
  rg_kib=$(val roomgate.kib_per_peer) an_kib=$(val anchor.kib_per_peer)
  rg_j=$(val roomgate.joins) an_j=$(val anchor.joins)
  rg_p99=$(val roomgate.bc_p99_ms) an_p99=$(val anchor.bc_p99_ms)
  r_held=$(ratio "$rg_held" "$an_held") r_kib=$(ratio "$an_kib" "$rg_kib")
  r_j=$(ratio "$rg_j" "$an_j") r_p99=$(ratio "$an_p99" "$rg_p99")
  if [[ $SMOKE == 1 ]]; then
    j_held=- j_kib=- j_j=- j_p99=-
  else
    j_held=$(judge "$rg_held" ">=" "$TARGET_PEERS") j_kib=$(judge "$rg_kib" "<=" "$TARGET_KIB")
    j_j=$(judge "$rg_j" ">=" "$TARGET_JOINS") j_p99=$(judge "$rg_p99" "<=" "$TARGET_P99_MS")
  fi
  fmt='%-30s %-12s %12s %12s %-7s %10s  %s\n'
  # shellcheck disable=SC2059
  {
    printf "$fmt" "figure" "target" "roomgate" "node anchor" "target" "vs anchor" ""
    printf "$fmt" "------" "------" "--------" "-----------" "------" "---------" ""
    printf "$fmt" "concurrent peers held" ">= $TARGET_PEERS" "$rg_held" "${an_held:--}" "$j_held" "$r_held" "(roomgate/anchor)"
    printf "$fmt" "server memory per peer (KiB)" "<= $TARGET_KIB" "${rg_kib:--}" "${an_kib:--}" "$j_kib" "$r_kib" "(anchor/roomgate) $(ahead "$r_kib")"
    printf "$fmt" "joins/s" ">= $TARGET_JOINS" "${rg_j:--}" "${an_j:--}" "$j_j" "$r_j" "(roomgate/anchor) $(ahead "$r_j")"
    printf "$fmt" "broadcast p99 latency (ms)" "<= $TARGET_P99_MS" "${rg_p99:--}" "${an_p99:--}" "$j_p99" "$r_p99" "(anchor/roomgate) $(ahead "$r_p99")"
  }
  echo "ratios > 1 mean roomgate is ahead of the anchor"
fi
if ((INVALID)); then
  echo "INVALID: a phase had failed joins, lost messages or dropped connections (see above); its figures are not results"
fi
exit $((INVALID ? 1 : 0))
