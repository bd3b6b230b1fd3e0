/* Thermal average of the relic targets (H-Eq. 12) against the at-rest
 * limit, the exact line strength, and the massless lightest state. */
#include <criterion/criterion.h>
#include <math.h>

#include "physics/rates.h"
#include "support.h"
#include "physics/physics.h"
#include "zprop/zprop.h"

static zp_thermal_rule rule(void) {
  zp_thermal_rule r;
  cr_assert_eq(zp_thermal_rule_init(&r, 8, 4, NULL), ZP_OK);
  return r;
}

/* Summed over all bins, the depth of a shell is (hbar c)^2 Int W dv times
 * Int sigma/s ds, whatever the target's momentum: thermal motion moves the
 * line in energy but keeps its strength.  Exact on both sides. */
Test(thermal, line_strength_is_conserved) {
  zp_thermal_rule tr = rule();
  double mz = 0.013, g = 5e-4, v0 = 0.52, v1 = 0.52 + log(10.0) / 40.0;
  zp_resonance res = {mz * mz, mz * zp_width_nu(g, mz)};
  double wint = 0.0; /* Int W dv by 8-point Gauss-Legendre: W is smooth */
  const double *x = zp_gl_nodes(8), *w = zp_gl_weights(8);
  for (int i = 0; i < 8; ++i)
    wint += w[i] * zp_depth_weight(0.5 * (v0 + v1) + 0.5 * (v1 - v0) * x[i]);
  wint *= 0.5 * (v1 - v0);
  double want = wint * zp_res_int_lorentz(res, 0.0, 1e6 * res.m2) * ZP_HBARC2_CM2_GEV2;
  const double masses_ev[] = {0.0, 2e-3, 0.011, 0.087};
  double h = log(10.0) / 10.0;
  for (int k = 0; k < 4; ++k) {
    double m = masses_ev[k] * 1e-9, th = 0.0, rest = 0.0;
    for (int b = 0; b < 140; ++b) { /* 1e2 .. 1e16 GeV */
      double u0 = log(1e2) + h * b;
      th += h * zp_tau_thermal(&tr, res, m, u0, h, v0, v1);
      if (m > 0.0) rest += h * zp_tau_at_rest(res, m, u0, h, v0, v1);
    }
    /* 1e-4: the integrals are exact per momentum, but each bin places its
     * own momentum nodes (split at its kinks), so the sum over bins keeps
     * the strength only to the momentum quadrature (measured 2e-7 massless,
     * 5e-5 at 0.002 and 0.011 eV with 10 bins per decade). */
    cr_expect(zp_test_close(th, want, 1e-4), "m = %g eV thermal %.10g want %.10g", masses_ev[k], th,
              want);
    if (m > 0.0)
      cr_expect(zp_test_close(rest, want, 1e-6), "m = %g eV at rest %.10g want %.10g", masses_ev[k],
                rest, want);
  }
}

/* Per bin, summed over shells: relative deviation of thermal from at-rest
 * depth over the bins that carry the line. */
static double thermal_vs_rest(double m_ev) {
  zp_thermal_rule tr = rule();
  double mz = 0.013, g = 5e-4, m = m_ev * 1e-9, h = log(10.0) / 60.0;
  zp_resonance res = {mz * mz, mz * zp_width_nu(g, mz)};
  double eres = res.m2 / (2.0 * m), worst = 0.0, tmax = 0.0, tt[60], tr_[60];
  for (int b = 0; b < 60; ++b) { /* one decade below E_res: z up to ~9 */
    double u0 = log(eres) - h * (b + 1), sum_t = 0.0, sum_r = 0.0;
    for (int k = 0; k < 48; ++k) {
      double v0 = h * k, v1 = h * (k + 1);
      sum_t += zp_tau_thermal(&tr, res, m, u0, h, v0, v1);
      sum_r += zp_tau_at_rest(res, m, u0, h, v0, v1);
    }
    tt[b] = sum_t;
    tr_[b] = sum_r;
    tmax = fmax(tmax, sum_r);
  }
  for (int b = 1; b < 40; ++b) /* away from the sharp z = 0 edge */
    if (tr_[b] > 0.01 * tmax) worst = fmax(worst, fabs(tt[b] / tr_[b] - 1.0));
  return worst;
}

