#!/usr/bin/env bash
# Fuzzes the token verifier with libFuzzer for SECONDS (default 60):
#
#   scripts/fuzz.sh [SECONDS]
#
# Configures build-fuzz/ with clang and the whole tree instrumented
# (ASan + UBSan + libFuzzer coverage), so the libraries under test are checked,
# not only the entry point; then builds just the token_verify_fuzz target
# (ROOMGATE_BUILD_TESTS stays ON only because fuzz/ is added under it; no test
# binary is built). The fuzzer reads fuzz/corpus-new/ (gitignored) and the
# checked-in seeds in fuzz/corpus/token_verify/, and writes new inputs only to
# the former, so the seeds are never touched and findings survive between runs.
# A crashing input lands in build-fuzz/fuzz-artifacts/; to keep it as a
# regression test, copy it into fuzz/corpus/token_verify/.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
seeds="$root/fuzz/corpus/token_verify"
work="$root/fuzz/corpus-new"
artifacts="$build/fuzz-artifacts"
log="$build/fuzz.log"

cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DROOMGATE_FUZZ=ON \
  -DROOMGATE_BUILD_TESTS=ON \
  -DROOMGATE_BUILD_BENCH=OFF \
  "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined,fuzzer-no-link" >/dev/null
ninja -C "$build" token_verify_fuzz

mkdir -p "$work" "$artifacts"
touch "$build/.fuzz-start"
# UBSan only reports by default; make every finding a crash the fuzzer keeps.
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
set +e
"$build/fuzz/token_verify_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$work" "$seeds" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo
echo "== fuzz result (full log: $log)"
grep -E '^Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' \
  "$log" || true
echo "corpus: $(find "$work" -type f | wc -l) found inputs in $work," \
  "$(find "$seeds" -type f | wc -l) seeds"
if [ "$status" -ne 0 ]; then
  echo "FAILED (exit $status); crashing inputs:"
  find "$artifacts" -type f -newer "$build/.fuzz-start" | sort
  exit "$status"
fi
echo "no crash in ${seconds} s"
