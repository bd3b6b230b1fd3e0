/* zprop: many exact Lorentzian integrals at one width (rates.h), several
 * per vector instruction.
 *
 * A scan's thermal depths spend most of their time in the atan and log1p
 * of the pieces near the line (some 2e4 per point, a fifth of a point's
 * work).  glibc's vector variants of the two (libmvec, brought in by -lm)
 * take 2, 4 or 8 arguments at a time; the compiler calls them where a loop
 * over many pieces is vectorised, which needs math functions that leave
 * errno alone (-fno-math-errno for this file, src/CMakeLists.txt).  The
 * loop is compiled for baseline x86-64, AVX2 and AVX-512F, and the widest
 * this CPU runs is chosen once.  libmvec's results are within 4 ulp of
 * the scalar functions'.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>

#include "physics/rates.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ZP_VECTOR_MATH 1
/* what <math.h> declares itself only under -ffast-math */
extern double atan(double) __attribute__((simd("notinbranch")));
extern double log1p(double) __attribute__((simd("notinbranch")));
#endif

/* zp_lorentz_integrals without branches: for a piece across the line by
 * more than a width (a^2 + y0 y1 < 0) atan(y1/a) - atan(y0/a) is the
 * arctangent of the same quotient plus pi, and the log's argument stays
 * above -1 for any piece, so the term with cl = 0 is computed and is 0. */
#define ZP_LORENTZ_BATCH_BODY                                                                      \
  const double a2 = a * a;                                                                         \
  for (size_t i = 0; i < n; ++i) {                                                                 \
    double y0 = sa[i] - m2, y1 = sb[i] - m2, dy = sb[i] - sa[i], den = a2 + y0 * y1;               \
    double dat = atan(a * dy / den) + (den < 0.0 ? ZP_PI : 0.0);                                   \
    double lg = log1p(dy * (y0 + y1) / (y0 * y0 + a2));                                            \
    out[i] = ca[i] * dat / a + cl[i] * 0.5 * lg;                                                   \
  }

typedef void batch_fn(double m2, double a, size_t n, const double *sa, const double *sb,
                      const double *ca, const double *cl, double *out);

static void batch_baseline(double m2, double a, size_t n, const double *sa, const double *sb,
                           const double *ca, const double *cl, double *out) {
  ZP_LORENTZ_BATCH_BODY
}

#ifdef ZP_VECTOR_MATH
__attribute__((target("avx2,fma"))) static void batch_avx2(double m2, double a, size_t n,
                                                           const double *sa, const double *sb,
                                                           const double *ca, const double *cl,
                                                           double *out) {
  ZP_LORENTZ_BATCH_BODY
}

__attribute__((target("avx512f"))) static void batch_avx512(double m2, double a, size_t n,
                                                            const double *sa, const double *sb,
                                                            const double *ca, const double *cl,
                                                            double *out) {
  ZP_LORENTZ_BATCH_BODY
}
#endif

static batch_fn *const variants[ZP_LORENTZ_NVARIANTS] = {batch_baseline,
#ifdef ZP_VECTOR_MATH
                                                         batch_avx2, batch_avx512
#endif
};

static int runs(int variant) {
  if (variant < 0 || variant >= ZP_LORENTZ_NVARIANTS || variants[variant] == NULL) return 0;
#ifdef ZP_VECTOR_MATH
  __builtin_cpu_init();
  if (variant == 2) return __builtin_cpu_supports("avx512f");
  if (variant == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return 1;
}

static pthread_once_t choose_once = PTHREAD_ONCE_INIT;
static batch_fn *chosen = batch_baseline;

static void choose(void) {
  for (int v = ZP_LORENTZ_NVARIANTS - 1; v > 0; --v)
    if (runs(v)) {
      chosen = variants[v];
      return;
    }
}

void zp_lorentz_integrals_n(double m2, double a, size_t n, const double *sa, const double *sb,
                            const double *ca, const double *cl, double *out) {
  pthread_once(&choose_once, choose);
  chosen(m2, a, n, sa, sb, ca, cl, out);
}

int zp_lorentz_integrals_n_variant(int variant, double m2, double a, size_t n, const double *sa,
                                   const double *sb, const double *ca, const double *cl,
                                   double *out) {
  if (!runs(variant)) return 0;
  variants[variant](m2, a, n, sa, sb, ca, cl, out);
  return 1;
}
