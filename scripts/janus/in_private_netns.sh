#!/usr/bin/env bash
# Runs CMD [ARGS...] in a private network namespace that has no route
# anywhere: `lo` is up, and an `ifb` device `rg0` carries 127.0.0.1/32 so that
# Janus (which never gathers ICE candidates on an interface flagged as
# loopback) offers 127.0.0.1 and media stays on it. The namespace vanishes
# with its last process. Needs root (unshare -n), `unshare` and `ip`.
#
#   in_private_netns.sh CMD [ARGS...]
#
# CMD's exit status is this script's. See README.md beside this file.
set -euo pipefail

die() { echo "in_private_netns.sh: $*" >&2; exit 1; }

if [ $# -lt 1 ]; then
  echo "usage: in_private_netns.sh CMD [ARGS...]" >&2
  exit 2
fi
[ "$(id -u)" -eq 0 ] || die "must run as root (unshare -n needs CAP_SYS_ADMIN, the ifb device CAP_NET_ADMIN)"
command -v unshare >/dev/null 2>&1 || die "unshare is missing (Debian package util-linux)"
command -v ip >/dev/null 2>&1 || die "ip is missing (Debian package iproute2)"

# Runs inside the new namespace only (never in the caller's): the recipe from
# shared/reference/janus-on-loopback.md, a check that there is no route off
# the machine, then exec of the command.
# shellcheck disable=SC2016  # expanded by the inner bash
inner='
set -euo pipefail
fail() { echo "in_private_netns.sh: $*" >&2; exit 1; }
ip link set lo up
ip link add rg0 type ifb || fail "could not create the ifb device rg0 (kernel module ifb missing?)"
ip addr add 127.0.0.1/32 dev rg0
ip link set rg0 up
if [ -n "$(ip -4 route show default)" ] || [ -n "$(ip -6 route show default 2>/dev/null)" ]; then
  fail "the private namespace unexpectedly has a default route"
fi
exec "$@"
'
exec unshare --net -- bash -c "$inner" in_private_netns "$@"
