#!/usr/bin/env bash
# Token minting/verification throughput: roomgate (Google Benchmark, one
# thread) against bare OpenSSL HMAC-SHA256 and the Node.js libraries a 100ms
# customer would use, all in one run, then the ratios and targets.
#   bench/run_token_bench.sh            # ~1 minute
#   BENCH_SECONDS=1 bench/run_token_bench.sh   # quicker, noisier
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "roomgate (Google Benchmark, 5 repetitions, median)..." >&2
build/bench/token_bench --benchmark_min_time=1 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out/gbench.json"
echo "Node.js anchors..." >&2
node bench/node_tokens.mjs >"$out/node.jsonl"
node bench/compare_tokens.mjs "$out/gbench.json" "$out/node.jsonl"
