/* zprop: a propagation problem, in the order its data flow: the grid
 * (energy bins, redshift shells, regeneration kernel), the model point
 * (mixing, resonance, regeneration share); then the optical depths of
 * every shell (optical_depth.c) and the source terms (source_terms.c),
 * which the shell loop (propagate.c, shell_loop.c) runs on a backend.
 * SPDX-License-Identifier: MIT */
#include "transport/problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/physics.h"

double zp_source_ztop(const zp_source *src) {
  return src->kind == ZP_SOURCE_DELTA ? src->z0 : src->zmax;
}

zp_status zp_grid_init(const zp_config *cfg, double ztop, const double *extra, size_t nextra,
                       const double *lines, zp_grid *g, zp_error *err) {
  memset(g, 0, sizeof *g);
  zp_status st = zp_egrid_init(&cfg->grid, &g->eg, err);
  if (st == ZP_OK)
    st = zp_zgrid_init(g->eg.h, cfg->transport.shells_per_bin, ztop, extra, nextra, &g->zg, err);
  double *cut = NULL;
  size_t ncut = 0, nedge = g->zg.nshells + 1;
  if (st == ZP_OK && (cut = malloc(3 * nedge * sizeof *cut)) == NULL)
    st = zp_error_set(err, ZP_ENOMEM, "window edges of %zu shells", g->zg.nshells);
  for (int j = 0; st == ZP_OK && lines != NULL && j < 3; ++j)
    for (size_t k = 0; isfinite(lines[j]) && k < nedge; ++k) cut[ncut++] = lines[j] - g->zg.v[k];
  if (st == ZP_OK)
    st = zp_egrid_refine(&g->eg, cut, ncut, zp_transport_bins(g->eg.nuser, g->zg.nshells), err);
  free(cut);
  if (st == ZP_OK) st = zp_regen_kernel_init(g->eg.nbins, g->eg.lnedge, &g->kern, err);
  if (st == ZP_OK) st = zp_thermal_rule_init(&g->rule, 8, 4, err);
  if (st != ZP_OK) {
    zp_grid_free(g);
    return st;
  }
  g->thermal = cfg->transport.thermal;
  g->thermal_kappa = cfg->transport.thermal_kappa;
  g->regeneration = cfg->transport.regeneration;
  return ZP_OK;
}

void zp_grid_free(zp_grid *g) {
  if (g == NULL) return;
  zp_egrid_free(&g->eg);
  zp_zgrid_free(&g->zg);
  zp_regen_kernel_free(&g->kern);
}

zp_status zp_point_init(const zp_config *cfg, zp_point_physics *pt, zp_error *err) {
  memset(pt, 0, sizeof *pt);
  zp_status st = zp_mixing_init(&cfg->osc, cfg->ordering, cfg->sum_mnu_ev, &pt->mix, err);
  if (st != ZP_OK) return st;
  /* Mass-state weights from the flavour ratio at the source. */
  double wsum = 0.0;
  for (int i = 0; i < 3; ++i) {
    double w = 1.0 / 3.0;
    if (!cfg->flavor_equal) {
      w = 0.0;
      for (int a = 0; a < 3; ++a) w += cfg->flavor_ratio[a] * pt->mix.u2[a][i];
    }
    pt->weights[i] = w;
    wsum += w;
  }
  for (int i = 0; i < 3; ++i) pt->weights[i] /= wsum;

  const zp_zprime *zq = &cfg->zprime;
  double m = zq->mzp_mev * ZP_MEV_GEV;
  double gnu = zp_width_nu(zq->gzp, m), gchi = zp_width_chi(zq->gchi, zq->mchi_mev * ZP_MEV_GEV, m);
  pt->interacting = zq->gzp > 0.0;
  pt->res.m2 = m * m;
  pt->res.a = m * (gnu + gchi);
  if (pt->interacting) {
    double g2 = zq->gzp * zq->gzp;
    /* sigma_chi / sigma = Gamma_chi / (2 Gamma_nu): the share of scatterings
     * that regenerate is then the paper's r = 2 Gn / (2 Gn + Gchi). */
    pt->k_attn = 2.0 * g2 * g2 / (3.0 * ZP_PI) * (1.0 + gchi / (2.0 * gnu));
    pt->regen_fraction = cfg->transport.regeneration ? 2.0 * gnu / (2.0 * gnu + gchi) : 0.0;
  }
  return ZP_OK;
}

void zp_point_lines(const zp_point_physics *pt, double lines[3]) {
  for (int j = 0; j < 3; ++j) {
    double m = pt->mix.masses_ev[j] * ZP_EV_GEV;
    lines[j] = pt->interacting && m > 0.0 ? log(pt->res.m2 / (2.0 * m)) : NAN;
  }
}

zp_status zp_problem_init(const zp_config *cfg, zp_problem *p, zp_error *err) {
  memset(p, 0, sizeof *p);
  double lines[3];
  zp_status st = zp_config_check(cfg, err);
  if (st == ZP_OK) st = zp_point_init(cfg, &p->point, err);
  if (st == ZP_OK) zp_point_lines(&p->point, lines);
  if (st == ZP_OK)
    st = zp_grid_init(cfg, zp_source_ztop(&cfg->source), NULL, 0, lines, &p->grid, err);
  if (st == ZP_OK) st = zp_source_terms_init(&cfg->source, cfg->norm, &p->grid, &p->src, err);
  if (st != ZP_OK) zp_problem_free(p);
  return st;
}

void zp_problem_free(zp_problem *p) {
  if (p == NULL) return;
  zp_grid_free(&p->grid);
  zp_source_terms_free(&p->src);
}
