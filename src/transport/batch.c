/* zprop: batches of spectra.  One set of shells and user bins for the whole
 * batch (its top is the highest source redshift, with an edge at every delta
 * redshift); the transport bins follow a point's lines, so a chunk holds
 * consecutive points with the same lines (same M and masses).  Per chunk the
 * host computes the compact shell quantities and the backend does the rest.
 * SPDX-License-Identifier: MIT */
#include "zprop/batch.h"

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "backends/apply_isa.h"
#include "physics/physics.h"
#include "transport/batch_refine.h"
#include "transport/context_backend.h"
#include "transport/depth_table.h"
#include "transport/source_cache.h"
#include "transport/inshell.h"
#include "transport/problem.h"
#include "transport/shell_loop.h"

static zp_config point_config(const zp_batch_spec *spec, size_t p, size_t s, size_t g) {
  zp_config cfg = spec->base;
  cfg.zprime = spec->points[p].zprime;
  cfg.sum_mnu_ev = spec->points[p].sum_mnu_ev;
  cfg.ordering = spec->points[p].ordering;
  cfg.osc = spec->points[p].osc;
  cfg.source = spec->sources[s];
  cfg.source.gamma = spec->gammas[g];
  return cfg;
}

zp_status zp_batch_check(const zp_batch_spec *spec, zp_error *err) {
  if (spec->npoints < 1 || spec->nsources < 1 || spec->ngamma < 1 || !spec->points ||
      !spec->sources || !spec->gammas)
    return zp_error_set(err, ZP_EINVAL, "batch: needs at least one point, source and gamma");
  zp_error inner;
  for (size_t p = 0; p < spec->npoints; ++p)
    for (size_t s = 0; s < (p == 0 ? spec->nsources : 1); ++s)
      for (size_t g = 0; g < (p == 0 ? spec->ngamma : 1); ++g) {
        zp_config cfg = point_config(spec, p, s, g);
        zp_status st = zp_config_check(&cfg, &inner);
        if (st != ZP_OK)
          return zp_error_set(err, st, "point %zu, source %zu, gamma %zu: %s", p, s, g, inner.msg);
      }
  return ZP_OK;
}

void zp_batch_result_free(zp_batch_result *r) {
  if (r == NULL) return;
  free(r->edges);
  free(r->energy);
  free(r->phi_mass);
  free(r->phi_flavour);
  free(r->phi0_flavour);
  free(r->norm_a);
  free(r);
}

/* Right-hand sides: every (source, gamma) pair, with their source terms
 * per shell. */
typedef struct {
  size_t nrhs;
  int *rhs_gamma; /* index into the gammas of the set */
  double *rhs_norm, *rhs_total, *pre, *split;
} rhs_set;

static void rhs_free(rhs_set *h) {
  free(h->rhs_gamma);
  free(h->rhs_norm);
  free(h->rhs_total);
  free(h->pre);
  free(h->split);
  memset(h, 0, sizeof *h);
}

static zp_status rhs_build(zp_source_cache *cache, const zp_source *sources, size_t nsources,
                           const double *gammas, size_t ngamma, double norm, const zp_grid *grid,
                           rhs_set *h, zp_error *err) {
  size_t ns = grid->zg.nshells;
  h->nrhs = nsources * ngamma;
  h->rhs_gamma = malloc(h->nrhs * sizeof(int));
  h->rhs_norm = malloc(h->nrhs * sizeof(double));
  h->rhs_total = malloc(h->nrhs * sizeof(double));
  h->pre = malloc(ns * h->nrhs * sizeof(double));
  h->split = malloc(ns * h->nrhs * sizeof(double));
  if (!h->rhs_gamma || !h->rhs_norm || !h->rhs_total || !h->pre || !h->split) {
    rhs_free(h);
    return zp_error_set(err, ZP_ENOMEM, "batch source terms for %zu right-hand sides",
                        nsources * ngamma);
  }
  for (size_t s = 0; s < nsources; ++s)
    for (size_t g = 0; g < ngamma; ++g) {
      size_t j = s * ngamma + g;
      zp_source src = sources[s];
      src.gamma = gammas[g];
      zp_source_terms t;
      zp_status st = zp_source_cache_terms(cache, &src, norm, grid, &t, err);
      if (st != ZP_OK) {
        rhs_free(h);
        return st;
      }
      h->rhs_gamma[j] = (int)g;
      h->rhs_norm[j] = t.norm_a;
      h->rhs_total[j] = t.source_total;
      for (size_t k = 0; k < ns; ++k) {
        h->pre[k * h->nrhs + j] = t.pre_fraction * t.shell_source[k];
        h->split[k * h->nrhs + j] = (1.0 - t.pre_fraction) * t.shell_source[k];
      }
      zp_source_terms_free(&t);
    }
  return ZP_OK;
}

