/* zprop: preparing a propagation problem. SPDX-License-Identifier: MIT */
#include "transport/problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/physics.h"

double zp_source_ztop(const zp_source *src) {
  return src->kind == ZP_SOURCE_DELTA ? src->z0 : src->zmax;
}

zp_status zp_grid_init(const zp_config *cfg, double ztop, const double *extra, size_t nextra,
                       zp_grid *g, zp_error *err) {
  memset(g, 0, sizeof *g);
  zp_status st = zp_egrid_init(&cfg->grid, &g->eg, err);
  if (st == ZP_OK)
    st = zp_zgrid_init(g->eg.h, cfg->transport.shells_per_bin, ztop, extra, nextra, &g->zg, err);
  if (st == ZP_OK) st = zp_regen_kernel_init(g->eg.nbins, g->eg.h, &g->kern, err);
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

zp_status zp_point_init(const zp_config *cfg, const zp_grid *g, zp_point_physics *pt,
                        zp_error *err) {
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
    pt->regen_fraction = g->regeneration ? 2.0 * gnu / (2.0 * gnu + gchi) : 0.0;
  }
  return ZP_OK;
}

/* Integral of (E/E_ref)^-gamma over [elo, elo e^h], in a form that stays
 * accurate at gamma = 1. */
static double bin_power(double elo, double h, double gamma) {
  double t = (1.0 - gamma) * h;
  double phi = fabs(t) < 1e-8 ? 1.0 + 0.5 * t : expm1(t) / t;
  return ZP_E_REF_GEV * pow(elo / ZP_E_REF_GEV, 1.0 - gamma) * h * phi;
}

zp_status zp_source_terms_init(const zp_source *src, double norm, const zp_grid *g,
                               zp_source_terms *s, zp_error *err) {
  memset(s, 0, sizeof *s);
  size_t nb = g->eg.nbins, ns = g->zg.nshells;
  s->bin_power = malloc(nb * sizeof *s->bin_power);
  s->shell_source = calloc(ns, sizeof *s->shell_source);
  if (s->bin_power == NULL || s->shell_source == NULL) {
    zp_source_terms_free(s);
    return zp_error_set(err, ZP_ENOMEM, "source arrays of %zu bins", nb);
  }
  for (size_t b = 0; b < nb; ++b) s->bin_power[b] = bin_power(g->eg.edges[b], g->eg.h, src->gamma);
  double dh = zp_hubble_distance_cm();
  zp_status st = ZP_OK;
  if (src->kind == ZP_SOURCE_DELTA) {
    /* Injected whole at the top edge of the shell that ends at z0 (the grid
     * has an edge there), before that shell's attenuation. */
    double v0 = log1p(src->z0), val;
    size_t k = ns;
    for (size_t i = 0; i < ns; ++i)
      if (fabs(g->zg.v[i + 1] - v0) < 1e-12) k = i;
    if (k == ns) st = zp_error_set(err, ZP_EINVAL, "z0 = %g is not a shell edge of the grid", src->z0);
    if (st == ZP_OK) st = zp_source_shell_integral(src, src->z0, src->z0 + 1.0, &val, err);
    if (st == ZP_OK) s->shell_source[k] = val * dh;
    s->pre_fraction = 1.0;
  } else {
    for (size_t k = 0; k < ns && st == ZP_OK; ++k) {
      double val;
      st = zp_source_shell_integral(src, expm1(g->zg.v[k]), expm1(g->zg.v[k + 1]), &val, err);
      s->shell_source[k] = val * dh;
    }
    /* Sources spread over a shell meet, on average, half its attenuation. */
    s->pre_fraction = 0.5;
  }
  if (st != ZP_OK) {
    zp_source_terms_free(s);
    return st;
  }
  for (size_t k = 0; k < ns; ++k) s->source_total += s->shell_source[k];
  if (!(s->source_total > 0.0)) {
    zp_source_terms_free(s);
    return zp_error_set(err, ZP_EINVAL,
                        "source: no neutrinos are injected between z = 0 and zmax = %g", src->zmax);
  }
  /* A so that the per-flavour (all-flavour / 3) free-streaming flux at
   * E_ref equals norm: Phi = c/(4 pi) A (E/E_ref)^-gamma source_total. */
  s->norm_a = 3.0 * norm * 4.0 * ZP_PI / (ZP_C_CM_S * s->source_total);
  return ZP_OK;
}

