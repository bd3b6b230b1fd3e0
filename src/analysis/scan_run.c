/* zprop: a scan over any grid (scan_run.h).  Points go to the batch
 * machinery in chunks: the transfer matrices of a model point are shared by
 * all its sources and spectral indices, and a chunk's points share one set
 * of source terms.
 * SPDX-License-Identifier: MIT */
#include "analysis/scan_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gamma_search.h"
#include "transport/batch_refine.h"
#include "transport/context_backend.h"

typedef enum {
  GAMMA_PICK,    /* each row at one of the batch's gammas (a gamma axis, or gamma fixed) */
  GAMMA_SEARCH,  /* profiled, the lattice searched */
  GAMMA_LATTICE, /* profiled over the whole lattice (a norm axis, or a lattice below 3) */
} gamma_mode;

typedef struct {
  const zp_config *cfg;
  const zp_fit_opts *o;
  const zp_scan_grid *g;
  const zp_scan_reference *ref;
  zp_gm2_ref gm2_ref;
  gamma_mode mode;
  size_t ng, rows;                   /* gammas propagated; data rows (+1) */
  int inorm;                         /* the norm dimension, or -1 */
  double *gammas, *c2, *lns, *model; /* [ng], [ng], [ng], [ng][rows] */
  double *amu, *pull;                /* [chunk]: g-2 of the batch's model points */
  zp_source *sources;                /* [nsource] */
} run_state;

static zp_status prepare(run_state *s, size_t chunk, zp_gamma_search *search, zp_error *err) {
  const zp_scan_grid *g = s->g;
  const zp_fit_opts *o = s->o;
  s->inorm = -1;
  int igamma = -1;
  for (size_t d = 0; d < g->ndim; d++) {
    if (g->dim[d].role == ZP_DIM_NORM) s->inorm = (int)d;
    if (g->dim[d].role == ZP_DIM_GAMMA) igamma = (int)d;
  }
  if (igamma >= 0) s->mode = GAMMA_PICK, s->ng = g->ngamma;
  else if (!o->profile_gamma) s->mode = GAMMA_PICK, s->ng = 1;
  else if (zp_fit_ngamma(o) >= 3 && s->inorm < 0)
    s->mode = GAMMA_SEARCH, s->ng = ZP_GAMMA_COARSE_MAX;
  else s->mode = GAMMA_LATTICE, s->ng = zp_fit_ngamma(o);
  s->rows = zp_chi2_model_rows(o);
  s->gammas = malloc(s->ng * sizeof *s->gammas);
  s->c2 = malloc(s->ng * sizeof *s->c2);
  s->lns = malloc(s->ng * sizeof *s->lns);
  s->model = malloc(s->ng * s->rows * sizeof *s->model);
  s->sources = malloc(g->nsource * sizeof *s->sources);
  s->amu = malloc(chunk * sizeof *s->amu);
  s->pull = malloc(chunk * sizeof *s->pull);
  if (!s->gammas || !s->c2 || !s->lns || !s->model || !s->sources || !s->amu || !s->pull)
    return zp_error_set(err, ZP_ENOMEM, "scan buffers");
  /* Source s is that of inner row s * ngamma * nnorm of any model point. */
  for (size_t k = 0; k < g->nsource; k++) {
    zp_config c = *s->cfg;
    zp_scan_grid_apply(g, k * g->ngamma * g->nnorm, &c);
    s->sources[k] = c.source;
    s->sources[k].gamma = s->cfg->source.gamma;
  }
  if (s->mode == GAMMA_SEARCH) {
    zp_status st = zp_gamma_search_init(search, o, chunk, err);
    if (st == ZP_OK) s->ng = zp_gamma_search_coarse(search, s->gammas);
    return st;
  }
  for (size_t i = 0; i < s->ng; ++i)
    s->gammas[i] = igamma >= 0                ? zp_scan_grid_value(g, i * g->nnorm, (size_t)igamma)
                   : s->mode == GAMMA_LATTICE ? o->gamma_min + o->gamma_step * (double)i
                                              : s->cfg->source.gamma;
  return ZP_OK;
}