/* Everything of a batch that does not depend on the point; grid has no
 * lines (it gives the sizes, the shells and the user bins). */
typedef struct {
  zp_grid grid;
  double ztop, *extra;
  size_t nextra;
  rhs_set rhs;
  double *lines; /* [npoints][3] */
} batch_common;

static void common_free(batch_common *c) {
  zp_grid_free(&c->grid);
  free(c->extra);
  rhs_free(&c->rhs);
  free(c->lines);
}

static zp_status common_init(zp_source_cache *cache, const zp_batch_spec *spec, batch_common *c,
                             zp_error *err) {
  memset(c, 0, sizeof *c);
  c->extra = malloc(spec->nsources * sizeof *c->extra);
  c->lines = malloc(3 * spec->npoints * sizeof *c->lines);
  if (c->extra == NULL || c->lines == NULL) {
    common_free(c);
    return zp_error_set(err, ZP_ENOMEM, "batch sources");
  }
  for (size_t s = 0; s < spec->nsources; ++s) {
    c->ztop = fmax(c->ztop, zp_source_ztop(&spec->sources[s]));
    if (spec->sources[s].kind == ZP_SOURCE_DELTA) c->extra[c->nextra++] = spec->sources[s].z0;
  }
  zp_status st = zp_grid_init(&spec->base, c->ztop, c->extra, c->nextra, NULL, &c->grid, err);
  for (size_t p = 0; p < spec->npoints && st == ZP_OK; ++p) {
    zp_config cfg = point_config(spec, p, 0, 0);
    zp_point_physics pt;
    st = zp_point_init(&cfg, &pt, err);
    if (st == ZP_OK) zp_point_lines(&pt, c->lines + 3 * p);
  }
  if (st == ZP_OK)
    st = rhs_build(cache, spec->sources, spec->nsources, spec->gammas, spec->ngamma,
                   spec->base.norm, &c->grid, &c->rhs, err);
  if (st != ZP_OK) common_free(c);
  return st;
}

/* Same transport grid: the same lines (NAN, a missing line, equals NAN). */
static int same_lines(const double *a, const double *b) {
  for (int j = 0; j < 3; ++j)
    if (!(a[j] == b[j] || (isnan(a[j]) && isnan(b[j])))) return 0;
  return 1;
}

static zp_batch_result *result_alloc(const zp_batch_spec *spec, const batch_common *c) {
  zp_batch_result *r = calloc(1, sizeof *r);
  if (r == NULL) return NULL;
  size_t nb = c->grid.eg.nuser, block = spec->npoints * c->rhs.nrhs * 3 * nb;
  r->npoints = spec->npoints;
  r->nsources = spec->nsources;
  r->ngamma = spec->ngamma;
  r->nbins = nb;
  r->nshells = c->grid.zg.nshells;
  r->edges = malloc((nb + 1) * sizeof(double));
  r->energy = malloc(nb * sizeof(double));
  r->phi_mass = malloc(block * sizeof(double));
  r->phi_flavour = malloc(block * sizeof(double));
  r->phi0_flavour = malloc(block * sizeof(double));
  r->norm_a = malloc(c->rhs.nrhs * sizeof(double));
  if (!r->edges || !r->energy || !r->phi_mass || !r->phi_flavour || !r->phi0_flavour ||
      !r->norm_a) {
    zp_batch_result_free(r);
    return NULL;
  }
  memcpy(r->edges, c->grid.eg.uedges, (nb + 1) * sizeof(double));
  for (size_t b = 0; b < nb; ++b) r->energy[b] = sqrt(r->edges[b] * r->edges[b + 1]);
  memcpy(r->norm_a, c->rhs.rhs_norm, c->rhs.nrhs * sizeof(double));
  return r;
}

