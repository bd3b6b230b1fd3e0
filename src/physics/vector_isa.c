/* zprop: the vector-lane kernels' variant for this CPU (vector_isa.h).
 * SPDX-License-Identifier: MIT */
#include "physics/vector_isa.h"

#include <pthread.h>

int zp_cpu_runs_isa(int v) {
  if (v == 0) return 1;
#if defined(__x86_64__)
  /* libgcc's answer includes the OS check (XCR0) that the wide registers
   * are saved on context switches, not only the CPUID bits */
  __builtin_cpu_init();
  if (v == 2) return __builtin_cpu_supports("avx512f");
  if (v == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return 0;
}

int zp_vector_isa_runs(int v) {
#ifdef ZP_VECTOR_MATH
  return zp_cpu_runs_isa(v);
#else
  return v == 0;
#endif
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
