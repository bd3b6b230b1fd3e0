/* zprop: the vector-lane kernels' variant for this CPU (vector_isa.h).
 * SPDX-License-Identifier: MIT */
#include "physics/vector_isa.h"

#include <pthread.h>

int zp_vector_isa_runs(int v) {
  if (v == 0) return 1;
#ifdef ZP_VECTOR_MATH
  /* libgcc's answer includes the OS check that the wide registers are saved */
  __builtin_cpu_init();
  if (v == 2) return __builtin_cpu_supports("avx512f");
  if (v == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return 0;
}

static pthread_once_t best_once = PTHREAD_ONCE_INIT;
static int best;

static void find_best(void) {
  for (int v = ZP_VECTOR_NISA - 1; v > 0 && best == 0; --v)
    if (zp_vector_isa_runs(v)) best = v;
}

int zp_vector_isa_best(void) {
  pthread_once(&best_once, find_best);
  return best;
}
