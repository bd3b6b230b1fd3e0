/* zprop: (M, g) scans.  Points go to the batch machinery in chunks: the
 * transfer matrices of a point are shared by all spectral indices of the
 * profiling grid, and a chunk's points share one set of source terms.
 * SPDX-License-Identifier: MIT */
#include "zprop/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "transport/context_backend.h"

double zp_axis_value(const zp_axis *a, size_t i) {
  if (a->n <= 1) return a->lo;
  double t = (double)i / (double)(a->n - 1);
  if (a->log) return exp(log(a->lo) + t * (log(a->hi) - log(a->lo)));
  return a->lo + t * (a->hi - a->lo);
}

zp_status zp_scan_reference_fit(const zp_config *cfg, const zp_fit_opts *o, zp_scan_reference *ref,
                                zp_error *err) {
  zp_config c = *cfg;
  c.zprime.gzp = 0.0; /* the Z' part is not needed: chi2_0 comes from phi0 */
  zp_fit_result r;
  zp_status st = zp_fit(&c, o, 0, &r, err);
  if (st != ZP_OK) return st;
  ref->chi2_0 = r.chi2_0;
  ref->gamma_0 = r.gamma_0;
  ref->norm_0 = r.norm_0;
  ref->npoints = r.npoints;
  return ZP_OK;
}

static size_t total_rows(const zp_fit_opts *o) {
  size_t n = 0;
  for (size_t k = 0; k < o->ndata; ++k) n += o->data[k]->nbins;
  return n;
}

/* Profile one point of a batch result over the gamma grid. */
static zp_status profile_point(const zp_fit_opts *o, const zp_batch_result *r, size_t p,
                               const double *gammas, size_t ng, double *model, double *c2,
                               double *lns, double *chi2, double *gamma, double *scale,
                               zp_error *err) {
  for (size_t i = 0; i < ng; ++i) {
    const double *phi = r->phi_flavour + zp_batch_offset(r, p, 0, i);
    double *m = model;
    for (size_t k = 0; k < o->ndata; ++k) {
      zp_status st = zp_model_in_data_bins(o->data[k], o->flux, r->nbins, r->edges, phi, m, err);
      if (st != ZP_OK) return st;
      m += o->data[k]->nbins;
    }
    double s = 1.0;
    c2[i] = o->profile_norm ? zp_chi2_profile_scale(o, model, &s) : zp_chi2_eval(o, model, 1.0);
    lns[i] = log(fmax(s, 1e-300));
  }
  double ymin;
  *gamma = zp_parabola_min(gammas, c2, ng, &ymin);
  /* value and ln(scale) of the parabolas at the vertex */
  size_t i = 0;
  for (size_t j = 1; j < ng; ++j)
    if (c2[j] < c2[i]) i = j;
  if (i == 0 || i + 1 >= ng) {
    *chi2 = c2[i];
    *scale = exp(lns[i]);
    return ZP_OK;
  }
  double x = *gamma, x0 = gammas[i - 1], x1 = gammas[i], x2 = gammas[i + 1];
  double l0 = (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2));
  double l1 = (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2));
  double l2 = (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1));
  *chi2 = l0 * c2[i - 1] + l1 * c2[i] + l2 * c2[i + 1];
  *scale = exp(l0 * lns[i - 1] + l1 * lns[i] + l2 * lns[i + 1]);
  return ZP_OK;
}

zp_status zp_scan_run(const zp_config *cfg, const zp_fit_opts *o, const zp_scan_spec *spec,
                      const zp_scan_reference *ref, const unsigned char *done, zp_scan_sink sink,
                      void *user, zp_error *err) {
  zp_context_opts opts = {.workload = ZP_WORKLOAD_SCAN,
                          .npoints = spec->mzp.n * spec->gzp.n,
                          .nbins = zp_context_grid_nbins(cfg)};
  zp_context *ctx;
  zp_status st = zp_context_create(cfg->backend, &opts, &ctx, err);
  if (st != ZP_OK) return st;
  st = zp_scan_run_ctx(ctx, cfg, o, spec, ref, done, sink, user, err);
  zp_context_free(ctx);
  return st;
}

