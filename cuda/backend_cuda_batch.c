/* zprop: batches on the CUDA device.  One copy in (compact quantities of a
 * chunk of points), the whole shell loop on the device (assembly kernel,
 * source kernel, strided-batched DGEMM over the points), one copy out.
 * SPDX-License-Identifier: MIT */
#include <cuda_runtime.h>
#include <string.h>

#include "cuda_backend_impl.h"

/* Device memory a chunk leaves free for cuBLAS workspaces: 512 MB, or an
 * eighth of a smaller device. */
static size_t reserve_bytes(size_t total) {
  size_t r = (size_t)512 << 20;
  return total / 8 < r ? total / 8 : r;
}

/* In-shell pairs a chunk budgets per point and shell: a shell has a few
 * bins in windows (tens of pairs); more only cost a larger allocation. */
#define ZP_CUDA_PAIRS_PER_SHELL 32

size_t zp_cuda_batch_capacity(zp_backend *bk, size_t nrhs, size_t nshells) {
  size_t free_b = 0, total_b = 0;
  if (cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) {
    cudaGetLastError();
    return 1;
  }
  size_t n = bk->n;
  /* per point what reserve() and load_pairs() take: T, Y and its product,
   * the survivals and inject shares of every shell, regen, branchings and
   * weights, the pairs' budget; the shared part (kernel, source terms) once */
  size_t per_point = (n * n + 2 * n * nrhs + 2 * nshells * n + 7) * sizeof(double) +
                     nshells * (sizeof(size_t) + ZP_CUDA_PAIRS_PER_SHELL * sizeof(zp_inshell_pair));
  size_t shared = (bk->nbins * (ZP_KERN_STRIDE + nrhs) + 3 * nrhs + 2 * nshells * nrhs) *
                  sizeof(double);
  size_t keep = reserve_bytes(total_b) + shared;
  size_t usable = free_b > keep ? free_b - keep : 0;
  size_t cap = usable / per_point;
  if (cap > 4096) cap = 4096;
  return cap < 1 ? 1 : cap;
}

static zp_status dev_alloc(double **p, size_t count, const char *what, zp_error *err) {
  cudaFree(*p);
  *p = NULL;
  if (cudaMalloc((void **)p, count * sizeof(double)) != cudaSuccess) {
    cudaGetLastError();
    *p = NULL;
    return zp_error_set(err, ZP_ECUDA, "cudaMalloc of %s (%zu bytes) failed", what,
                        count * sizeof(double));
  }
  return ZP_OK;
}

/* (Re)allocates the chunk's device arrays when the plan outgrows them. */
static zp_status reserve(cuda_impl *d, const zp_batch_plan *pl, size_t n, zp_error *err) {
  zp_cuda_batch *b = &d->batch;
  zp_status st = ZP_OK;
  size_t need_tb = pl->npoints * n * n, need_y = pl->npoints * pl->nrhs * n;
  size_t need_c = pl->nbins * ZP_KERN_STRIDE + pl->ngamma * pl->nbins + 3 * pl->nrhs +
                  2 * pl->nshells * pl->nrhs + pl->npoints * (2 * pl->nshells * n + 7);
  /* A capacity is zeroed before its buffer is replaced: after a failed
   * allocation the buffer is NULL and a later smaller plan must reallocate. */
  if (need_tb > b->cap_tb) {
    b->cap_tb = 0;
    if ((st = dev_alloc(&b->tb, need_tb, "the transfer matrices of a chunk", err)) != ZP_OK)
      return st;
    b->cap_tb = need_tb;
  }
  if (need_y > b->cap_y) {
    b->cap_y = 0;
    if ((st = dev_alloc(&b->y, need_y, "the right-hand sides", err)) != ZP_OK) return st;
    if ((st = dev_alloc(&b->tmp, need_y, "the products", err)) != ZP_OK) return st;
    b->cap_y = need_y;
  }
  if (need_c > b->cap_c) {
    b->cap_c = 0;
    if ((st = dev_alloc(&b->compact, need_c, "the compact shell quantities", err)) != ZP_OK)
      return st;
    b->cap_c = need_c;
  }
  return ZP_OK;
}

#define ZP_TO_DEVICE(dst, src, count)                                                              \
  ZP_CUDA_CALL(cudaMemcpy((void *)(dst), (src), (count) * sizeof *(src), cudaMemcpyHostToDevice))

