#!/bin/sh
# zprop: installs BUILD_DIR to a temporary prefix and uses it as a C user would
# (ctest install_check; issue 10):
#   - examples/c built four ways, pkg-config and find_package(zprop), each
#     with the shared and the static library, all printing the same numbers;
#   - nothing installed links OpenBLAS, and the installed zprop's dense
#     backend (backend=cpu) multiplies with it all the same;
#   - a program on the installed libzprop.so, and the installed `zprop`
#     (libzprop.a inside), find the data sets under <prefix>/share/zprop/data,
#     and $ZPROP_DATA_DIR overrides that;
#   - libzprop.so exports exactly the functions the installed headers declare
#     with ZP_API, and every function those headers declare has ZP_API.
# The prefix is removed on exit.  Usage: tests/install_check.sh BUILD_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zprop-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset ZPROP_DATA_DIR
fail() { echo "install_check: $*" >&2; exit 1; }
cmake=${CMAKE:-cmake} # ctest passes its own
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

prefix="$tmp/prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "install failed"; }
prefix=$(cd "$prefix" && pwd -P)
pcfile=$(find "$prefix" -name zprop.pc)
[ -n "$pcfile" ] || fail "no zprop.pc under $prefix"
export PKG_CONFIG_PATH="$(dirname "$pcfile")"
cc=$(cache CMAKE_C_COMPILER)
example="$src/examples/c/spectrum.c"
mkdir "$tmp/run" # every program runs away from the build and the source

# pkg-config: the shared library, then libzprop.a named exactly.
libdir=$(pkg-config --variable=libdir zprop)
"$cc" "$example" $(pkg-config --cflags --libs zprop) -Wl,-rpath,"$libdir" -o "$tmp/pc_shared"
static_libs=$(pkg-config --static --libs zprop | sed 's/-lzprop\( \|$\)/-l:libzprop.a /')
"$cc" "$example" $(pkg-config --cflags zprop) $static_libs -o "$tmp/pc_static"

# find_package(zprop): zprop::zprop and zprop::zprop_static.
for kind in shared static; do
  flag=OFF
  [ "$kind" = static ] && flag=ON
  "$cmake" -S "$src/examples/c" -B "$tmp/cmake_$kind" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" -DZPROP_EXAMPLE_STATIC=$flag >"$tmp/cmake_$kind.log" 2>&1 \
    || { cat "$tmp/cmake_$kind.log"; fail "find_package(zprop) failed ($kind)"; }
  "$cmake" --build "$tmp/cmake_$kind" >>"$tmp/cmake_$kind.log" 2>&1 \
    || { cat "$tmp/cmake_$kind.log"; fail "example build failed ($kind)"; }
  cp "$tmp/cmake_$kind/spectrum" "$tmp/cmake_$kind.bin"
done
readelf -d "$tmp/cmake_shared.bin" | grep -q 'NEEDED.*libzprop\.so\.0' || fail "zprop::zprop is not libzprop.so.0"
readelf -d "$tmp/cmake_static.bin" | grep -q 'NEEDED.*libzprop' && fail "zprop::zprop_static links libzprop.so"

cd "$tmp/run"
"$tmp/pc_shared" >"$tmp/pc_shared.out" || fail "pkg-config example (shared) failed"
[ "$(wc -l <"$tmp/pc_shared.out")" -eq 2 ] || fail "the example printed: $(cat "$tmp/pc_shared.out")"
for prog in pc_static cmake_shared.bin cmake_static.bin; do
  "$tmp/$prog" >"$tmp/$prog.out" || fail "$prog failed"
  cmp -s "$tmp/pc_shared.out" "$tmp/$prog.out" || fail "$prog prints other numbers: $(cat "$tmp/$prog.out")"
done

# The dense backend multiplies with OpenBLAS, opened when it is created (not
# GSL's gslcblas, which a direct cblas_* call would bind to); no installed
# program or library links OpenBLAS, so no other run pays for loading it.
for prog in "$prefix/bin/zprop" "$libdir/libzprop.so"; do
  readelf -d "$prog" | grep -q 'NEEDED.*openblas' && fail "$prog links OpenBLAS"
done
# (libgsl's own references, bound when it calls them, go to its gslcblas.)
LD_DEBUG=bindings "$prefix/bin/zprop" spectrum backend=cpu bins_per_decade=5 output=- \
  2>"$tmp/bindings" >/dev/null || fail "installed zprop spectrum backend=cpu failed"
