/* zprop: preparing a propagation problem. SPDX-License-Identifier: MIT */
#include "problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "zprop/physics.h"

/* Integral of (E/E_ref)^-gamma over [elo, elo e^h], in a form that stays
 * accurate at gamma = 1. */
static double bin_power(double elo, double h, double gamma) {
  double t = (1.0 - gamma) * h;
  double phi = fabs(t) < 1e-8 ? 1.0 + 0.5 * t : expm1(t) / t;
  return ZP_E_REF_GEV * pow(elo / ZP_E_REF_GEV, 1.0 - gamma) * h * phi;
}

static zp_status source_terms(const zp_config *cfg, zp_problem *p, zp_error *err) {
  const zp_source *src = &cfg->source;
  size_t ns = p->zg.nshells;
  double dh = zp_hubble_distance_cm();
  memset(p->shell_source, 0, ns * sizeof *p->shell_source);
  if (src->kind == ZP_SOURCE_DELTA) {
    /* Injected at the top edge of the grid, which is z0 exactly. */
    double val;
    zp_status st = zp_source_shell_integral(src, src->z0, src->z0 + 1.0, &val, err);
    if (st != ZP_OK) return st;
    p->shell_source[ns - 1] = val * dh;
    p->source_at_top = 1;
  } else {
    for (size_t k = 0; k < ns; ++k) {
      double val;
      zp_status st =
          zp_source_shell_integral(src, expm1(p->zg.v[k]), expm1(p->zg.v[k + 1]), &val, err);
      if (st != ZP_OK) return st;
      p->shell_source[k] = val * dh;
    }
  }
  p->source_total = 0.0;
  for (size_t k = 0; k < ns; ++k) p->source_total += p->shell_source[k];
  if (!(p->source_total > 0.0))
    return zp_error_set(err, ZP_EINVAL,
                        "source: no neutrinos are injected between z = 0 and zmax = %g",
                        src->zmax);
  return ZP_OK;
}

zp_status zp_problem_init(const zp_config *cfg, zp_problem *p, zp_error *err) {
  memset(p, 0, sizeof *p);
  zp_status st = zp_config_check(cfg, err);
  if (st == ZP_OK) st = zp_mixing_init(&cfg->osc, cfg->ordering, cfg->sum_mnu_ev, &p->mix, err);
  if (st == ZP_OK) st = zp_egrid_init(&cfg->grid, &p->eg, err);
  if (st != ZP_OK) return st;
  double ztop = cfg->source.kind == ZP_SOURCE_DELTA ? cfg->source.z0 : cfg->source.zmax;
  st = zp_zgrid_init(p->eg.h, cfg->transport.shells_per_bin, ztop, &p->zg, err);
  if (st == ZP_OK) st = zp_regen_kernel_init(p->eg.nbins, p->eg.h, &p->kern, err);
  if (st == ZP_OK) st = zp_thermal_rule_init(&p->rule, 24, 8, err);
  if (st != ZP_OK) {
    zp_problem_free(p);
    return st;
  }
  size_t n = p->eg.nbins;
  p->bin_power = malloc(n * sizeof *p->bin_power);
  p->shell_source = malloc(p->zg.nshells * sizeof *p->shell_source);
  if (p->bin_power == NULL || p->shell_source == NULL) {
    zp_problem_free(p);
    return zp_error_set(err, ZP_ENOMEM, "source arrays of %zu bins", n);
  }
  for (size_t b = 0; b < n; ++b) p->bin_power[b] = bin_power(p->eg.edges[b], p->eg.h, cfg->source.gamma);
  if ((st = source_terms(cfg, p, err)) != ZP_OK) {
    zp_problem_free(p);
    return st;
  }

  /* Mass-state weights from the flavour ratio at the source. */
  double wsum = 0.0;
  for (int i = 0; i < 3; ++i) {
    double w = 1.0 / 3.0;
    if (!cfg->flavor_equal) {
      w = 0.0;
      for (int a = 0; a < 3; ++a) w += cfg->flavor_ratio[a] * p->mix.u2[a][i];
    }
    p->weights[i] = w;
    wsum += w;
  }
  for (int i = 0; i < 3; ++i) p->weights[i] /= wsum;

  /* A so that the per-flavour (all-flavour / 3) free-streaming flux at
   * E_ref equals norm: Phi = c/(4 pi) A (E/E_ref)^-gamma source_total. */
  p->norm_a = 3.0 * cfg->norm * 4.0 * ZP_PI / (ZP_C_CM_S * p->source_total);

  const zp_zprime *zq = &cfg->zprime;
  double m = zq->mzp_mev * ZP_MEV_GEV;
  double gnu = zp_width_nu(zq->gzp, m), gchi = zp_width_chi(zq->gchi, zq->mchi_mev * ZP_MEV_GEV, m);
  p->interacting = zq->gzp > 0.0;
  p->res.m2 = m * m;
  p->res.a = m * (gnu + gchi);
  if (p->interacting) {
    double g2 = zq->gzp * zq->gzp;
    /* sigma_chi / sigma = Gamma_chi / (2 Gamma_nu): the share of scatterings
     * that regenerate is then the paper's r = 2 Gn / (2 Gn + Gchi). */
    p->k_attn = 2.0 * g2 * g2 / (3.0 * ZP_PI) * (1.0 + gchi / (2.0 * gnu));
    p->regen_fraction = cfg->transport.regeneration ? 2.0 * gnu / (2.0 * gnu + gchi) : 0.0;
  }
  p->thermal = cfg->transport.thermal;
  p->thermal_kappa = cfg->transport.thermal_kappa;
  return ZP_OK;
}

