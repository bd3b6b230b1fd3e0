/* zprop: the structured CPU backend.  T_k = diag(s) + f P (x) D-Toeplitz
 * diag(1 - s) is never formed: per right-hand side the scattered content is
 * summed over states per bin, spread with D (its own bin and the energy
 * move directly, the rest as three running sums: D is separable below the
 * diagonal), and redistributed with P.  Cost
 * O(N) per shell and right-hand side instead of O(N^2); it must agree with
 * the dense reference (backend_cpu.c) to rounding: tests/test_backend_parity.c.
 * A batch's right-hand sides share everything but y and their sources, so
 * they are swept in blocks of vector width where the CPU has vectors
 * (apply_isa.h; the scalar sweep here for the rest and elsewhere).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "backends/apply_isa.h"
#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "backends/transfer.h"

/* Batch Y, point p at y + p ystride: right-hand sides in blocks of W (the
 * chunk's sweep width), block j0 / W at j0 n interleaved as [3 nb][W]
 * so that a bin's W lanes load as one vector; those after the last full
 * block contiguous at j n.  W = 1 is the [rhs][n] of the interface;
 * batch_store writes that whatever W. */
typedef struct {
  zp_shell shell;            /* single path: the last assembled shell */
  const zp_batch_plan *plan; /* batch path: borrowed for the chunk */
  size_t k;                  /* batch path: the assembled shell */
  zp_apply_isa isa;          /* batch path: taken at batch_load */
  size_t width, ystride;     /* W; doubles per point, a multiple of 8 */
  double *y, *bpw;           /* Y; bin powers of the blocks, [block][nb][W] in sweep order */
  size_t cap, bpw_cap;
} fast_impl;

enum { FAST_ALIGN = 64 }; /* a cache line, and one AVX-512 vector */

/* Source of a batch right-hand side: y(b, i) += (pre + split g) w[i] bp[b]
 * before the shell's T_k and split (1 - g) w[i] bp[b] after it, as
 * zp_batch_add_source does. */
typedef struct {
  double pre, split; /* coefficients times the right-hand side's norm */
  const double *g;   /* [3 nbins] inject shares, or NULL (0.5) */
  const double *w;   /* [3] mass-state weights */
  const double *bp;  /* [nbins] bin powers of its spectral index */
} fast_source;

/* y <- T (y + before) + after in place (src NULL: y <- T y); block B = 0 is
 * the highest energy bin.  The daughters of the bins above B reach B
 * through three running sums (the kernel is separable below the diagonal,
 * physics/regen.h), so one pass over y does it.  Sources are fused in.
 * The constants are copied to locals: y may alias nothing else, but the
 * compiler cannot know it and would reload them after every store. */
/* Content entering entry (b, i) of the shell: y plus the source's part before T_k. */
static double entering(size_t nb, const double *y, const fast_source *src, size_t b, int i) {
  size_t r = zp_state_index(nb, b, i);
  if (src == NULL || src->bp == NULL) return y[r];
  double g = src->g != NULL ? src->g[r] : 0.5;
  return y[r] + (src->pre + src->split * g) * src->w[i] * src->bp[b];
}

/* The removal of in-shell scattering daughters at every pair's row, from the
 * content entering the pair's column (gathered before y is overwritten). */
enum { FAST_PAIRS_STACK = 256 };

