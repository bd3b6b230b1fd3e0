/* zprop: energy bins and redshift shells. SPDX-License-Identifier: MIT */
#include "transport/grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Edges, logs and mean energies of the transport bins from lnedge. */
static void fill_bins(zp_egrid *g) {
  for (size_t b = 0; b <= g->nbins; ++b) g->edges[b] = exp(g->lnedge[b]);
  g->edges[0] = g->uedges[0]; /* the ends are the user's numbers, not rounded */
  g->edges[g->nbins] = g->uedges[g->nuser];
  for (size_t b = 0; b < g->nbins; ++b) {
    g->mean_energy[b] = (g->edges[b + 1] - g->edges[b]) / (g->lnedge[b + 1] - g->lnedge[b]);
    zp_rest_bin_init(&g->rest[b], g->lnedge[b], g->lnedge[b + 1] - g->lnedge[b]);
  }
  zp_rest_lanes_fill(g->rest, g->nbins, g->rest_lanes);
  for (size_t u = 0, b = 0; u <= g->nuser; ++u) {
    double target = log(g->uedges[u]);
    while (b < g->nbins && g->lnedge[b] < target - 1e-9 * g->h) ++b;
    g->ufirst[u] = b;
  }
  g->ufirst[g->nuser] = g->nbins;
}

static zp_status alloc_bins(zp_egrid *g, size_t n, zp_error *err) {
  free(g->edges);
  free(g->lnedge);
  free(g->mean_energy);
  free(g->rest);
  free(g->rest_lanes);
  g->edges = malloc((n + 1) * sizeof *g->edges);
  g->lnedge = malloc((n + 1) * sizeof *g->lnedge);
  g->mean_energy = malloc(n * sizeof *g->mean_energy);
  g->rest = malloc(n * sizeof *g->rest);
  g->rest_lanes = malloc(5 * n * sizeof *g->rest_lanes);
  if (g->edges == NULL || g->lnedge == NULL || g->mean_energy == NULL || g->rest == NULL ||
      g->rest_lanes == NULL)
    return zp_error_set(err, ZP_ENOMEM, "energy grid of %zu bins", n);
  return ZP_OK;
}

zp_status zp_egrid_init(const zp_grid_spec *spec, zp_egrid *g, zp_error *err) {
  *g = (zp_egrid){0};
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
  g->uedges = malloc((n + 1) * sizeof *g->uedges);
  g->ufirst = malloc((n + 1) * sizeof *g->ufirst);
  zp_status st = g->uedges != NULL && g->ufirst != NULL
                     ? alloc_bins(g, n, err)
                     : zp_error_set(err, ZP_ENOMEM, "energy grid of %zu bins", n);
  if (st != ZP_OK) {
    zp_egrid_free(g);
    return st;
  }
  g->nuser = g->nbins = n;
  double lmin = log(spec->emin_gev), lmax = log(spec->emax_gev);
  g->h = (lmax - lmin) / (double)n;
  for (size_t b = 0; b <= n; ++b) g->lnedge[b] = lmin + g->h * (double)b;
  g->lnedge[n] = lmax;
  for (size_t b = 0; b <= n; ++b) g->uedges[b] = exp(g->lnedge[b]);
  g->uedges[0] = spec->emin_gev;
  g->uedges[n] = spec->emax_gev;
  fill_bins(g);
  return ZP_OK;
}

zp_status zp_egrid_refine(zp_egrid *g, const double *lncut, size_t ncut, size_t nbins,
                          zp_error *err) {
  size_t nu = g->nuser;
  if (nbins < nu + ncut)
    return zp_error_set(err, ZP_EINVAL, "%zu transport bins cannot hold %zu bins and %zu cuts",
                        nbins, nu, ncut);
  double *e = malloc((nbins + 1) * sizeof *e);
  if (e == NULL) return zp_error_set(err, ZP_ENOMEM, "energy grid of %zu bins", nbins);
  /* Cuts closer than tol to a user edge or to a cut kept before them are
   * dropped: a window edge moved by 1e-4 of a bin changes that bin's
   * content by at most that fraction. */
  size_t ncand = 0;
  const double lo = log(g->uedges[0]), tol = 1e-4 * g->h;
  for (size_t c = 0; c < ncut; ++c) {
    double x = lncut[c], near = 2.0 * tol;
    if (!isfinite(x)) continue;
    long u = lround((x - lo) / g->h);
    for (long v = u - 1; v <= u + 1; ++v)
      if (v >= 0 && v <= (long)nu) near = fmin(near, fabs(x - log(g->uedges[v])));
    if (near >= tol && x > lo && x < log(g->uedges[nu])) e[ncand++] = x;
  }
  qsort(e, ncand, sizeof *e, cmp_double);
  size_t kept = 0;
  for (size_t c = 0; c < ncand; ++c)
    if (kept == 0 || e[c] - e[kept - 1] >= tol) e[kept++] = e[c];
  for (size_t u = 0; u <= nu; ++u) e[kept++] = log(g->uedges[u]);
  qsort(e, kept, sizeof *e, cmp_double);
  size_t ne = kept;
  /* Pad to the fixed size by halving the widest bins (the lowest first). */
  while (ne < nbins + 1) {
    size_t wide = 0;
    for (size_t i = 1; i + 1 < ne; ++i)
      if (e[i + 1] - e[i] > e[wide + 1] - e[wide]) wide = i;
    memmove(e + wide + 2, e + wide + 1, (ne - wide - 1) * sizeof *e);
    e[wide + 1] = 0.5 * (e[wide] + e[wide + 2]);
    ++ne;
  }
  zp_status st = alloc_bins(g, nbins, err);
  if (st == ZP_OK) {
    g->nbins = nbins;
    memcpy(g->lnedge, e, (nbins + 1) * sizeof *e);
    fill_bins(g);
  }
  free(e);
  return st;
}

void zp_egrid_fold(const zp_egrid *g, const double *y, double *out) {
  for (size_t u = 0; u < g->nuser; ++u)
    for (int i = 0; i < 3; ++i) {
      double sum = 0.0;
      for (size_t b = g->ufirst[u]; b < g->ufirst[u + 1]; ++b)
        sum += y[zp_state_index(g->nbins, b, i)];
      out[zp_state_index(g->nuser, u, i)] = sum;
    }
}

void zp_egrid_free(zp_egrid *g) {
  if (g == NULL) return;
  free(g->edges);
  free(g->lnedge);
  free(g->mean_energy);
  free(g->rest);
  free(g->rest_lanes);
  free(g->uedges);
  free(g->ufirst);
  *g = (zp_egrid){0};
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
