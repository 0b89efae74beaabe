#!/usr/bin/env bash
# The media benchmark: real Prebuilt links in headless Chromium, media through Janus's
# VideoRoom driven by the real roomgate, everything inside a private network namespace
# (scripts/janus/in_private_netns.sh: no route anywhere, every packet on 127.0.0.1).
#
#   1. link -> first remote frame: a host page publishes; RUNS times a fresh browser context
#      opens /meeting/<guest code>?name=Bench&skip_preview=true; median, p95, min, max of the
#      time from page.goto() to the first decoded frame of the host's video, with a breakdown
#      (token fetched, joined, subscribe-offer, subscribe-answer, ICE connected), stamped in-page.
#   2. CPU while Janus forwards media: rooms of N peers (PEERS), all publishing camera+mic;
#      after WARMUP_S, roomgate's, Janus's and Chromium's CPU over WINDOW_S (/proc), roomgate
#      per peer and per forwarded track, and as a share of Janus's (the named anchor); RSS.
#
#   bench/run_media_bench.sh                 # ~3-4 minutes
#   BENCH_SMOKE=1 bench/run_media_bench.sh   # ~25 s: 3 runs, one room of 2, 3 s window
#
# Environment:
#   ROOMGATE_BIN  roomgate binary (default build/src/cli/roomgate); copied at the start
#   RUNS          first-frame runs (default 20; smoke 3)
#   PEERS         room sizes of phase 2 (default "2 4 6"; smoke "2")
#   WARMUP_S      seconds between "all video flowing" and the window (default 5; smoke 1)
#   WINDOW_S      seconds of the CPU window (default 20; smoke 3)
#   BENCH_SMOKE   1: the small sizes above (for a smoke test; the figures mean little)
# Needs root (unshare -n), janus, /usr/bin/chromium, node + npm ci (playwright-core).
# Exit status: 0 every run measured; 1 a run or room size failed (reported); 2 a missing
# prerequisite. On any exit Janus is stopped and every process left in the namespace killed.
# shellcheck disable=SC2317  # leftovers and cleanup run from the EXIT trap
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SMOKE=${BENCH_SMOKE:-0}
if [[ $SMOKE == 1 ]]; then d_runs=3 d_peers=2 d_warm=1 d_win=3; else d_runs=20 d_peers="2 4 6" d_warm=5 d_win=20; fi
export RUNS=${RUNS:-$d_runs} PEERS=${PEERS:-$d_peers} WARMUP_S=${WARMUP_S:-$d_warm} WINDOW_S=${WINDOW_S:-$d_win} BENCH_SMOKE=$SMOKE

die2() { echo "run_media_bench: $*" >&2; exit 2; }

# ---- outside: check, then run this script again inside the namespace ------------------------
if [[ ${RG_MEDIA_BENCH_INNER:-} != 1 ]]; then
  for v in RUNS WARMUP_S WINDOW_S; do [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || die2 "$v must be a positive integer"; done
  [[ $PEERS =~ ^[[:space:]]*[2-9]([[:space:]]+[2-9])*[[:space:]]*$ ]] || die2 "PEERS must be room sizes 2-9, e.g. \"2 4 6\""
  [[ $(id -u) -eq 0 ]] || die2 "must run as root (a private network namespace)"
  for t in janus node unshare ip curl timeout; do command -v "$t" >/dev/null || die2 "'$t' is missing (scripts/setup.sh)"; done
  [[ -x /usr/bin/chromium ]] || die2 "/usr/bin/chromium is missing (scripts/setup.sh)"
  [[ -d node_modules/playwright-core ]] || die2 "node_modules/playwright-core is missing (npm ci)"
  bin=${ROOMGATE_BIN:-build/src/cli/roomgate}
  [[ -x $bin ]] || die2 "$bin is not an executable: set ROOMGATE_BIN (e.g. build-lead/src/cli/roomgate)"
  ROOMGATE_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  export ROOMGATE_BIN ROOMGATE_SRC=$bin
  # Machine facts before anything starts: the load average, and the CPU busy over 2 s (in %
  # of one core; the load average also counts tasks waiting on I/O and decays slowly).
  busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9; exit}' /proc/stat; }
  read -r b0 t0 < <(busy); sleep 2; read -r b1 t1 < <(busy)
  BENCH_LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  BENCH_BUSY_BEFORE=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$(nproc)" 'BEGIN{printf "%.0f", t ? 100 * n * b / t : 0}')
  export BENCH_LOAD_BEFORE BENCH_BUSY_BEFORE
  export BENCH_COMMAND="BENCH_SMOKE=$SMOKE RUNS=$RUNS PEERS=\"$PEERS\" WARMUP_S=$WARMUP_S WINDOW_S=$WINDOW_S bench/run_media_bench.sh"
  RG_MEDIA_BENCH_INNER=1 exec scripts/janus/in_private_netns.sh bash "${BASH_SOURCE[0]}"
fi

# ---- inside the namespace --------------------------------------------------------------------
work=$(mktemp -d /tmp/roomgate-media-bench.XXXXXX)
janus_sh=scripts/janus/janus.sh

# Every other process in this namespace was started by this script (it is its first process).
leftovers() {
  local me p
  me=$(readlink /proc/$$/ns/net)
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p != "$$" && $p != "$BASHPID" ]] || continue
    [[ $(readlink "/proc/$p/ns/net" 2>/dev/null) == "$me" ]] && echo "$p"
  done
  return 0
}
cleanup() {
  local rc=$? pids=()
  trap - EXIT
  set +e
  [[ -f $work/janus.pid ]] && bash "$janus_sh" stop "$work" >/dev/null 2>&1
  mapfile -t pids < <(leftovers)
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null
    sleep 1
    mapfile -t pids < <(leftovers)
    ((${#pids[@]})) && kill -KILL "${pids[@]}" 2>/dev/null
  fi
  if ((rc != 0)) && [[ -f $work/janus.log ]]; then echo "--- tail of janus.log" >&2; tail -n 20 "$work/janus.log" >&2; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$ROOMGATE_BIN" "$work/roomgate"
export ROOMGATE_BIN="$work/roomgate"
secret="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
bash "$janus_sh" config "$work" --api-secret "$secret" >/dev/null
bash "$janus_sh" start "$work" >&2
# shellcheck disable=SC1091
source "$work/roomgate-janus.env"
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp" HOME="$work/tmp" # Chromium profiles, roomgate data: removed with $work
BENCH_JANUS_PID=$(cat "$work/janus.pid")
export BENCH_JANUS_WS_PORT="$JANUS_WS_PORT" BENCH_JANUS_SECRET="$secret" BENCH_JANUS_PID
BENCH_VERSIONS="$("$ROOMGATE_BIN" version | head -n1) ($ROOMGATE_SRC), Janus $(janus --version 2>/dev/null | sed -n 's/^Janus version: *//p' | head -n1), Node $(node --version), playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version')"
export BENCH_VERSIONS

# Bound: ~20 s per first-frame run plus ~60 s per room size over its windows, and a margin.
budget=$((60 + (RUNS + 1) * 20))
for n in $PEERS; do budget=$((budget + 60 + 5 * n + WARMUP_S + WINDOW_S)); done
# In the background and waited for: a TERM to this script runs its trap at once.
timeout -k 10 "$budget" node bench/media/media_bench.mjs &
rc=0
wait $! || rc=$?
((rc != 124)) || echo "run_media_bench: did not finish within $budget s" >&2
exit "$rc"
