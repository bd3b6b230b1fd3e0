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

#include "physics/lorentz_series.h"
#include "physics/rates.h"
#include "physics/vector_isa.h"

#ifdef ZP_VECTOR_MATH
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

/* The far strips of one state over n bins with the rule of @p set, as
 * rates.c's strip_sum evaluates them and with its tests of the rule and of
 * the floor, decision for decision; atan(z)/z by its series to z^8, exact
 * to rounding below z = 0.03 (rates.h).  Set 0 writes every out[b], a NaN
 * where a bin needs another rule or the general path (nearer the line, or
 * z above that); sets 1 to 3 overwrite only their own bins.  Every
 * operation is done before the selects: GCC if-converts only arms that
 * cannot trap. */
static inline __attribute__((always_inline)) void
strips_body(int set, double m2, double a, double m, const zp_shell_weight *sw, double floor,
            size_t n, const zp_rest_lanes *ln, double *restrict out) {
  const double *restrict e_lo = ln->e_lo, *restrict e_hi = ln->e_hi, *restrict em1h = ln->em1h;
  const double *restrict hfloor = ln->hfloor, *restrict ch = ln->ch;
  const double sm = 2.0 * m, a2 = a * a, total = sw->total, swe0 = sw->e0, swe1 = sw->e1;
  const double reach = sw->reach[set], wider = set > 0 ? sw->reach[set - 1] : INFINITY;
  const double *ev = sw->ev[set], *wv = sw->wv[set];
  for (size_t b = 0; b < n; ++b) {
    double sa = sm * (e_lo[b] * swe0), sb = sm * (e_hi[b] * swe1), ya = sa - m2, yb = sb - m2;
    /* the rule is the widest whose reach the rectangle clears; below the
     * line m2 >= sb reach > sb implies yb < 0 */
    double here = ya > 0.0 ? (sa >= m2 * reach ? 1.0 : 0.0) : (m2 >= sb * reach ? 1.0 : 0.0);
    double wide = ya > 0.0 ? (sa >= m2 * wider ? 1.0 : 0.0) : (m2 >= sb * wider ? 1.0 : 0.0);
    double bound = total * (sb - sa) / (ya * yb), floor_raw = floor * hfloor[b];
    double sl = sm * e_lo[b], sum = 0.0, zmax = 0.0;
    for (int j = 0; j < zp_rect_nodes(set); ++j) {
      double s1 = sl * ev[j], d = s1 * em1h[b], y1 = s1 - m2;
      double q = d / (y1 * (y1 + d) + a2), z = a * q, w = z * z;
      double c = 1.0 - w * (1.0 / 3 - w * (1.0 / 5 - w * (1.0 / 7 - w * (1.0 / 9))));
      sum += wv[j] * q * c;
      zmax = z > zmax ? z : zmax;
    }
    double tau = sum * ch[b], val = bound < floor_raw ? 0.0 : tau;
    double mine = zmax < 0.03 ? here - wide : 0.0; /* 1: this rule, and the series holds */
    out[b] = mine > 0.5 ? val : (set == 0 ? NAN : out[b]);
  }
}

typedef void strips_fn(int set, double m2, double a, double m, const zp_shell_weight *sw,
                       double floor, size_t n, const zp_rest_lanes *ln, double *out);

#define ZP_STRIPS_BY_SET                                                                           \
  switch (set) {                                                                                   \
    case 0: strips_body(0, m2, a, m, sw, floor, n, ln, out); break;                                \
    case 1: strips_body(1, m2, a, m, sw, floor, n, ln, out); break;                                \
    case 2: strips_body(2, m2, a, m, sw, floor, n, ln, out); break;                                \
    default: strips_body(3, m2, a, m, sw, floor, n, ln, out); break;                               \
  }

static void strips_baseline(int set, double m2, double a, double m, const zp_shell_weight *sw,
                            double floor, size_t n, const zp_rest_lanes *ln, double *out) {
  ZP_STRIPS_BY_SET
}

#ifdef ZP_VECTOR_MATH
__attribute__((target("avx2,fma"))) static void strips_avx2(int set, double m2, double a, double m,
                                                            const zp_shell_weight *sw, double floor,
                                                            size_t n, const zp_rest_lanes *ln,
                                                            double *out) {
  ZP_STRIPS_BY_SET
}

__attribute__((target("avx512f"))) static void strips_avx512(int set, double m2, double a, double m,
                                                             const zp_shell_weight *sw,
                                                             double floor, size_t n,
                                                             const zp_rest_lanes *ln, double *out) {
  ZP_STRIPS_BY_SET
}
#endif

typedef void batch_fn(double m2, double a, size_t n, const double *sa, const double *sb,
                      const double *ca, const double *cl, double *out);

/* zp_lorentz_piece_series of n <= ZP_LSERIES_BATCH pieces, coefficient c
 * of piece i at k[c][i] (a fixed row length, so that the compiler sees
 * the rows apart).  The leading log is log|y1/y0| for every piece, as
 * log1p((|y1| - |y0|) / |y0|): across the line that is -(y1 + y0)/y0,
 * beside it (sb - sa)/y0. */
static const double at_coef[ZP_LSERIES - 1] = {0.0,         1.0 / 3.0,  -1.0 / 5.0,
                                               1.0 / 7.0,   -1.0 / 9.0, 1.0 / 11.0,
                                               -1.0 / 13.0, 1.0 / 15.0, -1.0 / 17.0};
static const double lg_coef[ZP_LSERIES - 1] = {
    0.0, 0.5, -0.5 / 2.0, 0.5 / 3.0, -0.5 / 4.0, 0.5 / 5.0, -0.5 / 6.0, 0.5 / 7.0, -0.5 / 8.0};
