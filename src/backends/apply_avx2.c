/* zprop: the structured batch sweep over blocks of 4 right-hand sides with
 * AVX2 and FMA (apply_sweep.h).  Only these functions carry the target
 * attribute: the rest of the build stays baseline x86-64, and
 * apply_dispatch.c calls in here only on a CPU that has both sets.
 * SPDX-License-Identifier: MIT */
#if defined(__x86_64__)
#include <immintrin.h>

#define ZP_SWEEP_TARGET __attribute__((target("avx2,fma")))
#define ZP_SWEEP_W 4
#define ZP_SWEEP_NAME zp_apply_block_avx2
typedef __m256d vec;

ZP_SWEEP_TARGET static inline vec vload(const double *p) { return _mm256_loadu_pd(p); }
ZP_SWEEP_TARGET static inline void vstore(double *p, vec v) { _mm256_storeu_pd(p, v); }
ZP_SWEEP_TARGET static inline vec vset1(double x) { return _mm256_set1_pd(x); }
ZP_SWEEP_TARGET static inline vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_pd(a, b, c); }

#include "backends/apply_sweep.h"
#else
typedef int zp_apply_avx2_unused; /* ISO C wants a declaration in every file */
#endif
