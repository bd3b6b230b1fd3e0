/* chi-squared conventions, profiling, and the papers' reference fits. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "zprop/zprop.h"

static zp_dataset *write_and_load(const char *body) {
  char path[256];
  snprintf(path, sizeof path, "%s/tiny.dat", zp_test_tmpdir());
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("# name: tiny\n# channel: flavour_average\n# quantity: E2Phi\n# interval: 68%\n# ul_level: "
        "90%\n",
        f);
  fputs(body, f);
  fclose(f);
  zp_dataset *d;
  zp_error err;
  cr_assert_eq(zp_dataset_load(path, &d, &err), ZP_OK, "%s", err.msg);
  return d;
}

/* Three points and a limit, model values fixed by hand:
 *   point 1: 2 in [1, 4], model 3    sym sigma 1.5  -> (1/1.5)^2 = 0.444444..
 *                                    asym sigma 2 (model above) -> 0.25
 *   point 2: 5 in [4.5, 5.25], m 4   sym sigma 0.375 -> (1/0.375)^2 = 7.1111..
 *                                    asym sigma 0.5 (below) -> 4
 *   point 3: 1 in [0.5, 1.5], m 1    -> 0
 *   limit 2 (90%), model 3           zero: (3/2)^2 = 2.25, half: ((3-1)/1)^2 = 4,
 *                                    excess: ((3-2)/2)^2 = 0.25, skip: 0 */
Test(chi2, hand_computed_conventions) {
  zp_dataset *d = write_and_load("10 20 2 1 4 point\n20 40 5 4.5 5.25 point\n"
                                 "40 80 1 0.5 1.5 point\n80 160 2 0 2 ul\n");
  const double model[4] = {3.0, 4.0, 1.0, 3.0};
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.ndata = 1;
  o.data = &d;
  struct {
    zp_error_mode e;
    zp_ul_mode u;
    double want;
  } cases[] = {{ZP_ERRORS_SYMMETRIC, ZP_UL_ZERO, 1.0 / 2.25 + 64.0 / 9.0 + 2.25},
               {ZP_ERRORS_SYMMETRIC, ZP_UL_HALF, 1.0 / 2.25 + 64.0 / 9.0 + 4.0},
               {ZP_ERRORS_SYMMETRIC, ZP_UL_EXCESS, 1.0 / 2.25 + 64.0 / 9.0 + 0.25},
               {ZP_ERRORS_SYMMETRIC, ZP_UL_SKIP, 1.0 / 2.25 + 64.0 / 9.0},
               {ZP_ERRORS_ASYMMETRIC, ZP_UL_ZERO, 0.25 + 4.0 + 2.25}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
    o.errors = cases[k].e;
    o.upper_limits = cases[k].u;
    double got = zp_chi2_eval(&o, model, 1.0);
    cr_expect(zp_test_close(got, cases[k].want, 1e-14), "case %zu: %.15g vs %.15g", k, got,
              cases[k].want);
  }
  o.upper_limits = ZP_UL_SKIP;
  cr_expect_eq(zp_fit_npoints(&o), 3);
  /* profiled scale, symmetric: s = sum(d m / s^2) / sum(m^2 / s^2), by hand */
  o.errors = ZP_ERRORS_SYMMETRIC;
  o.upper_limits = ZP_UL_ZERO;
  double w[4] = {1 / 2.25, 1 / 0.140625, 1 / 0.25, 1 / 4.0}, dd[4] = {2, 5, 1, 0};
  double num = 0, den = 0;
  for (int i = 0; i < 4; ++i) {
    num += dd[i] * model[i] * w[i];
    den += model[i] * model[i] * w[i];
  }
  double s, c = zp_chi2_profile_scale(&o, model, &s);
  cr_expect(zp_test_close(s, num / den, 1e-14));
  cr_expect(zp_test_close(c, zp_chi2_eval(&o, model, num / den), 1e-14));
  /* the non-quadratic path must land on the same kind of minimum: no lower
   * value at nearby scales */
  o.errors = ZP_ERRORS_ASYMMETRIC;
  o.upper_limits = ZP_UL_EXCESS;
  c = zp_chi2_profile_scale(&o, model, &s);
  for (double f = 0.9; f <= 1.1; f += 0.01)
    cr_expect(zp_chi2_eval(&o, model, s * f) >= c - 1e-12, "scale %g beats the minimum", f);
  zp_dataset_free(d);
}