Test(thermal, tends_to_rest_for_heavy_targets) {
  double d1 = thermal_vs_rest(0.05), d2 = thermal_vs_rest(0.5), d3 = thermal_vs_rest(5.0);
  cr_log_info("max |thermal/rest - 1| per bin: m = 0.05 eV %.2e, 0.5 eV %.2e, 5 eV %.2e", d1, d2,
              d3);
  /* The smearing is ~3 T/m: it must fall roughly tenfold per decade in m. */
  cr_expect(d2 < 0.3 * d1, "%.3e then %.3e", d1, d2);
  cr_expect(d3 < 0.3 * d2, "%.3e then %.3e", d2, d3);
  cr_expect(d3 < 1e-3, "%.3e", d3);
}

/* Flavour-summed phi/phi0 rebinned to 10 bins per decade. */
static void coarse_suppression(const zp_spectrum *sp, double *out, size_t nout) {
  size_t group = sp->nbins / nout;
  for (size_t c = 0; c < nout; ++c) {
    double y = 0.0, y0 = 0.0;
    for (size_t b = c * group; b < (c + 1) * group; ++b)
      for (int a = 0; a < 3; ++a) {
        double de = sp->edges[b + 1] - sp->edges[b];
        y += sp->phi_flavour[(size_t)a * sp->nbins + b] * de;
        y0 += sp->phi0_flavour[(size_t)a * sp->nbins + b] * de;
      }
    out[c] = y / y0;
  }
}

/* Where auto switches a state from thermal to at rest (m = kappa T) the
 * two descriptions must agree to the size of the thermal smearing, ~3T/m
 * in energy: per 60/decade bin a sharp edge can move by a whole bin, so
 * the comparison is at 10 bins per decade. */
Test(thermal, auto_agrees_with_always_at_the_switch) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.sum_mnu_ev = 0.0588 + 1e-6;
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.grid.emin_gev = 1e5;
  cfg.grid.emax_gev = 1e8;
  enum { NOUT = 30 };
  double sa[NOUT], sb[NOUT], worst = 0.0;
  zp_spectrum *a, *b;
  cr_assert_eq(zp_spectrum_compute(&cfg, &a, NULL), ZP_OK);
  cfg.transport.thermal = ZP_THERMAL_ALWAYS;
  cr_assert_eq(zp_spectrum_compute(&cfg, &b, NULL), ZP_OK);
  coarse_suppression(a, sa, NOUT);
  coarse_suppression(b, sb, NOUT);
  for (size_t c = 0; c < NOUT; ++c) worst = fmax(worst, fabs(sa[c] - sb[c]));
  cr_log_info("auto vs always: max difference of phi/phi0 at 10/decade %.4f", worst);
  /* kappa = 100: at-rest states have 3 T/m < 3%. */
  cr_expect(worst < 0.03, "%.4f", worst);
  cr_expect(worst > 0.0, "the two runs must differ somewhere (else nothing was tested)");
  zp_spectrum_free(a);
  zp_spectrum_free(b);
}

Test(thermal, massless_lightest_state_is_finite_and_absorbs) {
  zp_config cfg;
  zp_config_default(&cfg);
  zp_oscillation osc = cfg.osc;
  cfg.sum_mnu_ev = zp_min_sum_mnu(&osc, ZP_ORDERING_NO);
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.grid.bins_per_decade = 30;
  zp_spectrum *sp;
  zp_error err;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
  double least = 1.0;
  for (size_t r = 0; r < 3 * sp->nbins; ++r) {
    cr_assert(isfinite(sp->phi_mass[r]) && sp->phi_mass[r] > 0.0, "entry %zu: %g", r,
              sp->phi_mass[r]);
    if (r < sp->nbins) least = fmin(least, sp->phi_mass[r] / sp->phi0_mass[r]);
  }
  /* The massless state still scatters on thermal relics (the other states
   * do): it must lose flux somewhere. */
  cr_expect(least < 0.9, "state 1 lost at most %.3f", 1.0 - least);
  zp_spectrum_free(sp);
}