/* Fluxes of point p (global index) from its block of Y on the chunk's
 * grid @p eg (bp: its bin powers, [ngamma][nbins]): per right-hand side of
 * @p h one block of 3 nbins in each of mass, flavour and flavour0. */
static zp_status store_fluxes(const rhs_set *h, const zp_egrid *eg, const double *bp_all,
                              const zp_point_physics *pt, const double *y, size_t p,
                              const double *edges, size_t nb, double *phi_mass, double *phi,
                              double *phi0, zp_error *err) {
  const size_t n = 3 * nb, nt = 3 * eg->nbins;
  const double c4pi = ZP_C_CM_S / (4.0 * ZP_PI);
  double *yu = malloc(n * sizeof *yu);
  if (yu == NULL) return zp_error_set(err, ZP_ENOMEM, "fluxes of %zu bins", nb);
  for (size_t j = 0; j < h->nrhs; ++j) {
    size_t off = j * n;
    const double *bp = bp_all + (size_t)h->rhs_gamma[j] * eg->nbins;
    zp_egrid_fold(eg, y + j * nt, yu);
    for (size_t b = 0; b < nb; ++b) {
      double de = edges[b + 1] - edges[b], mass[3], mass0[3], power = 0.0;
      for (size_t t = eg->ufirst[b]; t < eg->ufirst[b + 1]; ++t) power += bp[t];
      for (int i = 0; i < 3; ++i) {
        mass[i] = c4pi * yu[zp_state_index(nb, b, i)] / de;
        mass0[i] = c4pi * h->rhs_norm[j] * h->rhs_total[j] * pt->weights[i] * power / de;
        if (phi_mass != NULL) phi_mass[off + (size_t)i * nb + b] = mass[i];
      }
      for (int a = 0; a < 3; ++a) {
        double f = 0.0, f0 = 0.0;
        for (int i = 0; i < 3; ++i) {
          f += pt->mix.u2[a][i] * mass[i];
          f0 += pt->mix.u2[a][i] * mass0[i];
        }
        if (!isfinite(f) || !isfinite(f0)) {
          free(yu);
          return zp_error_set(err, ZP_ENUMERIC, "point %zu: non-finite flux in bin %zu", p, b);
        }
        phi[off + (size_t)a * nb + b] = f;
        if (phi0 != NULL) phi0[off + (size_t)a * nb + b] = f0;
      }
    }
  }
  free(yu);
  return ZP_OK;
}

/* The depth table of a chunk's line (all its points have it): the
 * context's when it serves them, else one built now over their widths and,
 * in a scan, the widths of its whole span of couplings at this mass, so the
 * next chunks of the mass reuse it.  NULL (the direct path) for a lone
 * point outside a scan, or no interacting point. */
static zp_status chunk_depths(zp_context *ctx, const zp_batch_spec *spec, const zp_grid *grid,
                              const zp_point_physics *pts, size_t p0, size_t np,
                              const zp_depth_table **out, zp_error *err) {
  *out = NULL;
  zp_depth_table *t = zp_context_depth_table(ctx);
  const double *span = zp_context_gzp_span(ctx);
  double a_lo = INFINITY, a_hi = 0.0;
  size_t first = np;
  int fits = t != NULL;
  for (size_t q = 0; q < np; ++q) {
    if (!pts[q].interacting) continue;
    first = first < np ? first : q;
    a_lo = fmin(a_lo, pts[q].res.a);
    a_hi = fmax(a_hi, pts[q].res.a);
    fits = fits && zp_depth_table_fits(t, grid, &pts[q]);
  }
  if (first == np || fits) {
    *out = first < np ? t : NULL;
    return ZP_OK;
  }
  if (span == NULL && np < 2) return ZP_OK;
  for (int e = 0; span != NULL && e < 2; ++e) {
    zp_config cfg = point_config(spec, p0 + first, 0, 0);
    cfg.zprime.gzp = span[e];
    zp_point_physics at;
    zp_error ignored; /* a span the points do not reach adds nothing */
    if (zp_point_init(&cfg, &at, &ignored) == ZP_OK && at.interacting) {
      a_lo = fmin(a_lo, at.res.a);
      a_hi = fmax(a_hi, at.res.a);
    }
  }
  t = zp_context_take_depth_table(ctx);
  zp_status st = zp_depth_table_rebuild(&t, grid, &pts[first], a_lo, a_hi, err);
  if (st != ZP_OK) return st;
  zp_context_keep_depth_table(ctx, t);
  *out = t;
  return ZP_OK;
}

