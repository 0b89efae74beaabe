#!/usr/bin/env bash
# shellcheck disable=SC2154,SC2317  # R_* come from parse_wrk (printf -v); cleanup is the EXIT trap
# End-to-end throughput of the public token endpoint, POST /v2/token, over
# HTTP/1.1 keep-alive with wrk (64 connections, 2 threads), in one run:
#   - roomgate with server.threads 1 and 2 (its room code created through the
#     REST API first, so every request is served from the store);
#   - the Node.js servers a 100ms customer would run instead
#     (bench/node_token_servers/): express 5 + jsonwebtoken as in 100ms's
#     docs, node:http + fast-jwt (the fastest Node variant), and node:http
#     answering a constant JSON body (the ceiling of Node's HTTP layer).
# Then a table (req/s, p50, p99, errors, CPU split), roomgate's ratios to each
# Node variant and PASS/MISS against the targets.
#
#   bench/run_token_endpoint_bench.sh                 # ~80 s
#   BENCH_SECONDS=3 bench/run_token_endpoint_bench.sh # quicker, noisier
#
# Environment:
#   BENCH_SECONDS         measured seconds per server (default 10)
#   BENCH_WARMUP_SECONDS  discarded warm-up run before each (default 2)
#   BENCH_PERF            auto (default: profile the best roomgate configuration
#                         with perf when it misses a target), 1 (always), 0 (never)
#   BENCH_PERF_SECONDS    length of the profiled run (default 5)
#   ROOMGATE_BIN          server binary (default build/src/cli/roomgate; this
#                         script does not build it: ninja -C build first). It is
#                         copied at the start, so a rebuild during the run does
#                         not change what is measured.
#
# Only 127.0.0.1 is contacted; every server listens on an ephemeral port and
# is stopped after its run (and on any exit). Needs wrk, curl, jq, node and
# `npm ci` (express, jsonwebtoken, fast-jwt).
# Exit status: 0 when every run completed with no error response, 1 when a
# server failed its sanity check or a run saw non-2xx responses or socket
# errors (such a run is not a result), 2 on a missing prerequisite. Missed
# targets are reported, not turned into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-2}
PERF_MODE=${BENCH_PERF:-auto}
PERF_SECS=${BENCH_PERF_SECONDS:-5}
ROOMGATE=${ROOMGATE_BIN:-build/src/cli/roomgate}
CONNS=64
WRK_THREADS=2
TARGET_RPS=60000
TARGET_RATIO=5
TARGET_P99_US=2000

for v in SECS WARMUP PERF_SECS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "error: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done

need() { command -v "$1" >/dev/null || { echo "error: '$1' not found ($2)" >&2; exit 2; }; }
need wrk "apt-get install wrk"
need curl "apt-get install curl"
need jq "apt-get install jq"
need node "Node.js >= 18"
need timeout "coreutils"
[[ -x $ROOMGATE ]] || { echo "error: $ROOMGATE is not built (ninja -C build)" >&2; exit 2; }
for m in express jsonwebtoken fast-jwt; do
  [[ -d node_modules/$m ]] || { echo "error: node_modules/$m missing (run npm ci)" >&2; exit 2; }
done

