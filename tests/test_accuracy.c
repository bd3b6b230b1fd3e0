/* zprop tests: the transport at its default grid against the independent
 * Monte Carlo reference (tests/reference, issue 11), for the five cases of
 * bench/bench_accuracy.c (tests/reference/accuracy_cases.h): regeneration
 * on, relics at rest (thermal=off), backend cpu_fast, default emin/emax and
 * 60 bins per decade.  zprop's phi/phi0 per mass state is rebinned to the
 * reference's 10 bins per decade and compared bin by bin, and the total
 * scatterings per injected neutrino are compared.  Each case is then
 * compared once more against the same Monte Carlo run with every optical
 * depth 5% too large (tau_scale 1.05), which must fail where the test can
 * resolve it: the comparison can catch a 5% depth error.
 *
 * Tolerances (k = ACC_K = 4):
 *  - per 10-per-decade bin and mass state, |zprop - MC| <= 1% of phi0 +
 *    4 sigma, sigma the reference's batch-means ratio_err of that bin (the
 *    ratio is phi/phi0, so its difference is already in units of phi0).
 *    The 1% is zprop's own error budget at 60 bins per decade: the largest
 *    deviation measured with 2e7 particles is 0.83% of phi0 (issue 11,
 *    bench_accuracy at df87b20, its statistical part included).  The 4 sigma
 *    is the reference's noise: a two-sided Gaussian tail beyond 4 sigma has
 *    probability 6.3e-5 and 90 to 105 bins per case carry noise (sigma > 0;
 *    the others are untouched by the Z' and exact on both sides), ~500 over
 *    the suite, so even with no help from the 1% the suite would raise a
 *    false alarm for about one seed in 30; the 1% adds (1% - zprop's error)
 *    on top, several sigma more in every bin at these particle counts.
 *    Measured here at tau_scale 1 the worst bin uses 0.47 of its tolerance
 *    (case 1; 0.20, 0.41, 0.28, 0.10 for cases 0, 2, 3, 4).  The seeds are
 *    fixed and the reference is deterministic in (seed, particles), in the
 *    Release and ASan builds alike, so the test gives one answer; the rate
 *    above is what a new seed, particle count or reference change risks.
 *  - scatterings per injected neutrino: |zprop - MC| <= 1% + 4 sigma of the
 *    MC's value, sigma its scatterings_err; same reasoning, one comparison
 *    per case.  Measured: at most 0.07 of the tolerance (zprop within 0.07%).
 * Every comparison is written !(|d| <= tol), so a NaN on either side fails;
 * the reference results are asserted finite, so that a failure at tau_scale
 * 1.05 is a detection and not a NaN.
 *
 * Particle counts (split mode; one reference run per case at tau_scale 1 and
 * one at 1.05 with the same seed), chosen so the suite stays within ~20 s on
 * two cores (about 30 s of CPU in Release) and each required detection keeps
 * a margin of several sigma, measured over 4 seeds.  The scatterings cannot
 * show a 5% depth error: most crossings are optically thick, so the total
 * moves by 1.0% (cases 0, 3), 0.8% (1, 4), 0.4% (2): at 0.94-0.97 of its
 * tolerance at best (cases 0, 3).  The bins must; below, |d| is zprop
 * against the reference at tau_scale 1.05, "sigma past the 1%" is
 * (|d| - 1%) / sigma of the worst bin, which must exceed 4:
 *  - case 0 (default point, delta z0 = 1), 3e7: at the attenuation dip
 *    (state 1, 1.6-2.5e6 GeV) |d| is 1.6-1.8% of phi0, just above the 1%:
 *    8-11 sigma past the 1% at 3e7 (worst bin at 1.23-1.37 of its
 *    tolerance), 5.6-6.3 at 2e7, 2.9-6.0 at 1e7 (not reliably past 4).
 *  - case 3 (IO, 10 MeV, delta z0 = 3), 3e7: |d| up to 1.9% of phi0: 6-12
 *    sigma past the 1% at 3e7 (1.14-1.45 of the tolerance), 5.0-6.9 at 2e7,
 *    2.5-5.7 at 1e7.
 *  - case 4 (dark fermion), 1e6: little regeneration, a nearly noiseless
 *    reference (sigma <= 4e-4); 8 bins at |d| = 1.8% of phi0, 90-150 sigma
 *    past the 1% (1.70 of the tolerance).
 *  - cases 1 and 2 (star formation to z = 6): NOT detectable at CI counts,
 *    so only reported.  No bin reaches |d| above 1.6% (case 1) or 2.1%
 *    (case 2, in a bin with sigma 0.27% at 1e7) of phi0: 0.3-2.3 (case 1)
 *    and 0.3-2.1 (case 2) sigma past the 1% at 4e6 (0.60 and 0.57 of the
 *    tolerance here), 1.5-4.8 and 1.4-2.2 at 1e7; they would need well over
 *    3e7 particles each.  They run at 4e6: at 1e6 the batch-means sigma of
 *    the sparsest bins is unreliable (at tau_scale 1 the worst bin reached
 *    1% + 1.8 sigma in case 1, 1% + 2.3 sigma in case 3); at 4e6 no bin of
 *    any case, over 4 seeds, passed 1% + 0.8 sigma.  Their sigma stays large
 *    (up to 0.65% of phi0 in case 2), so their tolerance is looser there.
 * SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "reference/accuracy_cases.h"
#include "reference/mc_transport.h"

/* Sigmas of the reference's noise allowed on top of the 1% (see above). */
#define ACC_K 4.0
/* zprop's error budget at 60 bins per decade, in units of phi0 (bins) and
 * relative (scatterings). */
