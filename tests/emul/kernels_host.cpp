// The kernels of cuda/assemble.cu, compiled unchanged as host C++ against
// the emulated runtime (include/emul_kernel.h runs each launch's grid in a
// loop), so their bodies run in every build. SPDX-License-Identifier: MIT
#include "assemble.cu"