static void apply_structured(size_t nb, const double *restrict surv, double f, const double *pb,
                             const double *restrict kern, const zp_inshell_pair *pairs,
                             size_t npairs, const fast_source *src, double *restrict y) {
  double stack_in[3 * FAST_PAIRS_STACK], *yin = stack_in;
  if (npairs > FAST_PAIRS_STACK && (yin = malloc(3 * npairs * sizeof *yin)) == NULL) {
    yin = stack_in;
    npairs = FAST_PAIRS_STACK; /* cannot happen in practice: a shell has tens of pairs */
  }
  for (size_t e = 0; e < npairs; ++e)
    for (int i = 0; i < 3; ++i) yin[3 * e + (size_t)i] = entering(nb, y, src, pairs[e].c, i);
  size_t next = 0;
  const double fp0 = f * pb[0], fp1 = f * pb[1], fp2 = f * pb[2];
  const double pre = src != NULL ? src->pre : 0.0, split = src != NULL ? src->split : 0.0;
  const double w0 = src != NULL ? src->w[0] : 0.0, w1 = src != NULL ? src->w[1] : 0.0,
               w2 = src != NULL ? src->w[2] : 0.0;
  const double *restrict bp = src != NULL ? src->bp : NULL;
  const double *restrict g = src != NULL ? src->g : NULL;
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, xm1 = 0.0;
  /* moved daughters on their way to the blocks below (ring of ZP_KERN_REACH) */
  double moved[ZP_KERN_REACH] = {0.0};
  for (size_t bb = 0; bb < nb; ++bb) {
    const double *restrict s = surv + 3 * bb, *restrict k = kern + bb * ZP_KERN_STRIDE;
    double *restrict yb = y + 3 * bb;
    double y0 = yb[0], y1 = yb[1], y2 = yb[2], v0 = 0.0, v1 = 0.0, v2 = 0.0;
    double g0 = 0.5, g1 = 0.5, g2 = 0.5;
    if (bp != NULL) {
      const double bpb = bp[nb - 1 - bb];
      if (g != NULL) g0 = g[3 * bb], g1 = g[3 * bb + 1], g2 = g[3 * bb + 2];
      v0 = w0 * bpb;
      v1 = w1 * bpb;
      v2 = w2 * bpb;
      y0 += (pre + split * g0) * v0;
      y1 += (pre + split * g1) * v1;
      y2 += (pre + split * g2) * v2;
    }
    double r0 = 0.0, r1 = 0.0, r2 = 0.0;
    for (; next < npairs && pairs[next].q == nb - 1 - bb; ++next) {
      const double *v = pairs[next].v, *in = yin + 3 * next;
      r0 += v[0] * in[0] + v[1] * in[1] + v[2] * in[2];
      r1 += v[3] * in[0] + v[4] * in[1] + v[5] * in[2];
      r2 += v[6] * in[0] + v[7] * in[1] + v[8] * in[2];
    }
    /* removed daughters scatter: they join this bin's parents */
    double x = (1.0 - s[0]) * y0 + (1.0 - s[1]) * y1 + (1.0 - s[2]) * y2 + r0 + r1 + r2;
    const double mv = k[ZP_KERN_MOVE] * x;
    moved[(bb + (size_t)(long)k[ZP_KERN_FROM]) & (ZP_KERN_REACH - 1)] -= mv;
    moved[(bb + (size_t)(long)k[ZP_KERN_TO]) & (ZP_KERN_REACH - 1)] += mv;
    double z = k[ZP_KERN_SELF] * x + moved[bb & (ZP_KERN_REACH - 1)];
    moved[bb & (ZP_KERN_REACH - 1)] = 0.0;
    if (bb > 0) {
      /* a_m = sum over blocks above of x B_m e^{-m G}: one block further */
      const double *kp = k - ZP_KERN_STRIDE;
      a0 = kp[ZP_KERN_E1] * a0 + kp[ZP_KERN_B1] * xm1;
      a1 = kp[ZP_KERN_E1 + 1] * a1 + kp[ZP_KERN_B1 + 1] * xm1;
      a2 = kp[ZP_KERN_E1 + 2] * a2 + kp[ZP_KERN_B1 + 2] * xm1;
      z += k[ZP_KERN_A1] * a0 + k[ZP_KERN_A1 + 1] * a1 + k[ZP_KERN_A1 + 2] * a2;
    }
    yb[0] = s[0] * y0 + fp0 * z - r0 + split * (1.0 - g0) * v0;
    yb[1] = s[1] * y1 + fp1 * z - r1 + split * (1.0 - g1) * v1;
    yb[2] = s[2] * y2 + fp2 * z - r2 + split * (1.0 - g2) * v2;
    xm1 = x;
  }
  if (yin != stack_in) free(yin);
}

static zp_status fast_assemble(zp_backend *bk, const zp_shell *sh, zp_error *err) {
  (void)err;
  ((fast_impl *)bk->impl)->shell = *sh;
  return ZP_OK;
}

static zp_status fast_apply(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err) {
  (void)err;
  const zp_shell *sh = &((fast_impl *)bk->impl)->shell;
  if (nrhs == 1) { /* a spectrum: not even a team of one (a microsecond per shell) */
#if defined(__x86_64__)
    if (zp_apply_isa_active() != ZP_APPLY_SCALAR && zp_apply_isa_supported(ZP_APPLY_AVX2)) {
      const zp_sweep_shared ss = {bk->nbins,    sh->survival, sh->regen_fraction,
                                  sh->p_branch, sh->kernel,   sh->pairs,
                                  sh->npairs,   NULL,         NULL};
      const zp_sweep_block bl = {NULL, NULL, NULL, y};
      zp_apply_single_fma(&ss, &bl);
      return ZP_OK;
    }
#endif
    apply_structured(bk->nbins, sh->survival, sh->regen_fraction, sh->p_branch, sh->kernel,
                     sh->pairs, sh->npairs, NULL, y);
    return ZP_OK;
  }
#pragma omp parallel for schedule(static)
  for (long j = 0; j < (long)nrhs; ++j)
    apply_structured(bk->nbins, sh->survival, sh->regen_fraction, sh->p_branch, sh->kernel,
                     sh->pairs, sh->npairs, NULL, y + (size_t)j * ldy);
  return ZP_OK;
}