/* A chunk's compact quantities, kept for further right-hand sides. */
typedef struct {
  const zp_grid *grid;
  const zp_point_physics *pts;
  const double *surv, *inject;
  const zp_inshell_pair *pairs;
  const size_t *offset;
  const double *regen, *pb, *w;
} chunk_quant;

/* Y of points [q0, q0 + nq) of the chunk for the right-hand sides @p h
 * (bin powers bp of its ngamma gammas). */
static zp_status run_rhs(zp_backend *bk, const chunk_quant *cq, size_t q0, size_t nq,
                         const rhs_set *h, const double *bp, size_t ngamma, double *y,
                         zp_error *err) {
  const size_t nb = cq->grid->eg.nbins, ns = cq->grid->zg.nshells, n = 3 * nb;
  zp_batch_plan plan = {.nbins = nb,
                        .nshells = ns,
                        .nrhs = h->nrhs,
                        .ngamma = ngamma,
                        .npoints = nq,
                        .kernel = cq->grid->kern.packed,
                        .bin_power = bp,
                        .rhs_gamma = h->rhs_gamma,
                        .rhs_norm = h->rhs_norm,
                        .pre = h->pre,
                        .split = h->split,
                        .survival = cq->surv + q0 * ns * n,
                        .inject = cq->inject + q0 * ns * n,
                        .pairs = cq->pairs,
                        .pair_offset = cq->offset + q0 * ns,
                        .regen_fraction = cq->regen + q0,
                        .p_branch = cq->pb + 3 * q0,
                        .weights = cq->w + 3 * q0};
  return zp_chunk_run(bk, &plan, y, err);
}

/* Further spectral indices for point q of the chunk, as long as the
 * refiner asks for them: the point's survivals and pairs are reused, only
 * the new right-hand sides are propagated. */
/* Right-hand sides a round of @p bk propagates for about the cost of one:
 * cpu_fast sweeps a block of W at once (apply_isa.h), the others one by one. */
static size_t round_width(const zp_backend *bk) {
  if (strcmp(bk->ops->name, "cpu_fast") != 0) return 1;
  return zp_apply_isa_width(zp_apply_isa_active());
}

static zp_status refine_point(zp_source_cache *cache, zp_backend *bk, const zp_batch_spec *spec,
                              const chunk_quant *cq, size_t q, size_t p0,
                              const zp_gamma_refiner *rf, const zp_batch_result *r, zp_error *err) {
  const size_t nb = cq->grid->eg.nbins, nu = r->nbins, fill = round_width(bk);
  const size_t cap = rf->cap > fill ? rf->cap : fill;
  double *next = malloc(cap * sizeof *next), *done = malloc(cap * sizeof *done);
  double *bp = malloc(cap * nb * sizeof *bp), *y = malloc(cap * 3 * nb * sizeof *y);
  double *phi = malloc(cap * 3 * nu * sizeof *phi);
  zp_status st = ZP_OK;
  if (!next || !done || !bp || !y || !phi)
    st = zp_error_set(err, ZP_ENOMEM, "refining point %zu", p0 + q);
  size_t m = 0;
  if (st == ZP_OK)
    m = rf->more(rf->user, p0 + q, spec->gammas, spec->ngamma,
                 r->phi_flavour + zp_batch_offset(r, p0 + q, 0, 0), nu, r->edges, fill, next);
  while (st == ZP_OK && m > 0) {
    rhs_set h = {0};
    m = m < rf->cap ? m : rf->cap;
    /* a short round padded to a whole block takes the vector sweep, not
     * the scalar one for each; the copies' fluxes are not reported */
    size_t run = m > 1 && m < fill ? fill : m;
    for (size_t g = m; g < run; ++g) next[g] = next[m - 1];
    for (size_t g = 0; g < run; ++g) zp_bin_powers(&cq->grid->eg, next[g], bp + g * nb);
    st = rhs_build(cache, spec->sources, 1, next, run, spec->base.norm, cq->grid, &h, err);
    if (st == ZP_OK) st = run_rhs(bk, cq, q, 1, &h, bp, run, y, err);
    if (st == ZP_OK)
      st = store_fluxes(&h, &cq->grid->eg, bp, &cq->pts[q], y, p0 + q, r->edges, nu, NULL, phi,
                        NULL, err);
    rhs_free(&h);
    if (st == ZP_OK) {
      memcpy(done, next, m * sizeof *done); /* more() writes the next ones over next */
      m = rf->more(rf->user, p0 + q, done, m, phi, nu, r->edges, fill, next);
    }
  }
  free(next);
  free(done);
  free(bp);
  free(y);
  free(phi);
  return st;
}

