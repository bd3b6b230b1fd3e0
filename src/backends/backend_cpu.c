/* zprop: the CPU reference backend.  Assembly fills the lower triangle of
 * T_k column by column (OpenMP); application is OpenBLAS's gemv/gemm.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "backends/dense_blas.h"
#include "backends/transfer.h"

typedef struct {
  const zp_dense_blas *blas;
  double *t; /* n x n column-major; the strict upper triangle stays zero */
  /* batch state */
  const zp_batch_plan *plan; /* borrowed from the caller for the chunk */
  double *tb;                /* [npoints][n][n] */
  double *y;                 /* [npoints][nrhs][n] */
  double *tmp;               /* [nrhs][n] */
  size_t cap_points, cap_rhs;
} cpu_impl;

/* Memory the CPU may give one chunk's matrices. */
#define ZP_CPU_BATCH_BYTES ((size_t)1 << 29)

static zp_status cpu_assemble(zp_backend *bk, const zp_shell *sh, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const long n = (long)bk->n;
#pragma omp parallel for schedule(static)
  for (long c = 0; c < n; ++c) {
    double *col = impl->t + (size_t)c * (size_t)n;
    for (long r = c - c % 3; r < n; ++r)
      col[r] = zp_transfer_entry((size_t)r, (size_t)c, sh->survival, sh->regen_fraction,
                                 sh->p_branch, sh->kernel);
  }
  if (sh->npairs > 0) {
#pragma omp parallel for schedule(static)
    for (long r = 0; r < n; ++r)
      zp_transfer_pairs_row(impl->t, (size_t)n, (size_t)r, sh->pairs, sh->npairs,
                            sh->regen_fraction, sh->p_branch, sh->kernel);
  }
  return ZP_OK;
}

static zp_status cpu_apply(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const int n = (int)bk->n;
  /* The 3x3 diagonal blocks are full, so T is not triangular element-wise
   * and BLAS trmv/trmm do not apply; the zero upper part costs a factor 2. */
  if (nrhs == 1) {
    double *tmp = malloc(bk->n * sizeof *tmp);
    if (tmp == NULL) return zp_error_set(err, ZP_ENOMEM, "apply buffer of %zu", bk->n);
    memcpy(tmp, y, bk->n * sizeof *tmp);
    impl->blas->dgemv(CblasColMajor, CblasNoTrans, n, n, 1.0, impl->t, n, tmp, 1, 0.0, y, 1);
    free(tmp);
    return ZP_OK;
  }
  double *tmp = malloc(bk->n * nrhs * sizeof *tmp);
  if (tmp == NULL) return zp_error_set(err, ZP_ENOMEM, "apply buffer of %zu x %zu", bk->n, nrhs);
  for (size_t j = 0; j < nrhs; ++j) memcpy(tmp + j * bk->n, y + j * ldy, bk->n * sizeof *tmp);
  impl->blas->dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, (int)nrhs, n, 1.0, impl->t, n,
                    tmp, n, 0.0, y, (int)ldy);
  free(tmp);
  return ZP_OK;
}

static zp_status cpu_read_matrix(zp_backend *bk, double *dst, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  memcpy(dst, impl->t, bk->n * bk->n * sizeof *dst);
  return ZP_OK;
}

static void cpu_destroy(zp_backend *bk) {
  cpu_impl *impl = bk->impl;
  if (impl != NULL) {
    free(impl->t);
    free(impl->tb);
    free(impl->y);
    free(impl->tmp);
  }
  free(impl);
  free(bk);
}

static size_t cpu_batch_capacity(zp_backend *bk, size_t nrhs, size_t nshells) {
  (void)nshells; /* the shells are assembled one at a time */
  size_t per_point = (bk->n * bk->n + bk->n * nrhs) * sizeof(double);
  size_t cap = ZP_CPU_BATCH_BYTES / per_point;
  return cap < 1 ? 1 : (cap > 256 ? 256 : cap);
}

static zp_status cpu_batch_load(zp_backend *bk, const zp_batch_plan *plan, zp_error *err) {
  cpu_impl *impl = bk->impl;
  size_t n = bk->n;
  if (plan->npoints > impl->cap_points || plan->nrhs > impl->cap_rhs) {
    free(impl->tb);
    free(impl->y);
    free(impl->tmp);
    impl->tb = malloc(plan->npoints * n * n * sizeof(double));
    impl->y = malloc(plan->npoints * plan->nrhs * n * sizeof(double));
    impl->tmp = malloc(plan->nrhs * n * sizeof(double));
    if (impl->tb == NULL || impl->y == NULL || impl->tmp == NULL) {
      free(impl->tb);
      free(impl->y);
      free(impl->tmp);
      impl->tb = impl->y = impl->tmp = NULL;
      impl->cap_points = impl->cap_rhs = 0;
      return zp_error_set(err, ZP_ENOMEM, "batch of %zu points x %zu right-hand sides (%.0f MB)",
                          plan->npoints, plan->nrhs,
                          (double)(plan->npoints * n * (n + plan->nrhs)) * 8e-6);
    }
    /* The strict upper triangle is never written by assembly. */
    memset(impl->tb, 0, plan->npoints * n * n * sizeof(double));
    impl->cap_points = plan->npoints;
    impl->cap_rhs = plan->nrhs;
  }
  memset(impl->y, 0, plan->npoints * plan->nrhs * n * sizeof(double));
  impl->plan = plan;
  return ZP_OK;
}

