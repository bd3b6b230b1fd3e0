/* The library must leave the caller's GSL error handler in place (it is
 * process-wide state the program owns) and must not invoke it either: its
 * numerical failures come back as zp_status.  Each test installs its own
 * handler, runs every entry point that uses GSL numerics, and checks the
 * handler is still the test's and was never called. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "core/quad.h"
#include "physics/source_bllac.h"
#include "zprop/zprop.h"

static int handler_calls;

static void test_handler(const char *reason, const char *file, int line, int gsl_errno) {
  (void)reason, (void)file, (void)line, (void)gsl_errno;
  ++handler_calls;
}

static void install(void) {
  handler_calls = 0;
  gsl_set_error_handler(test_handler);
}

/* Puts the test's handler back and reports whether it was still there. */
static void expect_untouched(const char *what) {
  gsl_error_handler_t *now = gsl_set_error_handler(test_handler);
  cr_expect(now == test_handler, "%s replaced the caller's GSL error handler", what);
  cr_expect_eq(handler_calls, 0, "%s called the GSL error handler %d times", what, handler_calls);
}

Test(gsl_handler, gm2_keeps_the_callers_handler) {
  install();
  zp_error err;
  /* light, medium and heavy: each takes a different set of break points */
  const double masses[] = {1e-5, 0.01, 1.0, 1e3, 1e6};
  for (size_t k = 0; k < sizeof masses / sizeof masses[0]; ++k) {
    double a = 0.0, lo = 0.0, hi = 0.0, pull = 0.0;
    cr_expect_eq(zp_gm2_delta_amu(masses[k], 1e-3, &a, &err), ZP_OK, "%s", err.msg);
    cr_expect_eq(zp_gm2_band(masses[k], ZP_GM2_WP2020, 2.0, &lo, &hi, &err), ZP_OK, "%s", err.msg);
    cr_expect_eq(zp_gm2_pull(masses[k], 1e-3, ZP_GM2_WP2020, NULL, &pull, &err), ZP_OK, "%s",
                 err.msg);
  }
  expect_untouched("zp_gm2_*");
}

Test(gsl_handler, mixing_keeps_the_callers_handler) {
  install();
  zp_error err;
  for (int ord = 0; ord < 2; ++ord) {
    zp_oscillation osc;
    zp_mixing m;
    cr_assert_eq(zp_oscillation_preset(ZP_MIXING_NUFIT50, (zp_ordering)ord, &osc, &err), ZP_OK);
    /* above the minimum, so the lightest mass is solved for */
    cr_expect_eq(zp_mixing_init(&osc, (zp_ordering)ord, 0.2, &m, &err), ZP_OK, "%s", err.msg);
    cr_expect_eq(zp_mixing_init(&osc, (zp_ordering)ord, 1.0, &m, &err), ZP_OK, "%s", err.msg);
  }
  expect_untouched("zp_mixing_init");
}

Test(gsl_handler, sources_keep_the_callers_handler) {
  install();
  zp_error err;
  double z[3] = {0.0, 1.0, 3.0}, rho[3] = {1.0, 4.0, 0.5};
  zp_source_table tab = {3, z, rho};
  const zp_source_kind kinds[] = {ZP_SOURCE_SFR, ZP_SOURCE_SFR_SMOOTH, ZP_SOURCE_BLLAC,
                                  ZP_SOURCE_TABLE};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; ++k) {
    zp_source src = {.kind = kinds[k], .z0 = 1.0, .zmax = 6.0, .gamma = 2.5, .table = &tab};
    double v = 0.0;
    cr_expect_eq(zp_source_shell_integral(&src, 0.0, 2.5, &v, &err), ZP_OK, "kind %d: %s",
                 (int)kinds[k], err.msg);
    cr_expect(v > 0.0, "kind %d: shell integral %g", (int)kinds[k], v);
  }
  double d = 0.0;
  cr_expect_eq(zp_bllac_density_exact(1.0, &d, &err), ZP_OK, "%s", err.msg);
  expect_untouched("zp_source_shell_integral / zp_bllac_density_exact");
}

Test(gsl_handler, chi2_minimiser_keeps_the_callers_handler) {
  install();
  /* Asymmetric errors take the numerical minimisation over the scale. */
  zp_data_bin bins[2] = {{10, 20, 2.0, 1.0, 4.0, 68.0, 0}, {20, 40, 5.0, 4.5, 5.25, 68.0, 0}};
  zp_dataset d;
  memset(&d, 0, sizeof d);
  d.nbins = 2;
  d.bins = bins;
  zp_dataset *dp = &d;
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.ndata = 1;
  o.data = &dp;
  o.errors = ZP_ERRORS_ASYMMETRIC;
  const double model[2] = {3.0, 4.0};
  double s = 0.0;
  double c2 = zp_chi2_profile_scale(&o, model, &s);
  cr_expect(isfinite(c2) && s > 0.0, "chi2 %g at scale %g", c2, s);
  expect_untouched("zp_chi2_profile_scale");
}

static double spike(double x, void *p) {
  (void)p;
  return 1.0 / (1e-6 + x * x);
}

static double not_a_number(double x, void *p) {
  (void)p;
  return x > 0.5 ? NAN : 1.0;
}

/* The failures that gsl_integration_qag reports through the handler. */
Test(gsl_handler, failing_quadrature_returns_a_status) {
  install();
  gsl_function f = {spike, NULL};
  const double range[2] = {-1.0, 1.0};
  double v = 0.0, e = 0.0;
  cr_expect_eq(zp_quad(&f, range, 2, 0.0, 1e-12, 1, ZP_QUAD_GK21, &v, &e), GSL_EMAXITER);
  cr_expect(isfinite(v) && e > 0.0, "best estimate %g +- %g", v, e);
  gsl_function g = {not_a_number, NULL};
  cr_expect_eq(zp_quad(&g, range, 2, 0.0, 1e-12, 100, ZP_QUAD_GK21, &v, &e), GSL_EBADFUNC);
  cr_expect_eq(zp_quad(&f, range, 2, 0.0, 1e-12, 0, ZP_QUAD_GK21, &v, &e), GSL_EINVAL);
  /* and a converging one, against the exact 2 atan(1000) / 1e-3 */
  cr_expect_eq(zp_quad(&f, range, 2, 0.0, 1e-12, 500, ZP_QUAD_GK61, &v, &e), GSL_SUCCESS);
  cr_expect(fabs(v - 2e3 * atan(1e3)) <= 1e-11 * v, "%.17g", v);
  expect_untouched("zp_quad");
}