#define ACC_FLOOR 0.01

/* The outcome of one comparison. */
typedef struct {
  int bins;            /* bins x states compared */
  int noisy;           /* of those, with sigma > 0 */
  int failed;          /* of those, beyond the tolerance (NaN included) */
  double worst;        /* largest |d| / tolerance over the bins */
  int worst_state;     /* where */
  size_t worst_bin;    /* where (10-per-decade bin) */
  double worst_d;      /* its |d| */
  double worst_sigma;  /* its sigma */
  int scat_failed;     /* the scatterings beyond their tolerance */
  double scat_ratio;   /* |d| / tolerance for the scatterings */
  double scat_rel;     /* zprop / MC - 1 */
  double scat_rel_err; /* MC's relative error */
} comparison;

/* zprop's spectrum against one Monte Carlo result; with report set, each
 * failing bin is a failed expectation with its numbers. */
static comparison compare(const zp_spectrum *sp, const zp_mc_result *mc, int report) {
  comparison out = {0};
  size_t n = sp->nbins, nb = mc->nbins;
  cr_assert(nb > 0 && n % nb == 0, "zprop's %zu bins do not nest in the reference's %zu", n, nb);
  size_t f = n / nb;
  /* The rebinned edges are the reference's: both log-uniform on [emin, emax]. */
  for (size_t b = 0; b <= nb; ++b)
    cr_assert(fabs(sp->edges[b * f] / mc->edges[b] - 1.0) <= 1e-9, "edge %zu: %.12g vs %.12g", b,
              sp->edges[b * f], mc->edges[b]);
  for (int i = 0; i < 3; ++i)
    for (size_t b = 0; b < nb; ++b) {
      size_t e = (size_t)i * nb + b;
      double sigma = mc->ratio_err[e];
      double got = zp_accuracy_rebinned(sp, i, b, f);
      double d = fabs(got - mc->ratio[e]), tol = ACC_FLOOR + ACC_K * sigma;
      ++out.bins;
      out.noisy += sigma > 0.0;
      if (!(d <= tol)) {
        ++out.failed;
        if (report)
          cr_expect(d <= tol,
                    "state %d, bin %zu [%.4g, %.4g] GeV: zprop %.6f, MC %.6f +- %.6f, |d| %.3e > "
                    "tolerance %.3e",
                    i + 1, b, mc->edges[b], mc->edges[b + 1], got, mc->ratio[e], sigma, d, tol);
      }
      double r = d / tol;
      if (!isnan(out.worst) && !(r <= out.worst)) {
        out.worst = r;
        out.worst_state = i + 1;
        out.worst_bin = b;
        out.worst_d = d;
        out.worst_sigma = sigma;
      }
    }
  double zs = sp->ledger.scatterings / sp->ledger.number_free;
  double ds = fabs(zs - mc->scatterings);
  double stol = ACC_FLOOR * mc->scatterings + ACC_K * mc->scatterings_err;
  out.scat_failed = !(ds <= stol);
  out.scat_ratio = ds / stol;
  out.scat_rel = zs / mc->scatterings - 1.0;
  out.scat_rel_err = mc->scatterings_err / mc->scatterings;
  if (report)
    cr_expect(ds <= stol, "scatterings per neutrino: zprop %.8e, MC %.8e +- %.2e, |d| %.3e > %.3e",
              zs, mc->scatterings, mc->scatterings_err, ds, stol);
  return out;
}

