#!/usr/bin/env bash
# zprop tests: `mpirun -np K zprop scan` (src/cli/scan_mpi.c) writes the
# serial table byte for byte, for any K and any number of chunks, and a job
# killed mid-scan (all ranks, or one worker) resumes to that table; zprop
# hands the scan to zprop-mpi (cli/scan_mpi.h) or says why it cannot.
# usage: scan_mpi.sh ZPROP MPIEXEC CASE   (ZPROP_TEST_MPI_*: test-only hooks of scan_mpi.c)
#   CASE: identical | chunks | kill_job | kill_worker | errors | axes
# Each case compares with a serial run of the same command in its own
# directory (the table names its output, so every run writes scan.tsv).
set -euo pipefail
zprop=$1 mpiexec=$2 case=$3
# Three ranks on two cores: one OpenMP thread each, and no busy waiting.
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=1
# Open MPI refuses root without this, and more ranks than cores without
# --oversubscribe; both are harmless elsewhere.
mpirun=("$mpiexec" --oversubscribe --allow-run-as-root)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A scan that takes well under a second, and one that runs long enough to
# be killed mid-way (400 chunks of 4 points, about a second serially).
small="mzp=1:20:6 gzp=1e-5:1e-1:5 emin=1e3 emax=1e8 bins_per_decade=10 gamma_step=0.1"
killable="mzp=1:20:40 gzp=1e-5:1e-1:40 chunk=4 emin=1e3 emax=1e8 bins_per_decade=20 gamma_step=0.1"
# Four ranged keys: a model key outside (mzp, gzp) and a source key (rows
# of one model point, sent together); 1600 rows in 200 chunks of 4 model
# points.
axes="sum_mnu=0.06:0.2:2 mzp=1:20:20 gzp=1e-5:1e-1:20 z0=0.5:1:2 chunk=4
 emin=1e3 emax=1e8 bins_per_decade=20 gamma_step=0.1"

fail() {
  echo "FAIL ($case): $*" >&2
  for f in "$work"/*/err.txt; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}

# run DIR NP ARGS...: zprop scan in DIR (NP 0: without mpirun); returns its status.
run() {
  local dir=$work/$1 np=$2
  shift 2
  mkdir -p "$dir"
  if [ "$np" = 0 ]; then
    (cd "$dir" && exec "$zprop" scan "$@" output=scan.tsv 2>>err.txt)
  else
    (cd "$dir" && exec "${mpirun[@]}" -np "$np" "$zprop" scan "$@" output=scan.tsv 2>>err.txt)
  fi
}

# same NAME: the table of run NAME is the serial one, and no journal is left.
same() {
  [ -f "$work/$1/scan.tsv" ] || fail "$1: no table"
  cmp "$work/serial/scan.tsv" "$work/$1/scan.tsv" || fail "$1: not the serial table"
  [ ! -e "$work/$1/scan.tsv.journal" ] || fail "$1: the journal outlived the scan"
}

# killed NAME [ROWS]: run NAME died mid-scan with part of its ROWS (1600)
# in its journal.
killed() {
  [ ! -e "$work/$1/scan.tsv" ] || fail "$1: a table from a killed scan"
  local n
  n=$(wc -l <"$work/$1/scan.tsv.journal")
  [ "$n" -gt 1 ] && [ "$n" -lt "$((${2:-1600} + 1))" ] || fail "$1: $n journal lines after the kill"
}

case $case in
identical)
  run serial 0 $small chunk=3 || fail "serial scan"
  for np in 1 2 3; do
    run "np$np" "$np" $small chunk=3 || fail "np $np"
    same "np$np"
  done
  # Rank 0 prints the serial scan's lines; the header names the backend once.
  grep -q "^zprop: wrote 30 points (6 mzp x 5 gzp) to scan.tsv$" "$work/np3/err.txt" ||
    fail "np 3: no 'wrote' line"
  [ "$(grep -c '^zprop: wrote' "$work/np3/err.txt")" = 1 ] || fail "np 3: more than one 'wrote'"
  grep -q "^## backend = cpu_fast$" "$work/np3/scan.tsv" || fail "np 3: backend line"
  # zprop hands the job to zprop-mpi beside it, whose rank 0 counts the
  # ranks; a zprop with no zprop-mpi beside it refuses in one line.
  ZPROP_MPI_STATS=1 run stats 3 $small chunk=3 || fail "np 3 with statistics"
  grep -q "^zprop scan: mpi: 3 ranks" "$work/stats/err.txt" || fail "np 3: not 3 MPI ranks"
  mkdir -p "$work/alone" && cp "$zprop" "$work/alone/zprop"
  status=0
  (cd "$work/alone" && exec "${mpirun[@]}" -np 2 ./zprop scan $small output=scan.tsv 2>>err.txt) ||
    status=$?
  [ "$status" != 0 ] || fail "zprop without zprop-mpi: status 0"
  grep -q "^zprop: started by an MPI launcher, but this zprop has no MPI and .*/zprop-mpi cannot run" \
    "$work/alone/err.txt" || fail "zprop without zprop-mpi: no message"
  [ ! -e "$work/alone/scan.tsv" ] || fail "zprop without zprop-mpi: a table"
  ;;
chunks)
  # Three ranks (two workers): one chunk (fewer chunks than ranks), two, 4
  # (ranks + 1), and 300 chunks of one point (100 per rank).
  for c in 30 15 8 1; do
    rm -rf "$work/serial"
    run serial 0 $small chunk=$c || fail "serial chunk=$c"
    run "c$c" 3 $small chunk=$c || fail "np 3 chunk=$c"
    same "c$c"
  done
  ;;