static zp_status cpu_batch_assemble(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  const long n = (long)bk->n, np = (long)pl->npoints;
#pragma omp parallel for collapse(2) schedule(static)
  for (long p = 0; p < np; ++p)
    for (long c = 0; c < n; ++c) {
      const double *surv = pl->survival + ((size_t)p * pl->nshells + k) * (size_t)n;
      double *col = impl->tb + ((size_t)p * (size_t)n + (size_t)c) * (size_t)n;
      for (long r = c - c % 3; r < n; ++r)
        col[r] = zp_transfer_entry((size_t)r, (size_t)c, surv, pl->regen_fraction[p],
                                   pl->p_branch + 3 * p, pl->kernel);
    }
  if (pl->pairs != NULL) {
#pragma omp parallel for collapse(2) schedule(static)
    for (long p = 0; p < np; ++p)
      for (long r = 0; r < n; ++r) {
        size_t ps = (size_t)p * pl->nshells + k, e0 = pl->pair_offset[ps];
        zp_transfer_pairs_row(impl->tb + (size_t)p * (size_t)n * (size_t)n, (size_t)n, (size_t)r,
                              pl->pairs + e0, pl->pair_offset[ps + 1] - e0, pl->regen_fraction[p],
                              pl->p_branch + 3 * p, pl->kernel);
      }
  }
  return ZP_OK;
}

/* Every right-hand side of point p gets its source of shell k (see
 * zp_batch_plan): the part before T_k, or the rest after it. */
static void add_sources(const zp_batch_plan *pl, size_t p, size_t k, int after, double *y) {
  const size_t n = 3 * pl->nbins;
#pragma omp parallel for schedule(static)
  for (long lj = 0; lj < (long)pl->nrhs; ++lj)
    zp_batch_add_source(pl, p, k, (size_t)lj, after, y + (size_t)lj * n);
}

static zp_status cpu_batch_apply(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  const size_t n = bk->n, nrhs = pl->nrhs;
  for (size_t p = 0; p < pl->npoints; ++p) {
    double *y = impl->y + p * nrhs * n;
    add_sources(pl, p, k, 0, y);
    impl->blas->dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)nrhs, (int)n, 1.0,
                      impl->tb + p * n * n, (int)n, y, (int)n, 0.0, impl->tmp, (int)n);
    memcpy(y, impl->tmp, nrhs * n * sizeof(double));
    add_sources(pl, p, k, 1, y);
  }
  return ZP_OK;
}

static zp_status cpu_batch_store(zp_backend *bk, double *y, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  memcpy(y, impl->y, impl->plan->npoints * impl->plan->nrhs * bk->n * sizeof(double));
  return ZP_OK;
}

static zp_status cpu_batch_read_matrix(zp_backend *bk, size_t p, double *dst, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  memcpy(dst, impl->tb + p * bk->n * bk->n, bk->n * bk->n * sizeof(double));
  return ZP_OK;
}

static zp_status cpu_dgemm_rate(zp_backend *bk, size_t size, double *rate, zp_error *err) {
  const cpu_impl *impl = bk->impl;
  double *a = malloc(3 * size * size * sizeof *a);
  if (a == NULL) return zp_error_set(err, ZP_ENOMEM, "DGEMM reference of size %zu", size);
  for (size_t e = 0; e < 3 * size * size; ++e) a[e] = 1.0 / (double)(1 + e % 7);
  int m = (int)size;
  double best = 0.0;
  for (int rep = 0; rep < 3; ++rep) {
    double t0 = zp_wall_seconds();
    impl->blas->dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0, a, m,
                      a + size * size, m, 0.0, a + 2 * size * size, m);
    double dt = zp_wall_seconds() - t0, r = 2.0 * (double)size * (double)size * (double)size / dt;
    if (r > best) best = r;
  }
  free(a);
  *rate = best;
  return ZP_OK;
}

static const zp_backend_ops cpu_ops = {.name = "cpu",
                                       .destroy = cpu_destroy,
                                       .assemble = cpu_assemble,
                                       .apply = cpu_apply,
                                       .batch_capacity = cpu_batch_capacity,
                                       .batch_load = cpu_batch_load,
                                       .batch_assemble = cpu_batch_assemble,
                                       .batch_apply = cpu_batch_apply,
                                       .batch_store = cpu_batch_store,
                                       .sync = zp_backend_host_sync};

static const zp_backend_debug_ops cpu_debug = {.read_matrix = cpu_read_matrix,
                                               .batch_read_matrix = cpu_batch_read_matrix,
                                               .dgemm_rate = cpu_dgemm_rate};

zp_status zp_backend_cpu_create(size_t nbins, zp_backend **out, zp_error *err) {
  *out = NULL;
  const zp_dense_blas *blas;
  zp_status st = zp_dense_blas_get(&blas, err);
  if (st != ZP_OK) return st;
  zp_backend *bk = calloc(1, sizeof *bk);
  cpu_impl *impl = calloc(1, sizeof *impl);
  size_t n = 3 * nbins;
  if (bk != NULL && impl != NULL) impl->t = calloc(n * n, sizeof *impl->t);
  if (bk == NULL || impl == NULL || impl->t == NULL) {
    free(impl != NULL ? impl->t : NULL);
    free(impl);
    free(bk);
    return zp_error_set(err, ZP_ENOMEM, "transfer matrix of %zu x %zu doubles (%.1f MB)", n, n,
                        (double)(n * n) * 8e-6);
  }
  impl->blas = blas;
  bk->ops = &cpu_ops;
  bk->debug = &cpu_debug;
  bk->nbins = nbins;
  bk->n = n;
  bk->impl = impl;
  *out = bk;
  return ZP_OK;
}