/* The chunk's in-shell pairs and their offsets on the device. */
static zp_status load_pairs(zp_cuda_batch *b, const zp_batch_plan *pl, zp_error *err) {
  size_t noff = pl->npoints * pl->nshells + 1;
  size_t npairs = pl->pairs != NULL ? pl->pair_offset[noff - 1] : 0;
  if (pl->pairs == NULL) return ZP_OK;
  if (noff > b->cap_offset) {
    cudaFree(b->pair_offset);
    b->pair_offset = NULL;
    b->cap_offset = 0;
    if (cudaMalloc((void **)&b->pair_offset, noff * sizeof *b->pair_offset) != cudaSuccess) {
      cudaGetLastError();
      b->pair_offset = NULL;
      return zp_error_set(err, ZP_ECUDA, "cudaMalloc of %zu pair offsets failed", noff);
    }
    b->cap_offset = noff;
  }
  if (npairs > b->cap_pairs || b->pairs == NULL) {
    cudaFree(b->pairs);
    b->pairs = NULL;
    b->cap_pairs = 0;
    if (cudaMalloc((void **)&b->pairs, (npairs + 1) * sizeof *b->pairs) != cudaSuccess) {
      cudaGetLastError();
      b->pairs = NULL;
      return zp_error_set(err, ZP_ECUDA, "cudaMalloc of %zu in-shell pairs failed", npairs);
    }
    b->cap_pairs = npairs + 1;
  }
  ZP_TO_DEVICE(b->pair_offset, pl->pair_offset, noff);
  if (npairs > 0) ZP_TO_DEVICE(b->pairs, pl->pairs, npairs);
  return ZP_OK;
}

zp_status zp_cuda_batch_load(zp_backend *bk, const zp_batch_plan *pl, zp_error *err) {
  cuda_impl *d = bk->impl;
  size_t n = bk->n;
  zp_status st = reserve(d, pl, n, err);
  if (st != ZP_OK) return st;
  zp_cuda_batch *b = &d->batch;
  b->plan = *pl;
  double *c = b->compact;
  b->kernel = c, c += pl->nbins * ZP_KERN_STRIDE;
  b->bin_power = c, c += pl->ngamma * pl->nbins;
  b->rhs_norm = c, c += pl->nrhs;
  b->rhs_gamma = (int *)c, c += pl->nrhs; /* an int fits in a double's slot */
  b->pre = c, c += pl->nshells * pl->nrhs;
  b->split = c, c += pl->nshells * pl->nrhs;
  b->survival = c, c += pl->npoints * pl->nshells * n;
  b->inject = pl->inject != NULL ? c : NULL, c += pl->npoints * pl->nshells * n;
  b->regen = c, c += pl->npoints;
  b->p_branch = c, c += 3 * pl->npoints;
  b->weights = c;
  ZP_TO_DEVICE(b->kernel, pl->kernel, pl->nbins * ZP_KERN_STRIDE);
  ZP_TO_DEVICE(b->bin_power, pl->bin_power, pl->ngamma * pl->nbins);
  ZP_TO_DEVICE(b->rhs_norm, pl->rhs_norm, pl->nrhs);
  ZP_TO_DEVICE(b->rhs_gamma, pl->rhs_gamma, pl->nrhs);
  ZP_TO_DEVICE(b->pre, pl->pre, pl->nshells * pl->nrhs);
  ZP_TO_DEVICE(b->split, pl->split, pl->nshells * pl->nrhs);
  ZP_TO_DEVICE(b->survival, pl->survival, pl->npoints * pl->nshells * n);
  if (pl->inject != NULL) ZP_TO_DEVICE(b->inject, pl->inject, pl->npoints * pl->nshells * n);
  ZP_TO_DEVICE(b->regen, pl->regen_fraction, pl->npoints);
  ZP_TO_DEVICE(b->p_branch, pl->p_branch, 3 * pl->npoints);
  ZP_TO_DEVICE(b->weights, pl->weights, 3 * pl->npoints);
  ZP_CUDA_CALL(cudaMemset(b->y, 0, pl->npoints * pl->nrhs * n * sizeof(double)));
  return load_pairs(b, pl, err);
}

zp_status zp_cuda_batch_assemble(zp_backend *bk, size_t k, zp_error *err) {
  zp_cuda_batch *b = &((cuda_impl *)bk->impl)->batch;
  ZP_CUDA_CALL((cudaError_t)zp_cuda_assemble_batch_launch(b->tb, b->plan.nbins, b->plan.npoints,
                                                          b->plan.nshells, k, b->survival, b->regen,
                                                          b->p_branch, b->kernel));
  if (b->plan.pairs != NULL)
    ZP_CUDA_CALL((cudaError_t)zp_cuda_pairs_batch_launch(
        b->tb, b->plan.nbins, b->plan.npoints, b->plan.nshells, k, b->pairs, b->pair_offset,
        b->regen, b->p_branch, b->kernel));
  return ZP_OK;
}

