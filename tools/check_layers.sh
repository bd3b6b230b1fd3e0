#!/usr/bin/env bash
# The layers of libzprop (src/CMakeLists.txt, docs/architecture.md): a file
# of one layer may include headers of its own layer and the layers before it,
# never one after, nor the programs' folders (cli/, plot/).  Run from
# anywhere; exits 1 and names each offending include.
set -euo pipefail
cd "$(dirname "$0")/../src"
layers=(core physics config backends transport analysis)
bad=0
for ((i = 0; i < ${#layers[@]}; ++i)); do
  layer=${layers[i]}
  forbidden=(cli plot "${layers[@]:i+1}")
  pattern="#include \"($(IFS='|'; echo "${forbidden[*]}"))/"
  if hits=$(grep -nE "$pattern" "$layer"/*.[ch]); then
    echo "check_layers: $layer/ may not include a later layer or a program folder:"
    echo "$hits"
    bad=1
  fi
done
# The CUDA backend is a backend: it may not reach transport/ or analysis/.
if hits=$(grep -nE '#include "(transport|analysis|cli|plot)/' ../cuda/*.[ch] ../cuda/*.cu); then
  echo "check_layers: cuda/ may not include transport/, analysis/ or a program folder:"
  echo "$hits"
  bad=1
fi
[ "$bad" -eq 0 ] && echo "check_layers: ${layers[*]}: every include points down"
exit "$bad"
