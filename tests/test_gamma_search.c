/* The scan's profile over gamma, searched on the 0.01 grid from about 15
 * of its values, against the profile of the whole grid (all 171 values
 * propagated for every point, then the same parabola), and against zp_fit.
 *
 * Tolerances (the fast-scans issue): 1e-3 in chi2 against the whole grid,
 * where the search, having found the grid's lowest value with both
 * neighbours, reproduces it to rounding; 0.02 against zp_fit, whose chi2 is
 * a fresh spectrum at the parabola's vertex, not the parabola's value. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/gamma_search.h"
#include "zprop/zprop.h"

#define GRID_TOL 1e-3
#define FIT_TOL 0.02

enum { NM = 3, NG = 6 };

typedef struct {
  zp_scan_point pts[NM * NG];
  size_t n;
} collected;

static int collect(void *user, const zp_scan_point *pts, size_t n) {
  collected *c = user;
  for (size_t i = 0; i < n; ++i) c->pts[pts[i].index] = pts[i];
  c->n += n;
  return 0;
}

static void setup(zp_config *cfg, zp_fit_opts *o, zp_dataset **ds) {
  zp_error err;
  cr_assert_eq(zp_dataset_builtin("cascades6yr", &ds[0], &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(zp_dataset_builtin("tracks9yr", &ds[1], &err), ZP_OK, "%s", err.msg);
  zp_config_default(cfg);
  cfg->grid.bins_per_decade = 20;
  cfg->grid.emin_gev = 1e2;
  cfg->source.kind = ZP_SOURCE_SFR;
  zp_fit_opts_default(o);
  o->gamma_step = 0.01;
  o->data = ds;
  o->ndata = 2;
}

/* chi2 and gamma of every scanned point profiled over the whole grid. */
static void whole_grid(const zp_config *cfg, const zp_fit_opts *o, const collected *c, double *chi2,
                       double *gamma) {
  size_t ng = zp_fit_ngamma(o);
  double *gammas = malloc(ng * sizeof *gammas), *c2 = malloc(ng * sizeof *c2);
  double *lns = malloc(ng * sizeof *lns), *model = malloc(64 * sizeof *model);
  for (size_t i = 0; i < ng; ++i) gammas[i] = o->gamma_min + o->gamma_step * (double)i;
  zp_point pts[NM * NG];
  for (size_t p = 0; p < c->n; ++p) {
    pts[p] = (zp_point){cfg->zprime, cfg->sum_mnu_ev, cfg->ordering, cfg->osc};
    pts[p].zprime.mzp_mev = c->pts[p].mzp_mev;
    pts[p].zprime.gzp = c->pts[p].gzp;
  }
  zp_batch_spec bs = {.base = *cfg,
                      .npoints = c->n,
                      .points = pts,
                      .nsources = 1,
                      .sources = &cfg->source,
                      .ngamma = ng,
                      .gammas = gammas};
  zp_batch_result *r;
  zp_error err;
  cr_assert_eq(zp_batch_compute(&bs, &r, &err), ZP_OK, "%s", err.msg);
  for (size_t p = 0; p < c->n; ++p) {
    for (size_t i = 0; i < ng; ++i)
      cr_assert_eq(zp_chi2_of_fluxes(o, r->nbins, r->edges,
                                     r->phi_flavour + zp_batch_offset(r, p, 0, i), model, &c2[i],
                                     &lns[i], &err),
                   ZP_OK, "%s", err.msg);
    double scale;
    zp_profile_values(gammas, c2, lns, ng, &chi2[p], &gamma[p], &scale);
  }
  zp_batch_result_free(r);
  free(gammas);
  free(c2);
  free(lns);
  free(model);
}

Test(gamma_search, equals_the_whole_grid_and_the_fit) {
  zp_config cfg;
  zp_fit_opts o;
  zp_dataset *ds[2];
  setup(&cfg, &o, ds);
  zp_error err;
  zp_scan_reference ref;
  cr_assert_eq(zp_scan_reference_fit(&cfg, &o, &ref, &err), ZP_OK, "%s", err.msg);
  zp_scan_spec spec = {.mzp = {1.0, 20.0, NM, 0}, .gzp = {1e-5, 1e-1, NG, 1}};
  collected got = {.n = 0};
  cr_assert_eq(zp_scan_run(&cfg, &o, &spec, &ref, NULL, collect, &got, &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(got.n, (size_t)(NM * NG));
  double worst = 0.0, chi2s[NM * NG], gammas[NM * NG];
  whole_grid(&cfg, &o, &got, chi2s, gammas);
  for (size_t p = 0; p < got.n; ++p) {
    double chi2 = chi2s[p], gamma = gammas[p];
    double d = fabs(got.pts[p].chi2 - chi2);
    worst = fmax(worst, d);
    cr_expect(d <= GRID_TOL, "M %g g %g: chi2 %.10g searched, %.10g over the whole grid",
              got.pts[p].mzp_mev, got.pts[p].gzp, got.pts[p].chi2, chi2);
    cr_expect(fabs(got.pts[p].gamma - gamma) <= 1e-6, "M %g g %g: gamma %.8f vs %.8f",
              got.pts[p].mzp_mev, got.pts[p].gzp, got.pts[p].gamma, gamma);
  }
  cr_log_info("searched vs whole grid: worst |dchi2| = %.3g over %zu points", worst, got.n);
  /* two points against zp_fit itself */
  for (size_t p = 0; p < got.n; p += got.n - 1) {
    zp_config c = cfg;
    c.zprime.mzp_mev = got.pts[p].mzp_mev;
    c.zprime.gzp = got.pts[p].gzp;
    zp_fit_result fr;
    cr_assert_eq(zp_fit(&c, &o, 0, &fr, &err), ZP_OK, "%s", err.msg);
    cr_expect(fabs(fr.chi2 - got.pts[p].chi2) <= FIT_TOL, "M %g g %g: scan %.6f, fit %.6f",
              c.zprime.mzp_mev, c.zprime.gzp, got.pts[p].chi2, fr.chi2);
  }
  zp_dataset_free(ds[0]);
  zp_dataset_free(ds[1]);
}
