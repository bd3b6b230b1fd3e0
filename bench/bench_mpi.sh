#!/usr/bin/env bash
# `mpirun -np K zprop scan` on this machine: the second paper's scan (as
# run_scan_bench.sh runs it) on an N x N grid, serially and with 1 and 2
# worker ranks (K = 2, 3: rank 0 only coordinates), one OpenMP thread per
# process; then the coordination cost per chunk on rank 0 (messages, bytes,
# time busy, of it recording the journal) from ZPROP_MPI_STATS, at the
# scan's chunk and at chunk=1 (the most chunks a scan can have).
# Appends rows to bench/results/mpi_<host>.csv:
#   date,host,cores,case,grid,chunk,ranks,workers,points,wall_s,points_per_s,
#   chunks,messages_per_chunk,bytes_per_chunk,busy_ms_per_chunk,record_ms_per_chunk
# usage: ZPROP=path/to/zprop bench/bench_mpi.sh [N]   (default N 20, zprop build/zprop)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
zprop=$(realpath "${ZPROP:-build/zprop}")
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=1 ZPROP_MPI_STATS=1
mpirun=(mpirun --oversubscribe --allow-run-as-root)
paper="data=v2024 source=sfr sum_mnu=0.1 flavor_ratio=equal mzp=1:20:$n gzp=1e-5:1e-1:$n"
cheap="mzp=1:20:20 gzp=1e-5:1e-1:20 emin=1e3 emax=1e8 bins_per_decade=10 gamma_step=0.1"
mkdir -p bench/results
csv="bench/results/mpi_$(hostname -s).csv"
[ -f "$csv" ] || echo "date,host,cores,case,grid,chunk,ranks,workers,points,wall_s,points_per_s,chunks,messages_per_chunk,bytes_per_chunk,busy_ms_per_chunk,record_ms_per_chunk" >"$csv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# one CASE GRID CHUNK RANKS ARGS...: one scan (RANKS 0: without mpirun), one row.
one() {
  local case=$1 grid=$2 chunk=$3 ranks=$4
  shift 4
  rm -f "$out"/scan.tsv* "$out/log"
  local launch=("$zprop")
  [ "$ranks" = 0 ] || launch=("${mpirun[@]}" -np "$ranks" "$zprop")
  local start end
  start=$(date +%s.%N)
  (cd "$out" && "${launch[@]}" scan "$@" chunk="$chunk" output=scan.tsv 2>log)
  end=$(date +%s.%N)
  local points wall stats
  points=$(grep -c -v '^#' "$out/scan.tsv")
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  # "... N chunks, ...; per chunk M messages, B bytes, T ms busy (R ms recording); ..."
  stats=$(sed -n 's/.* \([0-9]*\) chunks, .*per chunk \([0-9.]*\) messages, \([0-9]*\) bytes, \([0-9.e+-]*\) ms busy (\([0-9.e+-]*\) ms recording).*/\1,\2,\3,\4,\5/p' "$out/log")
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$(date -u +%F)" "$(hostname -s)" "$(getconf _NPROCESSORS_ONLN)" \
    "$case" "$grid" "$chunk" "$ranks" "$((ranks > 0 ? ranks - 1 : 1))" "$points" "$wall" \
    "$(awk -v p="$points" -v w="$wall" 'BEGIN { printf "%.2f", p / w }')" "${stats:-,,,,}" |
    tee -a "$csv"
}

for ranks in 0 2 3; do one paper "${n}x${n}" 32 "$ranks" $paper; done
for ranks in 2 3; do one cheap 20x20 1 "$ranks" $cheap; done
