/* zprop: (M, g) scans.  Points go to the batch machinery in chunks: the
 * transfer matrices of a point are shared by all spectral indices of the
 * profiling grid, and a chunk's points share one set of source terms.
 * SPDX-License-Identifier: MIT */
#include "zprop/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gamma_search.h"
#include "transport/batch_refine.h"
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

static size_t total_rows(const zp_fit_opts *o) {
  size_t n = 1;
  for (size_t k = 0; k < o->ndata; ++k) n += o->data[k]->nbins;
  return n;
}

/* Point p's profile: from the batch's fluxes on the whole grid of gammas,
 * or from the search (which asked the batch for the gammas it needed). */
static zp_status profile_point(const zp_fit_opts *o, const zp_batch_result *r, size_t p,
                               const double *gammas, size_t ng, zp_gamma_search *search,
                               double *model, double *c2, double *lns, double *chi2, double *gamma,
                               double *scale, zp_error *err) {
  if (search != NULL) return zp_gamma_search_result(search, p, chi2, gamma, scale, err);
  for (size_t i = 0; i < ng; ++i) {
    zp_status st = zp_chi2_of_fluxes(o, r->nbins, r->edges,
                                     r->phi_flavour + zp_batch_offset(r, p, 0, i), model, &c2[i],
                                     &lns[i], err);
    if (st != ZP_OK) return st;
  }
  zp_profile_values(gammas, c2, lns, ng, chi2, gamma, scale);
  return ZP_OK;
}

zp_status zp_scan_run_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                          const zp_scan_spec *spec, const zp_scan_reference *ref,
                          const unsigned char *done, zp_scan_sink sink, void *user, zp_error *err) {
  const size_t ntot = spec->mzp.n * spec->gzp.n;
  size_t chunk = spec->chunk ? spec->chunk : ZP_SCAN_DEFAULT_CHUNK;
  /* A profiled gamma is searched on its grid, not computed all over it. */
  int searched = o->profile_gamma && zp_fit_ngamma(o) >= 3;
  size_t ng = searched ? ZP_GAMMA_COARSE_MAX : zp_fit_ngamma(o);
  double *gammas = malloc(ng * sizeof *gammas), *c2 = malloc(ng * sizeof *c2);
  double *lns = malloc(ng * sizeof *lns), *model = malloc(total_rows(o) * sizeof *model);
  zp_point *pts = malloc(chunk * sizeof *pts);
  zp_scan_point *out = malloc(chunk * sizeof *out);
  size_t *idx = malloc(chunk * sizeof *idx);
  zp_gamma_search search = {0};
  zp_status st = ZP_OK;
  if (!gammas || !c2 || !lns || !model || !pts || !out || !idx)
    st = zp_error_set(err, ZP_ENOMEM, "scan buffers");
  if (st == ZP_OK && searched) st = zp_gamma_search_init(&search, o, chunk, err);
  if (st == ZP_OK && searched) ng = zp_gamma_search_coarse(&search, gammas);
  for (size_t i = 0; i < ng && st == ZP_OK && !searched; ++i)
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
    if (searched) zp_gamma_search_reset(&search);
    /* One backend (the context's) for every chunk: a GPU context and a
     * cuBLAS handle per chunk would cost more than the chunk's work. */
    st = zp_batch_compute_refined(ctx, &bs, searched ? &search.refiner : NULL, &r, err);
    if (st == ZP_OK && searched && search.st != ZP_OK) {
      st = search.st;
      if (err != NULL) *err = search.err;
    }
    for (size_t p = 0; p < np && st == ZP_OK; ++p) {
      zp_scan_point *sp = &out[p];
      double scale;
      sp->index = idx[p];
      sp->mzp_mev = pts[p].zprime.mzp_mev;
      sp->gzp = pts[p].zprime.gzp;
      st = profile_point(o, r, p, gammas, ng, searched ? &search : NULL, model, c2, lns, &sp->chi2,
                         &sp->gamma, &scale, err);
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
  zp_gamma_search_free(&search);
  free(gammas);
  free(c2);
  free(lns);
  free(model);
  free(pts);
  free(out);
  free(idx);
  return st;
}
