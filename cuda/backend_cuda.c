/* zprop: the CUDA backend.  T_k lives on the device and is built there from
 * the compact shell quantities (3N survivals, a packed kernel of 13 numbers per
 * bin, 3 branchings),
 * so only O(N) numbers cross the bus per shell; cuBLAS applies it.  Every
 * CUDA and cuBLAS status is turned into a zp_status naming the call.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "backends/backend_debug.h"
#include "cuda_backend_impl.h"

static zp_status cuda_assemble(zp_backend *bk, const zp_shell *sh, zp_error *err) {
  cuda_impl *impl = bk->impl;
  size_t n = bk->n, nb = bk->nbins;
  const size_t nk = nb * ZP_KERN_STRIDE;
  double *d_surv = impl->compact, *d_kern = impl->compact + n, *d_p = impl->compact + n + nk;
  ZP_CUDA_CALL(cudaMemcpy(d_surv, sh->survival, n * sizeof(double), cudaMemcpyHostToDevice));
  ZP_CUDA_CALL(cudaMemcpy(d_kern, sh->kernel, nk * sizeof(double), cudaMemcpyHostToDevice));
  ZP_CUDA_CALL(cudaMemcpy(d_p, sh->p_branch, 3 * sizeof(double), cudaMemcpyHostToDevice));
  ZP_CUDA_CALL(
      (cudaError_t)zp_cuda_assemble_launch(impl->t, nb, d_surv, sh->regen_fraction, d_p, d_kern));
  if (sh->npairs == 0) return ZP_OK;
  if (sh->npairs > impl->pairs_capacity) {
    cudaFree(impl->pairs);
    impl->pairs = NULL;
    impl->pairs_capacity = 0;
    if (cudaMalloc((void **)&impl->pairs, 2 * sh->npairs * sizeof *sh->pairs) != cudaSuccess) {
      cudaGetLastError();
      impl->pairs = NULL;
      return zp_error_set(err, ZP_ECUDA, "cudaMalloc of %zu in-shell pairs failed", sh->npairs);
    }
    impl->pairs_capacity = 2 * sh->npairs;
  }
  ZP_CUDA_CALL(
      cudaMemcpy(impl->pairs, sh->pairs, sh->npairs * sizeof *sh->pairs, cudaMemcpyHostToDevice));
  ZP_CUDA_CALL((cudaError_t)zp_cuda_pairs_launch(impl->t, nb, impl->pairs, sh->npairs,
                                                 sh->regen_fraction, d_p, d_kern));
  return ZP_OK;
}

static zp_status reserve_rhs(cuda_impl *impl, size_t n, size_t nrhs, zp_error *err) {
  if (nrhs <= impl->rhs_capacity) return ZP_OK;
  cudaFree(impl->y);
  cudaFree(impl->tmp);
  impl->y = impl->tmp = NULL;
  impl->rhs_capacity = 0;
  size_t bytes = n * nrhs * sizeof(double);
  if (cudaMalloc((void **)&impl->y, bytes) != cudaSuccess ||
      cudaMalloc((void **)&impl->tmp, bytes) != cudaSuccess) {
    cudaGetLastError();
    return zp_error_set(err, ZP_ECUDA,
                        "cudaMalloc of 2 x %zu bytes for %zu right-hand sides failed", bytes, nrhs);
  }
  impl->rhs_capacity = nrhs;
  return ZP_OK;
}

static zp_status cuda_apply(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err) {
  cuda_impl *impl = bk->impl;
  size_t n = bk->n;
  zp_status st = reserve_rhs(impl, n, nrhs, err);
  if (st != ZP_OK) return st;
  ZP_CUDA_CALL(cudaMemcpy2D(impl->y, n * sizeof(double), y, ldy * sizeof(double),
                            n * sizeof(double), nrhs, cudaMemcpyHostToDevice));
  const double one = 1.0, zero = 0.0;
  if (nrhs == 1)
    ZP_CUBLAS_CALL("cublasDgemv",
                   impl->cb->dgemv(impl->handle, CUBLAS_OP_N, (int)n, (int)n, &one, impl->t, (int)n,
                                   impl->y, 1, &zero, impl->tmp, 1));
  else
    ZP_CUBLAS_CALL("cublasDgemm", impl->cb->dgemm(impl->handle, CUBLAS_OP_N, CUBLAS_OP_N, (int)n,
                                                  (int)nrhs, (int)n, &one, impl->t, (int)n, impl->y,
                                                  (int)n, &zero, impl->tmp, (int)n));
  ZP_CUDA_CALL(cudaMemcpy2D(y, ldy * sizeof(double), impl->tmp, n * sizeof(double),
                            n * sizeof(double), nrhs, cudaMemcpyDeviceToHost));
  return ZP_OK;
}

static zp_status cuda_read_matrix(zp_backend *bk, double *dst, zp_error *err) {
  cuda_impl *impl = bk->impl;
  ZP_CUDA_CALL(cudaMemcpy(dst, impl->t, bk->n * bk->n * sizeof(double), cudaMemcpyDeviceToHost));
  return ZP_OK;
}

static void cuda_destroy(zp_backend *bk) {
  if (bk == NULL) return;
  cuda_impl *impl = bk->impl;
  if (impl != NULL) {
    if (impl->handle != NULL) impl->cb->destroy(impl->handle);
    cudaFree(impl->t);
    cudaFree(impl->compact);
    cudaFree(impl->y);
    cudaFree(impl->tmp);
    cudaFree(impl->batch.tb);
    cudaFree(impl->batch.y);
    cudaFree(impl->batch.tmp);
    cudaFree(impl->batch.compact);
    cudaFree(impl->pairs);
    cudaFree(impl->batch.pairs);
    cudaFree(impl->batch.pair_offset);
    free(impl);
  }
  free(bk);
}

static const zp_backend_ops cuda_ops = {.name = "cuda",
                                        .destroy = cuda_destroy,
                                        .assemble = cuda_assemble,
                                        .apply = cuda_apply,
                                        .batch_capacity = zp_cuda_batch_capacity,
                                        .batch_load = zp_cuda_batch_load,
                                        .batch_assemble = zp_cuda_batch_assemble,
                                        .batch_apply = zp_cuda_batch_apply,
                                        .batch_store = zp_cuda_batch_store,
                                        .sync = zp_cuda_sync};

static const zp_backend_debug_ops cuda_debug = {.read_matrix = cuda_read_matrix,
                                                .batch_read_matrix = zp_cuda_batch_read_matrix,
                                                .dgemm_rate = zp_cuda_dgemm_rate};

zp_status zp_backend_cuda_create(size_t nbins, zp_backend **out, zp_error *err) {
  *out = NULL;
  zp_backend *bk = calloc(1, sizeof *bk);
  cuda_impl *impl = calloc(1, sizeof *impl);
  if (bk == NULL || impl == NULL) {
    free(bk);
    free(impl);
    return zp_error_set(err, ZP_ENOMEM, "CUDA backend descriptor");
  }
  bk->ops = &cuda_ops;
  bk->debug = &cuda_debug;
  bk->nbins = nbins;
  bk->n = 3 * nbins;
  bk->impl = impl;
  size_t n = bk->n, tbytes = n * n * sizeof(double);
  zp_status st = ZP_OK;
  if (cudaMalloc((void **)&impl->t, tbytes) != cudaSuccess) {
    cudaGetLastError();
    st = zp_error_set(err, ZP_ECUDA,
                      "cudaMalloc of the %zu x %zu transfer matrix (%zu bytes) failed", n, n,
                      tbytes);
  } else if (cudaMalloc((void **)&impl->compact,
                        (n + nbins * ZP_KERN_STRIDE + 3) * sizeof(double)) != cudaSuccess) {
    cudaGetLastError();
    st = zp_error_set(err, ZP_ECUDA, "cudaMalloc of the shell quantities (%zu doubles) failed",
                      n + nbins * ZP_KERN_STRIDE + 3);
  } else if ((impl->cb = zp_cublas_load(err)) == NULL) {
    st = ZP_ECUBLAS;
  } else {
    cublasStatus_t cs = impl->cb->create(&impl->handle);
    if (cs != CUBLAS_STATUS_SUCCESS) {
      impl->handle = NULL;
      st = zp_error_set(err, ZP_ECUBLAS, "cublasCreate failed: %s", impl->cb->status_string(cs));
    }
  }
  if (st != ZP_OK) {
    cuda_destroy(bk);
    return st;
  }
  *out = bk;
  return ZP_OK;
}
