#!/usr/bin/env bash
# Builds zprop (Release) and times transfer-matrix assembly and application
# per backend (cpu, cpu_fast, and cuda where a device is usable):
#   bench/results/backends_<host>.csv and .md
# With --isa instead: cpu_fast's batch apply of 35 right-hand sides, its
# scalar sweep against the one dispatched on this CPU, on one thread:
#   bench/results/backends_isa_<host>.csv and .md
# usage: bench/run_backends_bench.sh [seconds per configuration, default 2]
#        bench/run_backends_bench.sh --isa [repetitions, default 15]
# BUILD_DIR names the build tree (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DZP_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_backends >/dev/null
mkdir -p bench/results
if [ "${1:-}" = --isa ]; then
  out="bench/results/backends_isa_$(hostname -s)"
  # one thread: the per-core cost of a sweep, not the machine's
  OMP_NUM_THREADS=1 "$build/bench/bench_backends" -i -r "${2:-15}" -m "$out.md" | tee "$out.csv"
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  echo "bench: wrote $out.csv and $out.md ($(nproc) cores of $cpu, OMP_NUM_THREADS=1)" >&2
  exit 0
fi
out="bench/results/backends_$(hostname -s)"
"$build/bench/bench_backends" -b "${1:-2}" -m "$out.md" | tee "$out.csv"
echo "bench: wrote $out.csv and $out.md ($(nproc) cores, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset})" >&2
