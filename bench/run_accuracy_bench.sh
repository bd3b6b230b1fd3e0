#!/usr/bin/env bash
# Builds zprop (Release) and measures the transport against the Monte Carlo
# reference of tests/reference for the five cases of issue 11:
#   bench/results/accuracy_<host>.csv and .md
# usage: bench/run_accuracy_bench.sh [PARTICLES per case, default 1e8: the long mode]
#   ZP_BUILD_DIR: build directory (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${ZP_BUILD_DIR:-build}"
cmake -S . -B "$build" -DZP_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_accuracy >/dev/null
mkdir -p bench/results
out="bench/results/accuracy_$(hostname -s)"
start=$(date +%s)
"$build/bench/bench_accuracy" -n "${1:-1e8}" -m "$out.md" | tee "$out.csv"
echo "bench: wrote $out.csv and $out.md in $(( $(date +%s) - start )) s ($(nproc) cores, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset})" >&2
