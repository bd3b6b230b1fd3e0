#!/usr/bin/env bash
# The fast-scans issue's targets, measured side by side on this machine:
#   1. one spectrum in-process against its size (bench_spectrum_scaling, 1 thread);
#   2. whole-process wall of the 1000-bin case and of the default `zprop spectrum`
#      (median of REPS runs, 1 thread);
#   3. the second paper's scan (run_scan_bench.sh's command) at N x N for each N of
#      SCAN_SIZES (default "20 100"), at 1 and 2 threads, OMP_WAIT_POLICY unset.
# Every row records the 1-minute load before and after it.  Appends to
# bench/results/fast_scans_<host>.csv:
#   date,commit,host,cores,what,threads,size,reps,median_s,per_unit_ms,load_before,load_after
# (per_unit_ms: per point for scans, the whole run otherwise) and writes the scaling
# table to bench/results/spectrum_scaling_<host>.csv.
# usage: bench/run_fast_scans.sh [REPS]   (env SCAN_SIZES="20 100 300"; SCAN_SIZES= for none)
set -euo pipefail
export LC_ALL=C # a decimal point in $EPOCHREALTIME and awk
cd "$(dirname "$0")/.."
reps=${1:-7}
sizes=${SCAN_SIZES-20 100} # empty: no scans
cmake -S . -B build -DZP_WERROR=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target zprop_cli bench_spectrum_scaling >/dev/null
mkdir -p bench/results
host=$(hostname -s)
csv="bench/results/fast_scans_$host.csv"
[ -f "$csv" ] || echo "date,commit,host,cores,what,threads,size,reps,median_s,per_unit_ms,load_before,load_after" >"$csv"
commit=$(git rev-parse --short HEAD)
load() { cut -d' ' -f1 /proc/loadavg; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median wall seconds of REPS runs of the command after the first two arguments
median_wall() {
  local n=$1 threads=$2
  shift 2
  for _ in $(seq "$n"); do
    # bash's own clock: $(date) around the command would add the start of a
    # second process (about 1 ms here) to every run
    local t0 t1
    t0=$EPOCHREALTIME
    OMP_NUM_THREADS=$threads "$@" >/dev/null 2>&1
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
  done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

row() { # what threads size reps median per_unit load_before
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$(date -u +%F)" "$commit" "$host" "$(nproc)" \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$(load)" | tee -a "$csv"
}

l0=$(load)
OMP_NUM_THREADS=1 build/bench/bench_spectrum_scaling "$reps" | tee "bench/results/spectrum_scaling_$host.csv"
echo "# load before $l0 after $(load)" >>"bench/results/spectrum_scaling_$host.csv"

case1000="emin=1e3 emax=1e8 bins_per_decade=200 thermal=off source=sfr zmax=5 mzp=13 gzp=3e-3"
# A table is fsync'ed before it replaces its name, and on ext4 that waits for
# whatever else is dirty on the file system (the build's objects, the CSV
# above): 14 -> 20-30 ms here just after a build. Flushed first, the runs time
# zprop, not the writeback of what ran before.
sync
l0=$(load)
# shellcheck disable=SC2086
m=$(median_wall "$reps" 1 build/zprop spectrum $case1000 output="$tmp/s.tsv")
row spectrum_1000_bins_process 1 1000 "$reps" "$m" "$(awk -v m="$m" 'BEGIN { print m * 1e3 }')" "$l0"
l0=$(load)
m=$(median_wall "$reps" 1 build/zprop spectrum output="$tmp/d.tsv")
row spectrum_default_process 1 360 "$reps" "$m" "$(awk -v m="$m" 'BEGIN { print m * 1e3 }')" "$l0"

scan="data=v2024 source=sfr sum_mnu=0.1 flavor_ratio=equal"
for n in $sizes; do
  for threads in 1 2; do
    l0=$(load)
    # shellcheck disable=SC2086
    m=$(median_wall 1 "$threads" build/zprop scan $scan mzp=1:20:"$n" gzp=1e-5:1e-1:"$n" \
      output="$tmp/scan.tsv")
    row scan "$threads" "${n}x$n" 1 "$m" "$(awk -v m="$m" -v p=$((n * n)) 'BEGIN { print m / p * 1e3 }')" "$l0"
  done
done
