#!/usr/bin/env bash
# Installs, configures, starts and stops the Janus WebRTC server (Debian's
# `janus` package, VideoRoom plugin) on 127.0.0.1 only, for roomgate's media
# plane. See README.md beside this file.
#
#   janus.sh install
#   janus.sh config DIR [--http-port N] [--ws-port N] [--rtp-range A-B] [--api-secret S]
#                       [--ice-address IPV4]
#   janus.sh start DIR
#   janus.sh stop DIR
#
# Every media packet stays on loopback only when Janus runs inside the private
# network namespace made by in_private_netns.sh (Janus never offers candidates
# on an interface flagged as loopback; see README.md). `start` therefore
# refuses to run elsewhere unless ROOMGATE_JANUS_ALLOW_HOST_NET=1: then media
# uses the address given to `config --ice-address` (scripts/run.sh's quick
# start, where the browser tabs run on the same machine).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
conf_templates="$here/conf"

# Debian's paths for the plugin and transport modules.
debian_libdir=/usr/lib/x86_64-linux-gnu/janus
if command -v dpkg-architecture >/dev/null 2>&1; then
  debian_libdir="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/janus"
elif [ -d /usr/lib/aarch64-linux-gnu/janus ]; then
  debian_libdir=/usr/lib/aarch64-linux-gnu/janus
fi

default_http_port=8088
default_ws_port=8188
default_rtp_range=20000-20099
start_timeout_s=10
stop_timeout_s=10

die() { echo "janus.sh: $*" >&2; exit 1; }

usage() {
  sed -n '6,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --- install ----------------------------------------------------------------

janus_version() {
  # `janus --version` prints its banner and then exits 1 ("Unknown option").
  local v
  v=$(janus --version 2>/dev/null || true)
  v=$(printf '%s\n' "$v" | sed -n 's/^Janus version: *//p' | head -n1)
  echo "${v:-unknown}"
}

cmd_install() {
  [ $# -eq 0 ] || usage
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v janus >/dev/null 2>&1; then
    echo "janus: already installed"
  else
    export DEBIAN_FRONTEND=noninteractive
    # The package lists may be missing on a fresh machine.
    if ! apt-cache show janus >/dev/null 2>&1; then
      $sudo apt-get update -qq
    fi
    $sudo apt-get install -y -qq --no-install-recommends janus
  fi
  # The Debian package *enables* janus.service / the janus init script (its
  # start is only skipped where policy-rc.d or a missing init forbids it), and
  # that service would listen on every interface with /etc/janus's config.
  # roomgate starts Janus itself with its own config: disable and stop it.
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $sudo systemctl disable --now janus.service >/dev/null 2>&1 || true
  elif command -v systemctl >/dev/null 2>&1; then
    $sudo systemctl disable janus.service >/dev/null 2>&1 || true
  fi
  if [ -e /etc/init.d/janus ] && command -v update-rc.d >/dev/null 2>&1; then
    $sudo update-rc.d janus disable >/dev/null 2>&1 || true
  fi
  if command -v systemctl >/dev/null 2>&1; then
    local state
    state=$(systemctl is-enabled janus.service 2>/dev/null || true)
    case "$state" in
      enabled*|static|alias|linked*)
        die "install: could not disable janus.service (is-enabled: $state)" ;;
    esac
  fi
  if pgrep -x janus >/dev/null 2>&1; then
    echo "janus.sh: warning: a janus process is running that these scripts did not start:" >&2
    pgrep -a -x janus >&2 || true
  fi
  echo "janus: $(command -v janus), version $(janus_version); system service disabled"
}

# --- config -----------------------------------------------------------------

valid_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }

