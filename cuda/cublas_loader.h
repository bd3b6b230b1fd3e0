/* zprop (internal): cuBLAS, loaded with dlopen only when a CUDA device is
 * used.  Linking it outright maps ~150 MB into every run of a CUDA build,
 * GPU or not; the CPU path must stay small.  SPDX-License-Identifier: MIT */
#ifndef ZP_CUBLAS_LOADER_H
#define ZP_CUBLAS_LOADER_H

#include <cublas_api.h>

#include "zprop/errors.h"

typedef struct {
  cublasStatus_t (*create)(cublasHandle_t *handle);
  cublasStatus_t (*destroy)(cublasHandle_t handle);
  cublasStatus_t (*dgemv)(cublasHandle_t, cublasOperation_t, int, int, const double *,
                          const double *, int, const double *, int, const double *, double *, int);
  cublasStatus_t (*dgemm)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                          const double *, const double *, int, const double *, int, const double *,
                          double *, int);
  cublasStatus_t (*dgemm_strided_batched)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int,
                                          int, int, const double *, const double *, int, long long,
                                          const double *, int, long long, const double *, double *,
                                          int, long long, int);
  const char *(*status_string)(cublasStatus_t);
} zp_cublas_api;

/** Loads libcublas once (thread-safe); NULL with err set if it cannot. */
const zp_cublas_api *zp_cublas_load(zp_error *err);

#endif