/* The refinement of every point of the chunk.  On the CPU whole points
 * go to the threads, each with a backend of its own (only its Y): a
 * point's rounds are a few right-hand sides, too little work to share
 * shell by shell, where every shell would cost a barrier.  Results do not
 * depend on the thread count. */
static zp_status refine_points(zp_context *ctx, zp_backend *bk, const zp_batch_spec *spec,
                               const chunk_quant *cq, size_t np, size_t p0,
                               const zp_gamma_refiner *rf, const zp_batch_result *r,
                               zp_error *err) {
  zp_backend_kind kind = strcmp(bk->ops->name, "cpu") == 0        ? ZP_BACKEND_CPU
                         : strcmp(bk->ops->name, "cpu_fast") == 0 ? ZP_BACKEND_CPU_FAST
                                                                  : ZP_BACKEND_CUDA;
  zp_source_cache *cache = zp_context_source_cache(ctx);
  size_t nthreads = 1;
#ifdef _OPENMP
  nthreads = (size_t)omp_get_max_threads();
#endif
  zp_backend **own = NULL;
  zp_status st = ZP_OK;
  if (kind != ZP_BACKEND_CUDA && np > 1 && nthreads > 1)
    st = zp_context_workers(ctx, kind, bk->nbins, nthreads, &own, err);
  if (st != ZP_OK || own == NULL) {
    for (size_t q = 0; q < np && st == ZP_OK; ++q)
      st = refine_point(cache, bk, spec, cq, q, p0, rf, r, err);
    return st;
  }
#pragma omp parallel num_threads((int)nthreads)
  {
    zp_error mine;
    zp_status ts = ZP_OK;
    size_t me = 0;
#ifdef _OPENMP
    me = (size_t)omp_get_thread_num();
#endif
#pragma omp for schedule(dynamic, 1)
    for (long q = 0; q < (long)np; ++q)
      if (ts == ZP_OK) ts = refine_point(cache, own[me], spec, cq, (size_t)q, p0, rf, r, &mine);
#pragma omp critical(zp_refine_status)
    if (ts != ZP_OK && st == ZP_OK) {
      st = ts;
      if (err != NULL) *err = mine;
    }
  }
  return st;
}

/* The fluxes of the chunk's points, point by point on the threads: on one
 * thread they kept the others waiting at every chunk. */
static zp_status store_chunk(const rhs_set *h, const zp_egrid *eg, const double *bp,
                             const zp_point_physics *pts, const double *y, size_t n, size_t p0,
                             size_t np, zp_batch_result *r, zp_error *err) {
  const size_t nu = r->nbins, block = h->nrhs * 3 * nu;
  zp_status st = ZP_OK;
#pragma omp parallel for schedule(dynamic, 1) if (np > 1)
  for (long q = 0; q < (long)np; ++q) {
    size_t p = p0 + (size_t)q;
    zp_error mine;
    zp_status ts = store_fluxes(h, eg, bp, &pts[q], y + (size_t)q * h->nrhs * n, p, r->edges, nu,
                                r->phi_mass + p * block, r->phi_flavour + p * block,
                                r->phi0_flavour + p * block, &mine);
#pragma omp critical(zp_store_status)
    if (ts != ZP_OK && st == ZP_OK) {
      st = ts;
      if (err != NULL) *err = mine;
    }
  }
  return st;
}

/* Points [p0, p0 + np), all with the lines of p0: their grid, compact
 * quantities, backend run, fluxes; then the refiner's further gammas. */
