/* zprop: fits of one model point to IceCube data: chi2 on a grid of
 * spectral indices from one batched propagation (the transfer matrices are
 * shared by all indices), the minimum refined by a parabola through the
 * three lowest grid points, then evaluated exactly there.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zprop/fit.h"

/* Total data rows over the data sets. */
static size_t total_rows(const zp_fit_opts *o) {
  size_t n = 0;
  for (size_t k = 0; k < o->ndata; ++k) n += o->data[k]->nbins;
  return n;
}

/* Model in all data bins (concatenated) from one block of flavour fluxes. */
static zp_status model_rows(const zp_fit_opts *o, size_t nbins, const double *edges,
                            const double *phi, double *out, zp_error *err) {
  for (size_t k = 0; k < o->ndata; ++k) {
    zp_status st = zp_model_in_data_bins(o->data[k], o->flux, nbins, edges, phi, out, err);
    if (st != ZP_OK) return st;
    out += o->data[k]->nbins;
  }
  return ZP_OK;
}

static double chi2_of(const zp_fit_opts *o, const double *model, double *scale) {
  if (o->profile_norm) return zp_chi2_profile_scale(o, model, scale);
  *scale = 1.0;
  return zp_chi2_eval(o, model, 1.0);
}

double zp_parabola_min(const double *x, const double *y, size_t n, double *ymin) {
  size_t i = 0;
  for (size_t j = 1; j < n; ++j)
    if (y[j] < y[i]) i = j;
  *ymin = y[i];
  if (i == 0 || i + 1 >= n) return x[i];
  double x0 = x[i - 1], x1 = x[i], x2 = x[i + 1], y0 = y[i - 1], y1 = y[i], y2 = y[i + 1];
  double den = (x0 - x1) * (x0 - x2) * (x1 - x2);
  double a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / den;
  double b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / den;
  if (!(a > 0.0)) return x1;
  double xv = fmin(fmax(-b / (2.0 * a), x0), x2);
  *ymin = y1; /* the caller evaluates the vertex exactly */
  return xv;
}

/* Exact chi2 of one spectrum at the refined index; zp = 0 uses phi0. */
static zp_status evaluate_at(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                             double gamma, int zp, double *model, double *chi2, double *scale,
                             zp_spectrum **keep, zp_error *err) {
  zp_config c = *cfg;
  c.source.gamma = gamma;
  if (!zp) c.zprime.gzp = 0.0;
  zp_spectrum *sp;
  zp_status st = zp_spectrum_compute_ctx(ctx, &c, &sp, err);
  if (st != ZP_OK) return st;
  st = model_rows(o, sp->nbins, sp->edges, zp ? sp->phi_flavour : sp->phi0_flavour, model, err);
  if (st == ZP_OK) *chi2 = chi2_of(o, model, scale);
  if (st == ZP_OK && keep != NULL) {
    for (size_t e = 0; e < 3 * sp->nbins; ++e) {
      sp->phi_mass[e] *= *scale;
      sp->phi_flavour[e] *= *scale;
      sp->phi0_mass[e] *= *scale;
      sp->phi0_flavour[e] *= *scale;
    }
    *keep = sp;
  } else {
    zp_spectrum_free(sp);
  }
  return st;
}

/* With no more points than free parameters the fit matches the data
 * whatever the model (dof = 0): its chi2 would say nothing, so refuse. */
static zp_status check_points(const zp_fit_opts *o, zp_error *err) {
  size_t n = zp_fit_npoints(o);
  size_t nfree = (size_t)(o->profile_gamma != 0) + (size_t)(o->profile_norm != 0);
  if (n > nfree) return ZP_OK;
  char names[256] = "";
  size_t used = 0;
  for (size_t k = 0; k < o->ndata && used + 1 < sizeof names; ++k) {
    int w = snprintf(names + used, sizeof names - used, "%s%s", k ? "," : "", o->data[k]->name);
    used = w < 0 ? sizeof names : used + (size_t)w;
  }
  const char *which = nfree == 2 ? "norm and gamma" : o->profile_norm ? "norm" : "gamma";
  return zp_error_set(err, ZP_EINVAL,
                      "data %s: %zu point%s used, a fit of %zu free parameter%s (%s) needs more",
                      names, n, n == 1 ? "" : "s", nfree, nfree == 1 ? "" : "s",
                      nfree ? which : "none");
}