/* The dense T_k of the compact quantities, for parity checks. */
static void fill_dense(size_t n, const double *surv, double f, const double *pb, const double *d,
                       const zp_inshell_pair *pairs, size_t npairs, double *dst) {
  for (size_t c = 0; c < n; ++c)
    for (size_t r = 0; r < n; ++r) dst[r + c * n] = zp_transfer_entry(r, c, surv, f, pb, d);
  for (size_t r = 0; r < n; ++r) zp_transfer_pairs_row(dst, n, r, pairs, npairs, f, pb, d);
}

static zp_status fast_read_matrix(zp_backend *bk, double *dst, zp_error *err) {
  (void)err;
  const zp_shell *sh = &((fast_impl *)bk->impl)->shell;
  fill_dense(bk->n, sh->survival, sh->regen_fraction, sh->p_branch, sh->kernel, sh->pairs,
             sh->npairs, dst);
  return ZP_OK;
}

static void fast_destroy(zp_backend *bk) {
  fast_impl *impl = bk->impl;
  if (impl != NULL) {
    free(impl->y);
    free(impl->bpw);
  }
  free(impl);
  free(bk);
}

static size_t fast_batch_capacity(zp_backend *bk, size_t nrhs, size_t nshells) {
  (void)nshells; /* survivals stay on the host side of the plan */
  /* Only Y is held: 256 MB of it per chunk, at most 1024 points. */
  size_t cap = ((size_t)1 << 28) / (bk->n * nrhs * sizeof(double) + 1);
  return cap < 1 ? 1 : (cap > 1024 ? 1024 : cap);
}

/* At least @p count doubles aligned to FAST_ALIGN, in *buf of capacity *cap. */
static int reserve(double **buf, size_t *cap, size_t count) {
  if (count <= *cap && *buf != NULL) return 1;
  free(*buf);
  size_t bytes = (count * sizeof(double) + FAST_ALIGN - 1) / FAST_ALIGN * FAST_ALIGN;
  *buf = aligned_alloc(FAST_ALIGN, bytes > 0 ? bytes : FAST_ALIGN);
  *cap = *buf != NULL ? count : 0;
  return *buf != NULL;
}

static zp_status fast_batch_load(zp_backend *bk, const zp_batch_plan *pl, zp_error *err) {
  fast_impl *impl = bk->impl;
  const size_t nb = pl->nbins, nrhs = pl->nrhs;
  impl->isa = zp_apply_isa_active();
  impl->width = zp_apply_isa_width(impl->isa);
  impl->ystride = (nrhs * bk->n + 7) / 8 * 8; /* blocks start on a vector */
  const size_t w = impl->width, nblk = w > 1 ? nrhs / w : 0;
  size_t need = pl->npoints * impl->ystride;
  if (!reserve(&impl->y, &impl->cap, need) || !reserve(&impl->bpw, &impl->bpw_cap, nblk * w * nb))
    return zp_error_set(err, ZP_ENOMEM, "batch of %zu points x %zu right-hand sides", pl->npoints,
                        nrhs);
  memset(impl->y, 0, need * sizeof(double));
  /* the same for every point and shell of the chunk: once here, not per sweep */
  for (size_t j = 0; j < nblk * w; ++j) {
    const double *bp = pl->bin_power + (size_t)pl->rhs_gamma[j] * nb;
    double *dst = impl->bpw + (j / w) * w * nb + j % w;
    for (size_t bb = 0; bb < nb; ++bb) dst[bb * w] = bp[nb - 1 - bb];
  }
  impl->plan = pl;
  return ZP_OK;
}

static zp_status fast_batch_assemble(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  ((fast_impl *)bk->impl)->k = k;
  return ZP_OK;
}

