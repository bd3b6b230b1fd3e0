/* zprop: energy bins and redshift shells. SPDX-License-Identifier: MIT */
#include "transport/grid.h"

#include <math.h>
#include <stdlib.h>

zp_status zp_egrid_init(const zp_grid_spec *spec, zp_egrid *g, zp_error *err) {
  g->nbins = 0;
  g->edges = g->mean_energy = NULL;
  if (!(spec->emin_gev > 0.0) || !(spec->emax_gev > spec->emin_gev))
    return zp_error_set(err, ZP_EINVAL,
                        "emin = %g, emax = %g GeV: empty grid, need 0 < emin < emax",
                        spec->emin_gev, spec->emax_gev);
  if (!(spec->bins_per_decade >= 1.0) || !isfinite(spec->bins_per_decade))
    return zp_error_set(err, ZP_EINVAL, "bins_per_decade = %g: allowed [1, 1000]",
                        spec->bins_per_decade);
  double decades = log10(spec->emax_gev / spec->emin_gev);
  double nb = round(decades * spec->bins_per_decade);
  if (nb < 1.0) nb = 1.0;
  if (nb > 1e6) return zp_error_set(err, ZP_EINVAL, "grid of %.0f bins is too large", nb);
  size_t n = (size_t)nb;
  g->edges = malloc((n + 1) * sizeof *g->edges);
  g->mean_energy = malloc(n * sizeof *g->mean_energy);
  if (g->edges == NULL || g->mean_energy == NULL) {
    zp_egrid_free(g);
    return zp_error_set(err, ZP_ENOMEM, "energy grid of %zu bins", n);
  }
  g->nbins = n;
  double lmin = log(spec->emin_gev), lmax = log(spec->emax_gev);
  g->h = (lmax - lmin) / (double)n;
  for (size_t b = 0; b <= n; ++b) g->edges[b] = exp(lmin + g->h * (double)b);
  g->edges[0] = spec->emin_gev; /* the ends are the user's numbers, not rounded */
  g->edges[n] = spec->emax_gev;
  for (size_t b = 0; b < n; ++b) g->mean_energy[b] = (g->edges[b + 1] - g->edges[b]) / g->h;
  return ZP_OK;
}

void zp_egrid_free(zp_egrid *g) {
  if (g == NULL) return;
  free(g->edges);
  free(g->mean_energy);
  g->edges = g->mean_energy = NULL;
  g->nbins = 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

zp_status zp_zgrid_init(double h_bin, int shells_per_bin, double ztop, const double *extra,
                        size_t nextra, zp_zgrid *zg, zp_error *err) {
  zg->nshells = 0;
  zg->v = NULL;
  if (!(ztop > 0.0)) return zp_error_set(err, ZP_EINVAL, "redshift range top %g must be > 0", ztop);
  if (shells_per_bin < 1)
    return zp_error_set(err, ZP_EINVAL, "shells_per_bin = %d: allowed [1, 16]", shells_per_bin);
  double dv = h_bin / (double)shells_per_bin;
  double vtop = log1p(ztop);
  double full = floor(vtop / dv);
  double rem = vtop - full * dv;
  size_t n = (size_t)full + (rem > 0.25 * dv ? 1 : 0);
  if (n == 0) n = 1;
  zg->v = malloc((n + 1 + nextra) * sizeof *zg->v);
  if (zg->v == NULL) return zp_error_set(err, ZP_ENOMEM, "%zu redshift shells", n);
  for (size_t k = 0; k < n; ++k) zg->v[k] = dv * (double)k;
  zg->v[n] = vtop;
  size_t nedges = n + 1;
  for (size_t e = 0; e < nextra; ++e) {
    double ve = log1p(extra[e]);
    if (!(ve > 0.0) || !(ve < vtop)) continue;
    int dup = 0;
    for (size_t k = 0; k < nedges; ++k)
      if (fabs(zg->v[k] - ve) < 1e-12) {
        zg->v[k] = ve; /* exactly the requested redshift */
        dup = 1;
      }
    if (!dup) zg->v[nedges++] = ve;
  }
  qsort(zg->v, nedges, sizeof *zg->v, cmp_double);
  zg->nshells = nedges - 1;
  return ZP_OK;
}

void zp_zgrid_free(zp_zgrid *zg) {
  if (zg == NULL) return;
  free(zg->v);
  zg->v = NULL;
  zg->nshells = 0;
}