/* Data made from a known power law: the fit must find it. */
Test(fit, finds_a_planted_power_law) {
  const double g_true = 2.37, n_true = 1.23e-18;
  char body[2048] = "";
  for (int k = 0; k < 8; ++k) {
    double a = 1e4 * pow(10.0, k * 0.4), b = a * pow(10.0, 0.4), ec = sqrt(a * b);
    double v = n_true * ec * ec * pow(ec / 1e5, -g_true);
    char line[160];
    snprintf(line, sizeof line, "%.12g %.12g %.12g %.12g %.12g point\n", a, b, v, 0.9 * v, 1.1 * v);
    strcat(body, line);
  }
  zp_dataset *d = write_and_load(body);
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.zprime.gzp = 0.0;
  cfg.flavor_equal = 1; /* per-flavour flux equals the all-flavour third exactly */
  cfg.grid.emin_gev = 1e3;
  cfg.grid.emax_gev = 1e8;
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.ndata = 1;
  o.data = &d;
  zp_fit_result r;
  zp_error err;
  cr_assert_eq(zp_fit(&cfg, &o, 0, &r, &err), ZP_OK, "%s", err.msg);
  /* centre-of-bin model of a bin-averaged grid flux: 60 bins per decade
   * leave ~1e-4 in the curvature of log flux; the parabola step ~1e-3 */
  cr_expect(fabs(r.gamma - g_true) < 2e-3, "gamma %.5f", r.gamma);
  cr_expect(fabs(r.norm / n_true - 1.0) < 2e-3, "norm %.5g", r.norm);
  cr_expect(r.chi2 < 1e-3, "chi2 %.3g", r.chi2);
  cr_expect_eq(r.npoints, 8);
  cr_expect_eq(r.dof, 6);
  zp_dataset_free(d);
}

/* The first paper's power law on the 6-year cascades (H-Sec. III: 25.2 at
 * 2.65), with the default conventions, and the second paper's chi2_SM at
 * (A, gamma) = (1.4, 2.6) (27.4).  These are regression values of this
 * project (README "Fits" explains the differences). */
