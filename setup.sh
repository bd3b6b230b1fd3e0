#!/usr/bin/env bash
# zprop set-up: installs missing Debian packages, builds, then
#   ./setup.sh run   runs `zprop spectrum` on the built-in default point
#   ./setup.sh test  runs the whole test suite (warnings-as-errors build with
#                    CUDA when the toolkit is present, then an ASan+UBSan build)
# Both are idempotent: installed packages and existing builds are reused.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
case "$mode" in run | test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac

packages="build-essential cmake pkg-config libgsl-dev libinih-dev libopenblas-dev libcriterion-dev gnuplot-nox doxygen clang-format libopenmpi-dev openmpi-bin python3-numpy python3-pytest python3-venv python3-pip python3-setuptools python3-wheel python3-matplotlib procps"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DZP_WERROR=ON -DZP_BUILD_TESTS=ON >build.log 2>&1 || { cat build.log; exit 1; }
grep -A12 "zprop .* configuration" build.log | sed 's/^-- //'
cmake --build build -j"$jobs" >>build.log 2>&1 || { tail -50 build.log; exit 1; }

if [ "$mode" = run ]; then
  build/zprop spectrum output=zprop_spectrum.tsv
  echo "setup: spectrum written to $(pwd)/zprop_spectrum.tsv"
  exit 0
fi

ctest --test-dir build --output-on-failure -j"$jobs"
# The Python package, as a user installs it (README "Python"), from the
# library just built, in a venv over Debian's numpy; its tests compare it
# with build/zprop.
[ -x build/pyenv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages build/pyenv
ZPROP_BUILD_DIR="$(pwd)/build" build/pyenv/bin/pip install -q --no-index --no-build-isolation \
  --force-reinstall --no-deps ./python >build/pip.log 2>&1 || { cat build/pip.log; exit 1; }
(cd build && ZPROP_CLI="$(pwd)/zprop" pyenv/bin/python -m pytest -q -p no:cacheprovider ../python/tests)
tools/check_docs.sh build/docs
tools/check_format.sh
# Sanitizers check the C code; the CUDA runtime does not run under ASan, but
# the CUDA backend's host code and kernels do, on the host emulation
# (tests/emul, ctest emul_backend_parity, which fails if its CUDA cases skip).
cmake -S . -B build-asan -DZP_SANITIZE=ON -DZP_WERROR=ON -DZP_ENABLE_CUDA=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
cmake --build build-asan -j"$jobs" >>build-asan.log 2>&1 || { tail -50 build-asan.log; exit 1; }
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
echo "setup: all tests passed (build and build-asan)"