zp_status zp_scan_run_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                          const zp_scan_spec *spec, const zp_scan_reference *ref,
                          const unsigned char *done, zp_scan_sink sink, void *user, zp_error *err) {
  const size_t ntot = spec->mzp.n * spec->gzp.n;
  size_t ng = zp_fit_ngamma(o);
  size_t chunk = spec->chunk ? spec->chunk : ZP_SCAN_DEFAULT_CHUNK;
  double *gammas = malloc(ng * sizeof *gammas), *c2 = malloc(ng * sizeof *c2);
  double *lns = malloc(ng * sizeof *lns), *model = malloc(total_rows(o) * sizeof *model);
  zp_point *pts = malloc(chunk * sizeof *pts);
  zp_scan_point *out = malloc(chunk * sizeof *out);
  size_t *idx = malloc(chunk * sizeof *idx);
  zp_status st = ZP_OK;
  if (!gammas || !c2 || !lns || !model || !pts || !out || !idx)
    st = zp_error_set(err, ZP_ENOMEM, "scan buffers");
  for (size_t i = 0; i < ng && st == ZP_OK; ++i)
    gammas[i] = o->profile_gamma ? o->gamma_min + o->gamma_step * (double)i : cfg->source.gamma;
  double n = (double)ref->npoints;
  size_t next = 0;
  /* a mass's depth table then serves all its couplings */
  zp_context_set_gzp_span(ctx, fmin(spec->gzp.lo, spec->gzp.hi), fmax(spec->gzp.lo, spec->gzp.hi));
  while (st == ZP_OK && next < ntot) {
    size_t np = 0;
    for (; next < ntot && np < chunk; ++next) {
      if (done != NULL && done[next]) continue;
      idx[np] = next;
      pts[np] = (zp_point){cfg->zprime, cfg->sum_mnu_ev, cfg->ordering, cfg->osc};
      pts[np].zprime.mzp_mev = zp_axis_value(&spec->mzp, next / spec->gzp.n);
      pts[np].zprime.gzp = zp_axis_value(&spec->gzp, next % spec->gzp.n);
      ++np;
    }
    if (np == 0) break;
    zp_batch_spec bs = {.base = *cfg,
                        .npoints = np,
                        .points = pts,
                        .nsources = 1,
                        .sources = &cfg->source,
                        .ngamma = ng,
                        .gammas = gammas};
    zp_batch_result *r = NULL;
    /* One backend (the context's) for every chunk: a GPU context and a
     * cuBLAS handle per chunk would cost more than the chunk's work. */
    st = zp_batch_compute_ctx(ctx, &bs, &r, err);
    for (size_t p = 0; p < np && st == ZP_OK; ++p) {
      zp_scan_point *sp = &out[p];
      double scale;
      sp->index = idx[p];
      sp->mzp_mev = pts[p].zprime.mzp_mev;
      sp->gzp = pts[p].zprime.gzp;
      st = profile_point(o, r, p, gammas, ng, model, c2, lns, &sp->chi2, &sp->gamma, &scale, err);
      if (st != ZP_OK) break;
      sp->norm = cfg->norm * scale;
      sp->delta_chi2 = sp->chi2 - ref->chi2_0;
      sp->r = n > 4.0 ? (sp->chi2 / (n - 4.0)) / (ref->chi2_0 / (n - 2.0)) : NAN;
      st = zp_gm2_pull(sp->mzp_mev * 1e-3, sp->gzp, spec->gm2_ref, &sp->delta_amu, &sp->gm2_pull,
                       err);
    }
    zp_batch_result_free(r);
    if (st == ZP_OK && sink(user, out, np) != 0)
      st = err != NULL && err->code != ZP_OK ? err->code
                                             : zp_error_set(err, ZP_EIO, "scan output failed");
  }
  free(gammas);
  free(c2);
  free(lns);
  free(model);
  free(pts);
  free(out);
  free(idx);
  return st;
}
