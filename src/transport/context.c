/* zprop: the reusable context (zprop/context.h).  It keeps the backends of
 * two roles: batches (the choice for the context's workload, made once) and
 * single spectra (which under AUTO never repay a GPU and stay on cpu_fast).
 * A role reuses the other's backend when both chose the same kind for the
 * same grid, so a fit (a batch, then two spectra) creates one backend.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "transport/context_backend.h"
#include "transport/depth_table.h"
#include "transport/problem.h"
#include "transport/source_cache.h"
#include "zprop/spectrum.h"

typedef struct {
  zp_backend *bk;
  zp_backend_kind kind; /* the concrete kind, once chosen */
  int chosen;
  const char *notice;
} ctx_role;

struct zp_context {
  zp_backend_kind kind;
  zp_context_opts opts;
  ctx_role batch, single;
  const char *name, *notice; /* of the last computation, or chosen up front */
  zp_depth_table *depth;     /* of the last line a batch ran, for the next chunks */
  size_t depth_builds;       /* tables kept so far, each one built */
  double gzp_span[2];        /* the couplings a scan will ask for; 0 0: unknown */
  zp_backend **workers;      /* host backends of the threads' refinements */
  size_t nworkers;
  zp_source_cache *sources; /* shell integrals for later batches (NULL: none) */
  double *scratch[ZP_SCRATCH_N];
  size_t scratch_cap[ZP_SCRATCH_N];
};

static const char *kind_name(zp_backend_kind kind) {
  return kind == ZP_BACKEND_CPU ? "cpu" : kind == ZP_BACKEND_CUDA ? "cuda" : "cpu_fast";
}

zp_status zp_context_create(zp_backend_kind kind, const zp_context_opts *opts, zp_context **out,
                            zp_error *err) {
  *out = NULL;
  zp_context *ctx = calloc(1, sizeof *ctx);
  if (ctx == NULL) return zp_error_set(err, ZP_ENOMEM, "context");
  ctx->kind = kind;
  if (opts != NULL) ctx->opts = *opts;
  ctx->sources = zp_source_cache_create(); /* NULL: every batch computes its own */
  /* A scan says up front what it runs on, and fails before any work when
   * backend = cuda cannot run (every CUDA set-up step is tried).  With its
   * grid's size known the trial is the real backend, kept for the chunks:
   * one CUDA set-up per scan. */
  zp_status st = ZP_OK;
  if (ctx->opts.workload == ZP_WORKLOAD_SCAN && ctx->opts.nbins > 0) {
    ctx_role *r = &ctx->batch;
    st = zp_backend_create_scan(kind, ctx->opts.nbins, &r->kind, &r->notice, &r->bk, err);
    r->chosen = st == ZP_OK;
    ctx->name = kind_name(r->kind);
    ctx->notice = r->notice;
  } else if (kind == ZP_BACKEND_CPU || kind == ZP_BACKEND_CPU_FAST ||
             ctx->opts.workload == ZP_WORKLOAD_SCAN) {
    st = zp_backend_resolve(kind, &ctx->name, &ctx->notice, err);
  }
  if (st != ZP_OK) {
    zp_source_cache_free(ctx->sources);
    free(ctx);
    return st;
  }
  *out = ctx;
  return ZP_OK;
}

void zp_context_free(zp_context *ctx) {
  if (ctx == NULL) return;
  if (ctx->single.bk != ctx->batch.bk) zp_backend_destroy(ctx->single.bk);
  zp_backend_destroy(ctx->batch.bk);
  zp_depth_table_free(ctx->depth);
  for (size_t w = 0; w < ctx->nworkers; ++w) zp_backend_destroy(ctx->workers[w]);
  free(ctx->workers);
  zp_source_cache_free(ctx->sources);
  for (int k = 0; k < ZP_SCRATCH_N; ++k) free(ctx->scratch[k]);
  free(ctx);
}

double *zp_context_scratch(zp_context *ctx, zp_scratch slot, size_t count) {
  if (count > ctx->scratch_cap[slot] || ctx->scratch[slot] == NULL) {
    free(ctx->scratch[slot]);
    ctx->scratch[slot] = malloc((count > 0 ? count : 1) * sizeof(double));
    ctx->scratch_cap[slot] = ctx->scratch[slot] != NULL ? count : 0;
  }
  return ctx->scratch[slot];
}

zp_source_cache *zp_context_source_cache(const zp_context *ctx) { return ctx->sources; }