/* Right-hand sides [j0, j1) of point p in shell k, Y of the point at yp. */
static void batch_unit(const fast_impl *impl, size_t n, size_t k, size_t p, size_t j0, size_t j1,
                       double *yp) {
  const zp_batch_plan *pl = impl->plan;
  const size_t nrhs = pl->nrhs, at = (p * pl->nshells + k) * n, ps = p * pl->nshells + k;
  const zp_sweep_shared sh = {
      .nb = pl->nbins,
      .surv = pl->survival + at,
      .f = pl->regen_fraction[p],
      .pb = pl->p_branch + 3 * p,
      .kern = pl->kernel,
      .pairs = pl->pairs != NULL ? pl->pairs + pl->pair_offset[ps] : NULL,
      .npairs = pl->pairs != NULL ? pl->pair_offset[ps + 1] - pl->pair_offset[ps] : 0,
      .g = pl->inject != NULL ? pl->inject + at : NULL,
      .w = pl->weights + 3 * p};
#if defined(__x86_64__)
  const size_t w = impl->width;
  if (w > 1 && j1 - j0 == w) {
    double pre[8], split[8];
    for (size_t l = 0; l < w; ++l) {
      pre[l] = pl->pre[k * nrhs + j0 + l] * pl->rhs_norm[j0 + l];
      split[l] = pl->split[k * nrhs + j0 + l] * pl->rhs_norm[j0 + l];
    }
    const zp_sweep_block bl = {pre, split, impl->bpw + j0 * pl->nbins, yp + j0 * n};
    if (impl->isa == ZP_APPLY_AVX512) zp_apply_block_avx512(&sh, &bl);
    else zp_apply_block_avx2(&sh, &bl);
    return;
  }
#endif
  for (size_t j = j0; j < j1; ++j) {
    const fast_source src = {pl->pre[k * nrhs + j] * pl->rhs_norm[j],
                             pl->split[k * nrhs + j] * pl->rhs_norm[j], sh.g, sh.w,
                             pl->bin_power + (size_t)pl->rhs_gamma[j] * pl->nbins};
    apply_structured(sh.nb, sh.surv, sh.f, sh.pb, sh.kern, sh.pairs, sh.npairs, &src, yp + j * n);
  }
}

static zp_status fast_batch_apply(zp_backend *bk, size_t k, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  const size_t n = bk->n, nrhs = pl->nrhs, w = impl->width;
  /* whole blocks per thread (the last of a point may be short: scalar) */
  const size_t units = (nrhs + w - 1) / w;
  const long total = (long)(pl->npoints * units);
  /* dynamic: a point's pairs, and so its cost, grow with the coupling */
#pragma omp parallel for schedule(dynamic, 1)
  for (long t = 0; t < total; ++t) {
    size_t p = (size_t)t / units, j0 = (size_t)t % units * w;
    batch_unit(impl, n, k, p, j0, j0 + w < nrhs ? j0 + w : nrhs, impl->y + p * impl->ystride);
  }
  return ZP_OK;
}

static zp_status fast_batch_store(zp_backend *bk, double *y, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  const size_t n = bk->n, nrhs = impl->plan->nrhs, w = impl->width;
  const size_t nfull = w > 1 ? nrhs / w * w : 0;
  for (size_t p = 0; p < impl->plan->npoints; ++p) {
    const double *src = impl->y + p * impl->ystride;
    double *dst = y + p * nrhs * n;
    for (size_t j = 0; j < nfull; ++j)
      for (size_t r = 0; r < n; ++r) dst[j * n + r] = src[(j / w * n + r) * w + j % w];
    memcpy(dst + nfull * n, src + nfull * n, (nrhs - nfull) * n * sizeof(double));
  }
  return ZP_OK;
}

zp_apply_isa zp_backend_cpu_fast_isa(const zp_backend *bk) {
  return ((const fast_impl *)bk->impl)->isa;
}

static zp_status fast_batch_read_matrix(zp_backend *bk, size_t p, double *dst, zp_error *err) {
  (void)err;
  fast_impl *impl = bk->impl;
  const zp_batch_plan *pl = impl->plan;
  const size_t ps = p * pl->nshells + impl->k;
  const size_t e0 = pl->pairs != NULL ? pl->pair_offset[ps] : 0;
  const size_t ne = pl->pairs != NULL ? pl->pair_offset[ps + 1] - e0 : 0;
  fill_dense(bk->n, pl->survival + ps * bk->n, pl->regen_fraction[p], pl->p_branch + 3 * p,
             pl->kernel, pl->pairs != NULL ? pl->pairs + e0 : NULL, ne, dst);
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
