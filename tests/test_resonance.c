/* Bin-averaged cross sections and optical depths against independent
 * adaptive quadrature that is told where the resonance is. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>

#include "physics/rates.h"
#include "support.h"
#include "physics/physics.h"

static double sigma_shape(double s, void *vp) {
  const zp_resonance *r = vp;
  double y = s - r->m2;
  return s / (y * y + r->a * r->a);
}

/* Adaptive quadrature with break points at the peak and at M^2 +- a 10^k,
 * so every scale of the Lorentzian is resolved. */
static double quad_sigma(zp_resonance r, double s0, double s1) {
  double pts[64];
  size_t n = 0;
  pts[n++] = s0;
  for (int k = 12; k >= 0; --k) {
    double p = r.m2 - r.a * pow(10.0, k);
    if (p > s0 && p < s1) pts[n++] = p;
  }
  if (r.m2 > s0 && r.m2 < s1) pts[n++] = r.m2;
  for (int k = 0; k <= 12; ++k) {
    double p = r.m2 + r.a * pow(10.0, k);
    if (p > s0 && p < s1) pts[n++] = p;
  }
  pts[n++] = s1;
  gsl_set_error_handler_off();
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  gsl_function f = {sigma_shape, &r};
  double val, err;
  int st = gsl_integration_qagp(&f, pts, n, 0.0, 1e-13, 1000, w, &val, &err);
  gsl_integration_workspace_free(w);
  cr_assert(st == 0 || st == GSL_EROUND, "qagp status %d", st);
  return val;
}

Test(resonance, antiderivative_matches_quadrature) {
  const double gs[] = {5e-4, 3.7e-2};
  for (int ig = 0; ig < 2; ++ig) {
    double m = 0.013, gamma = zp_width_nu(gs[ig], m);
    zp_resonance r = {m * m, m * gamma};
    /* windows across, beside and far from the peak, on both sides */
    const double lo[] = {0.96, 0.999999, 1.0000001, 1.3, 0.1, 0.98};
    const double hi[] = {1.04, 1.000001, 1.01, 2.0, 0.5, 0.99999999};
    for (int k = 0; k < 6; ++k) {
      double s0 = lo[k] * r.m2, s1 = hi[k] * r.m2;
      double got = zp_res_int_sigma(r, s0, s1), want = quad_sigma(r, s0, s1);
      /* 1e-8: limited by GSL's qagp on a line 1e8 times narrower than the
       * window (it is off by 1.4e-9 in window 0, where a 40-digit mpmath
       * quadrature agrees with the antiderivative to every digit). */
      cr_expect(zp_test_close(got, want, 1e-8), "g %g window %d: %.15g vs %.15g", gs[ig], k, got,
                want);
    }
  }
}

Test(resonance, narrow_width_identity) {
  /* Integral of sigma over s is 8 pi g^2 |Q|^2 with sigma = k s L, k = 2g^4/(3pi). */
  double g = 5e-4, m = 0.013;
  zp_resonance r = {m * m, m * zp_width_nu(g, m)};
  double k = 2.0 * pow(g, 4) / (3.0 * ZP_PI);
  double total = k * zp_res_int_sigma(r, 0.0, 1e3 * r.m2);
  /* 1e-6: the tails beyond [0, 1000 M^2] and the finite width */
  cr_expect(zp_test_close(total, 8.0 * ZP_PI * g * g, 1e-6), "%.12g", total);
}

/* Independent depth: Int dx sigma(2 m e^x)/k Int_{V(x)} W dv, by nested
 * adaptive quadrature with the resonance as a break point. */
typedef struct {
  zp_resonance r;
  double m, u0, h, v0, v1;
  gsl_integration_workspace *inner;
} depth_ctx;

static double w_of_v(double v, void *vp) {
  (void)vp;
  return zp_depth_weight(v);
}

static double depth_integrand(double x, void *vp) {
  depth_ctx *c = vp;
  double lo = fmax(c->v0, x - c->u0 - c->h), hi = fmin(c->v1, x - c->u0);
  if (!(hi > lo)) return 0.0;
  gsl_function f = {w_of_v, NULL};
  double b, e;
  gsl_integration_qag(&f, lo, hi, 0.0, 1e-13, 100, 6, c->inner, &b, &e);
  double s = 2.0 * c->m * exp(x), y = s - c->r.m2;
  return s / (y * y + c->r.a * c->r.a) * b;
}

