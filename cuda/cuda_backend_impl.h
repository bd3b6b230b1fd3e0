/* zprop (internal): state and checking macros shared by the CUDA backend's
 * files.  SPDX-License-Identifier: MIT */
#ifndef ZP_CUDA_BACKEND_IMPL_H
#define ZP_CUDA_BACKEND_IMPL_H

#include <cuda_runtime.h>

#include "cublas_loader.h"
#include "cuda_backend.h"
#include "physics/regen.h" /* ZP_KERN_STRIDE */

/* Every CUDA status becomes ZP_ECUDA naming the call (needs `err`). */
#define ZP_CUDA_CALL(call)                                                                         \
  do {                                                                                             \
    cudaError_t zp_e_ = (call);                                                                    \
    if (zp_e_ != cudaSuccess)                                                                      \
      return zp_error_set(err, ZP_ECUDA, "%s failed: %s", #call, cudaGetErrorString(zp_e_));       \
  } while (0)

/* Every cuBLAS status becomes ZP_ECUBLAS naming the call (needs `impl`). */
#define ZP_CUBLAS_CALL(name, call)                                                                 \
  do {                                                                                             \
    cublasStatus_t zp_s_ = (call);                                                                 \
    if (zp_s_ != CUBLAS_STATUS_SUCCESS)                                                            \
      return zp_error_set(err, ZP_ECUBLAS, "%s failed: %s", name, impl->cb->status_string(zp_s_)); \
  } while (0)

/* Device arrays of a batch chunk; the compact ones share one allocation. */
typedef struct {
  zp_batch_plan plan; /* sizes (its host pointers are not used after load) */
  double *tb, *y, *tmp, *compact;
  size_t cap_tb, cap_y, cap_c;
  double *kernel, *bin_power, *rhs_norm, *pre, *split, *survival, *inject, *regen, *p_branch;
  double *weights;
  int *rhs_gamma;
  zp_inshell_pair *pairs; /* the chunk's, with their offsets */
  size_t *pair_offset;
  size_t cap_pairs, cap_offset;
} zp_cuda_batch;

typedef struct {
  const zp_cublas_api *cb;
  cublasHandle_t handle;
  double *t;       /* n x n */
  double *compact; /* survival [n], kernel [nbins][ZP_KERN_STRIDE], p_branch [3] */
  double *y, *tmp; /* right-hand sides and product, grown on demand */
  size_t rhs_capacity;
  zp_inshell_pair *pairs; /* the shell's in-shell pairs, grown on demand */
  size_t pairs_capacity;
  zp_cuda_batch batch;
} cuda_impl;

size_t zp_cuda_batch_capacity(zp_backend *bk, size_t nrhs, size_t nshells);
zp_status zp_cuda_batch_load(zp_backend *bk, const zp_batch_plan *plan, zp_error *err);
zp_status zp_cuda_batch_assemble(zp_backend *bk, size_t k, zp_error *err);
zp_status zp_cuda_batch_apply(zp_backend *bk, size_t k, zp_error *err);
zp_status zp_cuda_batch_store(zp_backend *bk, double *y, zp_error *err);
zp_status zp_cuda_sync(zp_backend *bk, zp_error *err);
zp_status zp_cuda_batch_read_matrix(zp_backend *bk, size_t p, double *dst, zp_error *err);
zp_status zp_cuda_dgemm_rate(zp_backend *bk, size_t size, double *rate, zp_error *err);

#endif