/* A row of model point p of the batch, its g-2 that of the point (one
 * quadrature per point, not per row: a point may have hundreds). */
static void finish_row(const run_state *s, const zp_point *pts, size_t p, double chi2, double gamma,
                       double norm, zp_scan_point *sp) {
  const zp_point *pt = &pts[p];
  double n = (double)s->ref->npoints;
  sp->mzp_mev = pt->zprime.mzp_mev;
  sp->gzp = pt->zprime.gzp;
  sp->chi2 = chi2;
  sp->gamma = gamma;
  sp->norm = norm;
  sp->delta_chi2 = chi2 - s->ref->chi2_0;
  sp->r = n > 4.0 ? (chi2 / (n - 4.0)) / (s->ref->chi2_0 / (n - 2.0)) : NAN;
  sp->delta_amu = s->amu[p];
  sp->gm2_pull = s->pull[p];
}

/* Rows of source k of model point p from the batch's fluxes (PICK, LATTICE). */
static zp_status rows_of_source(run_state *s, const zp_batch_result *r, size_t p, size_t k,
                                const zp_point *pts, zp_scan_point *out, zp_error *err) {
  const zp_scan_grid *g = s->g;
  const zp_fit_opts *o = s->o;
  for (size_t i = 0; i < s->ng; ++i) {
    zp_status st = zp_chi2_of_fluxes(o, r->nbins, r->edges,
                                     r->phi_flavour + zp_batch_offset(r, p, k, i),
                                     s->model + i * s->rows, &s->c2[i], &s->lns[i], err);
    if (st != ZP_OK) return st;
  }
  for (size_t gi = 0; gi < g->ngamma; ++gi)
    for (size_t ni = 0; ni < g->nnorm; ++ni) {
      size_t inner = (k * g->ngamma + gi) * g->nnorm + ni;
      double chi2, gamma, scale;
      if (s->inorm >= 0) {
        scale = zp_scan_grid_value(g, inner, (size_t)s->inorm) / s->cfg->norm;
        for (size_t i = 0; i < s->ng; ++i) {
          if (s->mode == GAMMA_PICK && i != gi) continue;
          s->c2[i] = zp_chi2_eval(o, s->model + i * s->rows, scale);
          s->lns[i] = log(scale);
        }
      }
      if (s->mode == GAMMA_PICK) {
        chi2 = s->c2[gi];
        gamma = s->gammas[gi];
        scale = exp(s->lns[gi]);
      } else {
        zp_profile_values(s->gammas, s->c2, s->lns, s->ng, &chi2, &gamma, &scale);
      }
      finish_row(s, pts, p, chi2, gamma, s->cfg->norm * scale, &out[inner]);
    }
  return ZP_OK;
}