/* The reference for case @p cfg with its depths scaled by @p tau_scale;
 * asserts that it is finite (so that a failed comparison against it is a
 * real detection, not a NaN). */
static void reference(const zp_config *cfg, double tau_scale, size_t particles, uint64_t seed,
                      zp_mc_result *mc) {
  zp_mc_case c;
  zp_error err;
  cr_assert_eq(zp_mc_case_from_config(cfg, &c, &err), ZP_OK, "%s", err.msg);
  c.split = 1;
  c.tau_scale = tau_scale;
  cr_assert_eq(zp_mc_run(&c, particles, seed, mc, &err), ZP_OK, "%s", err.msg);
  for (size_t e = 0; e < 3 * mc->nbins; ++e)
    cr_assert(isfinite(mc->ratio[e]) && isfinite(mc->ratio_err[e]) && mc->ratio_err[e] >= 0.0,
              "tau x %g, entry %zu: %g +- %g", tau_scale, e, mc->ratio[e], mc->ratio_err[e]);
  cr_assert(isfinite(mc->scatterings) && mc->scatterings > 0.0 && isfinite(mc->scatterings_err),
            "tau x %g: scatterings %g +- %g", tau_scale, mc->scatterings, mc->scatterings_err);
}

static void log_comparison(int k, const char *what, const comparison *c) {
  cr_log_info("case %d, %s: %d bins (%d noisy), %d beyond; worst |d|/tol %.3f (state %d bin %zu, "
              "|d| %.2e, sigma %.2e); scatterings %+.4f%% +- %.4f%%, |d|/tol %.3f",
              k, what, c->bins, c->noisy, c->failed, c->worst, c->worst_state, c->worst_bin,
              c->worst_d, c->worst_sigma, 100.0 * c->scat_rel, 100.0 * c->scat_rel_err,
              c->scat_ratio);
}

/* Case @p k: zprop at the default grid against the reference at tau_scale 1
 * (must agree everywhere) and 1.05 (must disagree somewhere when
 * @p must_detect). */
static void check_case(int k, size_t particles, int must_detect) {
  zp_config cfg;
  const char *name = zp_accuracy_case(k, &cfg);
  cr_assert_not_null(name);
  /* The tolerances were measured at the default grid: say so if it moves. */
  cr_assert_eq(cfg.grid.bins_per_decade, 60.0, "default grid %g bins per decade",
               cfg.grid.bins_per_decade);
  zp_spectrum *sp = NULL;
  zp_error err;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s: %s", name, err.msg);
  cr_assert(sp->ledger.number_free > 0.0);
  const uint64_t seed = 2026 + (uint64_t)k;

  zp_mc_result mc;
  reference(&cfg, 1.0, particles, seed, &mc);
  comparison ok = compare(sp, &mc, 1);
  log_comparison(k, "tau x 1", &ok);
  cr_expect_eq(ok.bins, 3 * (int)mc.nbins);
  cr_expect_eq(ok.failed, 0, "%s: %d of %d bins beyond the tolerance", name, ok.failed, ok.bins);
  cr_expect_eq(ok.scat_failed, 0, "%s: scatterings beyond the tolerance", name);
  zp_mc_result_free(&mc);

  zp_mc_result wrong;
  reference(&cfg, 1.05, particles, seed, &wrong);
  comparison bad = compare(sp, &wrong, 0);
  log_comparison(k, "tau x 1.05", &bad);
  if (must_detect)
    cr_expect(bad.failed + bad.scat_failed > 0,
              "%s: a 5%% depth error passes (worst bin at %.3f of its tolerance, scatterings at "
              "%.3f)",
              name, bad.worst, bad.scat_ratio);
  zp_mc_result_free(&wrong);
  zp_spectrum_free(sp);
}

/* Particle counts and which cases must detect the 5% depth error: see the
 * head of the file. */
Test(accuracy, default_point_delta) { check_case(0, 30000000, 1); }
Test(accuracy, star_formation) { check_case(1, 4000000, 0); }
Test(accuracy, p1_star_formation_equal) { check_case(2, 4000000, 0); }
Test(accuracy, inverted_ordering_z3) { check_case(3, 30000000, 1); }
Test(accuracy, dark_fermion) { check_case(4, 1000000, 1); }
