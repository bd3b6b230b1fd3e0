#!/usr/bin/env bash
# The library never exits, prints or changes process-wide state (README,
# "Engineering standards"): no object of libzprop's own sources (src/ layers,
# cuda/) may call what would.  Checked on the built objects' undefined
# symbols, so a call through a macro or a helper is seen too.  The CUDA
# runtime's static archive is not ours and is not checked, nor the atexit
# call nvcc generates in every .cu object to unregister its kernels.  stdout
# stays allowed (a table asked for as "-" is written there), and setvbuf
# (the table writer buffers its own streams).
# Nor may one call cblas_* by name: that binds to GSL's reference gslcblas;
# the dense backend calls OpenBLAS through src/backends/dense_blas.h.
# usage: tools/check_process_state.sh BUILD_DIR; exits 1 naming each call.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
forbidden='umask|signal|sigaction|sigprocmask|pthread_sigmask|setlocale|exit|_exit|_Exit|quick_exit|abort|atexit|gsl_set_error_handler|gsl_set_error_handler_off|setenv|putenv|unsetenv|clearenv|chdir|fchdir|stderr|printf|__printf_chk|puts|perror|srand|srandom'
roots=("$build/src/CMakeFiles")
[ -d "$build/cuda" ] && roots+=("$build/cuda") # a build without CUDA has none
objects=()
mapfile -d '' objects < <(find "${roots[@]}" -path '*/zp_cli_common.dir' -prune -o \
  -path '*/zprop_cli.dir' -prune -o -path '*/zprop_mpi_cli.dir' -prune -o \
  -name '*.o' -print0 2>/dev/null)
[ "${#objects[@]}" -gt 0 ] || { echo "check_process_state: no objects under $build"; exit 1; }
bad=0
for o in "${objects[@]}"; do
  re="^($forbidden)$"
  case $o in *.cu.o) re="^(${forbidden/atexit|/})$" ;; esac
  # an object nm cannot read is a failure, not a pass
  if ! undefined=$(nm -u "$o"); then
    echo "check_process_state: nm cannot read ${o#"$build"/}"
    bad=1
    continue
  fi
  hits=$(awk -v re="$re" '{ s = $NF; sub(/@.*/, "", s) } s ~ re { print s }' <<<"$undefined")
  if [ -n "$hits" ]; then
    echo "check_process_state: ${o#"$build"/} calls: $(echo $hits)"
    bad=1
  fi
  blas=$(awk '$NF ~ /^cblas_/ { print $NF }' <<<"$undefined")
  if [ -n "$blas" ]; then
    echo "check_process_state: ${o#"$build"/} calls $(echo $blas) by name (gslcblas): use dense_blas.h"
    bad=1
  fi
done
[ "$bad" -eq 0 ] && echo "check_process_state: ${#objects[@]} library objects: no exit, print, process-wide change or cblas_ by name"
exit "$bad"
