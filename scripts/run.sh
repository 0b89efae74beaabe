#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds, and runs
# roomgate. Until the server lands (issue 3) that means: show the CLI's help,
# make a key pair, and mint and verify a sample auth token with it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
bin=build/src/cli/roomgate

"$bin" --help
echo
echo "== a fresh app credential (roomgate keys generate)"
pair=$("$bin" keys generate)
echo "$pair" | sed 's/^ROOMGATE_SECRET=.*/ROOMGATE_SECRET=<hidden: 64 characters>/'
export $pair

echo
echo "== a sample auth token (roomgate token app --room-id demo-room --role host --user-id alice)"
token=$("$bin" token app --room-id demo-room --role host --user-id alice)
echo "$token"
echo
echo "== its verified claims (roomgate token verify TOKEN)"
"$bin" token verify "$token"
