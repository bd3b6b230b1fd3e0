/* zprop: the profile over gamma on a lattice, searched (gamma_search.h).
 * SPDX-License-Identifier: MIT */
#include "analysis/gamma_search.h"

#include <math.h>
#include <stdlib.h>

enum { SEARCH_CAP = 8 };

void zp_profile_values(const double *gammas, const double *c2, const double *lns, size_t ng,
                       double *chi2, double *gamma, double *scale) {
  double ymin;
  *gamma = zp_parabola_min(gammas, c2, ng, &ymin);
  size_t i = 0;
  for (size_t j = 1; j < ng; ++j)
    if (c2[j] < c2[i]) i = j;
  if (i == 0 || i + 1 >= ng) {
    *chi2 = c2[i];
    *scale = exp(lns[i]);
    return;
  }
  /* value and ln(scale) of the parabolas at the vertex */
  double x = *gamma, x0 = gammas[i - 1], x1 = gammas[i], x2 = gammas[i + 1];
  double l0 = (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2));
  double l1 = (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2));
  double l2 = (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1));
  *chi2 = l0 * c2[i - 1] + l1 * c2[i] + l2 * c2[i + 1];
  *scale = exp(l0 * lns[i - 1] + l1 * lns[i] + l2 * lns[i + 1]);
}

size_t zp_chi2_model_rows(const zp_fit_opts *o) {
  size_t rows = 1;
  for (size_t k = 0; k < o->ndata; ++k) rows += o->data[k]->nbins;
  return rows;
}

zp_status zp_chi2_of_fluxes(const zp_fit_opts *o, size_t nbins, const double *edges,
                            const double *phi, double *model, double *c2, double *lns,
                            zp_error *err) {
  double *m = model;
  for (size_t k = 0; k < o->ndata; ++k) {
    zp_status st = zp_model_in_data_bins(o->data[k], o->flux, nbins, edges, phi, m, err);
    if (st != ZP_OK) return st;
    m += o->data[k]->nbins;
  }
  double s = 1.0;
  *c2 = o->profile_norm ? zp_chi2_profile_scale(o, model, &s) : zp_chi2_eval(o, model, 1.0);
  *lns = log(fmax(s, 1e-300));
  return ZP_OK;
}

static double lattice_gamma(const zp_gamma_search *s, size_t i) {
  return s->o->gamma_min + s->o->gamma_step * (double)i;
}

static size_t lattice_index(const zp_gamma_search *s, double gamma) {
  double t = round((gamma - s->o->gamma_min) / s->o->gamma_step);
  return t <= 0.0 ? 0 : (t >= (double)(s->lattice - 1) ? s->lattice - 1 : (size_t)t);
}

/* Adds lattice index i to the request unless known or already asked. */
static void ask(const double *c2, size_t i, size_t *want, size_t *n) {
  if (!isnan(c2[i]) || *n >= SEARCH_CAP) return;
  for (size_t a = 0; a < *n; ++a)
    if (want[a] == i) return;
  want[(*n)++] = i;
}

static size_t search_more(void *user, size_t p, const double *gammas, size_t ng, const double *phi,
                          size_t nbins, const double *edges, size_t fill, double *next) {
  zp_gamma_search *s = user;
  double *c2 = s->c2 + p * s->lattice, *lns = s->lns + p * s->lattice;
  /* points run on several threads: each its own model rows */
  double *model = s->model + p * s->rows;
  zp_status st = ZP_OK;
  zp_error err;
  for (size_t g = 0; g < ng && st == ZP_OK; ++g) {
    size_t i = lattice_index(s, gammas[g]);
    st = zp_chi2_of_fluxes(s->o, nbins, edges, phi + g * 3 * nbins, model, &c2[i], &lns[i], &err);
  }
  if (st != ZP_OK) {
#pragma omp critical(zp_gamma_search_status)
    if (s->st == ZP_OK) {
      s->st = st;
      s->err = err;
    }
    return 0;
  }
  size_t best = s->lattice;
  for (size_t i = 0; i < s->lattice; ++i)
    if (!isnan(c2[i]) && (best == s->lattice || c2[i] < c2[best])) best = i;
  if (best == s->lattice) return 0;
  size_t want[SEARCH_CAP], n = 0;
  if (best > 0) ask(c2, best - 1, want, &n);
  if (best + 1 < s->lattice) ask(c2, best + 1, want, &n);
  if (n == 0) return 0; /* the lowest has both neighbours: done */
  /* where the parabola through the nearest known values on either side
   * puts the minimum: the lattice around it too */
  size_t lo = best, hi = best;
  while (lo > 0 && isnan(c2[--lo])) {
  }
  while (hi + 1 < s->lattice && isnan(c2[++hi])) {
  }
  double centre = (double)best;
  if (lo < best && hi > best && !isnan(c2[lo]) && !isnan(c2[hi])) {
    double x[3] = {(double)lo, (double)best, (double)hi}, y[3] = {c2[lo], c2[best], c2[hi]}, ymin;
    double t = round(zp_parabola_min(x, y, 3, &ymin));
    for (int d = -2; d <= 2; ++d) {
      double i = t + d;
      if (i > (double)lo && i < (double)hi) ask(c2, (size_t)i, want, &n);
    }
    if (t > (double)lo && t < (double)hi) centre = t;
  }
  /* A round of up to `fill` costs about one of a single gamma: the rest of
   * it goes to the nearest unknown values around the expected minimum, so
   * that the next round is seldom needed. */
  size_t room = fill < SEARCH_CAP ? fill : SEARCH_CAP;
  for (double d = 1.0; n < room && d < (double)s->lattice; d += 1.0) {
    if (centre - d >= 0.0) ask(c2, (size_t)(centre - d), want, &n);
    if (n < room && centre + d < (double)s->lattice) ask(c2, (size_t)(centre + d), want, &n);
  }
  for (size_t a = 0; a < n; ++a) next[a] = lattice_gamma(s, want[a]);
  return n;
}

