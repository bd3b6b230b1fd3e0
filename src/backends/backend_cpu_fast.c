/* zprop: the structured CPU backend.  T_k = diag(s) + f P (x) D-Toeplitz
 * diag(1 - s) is never formed: per right-hand side the scattered content is
 * summed over states per bin, convolved with D (D_0 and D_1 directly, the
 * rest as three exponentials by recursion), and redistributed with P.  Cost
 * O(N) per shell and right-hand side instead of O(N^2); it must agree with
 * the dense reference (backend_cpu.c) to rounding: tests/test_backend_parity.c.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "backends/transfer.h"

typedef struct {
  zp_shell shell;            /* single path: the last assembled shell */
  const zp_batch_plan *plan; /* batch path: borrowed for the chunk */
  size_t k;                  /* batch path: the assembled shell */
  double *y;                 /* [npoints][nrhs][n] */
  size_t cap;
} fast_impl;

/* Source of a batch right-hand side: y(b, i) += coef cw[i] bp[b] before
 * (pre) and after (post) the shell's T_k, as zp_batch_add_source does. */
typedef struct {
  double pre, post; /* coefficients times the right-hand side's norm */
  const double *w;  /* [3] mass-state weights */
  const double *bp; /* [nbins] bin powers of its spectral index */
} fast_source;

/* y <- T (y + pre v) + post v in place (src NULL: y <- T y); block B = 0 is
 * the highest energy bin.  Sources are fused in: one pass over y.  The
 * constants are copied to locals: y may alias nothing else, but the
 * compiler cannot know it and would reload them after every store. */
static void apply_structured(size_t nb, const double *restrict surv, double f, const double *pb,
                             const double *d, const double *tail, const fast_source *src,
                             double *restrict y) {
  const double d0 = d[0], d1 = d[1], t0 = tail[0], t1 = tail[1], t2 = tail[2];
  const double e0 = tail[3], e1 = tail[4], e2 = tail[5];
  const double q0 = e0 * e0, q1 = e1 * e1, q2 = e2 * e2;
  const double fp0 = f * pb[0], fp1 = f * pb[1], fp2 = f * pb[2];
  const double pre = src != NULL ? src->pre : 0.0, post = src != NULL ? src->post : 0.0;
  const double w0 = src != NULL ? src->w[0] : 0.0, w1 = src != NULL ? src->w[1] : 0.0,
               w2 = src != NULL ? src->w[2] : 0.0;
  const double *restrict bp = src != NULL ? src->bp : NULL;
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, xm1 = 0.0, xm2 = 0.0;
  for (size_t bb = 0; bb < nb; ++bb) {
    const double *restrict s = surv + 3 * bb;
    double *restrict yb = y + 3 * bb;
    double y0 = yb[0], y1 = yb[1], y2 = yb[2], v0 = 0.0, v1 = 0.0, v2 = 0.0;
    if (bp != NULL) {
      const double bpb = bp[nb - 1 - bb];
      v0 = w0 * bpb;
      v1 = w1 * bpb;
      v2 = w2 * bpb;
      y0 += pre * v0;
      y1 += pre * v1;
      y2 += pre * v2;
    }
    double x = (1.0 - s[0]) * y0 + (1.0 - s[1]) * y1 + (1.0 - s[2]) * y2;
    /* a_m = sum over d >= 2 of decay_m^d x_{B-d} */
    a0 = e0 * a0 + q0 * xm2;
    a1 = e1 * a1 + q1 * xm2;
    a2 = e2 * a2 + q2 * xm2;
    double z = d0 * x + (bb > 0 ? d1 * xm1 : 0.0) + t0 * a0 + t1 * a1 + t2 * a2;
    yb[0] = s[0] * y0 + fp0 * z + post * v0;
    yb[1] = s[1] * y1 + fp1 * z + post * v1;
    yb[2] = s[2] * y2 + fp2 * z + post * v2;
    xm2 = xm1;
    xm1 = x;
  }
}

static zp_status fast_assemble(zp_backend *bk, const zp_shell *sh, zp_error *err) {
  (void)err;
  ((fast_impl *)bk->impl)->shell = *sh;
  return ZP_OK;
}

static zp_status fast_apply(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err) {
  (void)err;
  const zp_shell *sh = &((fast_impl *)bk->impl)->shell;
#pragma omp parallel for schedule(static) if (nrhs > 1)
  for (long j = 0; j < (long)nrhs; ++j)
    apply_structured(bk->nbins, sh->survival, sh->regen_fraction, sh->p_branch, sh->kernel,
                     sh->kernel_tail, NULL, y + (size_t)j * ldy);
  return ZP_OK;
}

/* The dense T_k of the compact quantities, for parity checks. */
static void fill_dense(size_t n, const double *surv, double f, const double *pb, const double *d,
                       double *dst) {
  for (size_t c = 0; c < n; ++c)
    for (size_t r = 0; r < n; ++r) dst[r + c * n] = zp_transfer_entry(r, c, surv, f, pb, d);
}