void zp_source_terms_free(zp_source_terms *s) {
  if (s == NULL) return;
  free(s->bin_power);
  free(s->shell_source);
  s->bin_power = s->shell_source = NULL;
}

zp_status zp_problem_init(const zp_config *cfg, zp_problem *p, zp_error *err) {
  memset(p, 0, sizeof *p);
  zp_status st = zp_config_check(cfg, err);
  if (st == ZP_OK) st = zp_grid_init(cfg, zp_source_ztop(&cfg->source), NULL, 0, &p->grid, err);
  if (st == ZP_OK) st = zp_point_init(cfg, &p->grid, &p->point, err);
  if (st == ZP_OK) st = zp_source_terms_init(&cfg->source, cfg->norm, &p->grid, &p->src, err);
  if (st != ZP_OK) zp_problem_free(p);
  return st;
}

void zp_problem_free(zp_problem *p) {
  if (p == NULL) return;
  zp_grid_free(&p->grid);
  zp_source_terms_free(&p->src);
}

int zp_thermal_target(const zp_grid *g, const zp_point_physics *pt, int j, size_t k) {
  double m = pt->mix.masses_ev[j] * ZP_EV_GEV;
  if (g->thermal == ZP_THERMAL_ALWAYS) return 1;
  if (g->thermal == ZP_THERMAL_OFF) return 0;
  return m < g->thermal_kappa * zp_t0_gev() * exp(g->zg.v[k + 1]);
}

void zp_survival(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival) {
  const size_t nb = g->eg.nbins;
  if (!pt->interacting) {
    for (size_t r = 0; r < 3 * nb; ++r) survival[r] = 1.0;
    return;
  }
  int thermal[3];
  for (int j = 0; j < 3; ++j) thermal[j] = zp_thermal_target(g, pt, j, k);
  const double v0 = g->zg.v[k], v1 = g->zg.v[k + 1], h = g->eg.h;
  zp_shell_weight sw;
  zp_shell_weight_init(&sw, v0, v1);
  /* depths below this change no survival by more than 1e-14 */
  const double floor = 1e-14 / pt->k_attn;
/* One bin per task: the costly bins (thermal, near a line) are neighbours. */
#pragma omp parallel for schedule(dynamic, 1)
  for (long lb = 0; lb < (long)nb; ++lb) {
    size_t b = (size_t)lb;
    double u0 = log(g->eg.edges[0]) + h * (double)b, tau_t[3];
    for (int j = 0; j < 3; ++j) {
      double mj = pt->mix.masses_ev[j] * ZP_EV_GEV;
      if (thermal[j] && zp_thermal_reaches_resonance(&g->rule, pt->res, mj, u0, h, v0, v1))
        tau_t[j] = zp_tau_thermal(&g->rule, pt->res, mj, u0, h, v0, v1);
      else
        tau_t[j] = mj > 0.0 ? zp_tau_at_rest_w(pt->res, mj, u0, h, &sw, floor) : 0.0;
    }
    for (int i = 0; i < 3; ++i) {
      double tau = 0.0;
      for (int j = 0; j < 3; ++j) tau += pt->mix.q2[i][j] * tau_t[j];
      survival[zp_state_index(nb, b, i)] = exp(-pt->k_attn * tau);
    }
  }
}

void zp_problem_source(const zp_problem *p, size_t k, double *s) {
  const size_t nb = p->grid.eg.nbins;
  double zf = p->src.norm_a * p->src.shell_source[k];
  for (size_t b = 0; b < nb; ++b)
    for (int i = 0; i < 3; ++i)
      s[zp_state_index(nb, b, i)] = zf * p->point.weights[i] * p->src.bin_power[b];
}