Test(fit, reference_values_of_the_papers) {
  zp_dataset *casc, *trk;
  zp_error err;
  cr_assert_eq(zp_dataset_builtin("cascades6yr", &casc, &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(zp_dataset_builtin("tracks9yr", &trk, &err), ZP_OK, "%s", err.msg);
  zp_config cfg;
  zp_config_default(&cfg);
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  zp_dataset *ds[2] = {casc, trk};
  o.data = ds;
  o.ndata = 1;
  zp_fit_result r;
  cr_assert_eq(zp_fit(&cfg, &o, 0, &r, &err), ZP_OK, "%s", err.msg);
  cr_log_info("cascades power law: chi2_0 = %.3f at gamma %.3f (paper 25.2 at 2.65)", r.chi2_0,
              r.gamma_0);
  cr_expect(fabs(r.chi2_0 - 24.915) < 0.01, "%.4f", r.chi2_0);
  cr_expect(fabs(r.gamma_0 - 2.723) < 0.005, "%.4f", r.gamma_0);

  casc->channel = ZP_CHANNEL_NUE_NUTAU_AVERAGE;
  cr_assert_eq(zp_dataset_select(trk, "1-3", &err), ZP_OK);
  o.ndata = 2;
  o.upper_limits = ZP_UL_EXCESS;
  o.flux = ZP_FLUX_AVERAGE;
  o.profile_gamma = o.profile_norm = 0;
  cfg.flavor_equal = 1;
  cfg.sum_mnu_ev = 0.1;
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.source.gamma = 2.6;
  cfg.norm = 1.4e-18; /* A = 1.4 with C = 3e-18 all-flavour */
  cr_assert_eq(zp_fit(&cfg, &o, 0, &r, &err), ZP_OK, "%s", err.msg);
  cr_log_info("second paper chi2_SM = %.3f with %zu points (paper 27.4, 16)", r.chi2_0, r.npoints);
  cr_expect_eq(r.npoints, 16);
  cr_expect(fabs(r.chi2_0 - 27.28) < 0.02, "%.4f", r.chi2_0);
  zp_dataset_free(casc);
  zp_dataset_free(trk);
}

/* One point against norm and gamma (or norm alone) leaves no degree of
 * freedom: the fit used to report dof = 0; it must refuse, naming the data
 * and the counts. */
Test(fit, refuses_too_few_points) {
  zp_dataset *d = write_and_load("1e5 2e5 2 1 4 point\n");
  zp_config cfg;
  zp_config_default(&cfg);
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.ndata = 1;
  o.data = &d;
  zp_fit_result res;
  zp_error err;
  cr_assert_eq(zp_fit(&cfg, &o, 0, &res, &err), ZP_EINVAL);
  cr_expect(strstr(err.msg, "data tiny: 1 point used") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "2 free parameters (norm and gamma)") != NULL, "%s", err.msg);
  o.profile_gamma = 0;
  cr_assert_eq(zp_fit(&cfg, &o, 0, &res, &err), ZP_EINVAL);
  cr_expect(strstr(err.msg, "1 free parameter (norm)") != NULL, "%s", err.msg);
  zp_dataset_free(d);
  /* two points and a skipped limit with gamma free: still only 2 used */
  d = write_and_load("1e5 2e5 2 1 4 point\n2e5 4e5 2 1 4 point\n4e5 8e5 2 0 2 ul\n");
  o.data = &d;
  o.profile_gamma = 1;
  o.upper_limits = ZP_UL_SKIP;
  cr_assert_eq(zp_fit(&cfg, &o, 0, &res, &err), ZP_EINVAL);
  cr_expect(strstr(err.msg, "2 points used") != NULL, "%s", err.msg);
  zp_dataset_free(d);
}

/* Fits on one reused context give exactly zp_fit()'s numbers, and the
 * context names the backend that ran the best-fit spectrum. */
Test(fit, on_a_reused_context_as_zp_fit) {
  zp_dataset *casc;
  zp_error err;
  cr_assert_eq(zp_dataset_builtin("cascades6yr", &casc, &err), ZP_OK, "%s", err.msg);
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.grid.bins_per_decade = 20; /* the check is equality, not accuracy */
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.data = &casc;
  o.ndata = 1;
  zp_context *ctx;
  cr_assert_eq(zp_context_create(ZP_BACKEND_AUTO, NULL, &ctx, &err), ZP_OK, "%s", err.msg);
  const double gzp[2] = {5e-4, 2e-4};
  for (int k = 0; k < 2; ++k) {
    cfg.zprime.gzp = gzp[k];
    zp_fit_result a, b;
    cr_assert_eq(zp_fit(&cfg, &o, 1, &a, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(zp_fit_ctx(ctx, &cfg, &o, 1, &b, &err), ZP_OK, "%s", err.msg);
    cr_expect_eq(a.chi2, b.chi2, "g %g: chi2 %.17g vs %.17g", gzp[k], a.chi2, b.chi2);
    cr_expect_eq(a.gamma, b.gamma);
    cr_expect_eq(a.norm, b.norm);
    cr_expect_eq(a.chi2_0, b.chi2_0);
    cr_assert_not_null(b.best);
    cr_expect_str_eq(b.best->backend_name, zp_context_backend_name(ctx));
    zp_spectrum_free(a.best);
    zp_spectrum_free(b.best);
  }
  zp_context_free(ctx);
  zp_dataset_free(casc);
}