static zp_status fast_read_matrix(zp_backend *bk, double *dst, zp_error *err) {
  (void)err;
  const zp_shell *sh = &((fast_impl *)bk->impl)->shell;
  fill_dense(bk->n, sh->survival, sh->regen_fraction, sh->p_branch, sh->kernel, dst);
  return ZP_OK;
}

static void fast_destroy(zp_backend *bk) {
  fast_impl *impl = bk->impl;
  if (impl != NULL) free(impl->y);
  free(impl);
  free(bk);
}

static size_t fast_batch_capacity(zp_backend *bk, size_t nrhs, size_t nshells) {
  (void)nshells; /* survivals stay on the host side of the plan */
  /* Only Y is held: 256 MB of it per chunk, at most 1024 points. */
  size_t cap = ((size_t)1 << 28) / (bk->n * nrhs * sizeof(double) + 1);
  return cap < 1 ? 1 : (cap > 1024 ? 1024 : cap);
}

static zp_status fast_batch_load(zp_backend *bk, const zp_batch_plan *pl, zp_error *err) {
  fast_impl *impl = bk->impl;
  size_t need = pl->npoints * pl->nrhs * bk->n;
  if (need > impl->cap) {
    free(impl->y);
    impl->y = malloc(need * sizeof(double));
    impl->cap = impl->y != NULL ? need : 0;
    if (impl->y == NULL)
      return zp_error_set(err, ZP_ENOMEM, "batch of %zu points x %zu right-hand sides", pl->npoints,
                          pl->nrhs);
  }
  memset(impl->y, 0, need * sizeof(double));
  impl->plan = pl;
  return ZP_OK;
}

static zp_status fast_batch_assemble(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  ((fast_impl *)bk->impl)->k = k;
  return ZP_OK;
}

static zp_status fast_batch_apply(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  const size_t n = bk->n, nrhs = pl->nrhs;
  const long total = (long)(pl->npoints * nrhs);
#pragma omp parallel for schedule(static)
  for (long t = 0; t < total; ++t) {
    size_t p = (size_t)t / nrhs, j = (size_t)t % nrhs;
    double *y = impl->y + (size_t)t * n;
    const fast_source src = {pl->pre[k * nrhs + j] * pl->rhs_norm[j],
                             pl->post[k * nrhs + j] * pl->rhs_norm[j], pl->weights + 3 * p,
                             pl->bin_power + (size_t)pl->rhs_gamma[j] * pl->nbins};
    apply_structured(pl->nbins, pl->survival + (p * pl->nshells + k) * n, pl->regen_fraction[p],
                     pl->p_branch + 3 * p, pl->kernel, pl->kernel_tail, &src, y);
  }
  return ZP_OK;
}

static zp_status fast_batch_store(zp_backend *bk, double *y, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  memcpy(y, impl->y, impl->plan->npoints * impl->plan->nrhs * bk->n * sizeof(double));
  return ZP_OK;
}

static zp_status fast_batch_read_matrix(zp_backend *bk, size_t p, double *dst, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  fill_dense(bk->n, pl->survival + (p * pl->nshells + impl->k) * bk->n, pl->regen_fraction[p],
             pl->p_branch + 3 * p, pl->kernel, dst);
  return ZP_OK;
}

static zp_status fast_dgemm_rate(zp_backend *bk, size_t size, double *rate, zp_error *err) {
  (void)bk;
  (void)size;
  *rate = 0.0;
  return zp_error_set(err, ZP_EBACKEND, "cpu_fast applies no DGEMM");
}

static const zp_backend_ops fast_ops = {.name = "cpu_fast",
                                        .destroy = fast_destroy,
                                        .assemble = fast_assemble,
                                        .apply = fast_apply,
                                        .batch_capacity = fast_batch_capacity,
                                        .batch_load = fast_batch_load,
                                        .batch_assemble = fast_batch_assemble,
                                        .batch_apply = fast_batch_apply,
                                        .batch_store = fast_batch_store,
                                        .sync = zp_backend_host_sync};

static const zp_backend_debug_ops fast_debug = {.read_matrix = fast_read_matrix,
                                                .batch_read_matrix = fast_batch_read_matrix,
                                                .dgemm_rate = fast_dgemm_rate};

zp_status zp_backend_cpu_fast_create(size_t nbins, zp_backend **out, zp_error *err) {
  *out = NULL;
  zp_backend *bk = calloc(1, sizeof *bk);
  fast_impl *impl = calloc(1, sizeof *impl);
  if (bk == NULL || impl == NULL) {
    free(bk);
    free(impl);
    return zp_error_set(err, ZP_ENOMEM, "cpu_fast backend");
  }
  bk->ops = &fast_ops;
  bk->debug = &fast_debug;
  bk->nbins = nbins;
  bk->n = 3 * nbins;
  bk->impl = impl;
  *out = bk;
  return ZP_OK;
}