Test(resonance, depth_at_rest_matches_nested_quadrature) {
  gsl_set_error_handler_off();
  double m = 0.05e-9, mz = 0.013, h = log(10.0) / 60.0;
  const double gs[] = {5e-4, 2e-2};
  for (int ig = 0; ig < 2; ++ig) {
    zp_resonance r = {mz * mz, mz * zp_width_nu(gs[ig], mz)};
    double xres = log(r.m2 / (2.0 * m));
    /* bins placed so the line crosses the rectangle at different spots */
    const double offs[] = {-0.3, -1.2, -1.7, 0.4, -5.0};
    for (int k = 0; k < 5; ++k) {
      depth_ctx c = {r, m, xres - 0.4 * h + offs[k] * h * 0.5, h, 0.31, 0.31 + h, NULL};
      c.inner = gsl_integration_workspace_alloc(100);
      gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
      gsl_function f = {depth_integrand, &c};
      double pts[8] = {c.u0 + c.v0, xres - 1e-7, xres, xres + 1e-7, c.u0 + c.h + c.v1};
      size_t np = (xres > pts[0] && xres < pts[4]) ? 5 : 2;
      if (np == 2) pts[1] = pts[4];
      double want, e;
      gsl_integration_qagp(&f, pts, np, 0.0, 1e-11, 1000, w, &want, &e);
      want *= ZP_HBARC2_CM2_GEV2 / h;
      double got = zp_tau_at_rest(r, m, c.u0, c.h, c.v0, c.v1);
      /* 1e-6: the quadratic model of the smooth line weight per piece */
      cr_expect(zp_test_close(got, want, 1e-6), "g %g case %d: %.12g vs %.12g", gs[ig], k, got,
                want);
      gsl_integration_workspace_free(w);
      gsl_integration_workspace_free(c.inner);
    }
  }
}

/* The far rectangles as strips (exact in u, a Gauss rule in v chosen by
 * the distance d to the line) against the same nested quadrature, at
 * distances that take each rule near its reach, above and below the line:
 * the 8-point rule from 1.5 shell half widths r, 4 points from 5.5 r,
 * 3 from 15 r, 2 from 100 r (each below 1e-8 there, rates.c); 2e-8 covers
 * that and the quadrature's 1e-12.  The old reach of the 2-point rule,
 * 36 r, fails it (2.8e-7). */
Test(resonance, strips_match_nested_quadrature) {
  gsl_set_error_handler_off();
  double m = 0.05e-9, mz = 0.013, h = log(10.0) / 200.0, v0 = 0.31, v1 = v0 + h, r = 0.5 * h;
  zp_resonance res = {mz * mz, mz * zp_width_nu(3e-3, mz)};
  double xres = log(res.m2 / (2.0 * m));
  const double ds[] = {1.6, 3.0, 5.4, 5.6, 14.0, 16.0, 37.0, 99.0, 101.0, 300.0};
  for (size_t k = 0; k < sizeof ds / sizeof ds[0]; ++k)
    for (int side = -1; side <= 1; side += 2) {
      double d = ds[k] * r, u0 = side > 0 ? xres - v0 + d : xres - d - h - v1;
      depth_ctx c = {res, m, u0, h, v0, v1, NULL};
      c.inner = gsl_integration_workspace_alloc(100);
      gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
      gsl_function f = {depth_integrand, &c};
      double want, e;
      gsl_integration_qag(&f, u0 + v0, u0 + h + v1, 0.0, 1e-12, 1000, 6, w, &want, &e);
      want *= ZP_HBARC2_CM2_GEV2 / h;
      double got = zp_tau_at_rest(res, m, u0, h, v0, v1);
      cr_expect(zp_test_close(got, want, 2e-8), "d = %g r, side %d: %.15g vs %.15g", ds[k], side,
                got, want);
      gsl_integration_workspace_free(w);
      gsl_integration_workspace_free(c.inner);
    }
}
