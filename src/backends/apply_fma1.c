/* zprop: the structured sweep of one right-hand side without sources (a
 * spectrum's T_k y, zprop spectrum's shell loop) with AVX2's fused
 * multiply-add: apply_sweep.h at width 1, a lane being a double.  The
 * scalar sweep of backend_cpu_fast.c rounds each product and sum apart
 * (baseline x86-64 has no FMA): a sixth fewer instructions and shorter
 * chains here, the results agreeing to rounding.  Called only on a CPU
 * with AVX2 and FMA (apply_dispatch.c).  SPDX-License-Identifier: MIT */
#if defined(__x86_64__)
#define ZP_SWEEP_TARGET __attribute__((target("avx2,fma")))
#define ZP_SWEEP_W 1
#define ZP_SWEEP_NAME zp_apply_single_fma
#define ZP_SWEEP_SOURCES 0
typedef double vec;

ZP_SWEEP_TARGET static inline vec vload(const double *p) { return *p; }
ZP_SWEEP_TARGET static inline void vstore(double *p, vec v) { *p = v; }
ZP_SWEEP_TARGET static inline vec vset1(double x) { return x; }
ZP_SWEEP_TARGET static inline vec vfma(vec a, vec b, vec c) { return __builtin_fma(a, b, c); }

#include "backends/apply_sweep.h"
#else
typedef int zp_apply_fma1_unused; /* ISO C wants a declaration in every file */
#endif