work=$(mktemp -d)
SERVER_PIDS=()  # `timeout` wrappers of the servers still running
cleanup() {
  local p
  for p in "${SERVER_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${SERVER_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "$*" >&2; }
ROOMGATE_SRC=$ROOMGATE
ROOMGATE_BUILT=$(date -u -r "$ROOMGATE" '+%Y-%m-%d %H:%M:%SZ')
cp "$ROOMGATE" "$work/roomgate"
ROOMGATE=$work/roomgate
HZ=$(getconf CLK_TCK)
# Upper bound on any server's lifetime: warm-up + run + profile + slack.
SERVER_MAX=$((WARMUP + SECS + PERF_SECS + 120))

# ---- servers -----------------------------------------------------------------

# start_server NAME CMD...: runs CMD under `timeout`, waits for its
# "listening on http://127.0.0.1:PORT" line; sets PORT, WRAP_PID (the timeout
# process, to stop) and SERVER_PID (the server itself, for CPU and perf).
start_server() {
  local name=$1; shift
  local out=$work/$name.out
  timeout -k 5 "$SERVER_MAX" "$@" >"$out" 2>"$work/$name.err" &
  WRAP_PID=$!
  SERVER_PIDS+=("$WRAP_PID")
  PORT=""
  local i
  for ((i = 0; i < 100; i++)); do
    PORT=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$out" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n $PORT ]] && break
    if ! kill -0 "$WRAP_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [[ -z $PORT ]]; then
    log "error: $name did not start:"; cat "$out" "$work/$name.err" >&2
    exit 1
  fi
  SERVER_PID=$(pgrep -P "$WRAP_PID" | head -n1)
  [[ -n $SERVER_PID ]] || { log "error: cannot find $name's process"; exit 1; }
}

stop_server() {
  kill -TERM "$WRAP_PID" 2>/dev/null || true
  wait "$WRAP_PID" 2>/dev/null || true
  local keep=() p
  for p in "${SERVER_PIDS[@]}"; do [[ $p == "$WRAP_PID" ]] || keep+=("$p"); done
  SERVER_PIDS=("${keep[@]}")
}

# check_endpoint NAME URL: one request must answer 200 with a token that
# roomgate verifies, carrying the code's room and role and a 24 h lifetime.
check_endpoint() {
  local name=$1 url=$2 status claims
  status=$(curl -sS --max-time 5 -o "$work/check.json" -w '%{http_code}' \
    -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\"}" "$url") || status=000
  if [[ $status != 200 ]]; then
    log "error: $name answered $status to POST /v2/token:"; cat "$work/check.json" >&2 2>/dev/null; exit 1
  fi
  if ! claims=$("$ROOMGATE" token verify --type app "$(jq -r .token "$work/check.json")" 2>&1); then
    log "error: $name's token does not verify: $claims"; exit 1
  fi
  if ! jq -e --arg room "$ROOM_ID" --arg role "$ROLE" \
      '.room_id == $room and .role == $role and .type == "app" and .version == 2
       and (.exp - .iat) == 86400 and .nbf == .iat and (.jti | length) > 0
       and (.user_id | length) > 0' <<<"$claims" >/dev/null ||
     ! jq -e '.expiresAt | test("^[0-9]{4}-")' "$work/check.json" >/dev/null; then
    log "error: $name's token or body is not as expected: $claims $(cat "$work/check.json")"; exit 1
  fi
}

# ---- measurement -------------------------------------------------------------

cpu_machine() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6; exit}' /proc/stat; }
cpu_proc() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }  # utime+stime, all threads
# Children CPU of a subshell that ran wrk, from `times`' second line, in ticks.
times_ticks() { awk -v hz="$HZ" 'NR==2{t=0; for(i=1;i<=2;i++){split($i,a,/[ms]/); t+=a[1]*60+a[2]}; printf "%d\n", t*hz+0.5}'; }