zp_status zp_fit(const zp_config *cfg, const zp_fit_opts *o, int want_spectrum, zp_fit_result *res,
                 zp_error *err) {
  zp_context *ctx = NULL;
  zp_context_opts copts = {.workload = ZP_WORKLOAD_BATCH};
  memset(res, 0, sizeof *res);
  zp_status st = zp_context_create(cfg->backend, &copts, &ctx, err);
  if (st == ZP_OK) st = zp_fit_ctx(ctx, cfg, o, want_spectrum, res, err);
  zp_context_free(ctx);
  return st;
}

zp_status zp_fit_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o, int want_spectrum,
                     zp_fit_result *res, zp_error *err) {
  memset(res, 0, sizeof *res);
  if (o->ndata == 0) return zp_error_set(err, ZP_EINVAL, "data: no data set given");
  zp_status st0 = check_points(o, err);
  if (st0 != ZP_OK) return st0;
  if (o->profile_gamma && !(o->gamma_max > o->gamma_min && o->gamma_step > 0.0))
    return zp_error_set(err, ZP_EINVAL, "gamma range [%g, %g] with step %g is empty", o->gamma_min,
                        o->gamma_max, o->gamma_step);
  size_t ng = zp_fit_ngamma(o);
  size_t nrow = total_rows(o);
  double *gammas = malloc(ng * sizeof *gammas), *c2 = malloc(ng * sizeof *c2);
  double *c20 = malloc(ng * sizeof *c20), *model = malloc(nrow * sizeof *model);
  zp_status st = ZP_OK;
  zp_batch_result *r = NULL;
  /* The batch and the two spectra run on the caller's context: one
   * backend, where AUTO lets them share it. */
  if (!gammas || !c2 || !c20 || !model) st = zp_error_set(err, ZP_ENOMEM, "fit buffers");
  for (size_t i = 0; i < ng && st == ZP_OK; ++i)
    gammas[i] = o->profile_gamma ? o->gamma_min + o->gamma_step * (double)i : cfg->source.gamma;

  if (st == ZP_OK) {
    zp_point pt = {cfg->zprime, cfg->sum_mnu_ev, cfg->ordering, cfg->osc};
    zp_batch_spec spec = {.base = *cfg,
                          .npoints = 1,
                          .points = &pt,
                          .nsources = 1,
                          .sources = &cfg->source,
                          .ngamma = ng,
                          .gammas = gammas};
    st = zp_batch_compute_ctx(ctx, &spec, &r, err);
  }
  for (size_t i = 0; i < ng && st == ZP_OK; ++i) {
    size_t off = zp_batch_offset(r, 0, 0, i);
    double scale;
    st = model_rows(o, r->nbins, r->edges, r->phi_flavour + off, model, err);
    if (st == ZP_OK) c2[i] = chi2_of(o, model, &scale);
    if (st == ZP_OK) st = model_rows(o, r->nbins, r->edges, r->phi0_flavour + off, model, err);
    if (st == ZP_OK) c20[i] = chi2_of(o, model, &scale);
  }
  if (st == ZP_OK) {
    double ymin, scale;
    res->gamma = zp_parabola_min(gammas, c2, ng, &ymin);
    st = evaluate_at(ctx, cfg, o, res->gamma, 1, model, &res->chi2, &scale,
                     want_spectrum ? &res->best : NULL, err);
    res->norm = cfg->norm * scale;
    if (st == ZP_OK) {
      res->gamma_0 = zp_parabola_min(gammas, c20, ng, &ymin);
      st = evaluate_at(ctx, cfg, o, res->gamma_0, 0, model, &res->chi2_0, &scale, NULL, err);
      res->norm_0 = cfg->norm * scale;
    }
  }
  if (st == ZP_OK) {
    res->npoints = zp_fit_npoints(o);
    size_t nfree = (size_t)(o->profile_gamma != 0) + (size_t)(o->profile_norm != 0);
    res->dof = res->npoints > nfree ? res->npoints - nfree : 0;
    res->delta_chi2 = res->chi2 - res->chi2_0;
    double n = (double)res->npoints;
    res->r = (n > 4.0 && res->chi2_0 > 0.0) ? (res->chi2 / (n - 4.0)) / (res->chi2_0 / (n - 2.0))
                                            : NAN;
  } else {
    zp_spectrum_free(res->best);
    res->best = NULL;
  }
  zp_batch_result_free(r);
  free(gammas);
  free(c2);
  free(c20);
  free(model);
  return st;
}
