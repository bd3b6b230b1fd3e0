/* The optical depths factorised in g (transport/depth_table.h) against the
 * direct computation (zp_survival_lines), which stays the reference: every
 * (bin, shell, state) unit depth, g from 1e-6 to 1, targets at rest and
 * thermal, with and without the dark fermion.
 *
 * Tolerance 1e-10 relative (the fast-scans issue).  What the table changes
 * is the order of sums and, at R = 5 widths or more from the line, exact
 * arctangents and logs for their series to a^16, whose first term left out
 * is 2e-14 relative; rounding in the sums of a bin's pieces stays far
 * below 1e-12 at these depths. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "support.h"
#include "transport/depth_table.h"
#include "transport/problem.h"
#include "zprop/zprop.h"

#define FACTOR_TOL 1e-10

typedef struct {
  const char *name;
  zp_thermal_mode thermal;
  double sum_mnu, gchi, mchi, mzp;
  int bins_per_decade;
} table_case;

static const table_case cases[] = {
    {"at rest", ZP_THERMAL_OFF, 0.1, 0.0, 0.0, 13.0, 20},
    {"thermal always", ZP_THERMAL_ALWAYS, 0.1, 0.0, 0.0, 13.0, 20},
    {"thermal auto, light", ZP_THERMAL_AUTO, 0.06, 0.0, 0.0, 3.0, 20},
    {"dark fermion", ZP_THERMAL_AUTO, 0.1, 2.3e-3, 1.7, 8.0, 20},
    {"massless lightest", ZP_THERMAL_AUTO, -1.0, 0.0, 0.0, 20.0, 20},
    {"default grid", ZP_THERMAL_AUTO, 0.1, 0.0, 0.0, 10.0, 60},
};

static zp_config case_config(const table_case *c, double g) {
  zp_config cfg;
  zp_config_default(&cfg);
  zp_oscillation_preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO, &cfg.osc, NULL);
  cfg.sum_mnu_ev = c->sum_mnu > 0.0 ? c->sum_mnu : zp_min_sum_mnu(&cfg.osc, ZP_ORDERING_NO);
  cfg.zprime.mzp_mev = c->mzp;
  cfg.zprime.gzp = g;
  cfg.zprime.gchi = c->gchi;
  cfg.zprime.mchi_mev = c->mchi;
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.grid.bins_per_decade = c->bins_per_decade;
  cfg.transport.thermal = c->thermal;
  return cfg;
}

static zp_point_physics point_at(const table_case *c, double g) {
  zp_config cfg = case_config(c, g);
  zp_point_physics pt;
  zp_error err;
  cr_assert_eq(zp_point_init(&cfg, &pt, &err), ZP_OK, "%s", err.msg);
  return pt;
}

/* Every unit depth of points at g = 10^-6 ... 1 from one table over their
 * whole range of widths; returns the entries compared. */
static size_t compare_case(const table_case *c, double g_lo, double g_hi, int ng) {
  zp_config cfg = case_config(c, g_lo);
  zp_point_physics lo = point_at(c, g_lo), hi = point_at(c, g_hi);
  double lines[3];
  zp_point_lines(&lo, lines);
  zp_grid grid;
  zp_error err;
  cr_assert_eq(zp_grid_init(&cfg, zp_source_ztop(&cfg.source), NULL, 0, lines, &grid, &err), ZP_OK,
               "%s", err.msg);
  zp_depth_table *t = NULL;
  cr_assert_eq(zp_depth_table_build(&grid, &lo, lo.res.a, hi.res.a, &t, &err), ZP_OK, "%s",
               err.msg);
  const size_t nb = grid.eg.nbins, ns = grid.zg.nshells, n = 3 * nb;
  double *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
  double *surv = malloc(n * sizeof *surv);
  size_t compared = 0, bad = 0, nonzero = 0;
  double worst = 0.0;
  for (int ig = 0; ig < ng; ++ig) {
    double g = g_lo * pow(g_hi / g_lo, ng > 1 ? (double)ig / (ng - 1) : 0.0);
    zp_point_physics pt = point_at(c, g);
    cr_assert(zp_depth_table_fits(t, &grid, &pt), "%s: g = %g outside the table", c->name, g);
    for (size_t k = 0; k < ns; ++k) {
      zp_survival_lines(&grid, &pt, k, surv, NULL, want);
      zp_depth_table_unit_depths(t, &pt, k, got);
      for (size_t e = 0; e < n; ++e, ++compared) {
        double rel = fabs(got[e] - want[e]) / fmax(fabs(want[e]), 1e-300);
        if (want[e] != 0.0) ++nonzero;
        if (!(rel <= FACTOR_TOL) && !(got[e] == want[e])) {
          if (bad++ < 3)
            cr_log_error("%s: g = %.3g shell %zu bin %zu state %zu: %.17g vs direct %.17g", c->name,
                         g, k, e / 3, e % 3, got[e], want[e]);
        }
        if (want[e] != 0.0 && rel > worst) worst = rel;
      }
    }
  }
  cr_log_info("%s: %zu depths, worst %.2e relative", c->name, compared, worst);
  cr_expect_eq(bad, 0, "%s: %zu of %zu depths beyond %g relative (worst %.3g)", c->name, bad,
               compared, FACTOR_TOL, worst);
  cr_expect_gt(nonzero, compared / 10, "%s: the depths compared are mostly zero", c->name);
  zp_depth_table_free(t);
  zp_grid_free(&grid);
  free(want);
  free(got);
  free(surv);
  return compared;
}

Test(depth_table, equals_direct_over_g) {
  for (size_t ic = 0; ic < sizeof cases / sizeof cases[0] - 1; ++ic)
    compare_case(&cases[ic], 1e-6, 1.0, 7);
}

Test(depth_table, equals_direct_default_grid) {
  compare_case(&cases[sizeof cases / sizeof cases[0] - 1], 1e-5, 1e-1, 4);
}

/* A narrow table (a scan chunk's widths) gives the same depths, and says
 * that it does not serve a point outside them. */
Test(depth_table, narrow_range_and_fits) {
  const table_case *c = &cases[1];
  zp_config cfg = case_config(c, 1e-3);
  zp_point_physics pt = point_at(c, 1e-3), out = point_at(c, 2e-3);
  double lines[3];
  zp_point_lines(&pt, lines);
  zp_grid grid;
  cr_assert_eq(zp_grid_init(&cfg, zp_source_ztop(&cfg.source), NULL, 0, lines, &grid, NULL), ZP_OK);
  zp_depth_table *t = NULL;
  cr_assert_eq(zp_depth_table_build(&grid, &pt, pt.res.a, pt.res.a, &t, NULL), ZP_OK);
  cr_expect(zp_depth_table_fits(t, &grid, &pt));
  cr_expect(!zp_depth_table_fits(t, &grid, &out), "a wider line is outside the table");
  zp_depth_table_free(t);
  zp_grid_free(&grid);
  compare_case(c, 1e-3, 1e-3, 1);
}