static zp_status run_chunk(zp_context *ctx, const zp_batch_spec *spec, const batch_common *c,
                           zp_backend *bk, const zp_gamma_refiner *rf, size_t p0, size_t np,
                           zp_batch_result *r, zp_error *err) {
  const size_t nb = c->grid.eg.nbins, n = 3 * nb, ns = c->grid.zg.nshells;
  zp_grid grid;
  zp_status st = zp_grid_init(&spec->base, c->ztop, c->extra, c->nextra, c->lines + 3 * p0, &grid,
                              err);
  if (st != ZP_OK) return st;
  zp_point_physics *pts = malloc(np * sizeof *pts);
  double *surv = zp_context_scratch(ctx, ZP_SCRATCH_SURVIVAL, np * ns * n);
  double *inject = zp_context_scratch(ctx, ZP_SCRATCH_INJECT, np * ns * n);
  double *y = zp_context_scratch(ctx, ZP_SCRATCH_Y, np * c->rhs.nrhs * n);
  double *regen = malloc(np * sizeof *regen), *pb = malloc(3 * np * sizeof *pb);
  double *w = malloc(3 * np * sizeof *w), *bp = malloc(spec->ngamma * nb * sizeof *bp);
  if (!pts || !surv || !inject || !y || !regen || !pb || !w || !bp)
    st = zp_error_set(err, ZP_ENOMEM, "chunk of %zu points", np);
  for (size_t g = 0; g < spec->ngamma && st == ZP_OK; ++g)
    zp_bin_powers(&grid.eg, spec->gammas[g], bp + g * nb);
  for (size_t q = 0; q < np && st == ZP_OK; ++q) {
    zp_config cfg = point_config(spec, p0 + q, 0, 0);
    st = zp_point_init(&cfg, &pts[q], err);
  }
  const zp_depth_table *table = NULL;
  if (st == ZP_OK) st = chunk_depths(ctx, spec, &grid, pts, p0, np, &table, err);
  /* Whole (point, shell) pairs per thread: the work of a shell sits in the
   * few bins near its lines, which one bin-parallel loop balances badly. */
  zp_pair_list *lists = st == ZP_OK ? calloc(np * ns, sizeof *lists) : NULL;
  if (st == ZP_OK && lists == NULL) st = zp_error_set(err, ZP_ENOMEM, "chunk of %zu points", np);
  /* which points the table serves, decided once for all their shells */
  unsigned char *from_table = st == ZP_OK ? calloc(np, 1) : NULL;
  if (st == ZP_OK && from_table == NULL)
    st = zp_error_set(err, ZP_ENOMEM, "chunk of %zu points", np);
  for (size_t q = 0; q < np && st == ZP_OK && table != NULL; ++q)
    from_table[q] = pts[q].interacting && zp_depth_table_fits(table, &grid, &pts[q]);
  const long npk = st == ZP_OK ? (long)(np * ns) : 0;
  int failed = 0;
#pragma omp parallel reduction(| : failed)
  {
    double *tau_lines = npk > 0 ? malloc(n * sizeof *tau_lines) : NULL; /* per thread */
    failed |= npk > 0 && tau_lines == NULL;
#pragma omp for schedule(dynamic, 1)
    for (long pk = 0; pk < npk; ++pk) {
      if (tau_lines == NULL) continue;
      /* shell-major: a shell's slice of the depth table stays in cache for
       * the chunk's points */
      size_t k = (size_t)pk / np, q = (size_t)pk % np;
      size_t at = q * ns + k; /* the (point, shell) entry of every array */
      double *sk = surv + at * n, *ik = inject + at * n;
      zp_error inner;
      if (from_table[q]) {
        zp_depth_table_unit_depths(table, &pts[q], k, tau_lines);
        zp_survival_from_depths(&grid, &pts[q], k, tau_lines, sk, ik);
      } else {
        zp_survival_lines(&grid, &pts[q], k, sk, ik, tau_lines);
      }
      failed |= zp_inshell_pairs(&grid, &pts[q], k, sk, tau_lines, &lists[at], &inner) != ZP_OK;
    }
    free(tau_lines);
  }
  free(from_table);
  /* the pairs of every (point, shell), one after the other */
  size_t *offset = st == ZP_OK ? malloc((np * ns + 1) * sizeof *offset) : NULL;
  zp_inshell_pair *pairs = NULL;
  if (st == ZP_OK && (failed || offset == NULL))
    st = zp_error_set(err, ZP_ENOMEM, "in-shell pairs of %zu points", np);
  if (st == ZP_OK) {
    offset[0] = 0;
    for (size_t e = 0; e < np * ns; ++e) offset[e + 1] = offset[e] + lists[e].n;
    pairs = malloc((offset[np * ns] + 1) * sizeof *pairs);
    if (pairs == NULL) st = zp_error_set(err, ZP_ENOMEM, "in-shell pairs of %zu points", np);
    for (size_t e = 0; e < np * ns && st == ZP_OK; ++e)
      if (lists[e].n > 0) memcpy(pairs + offset[e], lists[e].pair, lists[e].n * sizeof *pairs);
  }
  for (size_t e = 0; lists != NULL && e < np * ns; ++e) zp_pair_list_free(&lists[e]);
  free(lists);
  for (size_t q = 0; q < np && st == ZP_OK; ++q) {
    regen[q] = pts[q].regen_fraction;
    for (int i = 0; i < 3; ++i) {
      pb[3 * q + (size_t)i] = pts[q].mix.p_branch[i];
      w[3 * q + (size_t)i] = pts[q].weights[i];
    }
  }
  chunk_quant cq = {&grid, pts, surv, inject, pairs, offset, regen, pb, w};
  if (st == ZP_OK) st = run_rhs(bk, &cq, 0, np, &c->rhs, bp, spec->ngamma, y, err);
  if (st == ZP_OK) st = store_chunk(&c->rhs, &grid.eg, bp, pts, y, n, p0, np, r, err);
  if (st == ZP_OK && rf != NULL) st = refine_points(ctx, bk, spec, &cq, np, p0, rf, r, err);
  zp_grid_free(&grid);
  free(pairs);
  free(offset);
  free(pts);
  free(bp);
  free(regen);
  free(pb);
  free(w);
  return st;
}

