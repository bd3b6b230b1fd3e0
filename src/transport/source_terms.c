/* zprop: the source terms of a propagation: the spectral shape integrated
 * over every energy bin, the redshift distribution over every shell, and
 * the normalisation A.  SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/physics.h"
#include "transport/problem.h"

/* Integral of (E/E_ref)^-gamma over [elo, elo e^h], lu = ln(elo/E_ref), in
 * a form that stays accurate at gamma = 1 (exp of the grid's logs: a scan's
 * refinement rounds take thousands per point, and pow costs three exps). */
static double bin_power(double lu, double h, double gamma) {
  double t = (1.0 - gamma) * h;
  double phi = fabs(t) < 1e-8 ? 1.0 + 0.5 * t : expm1(t) / t;
  return ZP_E_REF_GEV * exp((1.0 - gamma) * lu) * h * phi;
}

void zp_bin_powers(const zp_egrid *eg, double gamma, double *out) {
  const double lref = log(ZP_E_REF_GEV);
  for (size_t b = 0; b < eg->nbins; ++b)
    out[b] = bin_power(eg->lnedge[b] - lref, eg->lnedge[b + 1] - eg->lnedge[b], gamma);
}

zp_status zp_source_terms_alloc(const zp_grid *g, zp_source_terms *s, zp_error *err) {
  memset(s, 0, sizeof *s);
  size_t nb = g->eg.nbins, ns = g->zg.nshells;
  s->bin_power = malloc(nb * sizeof *s->bin_power);
  s->shell_source = calloc(ns, sizeof *s->shell_source);
  if (s->bin_power == NULL || s->shell_source == NULL) {
    zp_source_terms_free(s);
    return zp_error_set(err, ZP_ENOMEM, "source arrays of %zu bins", nb);
  }
  return ZP_OK;
}

zp_status zp_source_terms_shells(const zp_source *src, const zp_grid *g, zp_source_terms *s,
                                 zp_error *err) {
  size_t ns = g->zg.nshells;
  double dh = zp_hubble_distance_cm();
  zp_status st = ZP_OK;
  if (src->kind == ZP_SOURCE_DELTA) {
    /* Injected whole at the top edge of the shell that ends at z0 (the grid
     * has an edge there), before that shell's attenuation. */
    double v0 = log1p(src->z0), val;
    size_t k = ns;
    for (size_t i = 0; i < ns; ++i)
      if (fabs(g->zg.v[i + 1] - v0) < 1e-12) k = i;
    if (k == ns)
      st = zp_error_set(err, ZP_EINVAL, "z0 = %g is not a shell edge of the grid", src->z0);
    if (st == ZP_OK) st = zp_source_shell_integral(src, src->z0, src->z0 + 1.0, &val, err);
    if (st == ZP_OK) s->shell_source[k] = val * dh;
    s->pre_fraction = 1.0;
  } else {
    for (size_t k = 0; k < ns && st == ZP_OK; ++k) {
      double val;
      st = zp_source_shell_integral(src, expm1(g->zg.v[k]), expm1(g->zg.v[k + 1]), &val, err);
      s->shell_source[k] = val * dh;
    }
    /* Spread over the shell: split per bin by zp_survival's inject shares. */
    s->pre_fraction = 0.0;
  }
  if (st != ZP_OK) zp_source_terms_free(s);
  return st;
}

zp_status zp_source_terms_complete(const zp_source *src, double norm, const zp_grid *g,
                                   zp_source_terms *s, zp_error *err) {
  zp_bin_powers(&g->eg, src->gamma, s->bin_power);
  s->source_total = 0.0;
  for (size_t k = 0; k < g->zg.nshells; ++k) s->source_total += s->shell_source[k];
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

zp_status zp_source_terms_init(const zp_source *src, double norm, const zp_grid *g,
                               zp_source_terms *s, zp_error *err) {
  zp_status st = zp_source_terms_alloc(g, s, err);
  if (st == ZP_OK) st = zp_source_terms_shells(src, g, s, err);
  if (st == ZP_OK) st = zp_source_terms_complete(src, norm, g, s, err);
  return st;
}

void zp_source_terms_free(zp_source_terms *s) {
  if (s == NULL) return;
  free(s->bin_power);
  free(s->shell_source);
  s->bin_power = s->shell_source = NULL;
}

void zp_problem_source(const zp_problem *p, size_t k, double *s) {
  const size_t nb = p->grid.eg.nbins;
  double zf = p->src.norm_a * p->src.shell_source[k];
  const double zw[3] = {zf * p->point.weights[0], zf * p->point.weights[1],
                        zf * p->point.weights[2]};
  const double *bp = p->src.bin_power;
  /* from the highest bin down: the state vector's order, one forward pass */
  for (size_t b = nb; b-- > 0;)
    for (int i = 0; i < 3; ++i) s[zp_state_index(nb, b, i)] = zw[i] * bp[b];
}