static zp_status run_batch(zp_context *ctx, run_state *s, zp_gamma_search *search,
                           const zp_point *pts, size_t np, zp_scan_point *out, zp_error *err) {
  const zp_scan_grid *g = s->g;
  int searched = s->mode == GAMMA_SEARCH;
  /* A searched gamma refines one source per batch; otherwise one batch
   * holds them all. */
  size_t nbatch = searched ? g->nsource : 1;
  zp_status st = ZP_OK;
  for (size_t p = 0; p < np && st == ZP_OK; ++p)
    st = zp_gm2_pull(pts[p].zprime.mzp_mev * 1e-3, pts[p].zprime.gzp, s->gm2_ref, &s->amu[p],
                     &s->pull[p], err);
  for (size_t b = 0; b < nbatch && st == ZP_OK; b++) {
    zp_batch_spec bs = {.base = *s->cfg,
                        .npoints = np,
                        .points = pts,
                        .nsources = searched ? 1 : g->nsource,
                        .sources = searched ? &s->sources[b] : s->sources,
                        .ngamma = s->ng,
                        .gammas = s->gammas};
    zp_batch_result *r = NULL;
    if (searched) zp_gamma_search_reset(search);
    /* One backend (the context's) for every chunk: a GPU context and a
     * cuBLAS handle per chunk would cost more than the chunk's work. */
    st = zp_batch_compute_refined(ctx, &bs, searched ? &search->refiner : NULL, &r, err);
    if (st == ZP_OK && searched && search->st != ZP_OK) {
      st = search->st;
      if (err != NULL) *err = search->err;
    }
    for (size_t p = 0; p < np && st == ZP_OK; ++p) {
      zp_scan_point *rows = out + p * g->ninner;
      if (!searched) {
        for (size_t k = 0; k < g->nsource && st == ZP_OK; ++k)
          st = rows_of_source(s, r, p, k, pts, rows, err);
        continue;
      }
      double chi2, gamma, scale;
      st = zp_gamma_search_result(search, p, &chi2, &gamma, &scale, err);
      if (st == ZP_OK) finish_row(s, pts, p, chi2, gamma, s->cfg->norm * scale, &rows[b]);
    }
    zp_batch_result_free(r);
  }
  return st;
}

zp_status zp_scan_grid_run(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                           const zp_scan_grid *g, zp_gm2_ref gm2_ref, size_t chunk,
                           const zp_scan_reference *ref, const unsigned char *done,
                           zp_scan_sink sink, void *user, zp_error *err) {
  if (chunk == 0) chunk = ZP_SCAN_DEFAULT_CHUNK;
  run_state s = {.cfg = cfg, .o = o, .g = g, .ref = ref, .gm2_ref = gm2_ref};
  zp_gamma_search search = {0};
  zp_point *pts = malloc(chunk * sizeof *pts);
  size_t *first = malloc(chunk * sizeof *first);
  zp_scan_point *out = malloc(chunk * g->ninner * sizeof *out);
  zp_status st = pts && first && out ? prepare(&s, chunk, &search, err)
                                     : zp_error_set(err, ZP_ENOMEM, "scan buffers");
  /* a mass's depth table then serves all its couplings: the span is the
   * axis's end values as its points get them (a log axis's last one can be
   * an ulp off hi, and a table for [lo, hi] would not serve it) */
  const zp_axis *ga = &g->dim[g->igzp].axis;
  const double g0 = zp_axis_value(ga, 0), g1 = zp_axis_value(ga, ga->n > 0 ? ga->n - 1 : 0);
  zp_context_set_gzp_span(ctx, fmin(g0, g1), fmax(g0, g1));
  size_t next = 0;
  while (st == ZP_OK && next < g->nmodel) {
    size_t np = 0;
    for (; next < g->nmodel && np < chunk; ++next) {
      if (done != NULL && done[next * g->ninner]) continue;
      zp_config c = *cfg;
      zp_scan_grid_apply(g, next * g->ninner, &c);
      first[np] = next * g->ninner;
      pts[np++] = (zp_point){c.zprime, c.sum_mnu_ev, c.ordering, c.osc};
    }
    if (np == 0) break;
    st = run_batch(ctx, &s, &search, pts, np, out, err);
    for (size_t p = 0; p < np && st == ZP_OK; ++p)
      for (size_t i = 0; i < g->ninner; ++i) out[p * g->ninner + i].index = first[p] + i;
    if (st == ZP_OK && sink(user, out, np * g->ninner) != 0)
      st = err != NULL && err->code != ZP_OK ? err->code
                                             : zp_error_set(err, ZP_EIO, "scan output failed");
  }
  zp_gamma_search_free(&search);
  free(s.gammas);
  free(s.c2);
  free(s.lns);
  free(s.model);
  free(s.sources);
  free(s.amu);
  free(s.pull);
  free(pts);
  free(first);
  free(out);
  return st;
}
