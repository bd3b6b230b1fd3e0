#!/usr/bin/env bash
# Builds zprop (Release) and writes bench/results/spectrum_<host>.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DZP_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" --target zprop_cli bench_spectrum >/dev/null
mkdir -p bench/results
out="bench/results/spectrum_$(hostname -s).csv"
build/bench/bench_spectrum build/zprop "${1:-5}" | tee "$out"
echo "bench: wrote $out" >&2
