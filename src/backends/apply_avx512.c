/* zprop: the structured batch sweep over blocks of 8 right-hand sides with
 * AVX-512F (apply_sweep.h; F has the fused multiply-add).  Only these
 * functions carry the target attribute: the rest of the build stays
 * baseline x86-64, and apply_dispatch.c calls in here only on a CPU (and
 * OS) with AVX-512F.  SPDX-License-Identifier: MIT */
#if defined(__x86_64__)
#include <immintrin.h>

#define ZP_SWEEP_TARGET __attribute__((target("avx512f")))
#define ZP_SWEEP_W 8
#define ZP_SWEEP_NAME zp_apply_block_avx512
typedef __m512d vec;

ZP_SWEEP_TARGET static inline vec vload(const double *p) { return _mm512_loadu_pd(p); }
ZP_SWEEP_TARGET static inline void vstore(double *p, vec v) { _mm512_storeu_pd(p, v); }
ZP_SWEEP_TARGET static inline vec vset1(double x) { return _mm512_set1_pd(x); }
ZP_SWEEP_TARGET static inline vec vfma(vec a, vec b, vec c) { return _mm512_fmadd_pd(a, b, c); }

#include "backends/apply_sweep.h"
#else
typedef int zp_apply_avx512_unused; /* ISO C wants a declaration in every file */
#endif
