#!/usr/bin/env bash
# The second paper's scan as a benchmark: M in [1, 20] MeV x g in [1e-5, 1e-1]
# (log) on an N x N grid (default 100), gamma profiled on [1.8, 3.5], star
# formation sources, sum m_nu = 0.1 eV NO, equal mass-state weights, the
# v2024 data and conventions, default resolution (60 bins per decade).
# Appends one CSV row to bench/results/scan_<host>.csv:
#   date,host,cores,grid,thermal,thermal_kappa,backend,points,wall_s,points_per_s
# usage: bench/run_scan_bench.sh [N] [extra key=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
shift || true
cmake -S . -B build -DZP_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" --target zprop_cli >/dev/null
mkdir -p bench/results
out=$(mktemp -d)
start=$(date +%s.%N)
build/zprop scan data=v2024 source=sfr sum_mnu=0.1 flavor_ratio=equal \
  mzp=1:20:"$n" gzp=1e-5:1e-1:"$n" output="$out/scan.tsv" "$@" 2>"$out/log"
end=$(date +%s.%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
points=$((n * n))
thermal=$(grep '^# thermal = ' "$out/scan.tsv" | cut -d' ' -f4)
kappa=$(grep '^# thermal_kappa = ' "$out/scan.tsv" | cut -d' ' -f4)
backend=$(sed -n "s/.*using the CPU backend (\([a-z_]*\)).*/\1/p; s/.*backend \([a-z_]*\),.*/\1/p" "$out/log" | head -1); backend=${backend:-$(grep "^# backend = " "$out/scan.tsv" | cut -d" " -f4)}
csv="bench/results/scan_$(hostname -s).csv"
[ -f "$csv" ] || echo "date,host,cores,grid,thermal,thermal_kappa,backend,points,wall_s,points_per_s" >"$csv"
rate=$(awk -v p="$points" -v w="$wall" 'BEGIN { printf "%.2f", p / w }')
printf '%s,%s,%s,%sx%s,%s,%s,%s,%d,%s,%s\n' "$(date -u +%F)" "$(hostname -s)" "$(nproc)" \
  "$n" "$n" "$thermal" "$kappa" "$backend" "$points" "$wall" "$rate" | tee -a "$csv"
rm -rf "$out"