cmd_config() {
  [ $# -ge 1 ] || usage
  local dir="$1"; shift
  local http_port=$default_http_port ws_port=$default_ws_port
  local rtp_range=$default_rtp_range api_secret="" ice_address=127.0.0.1
  while [ $# -gt 0 ]; do
    case "$1" in
      --ice-address) [ $# -ge 2 ] || usage; ice_address="$2"; shift 2 ;;
      --http-port) [ $# -ge 2 ] || usage; http_port="$2"; shift 2 ;;
      --ws-port) [ $# -ge 2 ] || usage; ws_port="$2"; shift 2 ;;
      --rtp-range) [ $# -ge 2 ] || usage; rtp_range="$2"; shift 2 ;;
      --api-secret) [ $# -ge 2 ] || usage; api_secret="$2"; shift 2 ;;
      *) die "config: unknown option '$1'" ;;
    esac
  done
  valid_port "$http_port" || die "config: bad --http-port '$http_port'"
  valid_port "$ws_port" || die "config: bad --ws-port '$ws_port'"
  [ "$http_port" != "$ws_port" ] || die "config: --http-port and --ws-port must differ"
  local rtp_lo="" rtp_hi=""
  if [[ "$rtp_range" =~ ^([0-9]+)-([0-9]+)$ ]]; then
    rtp_lo="${BASH_REMATCH[1]}"; rtp_hi="${BASH_REMATCH[2]}"
  fi
  if [ -z "$rtp_lo" ] || ! valid_port "$rtp_lo" || ! valid_port "$rtp_hi" \
      || ((10#$rtp_lo > 10#$rtp_hi)); then
    die "config: bad --rtp-range '$rtp_range' (want A-B, 1 <= A <= B <= 65535)"
  fi
  # The secret goes into a double-quoted libconfig string.
  if [[ "$api_secret" == *[\"\\]* ]] || [[ "$api_secret" =~ [[:cntrl:]] ]]; then
    die "config: --api-secret must not contain quotes, backslashes or control characters"
  fi

  [[ "$ice_address" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "config: bad --ice-address '$ice_address'"

  local api_secret_line="#api_secret = \"\"  # unset: roomgate is the only client, on loopback"
  [ -z "$api_secret" ] || api_secret_line="api_secret = \"$api_secret\""

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [[ "$dir" == *[\"\\]* ]] || [[ "$dir" =~ [[:cntrl:]] ]]; then
    die "config: the folder path must not contain quotes, backslashes or control characters"
  fi
  local f
  for f in janus.jcfg janus.plugin.videoroom.jcfg janus.transport.http.jcfg \
           janus.transport.websockets.jcfg; do
    [ -f "$conf_templates/$f.in" ] || die "config: missing template $conf_templates/$f.in"
    # Replace @NAME@ placeholders literally (values via ENVIRON, so no awk
    # escape or '&' processing of paths or the secret).
    HTTP_PORT="$http_port" WS_PORT="$ws_port" RTP_RANGE="$rtp_range" \
    LIBDIR="$debian_libdir" CONFDIR="$dir" API_SECRET_LINE="$api_secret_line" \
    ICE_ADDRESS="$ice_address" awk '
      function subst(line, key, val,    out, i) {
        out = ""
        while ((i = index(line, "@" key "@")) > 0) {
          out = out substr(line, 1, i - 1) val
          line = substr(line, i + length(key) + 2)
        }
        return out line
      }
      {
        n = split("HTTP_PORT WS_PORT RTP_RANGE LIBDIR CONFDIR API_SECRET_LINE ICE_ADDRESS", keys, " ")
        for (k = 1; k <= n; k++) $0 = subst($0, keys[k], ENVIRON[keys[k]])
        print
      }' "$conf_templates/$f.in" >"$dir/$f.tmp"
    mv "$dir/$f.tmp" "$dir/$f"
  done
  # Remembered for start/stop and for callers (roomgate, tests).
  cat >"$dir/roomgate-janus.env" <<EOF
JANUS_HTTP_PORT=$http_port
JANUS_WS_PORT=$ws_port
JANUS_RTP_RANGE=$rtp_range
EOF
  chmod 600 "$dir/janus.jcfg"
  echo "janus: config written to $dir (http 127.0.0.1:$http_port, ws 127.0.0.1:$ws_port, rtp $rtp_range)"
}

# --- start / stop -----------------------------------------------------------

load_env() {
  local dir="$1"
  if [ ! -f "$dir/janus.jcfg" ] || [ ! -f "$dir/roomgate-janus.env" ]; then
    die "no Janus config in '$dir' (run: janus.sh config $dir)"
  fi
  JANUS_HTTP_PORT=$(sed -n 's/^JANUS_HTTP_PORT=//p' "$dir/roomgate-janus.env")
  JANUS_WS_PORT=$(sed -n 's/^JANUS_WS_PORT=//p' "$dir/roomgate-janus.env")
}

# True when 127.0.0.1/32 is carried by a device other than lo (the private
# namespace made by in_private_netns.sh).
in_loopback_netns() {
  command -v ip >/dev/null 2>&1 || return 1
  ip -o -4 addr show 2>/dev/null \
    | awk '$2 != "lo" && $4 == "127.0.0.1/32" { found = 1 } END { exit !found }'
}

log_tail() {
  local dir="$1"
  echo "--- tail of $dir/janus.log ---" >&2
  tail -n 40 "$dir/janus.log" >&2 2>/dev/null || echo "(no log)" >&2
  if [ -s "$dir/janus.out" ]; then
    echo "--- tail of $dir/janus.out ---" >&2
    tail -n 20 "$dir/janus.out" >&2 || true
  fi
}

# Alive and not a zombie (an exited child that nobody reaped yet still
# answers kill -0).
pid_alive() {
  if [ -z "$1" ] || ! kill -0 "$1" 2>/dev/null; then return 1; fi
  local state
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null || true)
  [ "$state" != "Z" ] && [ "$state" != "X" ]
}

read_pid() {
  local f="$1/janus.pid"
  [ -f "$f" ] || return 0
  local p
  p=$(tr -dc '0-9' <"$f")
  echo "$p"
}

# TERM, bounded wait, then KILL.
terminate() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout_s))
  while pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if pid_alive "$pid"; then
    echo "janus.sh: Janus (pid $pid) ignored TERM for ${stop_timeout_s}s; sending KILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  fi
}

cmd_start() {
  [ $# -eq 1 ] || usage
  local dir
  dir="$(cd "$1" 2>/dev/null && pwd)" || die "start: no such folder '$1'"
  load_env "$dir"
  command -v janus >/dev/null 2>&1 || die "janus is not installed (run: janus.sh install)"
  command -v curl >/dev/null 2>&1 || die "curl is needed to check that Janus is up"

  local old
  old=$(read_pid "$dir")
  if pid_alive "$old"; then
    die "start: Janus already running from $dir (pid $old); run: janus.sh stop $dir"
  fi

  # This config gathers ICE candidates only on 127.0.0.1, which Janus accepts
  # only on a non-loopback device (rg0 in in_private_netns.sh). Outside such a
  # namespace libnice would fall back to every address of the host and media
  # could leave loopback, so refuse unless explicitly overridden.
  if ! in_loopback_netns && [ "${ROOMGATE_JANUS_ALLOW_HOST_NET:-0}" != "1" ]; then
    die "start: 127.0.0.1 is not on a non-loopback device here, so Janus's ICE would use the host's real addresses. Run inside scripts/janus/in_private_netns.sh (or set ROOMGATE_JANUS_ALLOW_HOST_NET=1 with config --ice-address set to this machine's address, as scripts/run.sh does)."
  fi

  local log="$dir/janus.log" out="$dir/janus.out"
  rm -f "$log"
  : >"$out"
  # -F: config folder; -L: log file, -N: nothing on stdout, -o: no colours,
  # -D: timestamps. No -b: Janus stays a plain child of this background job,
  # so $! is Janus's own pid. stdin from /dev/null and anything printed
  # outside the logger (libraries) into janus.out, so no caller's pipe is held.
  janus -F "$dir" -L "$log" -N -o -D >"$out" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$dir/janus.pid"

  local url="http://127.0.0.1:$JANUS_HTTP_PORT/janus/info"
  local deadline=$((SECONDS + start_timeout_s))
  while :; do
    if ! pid_alive "$pid"; then
      wait "$pid" 2>/dev/null || true
      echo "janus.sh: Janus (pid $pid) exited during startup" >&2
      log_tail "$dir"
      rm -f "$dir/janus.pid"
      exit 1
    fi
    if curl -fsS --noproxy '*' --max-time 1 -o /dev/null "$url" 2>/dev/null; then
      break
    fi
    local why=""
    # Janus keeps running when a transport fails to start (e.g. port taken).
    if grep -qE '\[FATAL\]|could not be initialized' "$log" 2>/dev/null; then
      why="Janus reported a fatal error during startup"
    elif ((SECONDS >= deadline)); then
      why="Janus did not answer $url within ${start_timeout_s}s"
    fi
    if [ -n "$why" ]; then
      echo "janus.sh: $why" >&2
      log_tail "$dir"
      terminate "$pid"
      rm -f "$dir/janus.pid"
      exit 1
    fi
    sleep 0.1
  done
  echo "janus: ready on http://127.0.0.1:$JANUS_HTTP_PORT/janus (ws 127.0.0.1:$JANUS_WS_PORT)"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local dir="$1"
  [ -d "$dir" ] || die "stop: no such folder '$dir'"
  local pid
  pid=$(read_pid "$dir")
  if ! pid_alive "$pid"; then
    rm -f "$dir/janus.pid"
    echo "janus: not running ($dir)"
    return 0
  fi
  # Only signal the process if it is really the janus we started.
  if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" != "janus" ]; then
    rm -f "$dir/janus.pid"
    die "stop: pid $pid from $dir/janus.pid is not janus; removed the stale pid file"
  fi
  terminate "$pid"
  rm -f "$dir/janus.pid"
  echo "janus: stopped (pid $pid)"
}

[ $# -ge 1 ] || usage
sub="$1"; shift
case "$sub" in
  install) cmd_install "$@" ;;
  config) cmd_config "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  -h|--help|help) usage ;;
  *) echo "janus.sh: unknown subcommand '$sub'" >&2; usage ;;
esac