void zp_problem_free(zp_problem *p) {
  if (p == NULL) return;
  zp_egrid_free(&p->eg);
  zp_zgrid_free(&p->zg);
  zp_regen_kernel_free(&p->kern);
  free(p->bin_power);
  free(p->shell_source);
  p->bin_power = p->shell_source = NULL;
}

int zp_problem_thermal_target(const zp_problem *p, int j, size_t k) {
  double m = p->mix.masses_ev[j] * ZP_EV_GEV;
  if (p->thermal == ZP_THERMAL_ALWAYS) return 1;
  if (p->thermal == ZP_THERMAL_OFF) return 0;
  return m < p->thermal_kappa * zp_t0_gev() * exp(p->zg.v[k + 1]);
}

void zp_problem_survival(const zp_problem *p, size_t k, double *survival) {
  const size_t nb = p->eg.nbins;
  if (!p->interacting) {
    for (size_t r = 0; r < 3 * nb; ++r) survival[r] = 1.0;
    return;
  }
  int thermal[3];
  for (int j = 0; j < 3; ++j) thermal[j] = zp_problem_thermal_target(p, j, k);
  const double v0 = p->zg.v[k], v1 = p->zg.v[k + 1], h = p->eg.h;
#pragma omp parallel for schedule(dynamic, 8)
  for (long lb = 0; lb < (long)nb; ++lb) {
    size_t b = (size_t)lb;
    double u0 = log(p->eg.edges[0]) + h * (double)b, tau_t[3];
    for (int j = 0; j < 3; ++j) {
      double mj = p->mix.masses_ev[j] * ZP_EV_GEV;
      if (thermal[j])
        tau_t[j] = zp_tau_thermal(&p->rule, p->res, mj, u0, h, v0, v1);
      else
        tau_t[j] = mj > 0.0 ? zp_tau_at_rest(p->res, mj, u0, h, v0, v1) : 0.0;
    }
    for (int i = 0; i < 3; ++i) {
      double tau = 0.0;
      for (int j = 0; j < 3; ++j) tau += p->mix.q2[i][j] * tau_t[j];
      survival[zp_state_index(nb, b, i)] = exp(-p->k_attn * tau);
    }
  }
}

void zp_problem_source(const zp_problem *p, size_t k, double *s) {
  const size_t nb = p->eg.nbins;
  double zf = p->norm_a * p->shell_source[k];
  for (size_t b = 0; b < nb; ++b)
    for (int i = 0; i < 3; ++i) s[zp_state_index(nb, b, i)] = zf * p->weights[i] * p->bin_power[b];
}
