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
forbidden='umask|signal|sigaction|sigprocmask|pthread_sigmask|setlocale|exit|_exit|_Exit|quick_exit|abort|atexit|gsl_set_error_handler|gsl_set_error_handler_off|setenv|putenv|unsetenv|clearenv|chdir|fchdir|stderr|printf|puts|perror|srand|srandom'
roots=("$build/src/CMakeFiles")
[ -d "$build/cuda" ] && roots+=("$build/cuda") # a build without CUDA has none
objects=$(find "${roots[@]}" -path '*/zp_cli_common.dir' -prune -o \
  -path '*/zprop_cli.dir' -prune -o -path '*/zprop_mpi_cli.dir' -prune -o \
  -name '*.o' -print 2>/dev/null | sort || true)
[ -n "$objects" ] || { echo "check_process_state: no objects under $build"; exit 1; }
bad=0 n=0
for o in $objects; do
  n=$((n + 1))
  re="^($forbidden)$"
  case $o in *.cu.o) re="^(${forbidden/atexit|/})$" ;; esac
  if hits=$(nm -u "$o" | awk -v re="$re" '{ s = $NF; sub(/@.*/, "", s) } s ~ re { print s }'); then
    if [ -n "$hits" ]; then
      echo "check_process_state: ${o#"$build"/} calls: $(echo $hits)"
      bad=1
    fi
  fi
  if blas=$(nm -u "$o" | awk '$NF ~ /^cblas_/ { print $NF }') && [ -n "$blas" ]; then
    echo "check_process_state: ${o#"$build"/} calls $(echo $blas) by name (gslcblas): use dense_blas.h"
    bad=1
  fi
done
[ "$bad" -eq 0 ] && echo "check_process_state: $n library objects: no exit, print, process-wide change or cblas_ by name"
exit "$bad"