zp_status zp_batch_compute(const zp_batch_spec *spec, zp_batch_result **out, zp_error *err) {
  *out = NULL;
  zp_context_opts opts = {.workload = ZP_WORKLOAD_BATCH};
  zp_context *ctx;
  zp_status st = zp_context_create(spec->base.backend, &opts, &ctx, err);
  if (st != ZP_OK) return st;
  st = zp_batch_compute_ctx(ctx, spec, out, err);
  zp_context_free(ctx);
  return st;
}

zp_status zp_batch_compute_ctx(zp_context *ctx, const zp_batch_spec *spec, zp_batch_result **out,
                               zp_error *err) {
  return zp_batch_compute_refined(ctx, spec, NULL, out, err);
}

zp_status zp_batch_compute_refined(zp_context *ctx, const zp_batch_spec *spec,
                                   const zp_gamma_refiner *rf, zp_batch_result **out,
                                   zp_error *err) {
  *out = NULL;
  zp_status st = zp_batch_check(spec, err);
  if (st != ZP_OK) return st;
  if (rf != NULL && (spec->nsources != 1 || rf->cap < 1))
    return zp_error_set(err, ZP_EINVAL, "batch: gammas are refined for one source only");
  batch_common c;
  if ((st = common_init(zp_context_source_cache(ctx), spec, &c, err)) != ZP_OK) return st;
  zp_batch_result *r = result_alloc(spec, &c);
  if (r == NULL) st = zp_error_set(err, ZP_ENOMEM, "batch result of %zu points", spec->npoints);
  zp_backend *bk = NULL;
  const char *notice = NULL;
  zp_backend_work w = {.shape = ZP_WORK_BATCH,
                       .npoints = spec->npoints,
                       .nrhs = c.rhs.nrhs,
                       .nbins = c.grid.eg.nbins,
                       .nshells = c.grid.zg.nshells};
  if (st == ZP_OK) st = zp_context_backend(ctx, &w, &bk, &notice, err);
  if (st == ZP_OK) {
    size_t chunk = bk->ops->batch_capacity(bk, c.rhs.nrhs, c.grid.zg.nshells);
    for (size_t p0 = 0, np; p0 < spec->npoints && st == ZP_OK; p0 += np) {
      for (np = 1; np < chunk && p0 + np < spec->npoints &&
                   same_lines(c.lines + 3 * p0, c.lines + 3 * (p0 + np));
           ++np) {
      }
      st = run_chunk(ctx, spec, &c, bk, rf, p0, np, r, err);
    }
  }
  if (st == ZP_OK) {
    r->backend_name = bk->ops->name;
    r->backend_notice = notice;
    *out = r;
  } else {
    zp_batch_result_free(r);
  }
  common_free(&c);
  return st;
}