zp_status zp_gamma_search_init(zp_gamma_search *s, const zp_fit_opts *o, size_t npoints,
                               zp_error *err) {
  s->o = o;
  s->lattice = zp_fit_ngamma(o);
  s->npoints = npoints;
  s->st = ZP_OK;
  s->c2 = malloc(npoints * s->lattice * sizeof *s->c2);
  s->lns = malloc(npoints * s->lattice * sizeof *s->lns);
  s->rows = zp_chi2_model_rows(o);
  s->model = malloc(npoints * s->rows * sizeof *s->model);
  if (s->c2 == NULL || s->lns == NULL || s->model == NULL) {
    zp_gamma_search_free(s);
    return zp_error_set(err, ZP_ENOMEM, "gamma search of %zu points", npoints);
  }
  /* about 8 coarse values across the range, both ends among them */
  s->coarse_step = (s->lattice - 1 + 6) / 7;
  s->refiner = (zp_gamma_refiner){.more = search_more, .user = s, .cap = SEARCH_CAP};
  zp_gamma_search_reset(s);
  return ZP_OK;
}

size_t zp_gamma_search_coarse(const zp_gamma_search *s, double *gammas) {
  size_t n = 0;
  for (size_t i = 0; i < s->lattice && n < ZP_GAMMA_COARSE_MAX - 1; i += s->coarse_step)
    gammas[n++] = lattice_gamma(s, i);
  if (lattice_index(s, gammas[n - 1]) != s->lattice - 1)
    gammas[n++] = lattice_gamma(s, s->lattice - 1);
  return n;
}

zp_status zp_gamma_search_result(const zp_gamma_search *s, size_t p, double *chi2, double *gamma,
                                 double *scale, zp_error *err) {
  const double *c2 = s->c2 + p * s->lattice, *lns = s->lns + p * s->lattice;
  double x[3], y[3], l[3];
  size_t best = s->lattice;
  for (size_t i = 0; i < s->lattice; ++i)
    if (!isnan(c2[i]) && (best == s->lattice || c2[i] < c2[best])) best = i;
  if (best == s->lattice) return zp_error_set(err, ZP_ENUMERIC, "point %zu: no chi2 computed", p);
  /* the lowest and its lattice neighbours, all known when the search ended */
  size_t first = best > 0 ? best - 1 : best, n = 0;
  for (size_t i = first; i < s->lattice && i <= best + 1; ++i) {
    if (isnan(c2[i]))
      return zp_error_set(err, ZP_ENUMERIC, "point %zu: gamma search unfinished", p);
    x[n] = lattice_gamma(s, i);
    y[n] = c2[i];
    l[n++] = lns[i];
  }
  zp_profile_values(x, y, l, n, chi2, gamma, scale);
  return ZP_OK;
}

void zp_gamma_search_reset(zp_gamma_search *s) {
  for (size_t e = 0; e < s->npoints * s->lattice; ++e) s->c2[e] = s->lns[e] = NAN;
  s->st = ZP_OK;
}

void zp_gamma_search_free(zp_gamma_search *s) {
  free(s->c2);
  free(s->lns);
  free(s->model);
  s->c2 = s->lns = s->model = NULL;
}