zp_status zp_cuda_batch_apply(zp_backend *bk, size_t k, zp_error *err) {
  cuda_impl *impl = bk->impl;
  zp_cuda_batch *b = &impl->batch;
  const zp_batch_plan *pl = &b->plan;
  const long long n = (long long)bk->n, nrhs = (long long)pl->nrhs;
  ZP_CUDA_CALL((cudaError_t)zp_cuda_add_sources_launch(
      b->y, pl->nbins, pl->nrhs, pl->npoints, pl->nshells, k, 0, b->pre + k * pl->nrhs,
      b->split + k * pl->nrhs, b->inject, b->rhs_norm, b->rhs_gamma, b->bin_power, b->weights));
  const double one = 1.0, zero = 0.0;
  ZP_CUBLAS_CALL("cublasDgemmStridedBatched",
                 impl->cb->dgemm_strided_batched(impl->handle, CUBLAS_OP_N, CUBLAS_OP_N, (int)n,
                                                 (int)nrhs, (int)n, &one, b->tb, (int)n, n * n,
                                                 b->y, (int)n, n * nrhs, &zero, b->tmp, (int)n,
                                                 n * nrhs, (int)pl->npoints));
  double *t = b->y;
  b->y = b->tmp;
  b->tmp = t;
  ZP_CUDA_CALL((cudaError_t)zp_cuda_add_sources_launch(
      b->y, pl->nbins, pl->nrhs, pl->npoints, pl->nshells, k, 1, b->pre + k * pl->nrhs,
      b->split + k * pl->nrhs, b->inject, b->rhs_norm, b->rhs_gamma, b->bin_power, b->weights));
  return ZP_OK;
}

zp_status zp_cuda_batch_store(zp_backend *bk, double *y, zp_error *err) {
  zp_cuda_batch *b = &((cuda_impl *)bk->impl)->batch;
  size_t count = b->plan.npoints * b->plan.nrhs * bk->n;
  ZP_CUDA_CALL(cudaMemcpy(y, b->y, count * sizeof(double), cudaMemcpyDeviceToHost));
  return ZP_OK;
}

zp_status zp_cuda_sync(zp_backend *bk, zp_error *err) {
  (void)bk;
  ZP_CUDA_CALL(cudaDeviceSynchronize());
  return ZP_OK;
}

zp_status zp_cuda_batch_read_matrix(zp_backend *bk, size_t p, double *dst, zp_error *err) {
  zp_cuda_batch *b = &((cuda_impl *)bk->impl)->batch;
  size_t nn = bk->n * bk->n;
  ZP_CUDA_CALL(cudaMemcpy(dst, b->tb + p * nn, nn * sizeof(double), cudaMemcpyDeviceToHost));
  return ZP_OK;
}

zp_status zp_cuda_dgemm_rate(zp_backend *bk, size_t size, double *rate, zp_error *err) {
  cuda_impl *impl = bk->impl;
  double *a = NULL;
  zp_status st = dev_alloc(&a, 3 * size * size, "the DGEMM reference", err);
  if (st != ZP_OK) return st;
  cudaError_t me = cudaMemset(a, 0, 3 * size * size * sizeof(double));
  if (me != cudaSuccess) {
    cudaFree(a);
    return zp_error_set(err, ZP_ECUDA, "cudaMemset of the DGEMM reference failed: %s",
                        cudaGetErrorString(me));
  }
  const double one = 1.0, zero = 0.0;
  int m = (int)size;
  double best = 0.0;
  for (int rep = 0; rep < 4; ++rep) { /* the first call warms cuBLAS up */
    double t0 = zp_wall_seconds();
    cublasStatus_t cs = impl->cb->dgemm(impl->handle, CUBLAS_OP_N, CUBLAS_OP_N, m, m, m, &one, a, m,
                                        a + size * size, m, &zero, a + 2 * size * size, m);
    cudaError_t ce = cudaDeviceSynchronize();
    double dt = zp_wall_seconds() - t0;
    if (cs != CUBLAS_STATUS_SUCCESS || ce != cudaSuccess) {
      cudaFree(a);
      return zp_error_set(err, ZP_ECUBLAS, "cublasDgemm reference failed");
    }
    double r = 2.0 * (double)size * (double)size * (double)size / dt;
    if (rep > 0 && r > best) best = r;
  }
  cudaFree(a);
  *rate = best;
  return ZP_OK;
}