kill_job)
  run serial 0 $killable || fail "serial scan"
  mkdir -p "$work/job"
  # SIGKILL of every process of the job (mpirun and each rank: they share
  # one session) once the journal holds 100 points, then resumed with
  # another K.
  (cd "$work/job" && exec setsid "${mpirun[@]}" -np 3 "$zprop" scan $killable \
    output=scan.tsv 2>>err.txt) &
  leader=$!
  for _ in $(seq 3000); do
    [ -f "$work/job/scan.tsv.journal" ] && [ "$(wc -l <"$work/job/scan.tsv.journal")" -gt 100 ] &&
      break
    kill -0 "$leader" 2>/dev/null || fail "the scan ended before it could be killed"
    sleep 0.01
  done
  sid=$(ps -o sid= -p "$leader" | tr -d ' ')
  [ "$sid" = "$leader" ] || fail "mpirun is not the leader of its session"
  for pid in $(ps -o pid= -s "$sid"); do kill -KILL "$pid" 2>/dev/null || true; done
  { wait "$leader"; } 2>/dev/null || true # bash would report the kill
  killed job
  run job 2 $killable || fail "resumed scan"
  grep -q "^zprop scan: resuming, [0-9]* of 1600 points from the journal$" "$work/job/err.txt" ||
    fail "the resumed scan did not resume"
  same job
  ;;
kill_worker)
  run serial 0 $killable || fail "serial scan"
  # Worker 2 SIGKILLs itself after sending 5 chunks (a test-only hook):
  # mpirun ends the job, names the rank, rank 0 says how to go on.
  if ZPROP_TEST_MPI_KILL=2:5 run worker 3 $killable; then fail "the job survived its worker"; fi
  killed worker
  grep -q "process rank 2 .*exited on signal 9" "$work/worker/err.txt" || fail "the dead rank is not named"
  grep -q "^zprop: scan stopped by SIGTERM .*the same command to resume$" "$work/worker/err.txt" ||
    fail "rank 0 said nothing"
  run worker 3 $killable || fail "resumed scan"
  same worker
  # Rank 0 dying (after 10 chunks recorded) loses nothing either.
  if ZPROP_TEST_MPI_KILL=0:10 run coordinator 2 $killable; then fail "the job survived rank 0"; fi
  killed coordinator
  run coordinator 3 $killable || fail "resumed scan"
  same coordinator
  ;;
errors)
  # Rank 0's own failure (here: a journal of other parameters, which only
  # rank 0 opens) is one line without a rank, status 2, the journal kept.
  mkdir -p "$work/journal"
  printf '# zprop scan journal 1: zprop 0.0.0, parameters fnv1a64 0123456789abcdef\n' \
    >"$work/journal/scan.tsv.journal"
  status=0
  run journal 3 $small || status=$?
  [ "$status" = 2 ] || fail "a foreign journal: status $status"
  [ "$(grep -c '^zprop: ' "$work/journal/err.txt")" = 1 ] || fail "a foreign journal: not one line"
  grep -q "^zprop: .*scan.tsv.journal" "$work/journal/err.txt" || fail "the journal is not named"
  [ -s "$work/journal/scan.tsv.journal" ] || fail "the journal was not kept"
  # A worker's failure (a test-only hook: worker 1 reports an error instead
  # of its third block) ends the job with one line naming the rank, status
  # 1, the other worker's blocks recorded; the same command then finishes.
  run serial 0 $small chunk=1 || fail "serial scan"
  status=0
  ZPROP_TEST_MPI_FAIL=1:3 run worker 3 $small chunk=1 || status=$?
  [ "$status" != 0 ] || fail "a failed worker: status 0"
  [ "$(grep '^zprop: ' "$work/worker/err.txt" | grep -vc 'using the CPU backend')" = 1 ] ||
    fail "a failed worker: not one line"
  grep -q "^zprop: rank 1: block [0-9]*: a test failure" "$work/worker/err.txt" ||
    fail "the failed worker is not named"
  killed worker
  run worker 2 $small chunk=1 || fail "resumed scan"
  same worker
  ;;
axes)
  run serial 0 $axes || fail "serial scan"
  for np in 2 3; do
    run "np$np" "$np" $axes || fail "np $np"
    same "np$np"
  done
  grep -q "^zprop: wrote 1600 points (2 sum_mnu x 20 mzp x 20 gzp x 2 z0) to scan.tsv$" \
    "$work/np3/err.txt" || fail "np 3: no 'wrote' line"
  # A worker killed after 5 chunks; the same command resumes to the table.
  if ZPROP_TEST_MPI_KILL=2:5 run worker 3 $axes; then fail "the job survived its worker"; fi
  killed worker 1600
  run worker 2 $axes || fail "resumed scan"
  grep -q "^zprop scan: resuming, [0-9]* of 1600 points from the journal$" "$work/worker/err.txt" ||
    fail "the resumed scan did not resume"
  same worker
  ;;
*)
  echo "usage: $0 ZPROP MPIEXEC identical|chunks|kill_job|kill_worker|errors|axes" >&2
  exit 2
  ;;
esac
echo "ok ($case)"
