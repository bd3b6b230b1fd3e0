/* zprop: adaptive Gauss-Kronrod quadrature without the GSL error handler
 * (see quad.h).  The loop follows gsl_integration_qag (QUADPACK QAG),
 * including its round-off tests, so results match it to the tolerance.
 * SPDX-License-Identifier: MIT */
#include "core/quad.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

typedef zp_quad_piece piece;

/* One Kronrod rule on [a, b]; returns 1 when the error estimate is not just
 * the integrand's own scale (QUADPACK's test before counting round-off). */
static int apply_rule(zp_quad_rule rule, const gsl_function *f, double a, double b, piece *p,
                      double *resabs) {
  double resasc = 0.0;
  p->a = a;
  p->b = b;
  if (rule == ZP_QUAD_GK61) gsl_integration_qk61(f, a, b, &p->r, &p->e, resabs, &resasc);
  else gsl_integration_qk21(f, a, b, &p->r, &p->e, resabs, &resasc);
  return resasc != p->e;
}

/* QUADPACK's test: a piece whose ends are a few ulps apart cannot be split
 * usefully. */
static int too_small(double a, double mid, double b) {
  double tmp = (1.0 + 100.0 * DBL_EPSILON) * (fabs(mid) + 1000.0 * DBL_MIN);
  return fabs(a) <= tmp && fabs(b) <= tmp;
}

/** The integral and error estimate of @p n pieces. */
static void sum_pieces(const piece *p, size_t n, double *r, double *e) {
  *r = 0.0;
  *e = 0.0;
  for (size_t k = 0; k < n; ++k) {
    *r += p[k].r;
    *e += p[k].e;
  }
}

static int bisect(const gsl_function *f, zp_quad_rule rule, double epsabs, double epsrel,
                  size_t limit, piece *p, size_t *count, double resabs_sum) {
  size_t n = *count;
  double area, errsum;
  sum_pieces(p, n, &area, &errsum);
  int round1 = 0, round2 = 0;
  for (size_t iter = 0;; ++iter) {
    if (!isfinite(area) || !isfinite(errsum)) return GSL_EBADFUNC;
    double tol = fmax(epsabs, epsrel * fabs(area));
    if (errsum <= tol) return GSL_SUCCESS;
    if (iter == 0 && errsum <= 50.0 * DBL_EPSILON * resabs_sum) return GSL_EROUND;
    if (round1 >= 6 || round2 >= 20) return GSL_EROUND;
    if (n >= limit) return GSL_EMAXITER;
    size_t w = 0; /* linear scan: limit is a few hundred pieces */
    for (size_t k = 1; k < n; ++k)
      if (p[k].e > p[w].e) w = k;
    piece old = p[w], lo, hi;
    double mid = 0.5 * (old.a + old.b), ra = 0.0;
    if (too_small(old.a, mid, old.b)) return GSL_ESING;
    int ok = apply_rule(rule, f, old.a, mid, &lo, &ra);
    ok &= apply_rule(rule, f, mid, old.b, &hi, &ra);
    double area12 = lo.r + hi.r, err12 = lo.e + hi.e;
    if (ok) {
      if (fabs(old.r - area12) <= 1e-5 * fabs(area12) && err12 >= 0.99 * old.e) ++round1;
      if (iter >= 10 && err12 > old.e) ++round2;
    }
    area += area12 - old.r;
    errsum += err12 - old.e;
    p[w] = lo;
    p[n++] = hi;
    *count = n;
  }
}

int zp_quad(const gsl_function *f, const double *pts, size_t npts, double epsabs, double epsrel,
            size_t limit, zp_quad_rule rule, double *result, double *abserr) {
  *result = 0.0;
  *abserr = 0.0;
  if (limit == 0) return GSL_EINVAL;
  piece *p = malloc(limit * sizeof *p);
  if (p == NULL) return GSL_ENOMEM;
  int status = zp_quad_ws(f, pts, npts, epsabs, epsrel, limit, rule, p, result, abserr);
  free(p);
  return status;
}

int zp_quad_ws(const gsl_function *f, const double *pts, size_t npts, double epsabs, double epsrel,
               size_t limit, zp_quad_rule rule, zp_quad_piece *p, double *result, double *abserr) {
  *result = 0.0;
  *abserr = 0.0;
  if (f == NULL || pts == NULL || p == NULL || npts < 2 || limit < npts - 1) return GSL_EINVAL;
  for (size_t k = 0; k + 1 < npts; ++k)
    if (!(pts[k] <= pts[k + 1])) return GSL_EINVAL;
  double resabs_sum = 0.0;
  for (size_t k = 0; k + 1 < npts; ++k) {
    double ra = 0.0;
    apply_rule(rule, f, pts[k], pts[k + 1], &p[k], &ra);
    resabs_sum += ra;
  }
  /* The running sums in bisect() accumulate rounding; redo them. */
  size_t count = npts - 1;
  int status = bisect(f, rule, epsabs, epsrel, limit, p, &count, resabs_sum);
  sum_pieces(p, count, result, abserr);
  return status;
}
