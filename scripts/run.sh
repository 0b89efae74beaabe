#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds, starts Janus
# (the media server, through scripts/janus/) and runs the roomgate server on
# its embedded SQLite store in ./roomgate-data, listening on 127.0.0.1:8080
# (override with ROOMGATE_LISTEN / ROOMGATE_DATA_DIR or serve's flags, passed
# through: scripts/run.sh --listen 127.0.0.1:9000). The first start generates
# an app key pair into the data folder, and a Janus api_secret next to it.
# Ctrl-C stops roomgate gracefully, then Janus.
#
# Media: Janus's API listens on 127.0.0.1 only. Its media (ICE) uses this
# machine's first global IPv4 address (Janus never uses a loopback
# interface), so browsers on this machine — the quick start's two tabs —
# connect to it; set ROOMGATE_ICE_ADDRESS to choose another address, or
# ROOMGATE_MEDIA=none to run without Janus (signalling only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ROOMGATE_BUILD_TARGET=roomgate scripts/build.sh
echo "roomgate: built; CLI at build/src/cli/roomgate (see README: Quick start)"
rg=build/src/cli/roomgate
data="${ROOMGATE_DATA_DIR:-./roomgate-data}"

if [ "${ROOMGATE_MEDIA:-janus}" = none ]; then
  ROOMGATE_MEDIA_BACKEND=none exec "$rg" serve "$@"
fi

mkdir -p "$data"
secret_file="$data/janus-api-secret"
if [ ! -s "$secret_file" ]; then
  (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$secret_file")
fi
ice="${ROOMGATE_ICE_ADDRESS:-$(ip -4 -o addr show scope global 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')}"
[ -n "$ice" ] || { echo "run.sh: no global IPv4 address for Janus's media; set ROOMGATE_ICE_ADDRESS" >&2; exit 1; }
bash scripts/janus/janus.sh config "$data/janus" --api-secret "$(cat "$secret_file")" --ice-address "$ice"
ROOMGATE_JANUS_ALLOW_HOST_NET=1 bash scripts/janus/janus.sh start "$data/janus"
trap 'bash scripts/janus/janus.sh stop "$data/janus" >/dev/null 2>&1 || true' EXIT
echo "roomgate: Janus media on $ice (UDP $(sed -n 's/^JANUS_RTP_RANGE=//p' "$data/janus/roomgate-janus.env"))"

# Not exec: the trap stops Janus when roomgate exits; Ctrl-C reaches both.
ROOMGATE_JANUS_API_SECRET="$(cat "$secret_file")" "$rg" serve "$@" &
server=$!
trap 'kill -INT "$server" 2>/dev/null || true' INT TERM
wait "$server" || true
wait "$server" 2>/dev/null || true