# run_wrk OUTFILE SECONDS URL: wrk with the token script; also records the CPU
# split (server / wrk / everything else, in cores) into OUTFILE.cpu.
run_wrk() {
  local outf=$1 secs=$2 url=$3
  local m0 m1 s0 s1
  read -r -a m0 < <(cpu_machine); s0=$(cpu_proc "$SERVER_PID")
  ( BENCH_CODE=$CODE timeout -k 5 $((secs + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${secs}s" \
      --latency -s bench/wrk_token.lua "$url" >"$outf" 2>&1 || echo "wrk exited with $?" >>"$outf"
    times >"$outf.times" )
  times_ticks <"$outf.times" >"$outf.wrkcpu"
  read -r -a m1 < <(cpu_machine); s1=$(cpu_proc "$SERVER_PID")
  awk -v tot=$((m1[0] - m0[0])) -v idle=$((m1[1] - m0[1])) -v srv=$((s1 - s0)) \
      -v wrk="$(cat "$outf.wrkcpu")" -v ncpu="$(nproc)" 'BEGIN{
    busy = tot - idle; other = busy - srv - wrk; if (other < 0) other = 0
    printf "%.2f %.2f %.2f\n", srv * ncpu / tot, wrk * ncpu / tot, other * ncpu / tot }' >"$outf.cpu"
}

# parse_wrk OUTFILE: sets R_requests, R_rps, R_p50_us, ... from WRK_RESULT.
parse_wrk() {
  local line kv
  line=$(grep '^WRK_RESULT ' "$1" | tail -n1 || true)
  if [[ -z $line ]]; then log "error: no WRK_RESULT in wrk output:"; cat "$1" >&2; return 1; fi
  for kv in ${line#WRK_RESULT }; do
    [[ $kv =~ ^([a-z0-9_]+)=([0-9]+)$ ]] || { log "error: bad wrk field '$kv'"; return 1; }
    printf -v "R_${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
  done
}

RESULTS=$work/results.tsv  # label, rps, p50, p99, errors, cpu srv, wrk, other
INVALID=0

# bench LABEL: warm-up (discarded) then the measured run against $URL.
bench() {
  local label=$1 errs
  log "  warm-up ${WARMUP}s..."
  run_wrk "$work/warmup.txt" "$WARMUP" "$URL"
  parse_wrk "$work/warmup.txt"
  if ((R_non2xx + R_connect_errors + R_read_errors + R_write_errors + R_timeouts > 0)); then
    log "  warning: warm-up saw errors: $(grep WRK_RESULT "$work/warmup.txt")"
  fi
  log "  measuring ${SECS}s..."
  run_wrk "$work/run.txt" "$SECS" "$URL"
  parse_wrk "$work/run.txt"
  errs=$((R_non2xx + R_connect_errors + R_read_errors + R_write_errors + R_timeouts))
  local cpu; read -r -a cpu <"$work/run.txt.cpu"
  log "  $(grep WRK_RESULT "$work/run.txt") cpu(server/wrk/other cores)=${cpu[*]}"
  if ((errs > 0)); then
    INVALID=1
    log "  ERROR: $errs failed requests (non2xx=$R_non2xx connect=$R_connect_errors read=$R_read_errors" \
        "write=$R_write_errors timeout=$R_timeouts): this run is not a result"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$R_rps" "$R_p50_us" "$R_p99_us" "$errs" \
    "${cpu[0]}" "${cpu[1]}" "${cpu[2]}" >>"$RESULTS"
}

# ---- roomgate ------------------------------------------------------------------

eval "$("$ROOMGATE" keys generate | grep -E '^ROOMGATE_(ACCESS_KEY|SECRET)=[A-Za-z0-9_-]+$' | sed 's/^/export /')"
[[ -n ${ROOMGATE_ACCESS_KEY:-} && -n ${ROOMGATE_SECRET:-} ]] || { log "error: roomgate keys generate"; exit 1; }

start_roomgate() {  # start_roomgate THREADS
  printf '{"server":{"access_log":false,"threads":%d}}\n' "$1" >"$work/roomgate-t$1.json"
  start_server "roomgate-t$1" "$ROOMGATE" serve --listen 127.0.0.1:0 --data "$work/roomgate-data" \
    --config "$work/roomgate-t$1.json"
  URL=http://127.0.0.1:$PORT/v2/token
}

CODE="" ROOM_ID="" ROLE=""
for t in 1 2; do
  log "roomgate, server.threads=$t"
  start_roomgate "$t"
  if [[ -z $CODE ]]; then  # first start: make the room and its codes over the REST API
    mgmt=$("$ROOMGATE" token management)
    api() { curl -sS --max-time 5 --fail-with-body -H "Authorization: Bearer $mgmt" \
              -H 'Content-Type: application/json' "$@"; }
    ROOM_ID=$(api -d '{"name":"bench"}' "http://127.0.0.1:$PORT/v2/rooms" | jq -er .id)
    api -X POST "http://127.0.0.1:$PORT/v2/room-codes/room/$ROOM_ID" >"$work/codes.json"
    read -r CODE ROLE < <(jq -er '([.data[] | select(.role == "host")] + .data)[0] | "\(.code) \(.role)"' \
      "$work/codes.json")
    log "  room $ROOM_ID, code $CODE (role $ROLE)"
  fi
  check_endpoint "roomgate" "$URL"
  bench "roomgate (threads=$t)"
  stop_server
done

# ---- Node.js -------------------------------------------------------------------

export BENCH_CODE=$CODE BENCH_ROOM_ID=$ROOM_ID BENCH_ROLE=$ROLE NODE_ENV=production
for spec in "express_jsonwebtoken|express 5 + jsonwebtoken (docs)" \
            "http_fastjwt|node:http + fast-jwt" \
            "http_constant|node:http constant JSON (ceiling)"; do
  file=${spec%%|*} label=${spec#*|}
  log "$label"
  start_server "$file" node "bench/node_token_servers/$file.mjs"
  URL=http://127.0.0.1:$PORT/v2/token
  check_endpoint "$file" "$URL"
  bench "$label"
  stop_server
done

# ---- report --------------------------------------------------------------------

# Targets met by each roomgate configuration (an erroneous run meets none);
# the best one meets the most targets, then has the highest req/s.
fast_rps=$(awk -F'\t' '$1 == "node:http + fast-jwt" {print $2}' "$RESULTS")
awk -F'\t' -v fast="$fast_rps" -v trps="$TARGET_RPS" -v tratio="$TARGET_RATIO" -v tp99="$TARGET_P99_US" '
  $1 ~ /^roomgate/ {
    ratio = (fast > 0) ? $2 / fast : 0
    ok1 = ($5 == 0 && $2 >= trps); ok2 = ($5 == 0 && ratio >= tratio); ok3 = ($5 == 0 && $4 <= tp99)
    printf "%s\t%d\t%d\t%.2f\t%d\t%s\t%s\t%s\n", $1, ok1 + ok2 + ok3, $2, ratio, $4,
      ok1 ? "PASS" : "MISS", ok2 ? "PASS" : "MISS", ok3 ? "PASS" : "MISS" }' "$RESULTS" >"$work/targets.tsv"
best=$(sort -t$'\t' -k2,2nr -k3,3nr "$work/targets.tsv" | head -n1 | cut -f1)
best_threads=${best//[^0-9]/}

echo
echo "POST /v2/token, wrk -t$WRK_THREADS -c$CONNS -d${SECS}s keep-alive (after a ${WARMUP}s warm-up), $(nproc) cores"
echo "$("$ROOMGATE" version 2>/dev/null | head -n1), node $(node --version), express $(node -p 'require("./node_modules/express/package.json").version'), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
echo "roomgate binary: $ROOMGATE_SRC (built $ROOMGATE_BUILT), tree $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "NOTE: wrk runs on the same $(nproc) cores as the server; 'cpu' is cores used during the run by"
echo "      the server / wrk / everything else (other > ~0.1 means the run was disturbed)."
echo
awk -F'\t' -v best="$best" 'BEGIN{
    printf "%-36s %10s %9s %9s %7s   %s\n", "server", "req/s", "p50 us", "p99 us", "errors", "cpu srv/wrk/other"
    printf "%-36s %10s %9s %9s %7s   %s\n", "------", "-----", "------", "------", "------", "-----------------" }
  { mark = ($1 == best) ? " *" : ""
    printf "%-36s %10d %9d %9d %7d   %s/%s/%s\n", $1 mark, $2, $3, $4, $5, $6, $7, $8 }' "$RESULTS"
echo "* = best roomgate configuration (threads=$best_threads): meets the most targets, then the most req/s"
disturbed=$(awk -F'\t' '$8 > 0.15 {printf "%s%s (%s)", sep, $1, $8; sep=", "}' "$RESULTS")
if [[ -n $disturbed ]]; then
  echo "WARNING: other processes took CPU during: $disturbed cores; rerun on a quiet machine"
fi
echo

echo "roomgate's ratio to each Node.js server (req/s):"
awk -F'\t' '$1 ~ /^roomgate/ { rg[++n] = $2; name[n] = $1; next }
  { node[++m] = $1; nrps[m] = $2 }
  END {
    printf "  %-36s", ""; for (i = 1; i <= n; i++) printf " %22s", name[i]; printf "\n"
    for (j = 1; j <= m; j++) {
      printf "  %-36s", node[j]
      for (i = 1; i <= n; i++) printf " %21.2fx", (nrps[j] > 0 ? rg[i] / nrps[j] : 0)
      printf "\n" } }' "$RESULTS"
echo

echo "targets: >= $TARGET_RPS req/s | >= ${TARGET_RATIO}x node:http + fast-jwt | p99 <= $TARGET_P99_US us"
awk -F'\t' -v best="$best" '{ printf "  %-24s %s (%6d req/s) | %s (%5.2fx) | %s (%5d us)%s\n",
    $1, $6, $3, $7, $4, $8, $5, ($1 == best) ? "   <- best" : "" }' "$work/targets.tsv"
MISSED=0
[[ $(awk -F'\t' -v best="$best" '$1 == best {print $2}' "$work/targets.tsv") == 3 ]] || MISSED=1
if ((INVALID)); then
  echo "  INVALID: a run saw non-2xx responses or socket errors (see errors column); it is not a result"
fi

# ---- profile -------------------------------------------------------------------

if [[ $PERF_MODE == 1 || ($PERF_MODE == auto && $MISSED == 1) ]]; then
  if ! command -v perf >/dev/null; then
    log "perf not installed: no profile"
  else
    echo
    echo "perf profile of roomgate (threads=$best_threads) under the same load, ${PERF_SECS}s (self time):"
    start_roomgate "$best_threads"
    run_wrk "$work/warmup.txt" "$WARMUP" "$URL"
    ( BENCH_CODE=$CODE timeout -k 5 $((PERF_SECS + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" \
        -d"$((PERF_SECS + 2))s" -s bench/wrk_token.lua "$URL" >"$work/perf-wrk.txt" 2>&1 || true ) &
    wrk_pid=$!
    sleep 1
    timeout -k 5 $((PERF_SECS + 30)) perf record -q -g -p "$SERVER_PID" -o "$work/perf.data" \
      -- sleep "$PERF_SECS" >/dev/null 2>"$work/perf.err" || cat "$work/perf.err" >&2
    wait "$wrk_pid" || true
    stop_server
    if [[ -s $work/perf.data ]]; then
      # Self time per binary, then the hottest symbols (long C++ names cut).
      timeout 120 perf report -i "$work/perf.data" --no-children --stdio -g none --sort dso \
        --percent-limit 1 2>/dev/null | grep -E '^ +[0-9.]+%' | sed -E 's/[[:space:]]+$//' || true
      echo
      timeout 120 perf report -i "$work/perf.data" --no-children --stdio -g none --sort dso,symbol \
        --percent-limit 0.7 2>/dev/null | grep -E '^ +[0-9.]+%' | cut -c1-150 |
        sed -E 's/[[:space:]]+$//' | head -n 40 || true
    fi
  fi
fi

exit $((INVALID ? 1 : 0))
