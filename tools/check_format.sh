#!/usr/bin/env bash
# Checks that the tracked C, C++ and CUDA sources follow .clang-format
# (written for clang-format 14; other versions may break lines differently).
# usage: check_format.sh [--fix]   --fix rewrites the files in place instead.
# CLANG_FORMAT names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=${CLANG_FORMAT:-clang-format}
command -v "$cf" >/dev/null || { echo "check_format: $cf is not installed" >&2; exit 2; }
mode=(--dry-run --Werror)
case "${1:-}" in
"") ;;
--fix) mode=(-i) ;;
*) echo "usage: $0 [--fix]" >&2; exit 2 ;;
esac
files=()
while IFS= read -r -d '' f; do
  [ -f "$f" ] && files+=("$f")
done < <(git ls-files -z -- '*.c' '*.h' '*.cu' '*.cuh' '*.cpp')
[ ${#files[@]} -gt 0 ] || { echo "check_format: no sources found" >&2; exit 2; }
"$cf" "${mode[@]}" "${files[@]}"
if [ "${mode[0]}" = -i ]; then
  echo "check_format: ${#files[@]} files formatted"
else
  echo "check_format: ${#files[@]} files follow .clang-format"
fi