zp_status zp_context_workers(zp_context *ctx, zp_backend_kind kind, size_t nbins, size_t n,
                             zp_backend ***out, zp_error *err) {
  *out = NULL;
  int fits = ctx->nworkers == n;
  for (size_t w = 0; fits && w < n; ++w)
    fits = ctx->workers[w]->nbins == nbins &&
           strcmp(ctx->workers[w]->ops->name, kind == ZP_BACKEND_CPU ? "cpu" : "cpu_fast") == 0;
  if (!fits) {
    for (size_t w = 0; w < ctx->nworkers; ++w) zp_backend_destroy(ctx->workers[w]);
    free(ctx->workers);
    ctx->nworkers = 0;
    ctx->workers = calloc(n, sizeof *ctx->workers);
    if (ctx->workers == NULL) return zp_error_set(err, ZP_ENOMEM, "%zu worker backends", n);
    for (size_t w = 0; w < n; ++w) {
      zp_status st = zp_backend_create_kind(kind, nbins, &ctx->workers[w], err);
      if (st != ZP_OK) {
        for (size_t v = 0; v < w; ++v) zp_backend_destroy(ctx->workers[v]);
        free(ctx->workers);
        ctx->workers = NULL;
        return st;
      }
    }
    ctx->nworkers = n;
  }
  *out = ctx->workers;
  return ZP_OK;
}

void zp_context_set_gzp_span(zp_context *ctx, double lo, double hi) {
  ctx->gzp_span[0] = lo;
  ctx->gzp_span[1] = hi;
}

const double *zp_context_gzp_span(const zp_context *ctx) {
  return ctx->gzp_span[1] > 0.0 ? ctx->gzp_span : NULL;
}

zp_depth_table *zp_context_depth_table(const zp_context *ctx) { return ctx->depth; }

zp_depth_table *zp_context_take_depth_table(zp_context *ctx) {
  zp_depth_table *t = ctx->depth;
  ctx->depth = NULL;
  return t;
}

void zp_context_keep_depth_table(zp_context *ctx, zp_depth_table *t) {
  if (ctx->depth != t) zp_depth_table_free(ctx->depth);
  ctx->depth = t;
  ctx->depth_builds += t != NULL;
}

size_t zp_context_depth_builds(const zp_context *ctx) { return ctx->depth_builds; }

const char *zp_context_backend_name(const zp_context *ctx) { return ctx->name; }

const char *zp_context_notice(const zp_context *ctx) { return ctx->notice; }

/* Drops the role's backend, destroying it unless the other role holds it. */
static void role_release(ctx_role *r, const ctx_role *other) {
  if (r->bk != other->bk) zp_backend_destroy(r->bk);
  r->bk = NULL;
}

/* A backend of the role's chosen kind for nbins: the other role's if it
 * fits, else a new one. */
static zp_status role_fill(ctx_role *r, const ctx_role *other, size_t nbins, zp_error *err) {
  if (other->chosen && other->kind == r->kind && other->bk != NULL && other->bk->nbins == nbins) {
    r->bk = other->bk;
    return ZP_OK;
  }
  return zp_backend_create_kind(r->kind, nbins, &r->bk, err);
}

zp_status zp_context_backend(zp_context *ctx, const zp_backend_work *w, zp_backend **bk,
                             const char **notice, zp_error *err) {
  *bk = NULL;
  *notice = NULL;
  int single = ctx->kind == ZP_BACKEND_AUTO && w->shape == ZP_WORK_SPECTRUM;
  ctx_role *r = single ? &ctx->single : &ctx->batch, *other = single ? &ctx->batch : &ctx->single;
  zp_status st = ZP_OK;
  if (r->bk != NULL && r->bk->nbins != w->nbins) role_release(r, other);
  if (!r->chosen) {
    zp_backend_work shape = *w;
    if (!single && ctx->opts.workload == ZP_WORKLOAD_SCAN) shape.shape = ZP_WORK_SCAN;
    if (!single && shape.npoints < ctx->opts.npoints) shape.npoints = ctx->opts.npoints;
    st = zp_backend_choose(ctx->kind, &shape, &r->kind, &r->notice, &r->bk, err);
    r->chosen = st == ZP_OK;
  }
  if (st == ZP_OK && r->bk == NULL) st = role_fill(r, other, w->nbins, err);
  if (st != ZP_OK) return st;
  ctx->name = kind_name(r->kind);
  ctx->notice = r->notice;
  *bk = r->bk;
  *notice = r->notice;
  return ZP_OK;
}

size_t zp_context_grid_nbins(const zp_config *cfg) {
  zp_grid g;
  zp_error ignored; /* the computation reports a bad grid itself */
  if (zp_grid_init(cfg, zp_source_ztop(&cfg->source), NULL, 0, NULL, &g, &ignored) != ZP_OK)
    return 0;
  size_t nbins = g.eg.nbins;
  zp_grid_free(&g);
  return nbins;
}