/* one power further: 1/y^(2c) and 1/y^(2c+1) at both ends, and k[c + 1] */
#define ZP_SERIES_TERM(c)                                                                          \
  q0 = p0 * i0;                                                                                    \
  q1 = p1 * i1;                                                                                    \
  p0 = q0 * i0;                                                                                    \
  p1 = q1 * i1;                                                                                    \
  k[(c) + 1][i] = ca[i] * at_coef[c] * (p1 - p0) + cl[i] * lg_coef[c] * (q1 - q0);
#define ZP_SERIES_BATCH_BODY                                                                       \
  for (size_t i = 0; i < n; ++i) {                                                                 \
    double y0 = sa[i] - m2, y1 = sb[i] - m2, i0 = 1.0 / y0, i1 = 1.0 / y1;                         \
    double across = (y0 < 0.0 ? 1.0 : 0.0) * (y1 > 0.0 ? 1.0 : 0.0), dy = sb[i] - sa[i];           \
    /* exact either way (a product by 0 or 1, a sum with 0), and no branch */                      \
    double lead = log1p((across * -(y1 + y0) + (1.0 - across) * dy) * i0);                         \
    k[0][i] = across * ca[i] * ZP_PI;                                                              \
    k[1][i] = ca[i] * dy * i0 * i1 + cl[i] * lead;                                                 \
    double p0 = i0, p1 = i1, q0, q1;                                                               \
    ZP_SERIES_TERM(1)                                                                              \
    ZP_SERIES_TERM(2)                                                                              \
    ZP_SERIES_TERM(3)                                                                              \
    ZP_SERIES_TERM(4) ZP_SERIES_TERM(5) ZP_SERIES_TERM(6) ZP_SERIES_TERM(7) ZP_SERIES_TERM(8)      \
  }

typedef void series_fn(double m2, size_t n, const double *sa, const double *sb, const double *ca,
                       const double *cl, double (*k)[ZP_LSERIES_BATCH]);

static void series_baseline(double m2, size_t n, const double *restrict sa,
                            const double *restrict sb, const double *restrict ca,
                            const double *restrict cl, double (*restrict k)[ZP_LSERIES_BATCH]) {
  ZP_SERIES_BATCH_BODY
}

#ifdef ZP_VECTOR_MATH
__attribute__((target("avx2,fma"))) static void
series_avx2(double m2, size_t n, const double *restrict sa, const double *restrict sb,
            const double *restrict ca, const double *restrict cl,
            double (*restrict k)[ZP_LSERIES_BATCH]) {
  ZP_SERIES_BATCH_BODY
}

__attribute__((target("avx512f"))) static void
series_avx512(double m2, size_t n, const double *restrict sa, const double *restrict sb,
              const double *restrict ca, const double *restrict cl,
              double (*restrict k)[ZP_LSERIES_BATCH]) {
  ZP_SERIES_BATCH_BODY
}
#endif

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

/* Each compiled variant: the integrals and the series for one instruction set. */
typedef struct {
  batch_fn *integrals;
  series_fn *series;
  strips_fn *strips;
} variant;

static const variant variants[ZP_LORENTZ_NVARIANTS] = {
    {batch_baseline, series_baseline, strips_baseline},
#ifdef ZP_VECTOR_MATH
    {batch_avx2, series_avx2, strips_avx2},
    {batch_avx512, series_avx512, strips_avx512},
#endif
};

static int runs(int v) {
  return v >= 0 && v < ZP_LORENTZ_NVARIANTS && variants[v].integrals != NULL &&
         zp_vector_isa_runs(v);
}

static const variant *chosen(void) { return &variants[zp_vector_isa_best()]; }

void zp_lorentz_piece_series_n(double m2, size_t n, const double *sa, const double *sb,
                               const double *ca, const double *cl,
                               double k[ZP_LSERIES][ZP_LSERIES_BATCH]) {
  chosen()->series(m2, n, sa, sb, ca, cl, k);
}

int zp_lorentz_piece_series_n_variant(int v, double m2, size_t n, const double *sa,
                                      const double *sb, const double *ca, const double *cl,
                                      double k[ZP_LSERIES][ZP_LSERIES_BATCH]) {
  if (!runs(v)) return 0;
  variants[v].series(m2, n, sa, sb, ca, cl, k);
  return 1;
}

void zp_lorentz_integrals_n(double m2, double a, size_t n, const double *sa, const double *sb,
                            const double *ca, const double *cl, double *out) {
  chosen()->integrals(m2, a, n, sa, sb, ca, cl, out);
}

int zp_lorentz_integrals_n_variant(int v, double m2, double a, size_t n, const double *sa,
                                   const double *sb, const double *ca, const double *cl,
                                   double *out) {
  if (!runs(v)) return 0;
  variants[v].integrals(m2, a, n, sa, sb, ca, cl, out);
  return 1;
}

void zp_rest_strips_n(int set, double m2, double a, double m, const zp_shell_weight *sw,
                      double floor, size_t n, const zp_rest_lanes *ln, double *out) {
  chosen()->strips(set, m2, a, m, sw, floor, n, ln, out);
}

int zp_rest_strips_n_variant(int v, int set, double m2, double a, double m,
                             const zp_shell_weight *sw, double floor, size_t n,
                             const zp_rest_lanes *ln, double *out) {
  if (!runs(v)) return 0;
  variants[v].strips(set, m2, a, m, sw, floor, n, ln, out);
  return 1;
}