grep "symbol \`cblas_dgemv'" "$tmp/bindings" | grep -v 'binding file [^ ]*libgsl\.' >"$tmp/dgemv" || true
[ -s "$tmp/dgemv" ] || fail "backend=cpu: no binding of cblas_dgemv seen"
if grep -qv openblas "$tmp/dgemv"; then
  fail "backend=cpu: cblas_dgemv binds outside OpenBLAS"
fi

# The exported API: the zp_ names libzprop.so defines (functions or data)
# against the ZP_API declarations of the installed headers.
incdir="$prefix/include/zprop"
undeclared=$(grep -n '^[a-z][a-z0-9_ ]*[ *]zp_[a-z0-9_]*(' "$incdir"/*.h | grep -v '^[^:]*:[0-9]*:static ' || true)
[ -z "$undeclared" ] || fail "declared without ZP_API: $undeclared"
sed -n 's/^ZP_API [^(]*[ *]\(zp_[a-z0-9_]*\)(.*/\1/p' "$incdir"/*.h | sort -u >"$tmp/api.txt"
[ -s "$tmp/api.txt" ] || fail "no ZP_API declarations in $incdir"
"${NM:-nm}" -D --defined-only "$libdir/libzprop.so" | awk '$3 ~ /^zp_/ {print $3}' | sort -u >"$tmp/exported.txt"
extra=$(comm -13 "$tmp/api.txt" "$tmp/exported.txt" | tr '\n' ' ')
missing=$(comm -23 "$tmp/api.txt" "$tmp/exported.txt" | tr '\n' ' ')
[ -z "$extra" ] || fail "libzprop.so exports what no public header declares: $extra"
[ -z "$missing" ] || fail "libzprop.so does not export: $missing"

# The data sets beside libzprop.so: <libdir>/../share/zprop/data.
data="$prefix/share/zprop/data"
cat >"$tmp/data_path.c" <<'PROG'
#include <stdio.h>
#include "zprop/data.h"
int main(void) {
  zp_dataset *d = NULL;
  zp_error err;
  if (zp_dataset_builtin("tracks9yr", &d, &err) != ZP_OK) { fprintf(stderr, "%s\n", err.msg); return 1; }
  printf("%s\n", d->path);
  zp_dataset_free(d);
  return 0;
}
PROG
"$cc" "$tmp/data_path.c" $(pkg-config --cflags --libs zprop) -Wl,-rpath,"$libdir" -o "$tmp/data_path"
got=$("$tmp/data_path") || fail "libzprop.so did not find its data"
[ "$got" = "$data/tracks9yr.dat" ] || fail "libzprop.so read $got, not $data/tracks9yr.dat"

# The installed zprop (libzprop.a inside): <bindir>/../share/zprop/data.  With
# the file moved away the message names the path it looked for.
"$prefix/bin/zprop" fit --dry-run >/dev/null || fail "installed zprop fit --dry-run failed"
mv "$data/cascades6yr.dat" "$tmp/cascades6yr.dat"
if "$prefix/bin/zprop" fit --dry-run >/dev/null 2>"$tmp/err"; then fail "zprop did not read $data"; fi
grep -qF "'$data/cascades6yr.dat'" "$tmp/err" || fail "zprop looked elsewhere: $(cat "$tmp/err")"
ZPROP_DATA_DIR="$tmp" "$prefix/bin/zprop" fit --dry-run >/dev/null || fail "ZPROP_DATA_DIR was not used"
# With MPI, `mpirun zprop scan` runs zprop-mpi from zprop's folder.
if [ -x "$build/zprop-mpi" ]; then
  [ -x "$prefix/bin/zprop-mpi" ] || fail "zprop-mpi was not installed beside zprop"
  ldd "$prefix/bin/zprop" | grep -q libmpi && fail "the installed zprop links MPI"
  ldd "$prefix/bin/zprop-mpi" | grep -q libmpi || fail "the installed zprop-mpi does not link MPI"
fi
echo "install_check: $prefix: examples (pkg-config, find_package; shared, static) agree; data found;" \
  "libzprop.so exports the $(wc -l <"$tmp/api.txt") ZP_API functions only"
