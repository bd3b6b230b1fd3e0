/* zprop: the survivals of a block of bins in vector lanes
 * (survival_batch.h).  A spectrum or a scan point takes three
 * exponentials per bin x shell; the loop over bins is compiled for each
 * variant of vector_isa.h, exp coming from libmvec, which needs math that
 * leaves errno alone (-fno-math-errno, src/CMakeLists.txt), and the select
 * between the cubic and exp computed on both arms (-fno-trapping-math).
 * SPDX-License-Identifier: MIT */
#include "physics/survival_batch.h"

#include <math.h>

#include "physics/vector_isa.h"

#ifdef ZP_VECTOR_MATH
/* what <math.h> declares itself only under -ffast-math */
extern double exp(double) __attribute__((simd("notinbranch")));
#endif

/* Far from every line a block's depths are all below 1e-4 (most blocks of
 * a spectrum): then its survivals are the cubic alone, without exp. */
#define ZP_SURVIVAL_BODY                                                                           \
  for (int i = 0; i < 3; ++i) {                                                                    \
    const double k0 = kq[i][0], k1 = kq[i][1], k2 = kq[i][2];                                      \
    const double *restrict t0 = tau[0], *restrict t1 = tau[1], *restrict t2 = tau[2];              \
    double *restrict o = out[i];                                                                   \
    long deep = 0;                                                                                 \
    for (size_t b = 0; b < n; ++b) {                                                               \
      double t = k0 * t0[b] + k1 * t1[b] + k2 * t2[b];                                             \
      o[b] = t;                                                                                    \
      deep |= t >= 1e-4;                                                                           \
    }                                                                                              \
    if (!deep) {                                                                                   \
      for (size_t b = 0; b < n; ++b) {                                                             \
        double t = o[b], c = 1.0 - t * (1.0 - t * (0.5 - t * (1.0 / 6.0)));                        \
        o[b] = t > 0.0 ? c : 1.0;                                                                  \
      }                                                                                            \
      continue;                                                                                    \
    }                                                                                              \
    for (size_t b = 0; b < n; ++b) {                                                               \
      double t = o[b], e = exp(-t), c = 1.0 - t * (1.0 - t * (0.5 - t * (1.0 / 6.0)));             \
      o[b] = t > 0.0 ? (t < 1e-4 ? c : e) : 1.0;                                                   \
    }                                                                                              \
  }

typedef void survival_fn(const double kq[3][3], size_t n, const double *const tau[3],
                         double *const out[3]);

static void survivals_baseline(const double kq[3][3], size_t n, const double *const tau[3],
                               double *const out[3]) {
  ZP_SURVIVAL_BODY
}

#ifdef ZP_VECTOR_MATH
__attribute__((target("avx2,fma"))) static void
survivals_avx2(const double kq[3][3], size_t n, const double *const tau[3], double *const out[3]) {
  ZP_SURVIVAL_BODY
}

__attribute__((target("avx512f"))) static void survivals_avx512(const double kq[3][3], size_t n,
                                                                const double *const tau[3],
                                                                double *const out[3]) {
  ZP_SURVIVAL_BODY
}
#endif

static survival_fn *const variants[ZP_VECTOR_NISA] = {
    survivals_baseline,
#ifdef ZP_VECTOR_MATH
    survivals_avx2,
    survivals_avx512,
#endif
};

void zp_survivals_n(const double kq[3][3], size_t n, const double *const tau[3],
                    double *const out[3]) {
  variants[zp_vector_isa_best()](kq, n, tau, out);
}

int zp_survivals_n_variant(int v, const double kq[3][3], size_t n, const double *const tau[3],
                           double *const out[3]) {
  if (v < 0 || v >= ZP_VECTOR_NISA || variants[v] == NULL || !zp_vector_isa_runs(v)) return 0;
  variants[v](kq, n, tau, out);
  return 1;
}
