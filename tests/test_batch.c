/* Batched propagation on the CPU against one spectrum at a time. */
#include <criterion/criterion.h>
#include <math.h>

#include "support.h"
#include "zprop/zprop.h"

static zp_source source(zp_source_kind kind, double z0, double zmax) {
  zp_source s = {.kind = kind, .z0 = z0, .zmax = zmax, .density_power = 0.0, .gamma = 2.5};
  return s;
}

/* Every (point, source, gamma) of a batch whose sources share one redshift
 * grid equals the single-spectrum run: same matrices, level-3 BLAS instead
 * of level 2, so only rounding differs. */
Test(batch, equals_single_spectra, .timeout = 120) {
  zp_batch_spec spec;
  zp_config_default(&spec.base);
  spec.base.grid.bins_per_decade = 20;
  spec.base.backend = ZP_BACKEND_CPU;
  zp_point pts[3] = {zp_test_point(13.0, 5e-4, 0.0, 0.12, ZP_ORDERING_NO),
                     zp_test_point(9.3, 8e-4, 1.1e-3, 0.15, ZP_ORDERING_IO),
                     zp_test_point(17.0, 3e-4, 0.0, 0.0588, ZP_ORDERING_NO)};
  pts[2].sum_mnu_ev = zp_min_sum_mnu(&pts[2].osc, ZP_ORDERING_NO); /* massless lightest */
  zp_source srcs[3] = {source(ZP_SOURCE_SFR, 1.0, 6.0), source(ZP_SOURCE_DELTA, 6.0, 6.0),
                       source(ZP_SOURCE_BLLAC, 1.0, 6.0)};
  double gammas[3] = {2.07, 2.5, 2.93};
  spec.npoints = 3;
  spec.points = pts;
  spec.nsources = 3;
  spec.sources = srcs;
  spec.ngamma = 3;
  spec.gammas = gammas;
  zp_batch_result *r;
  zp_error err;
  cr_assert_eq(zp_batch_compute(&spec, &r, &err), ZP_OK, "%s", err.msg);
  double worst = 0.0;
  for (size_t p = 0; p < 3; ++p)
    for (size_t s = 0; s < 3; ++s)
      for (size_t g = 0; g < 3; ++g) {
        zp_config cfg = spec.base;
        cfg.zprime = pts[p].zprime;
        cfg.sum_mnu_ev = pts[p].sum_mnu_ev;
        cfg.ordering = pts[p].ordering;
        cfg.osc = pts[p].osc;
        cfg.source = srcs[s];
        cfg.source.gamma = gammas[g];
        zp_spectrum *sp;
        cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
        size_t off = zp_batch_offset(r, p, s, g);
        for (size_t e = 0; e < 3 * r->nbins; ++e) {
          double a = r->phi_flavour[off + e], b = sp->phi_flavour[e];
          worst = fmax(worst, fabs(a - b) / fmax(fabs(b), 1e-300));
          /* 1e-12: the same arithmetic up to summation order */
          cr_expect(zp_test_close(a, b, 1e-12), "p%zu s%zu g%zu entry %zu: %.15g vs %.15g", p, s, g,
                    e, a, b);
          cr_expect(zp_test_close(r->phi_mass[off + e], sp->phi_mass[e], 1e-12));
          cr_expect(zp_test_close(r->phi0_flavour[off + e], sp->phi0_flavour[e], 1e-12));
        }
        zp_spectrum_free(sp);
      }
  cr_log_info("batch vs single: worst relative difference %.2e", worst);
  zp_batch_result_free(r);
}

/* A delta source below the batch's top is injected at a shell edge placed
 * exactly at z0: free streaming is then exact, and with the Z' the result
 * differs from a lone run (whose grid ends at z0) only through the extra
 * shell edge. */
Test(batch, delta_below_top_is_injected_at_its_edge) {
  zp_batch_spec spec;
  zp_config_default(&spec.base);
  spec.base.grid.bins_per_decade = 30;
  spec.base.backend = ZP_BACKEND_CPU;
  zp_point pts[2] = {zp_test_point(13.0, 5e-4, 0.0, 0.12, ZP_ORDERING_NO),
                     zp_test_point(13.0, 0.0, 0.0, 0.12, ZP_ORDERING_NO)};
  zp_source srcs[2] = {source(ZP_SOURCE_SFR, 1.0, 4.0), source(ZP_SOURCE_DELTA, 1.37, 4.0)};
  double gammas[1] = {2.5};
  spec.npoints = 2;
  spec.points = pts;
  spec.nsources = 2;
  spec.sources = srcs;
  spec.ngamma = 1;
  spec.gammas = gammas;
  zp_batch_result *r;
  zp_error err;
  cr_assert_eq(zp_batch_compute(&spec, &r, &err), ZP_OK, "%s", err.msg);
  zp_config cfg = spec.base;
  cfg.source = srcs[1];
  zp_spectrum *sp;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
  size_t off = zp_batch_offset(r, 0, 1, 0), off0 = zp_batch_offset(r, 1, 1, 0);
  double worst = 0.0, na = 0.0, nb = 0.0;
  for (size_t e = 0; e < 3 * r->nbins; ++e) {
    /* g = 0: exactly free streaming */
    cr_expect(zp_test_close(r->phi_flavour[off0 + e], r->phi0_flavour[off0 + e], 1e-12));
    cr_expect(zp_test_close(r->phi0_flavour[off + e], sp->phi0_flavour[e], 1e-12));
    worst = fmax(worst, fabs(r->phi_flavour[off + e] - sp->phi_flavour[e]) / sp->phi0_flavour[e]);
    double de = r->edges[e % r->nbins + 1] - r->edges[e % r->nbins];
    na += r->phi_flavour[off + e] * de;
    nb += sp->phi_flavour[e] * de;
  }
  cr_log_info("delta at z0 = 1.37 in a batch to z = 4 vs alone: max |diff|/phi0 = %.2e, "
              "number %.2e",
              worst, na / nb - 1.0);
  /* The lone run merges the last 0.23-bin sliver of shell into the shell
   * below; the batch keeps it.  That moves flux only in the two bins at the
   * sharp z0 edges of the lines (measured 5%), and not the total. */
  cr_expect(worst < 0.1, "%.3e", worst);
  cr_expect(fabs(na / nb - 1.0) < 1e-3, "%.3e", na / nb - 1.0);
  zp_spectrum_free(sp);
  zp_batch_result_free(r);
}

Test(batch, rejects_bad_points_naming_them) {
  zp_batch_spec spec;
  zp_config_default(&spec.base);
  zp_point pts[2] = {zp_test_point(13.0, 5e-4, 0.0, 0.12, ZP_ORDERING_NO),
                     zp_test_point(13.0, 5e-4, 0.0, 0.05, ZP_ORDERING_IO)};
  zp_source srcs[1] = {source(ZP_SOURCE_SFR, 1.0, 6.0)};
  double gammas[1] = {2.5};
  spec.npoints = 2;
  spec.points = pts;
  spec.nsources = 1;
  spec.sources = srcs;
  spec.ngamma = 1;
  spec.gammas = gammas;
  zp_batch_result *r = NULL;
  zp_error err;
  cr_assert_eq(zp_batch_compute(&spec, &r, &err), ZP_EINVAL);
  cr_expect(strstr(err.msg, "point 1") != NULL && strstr(err.msg, "sum_mnu") != NULL, "%s",
            err.msg);
  cr_expect_null(r);
}
