#!/usr/bin/env bash
# Builds zprop (Release) and times transfer-matrix assembly and application
# per backend (cpu, cpu_fast, and cuda where a device is usable):
#   bench/results/backends_<host>.csv and .md
# usage: bench/run_backends_bench.sh [seconds per configuration, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DZP_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" --target bench_backends >/dev/null
mkdir -p bench/results
out="bench/results/backends_$(hostname -s)"
build/bench/bench_backends -b "${1:-2}" -m "$out.md" | tee "$out.csv"
echo "bench: wrote $out.csv and $out.md ($(nproc) cores, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset})" >&2
