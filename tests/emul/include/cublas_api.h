/* Host emulation of cuBLAS (tests/emul): the types the loader binds; the
 * functions live in the fake module fake_cublas.c, found by dlopen.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_EMUL_CUBLAS_API_H
#define ZP_EMUL_CUBLAS_API_H

#define CUBLAS_VER_MAJOR 13

typedef struct cublasContext *cublasHandle_t;

typedef enum {
  CUBLAS_STATUS_SUCCESS = 0,
  CUBLAS_STATUS_NOT_INITIALIZED = 1,
  CUBLAS_STATUS_ALLOC_FAILED = 3,
  CUBLAS_STATUS_INVALID_VALUE = 7
} cublasStatus_t;

typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 } cublasOperation_t;

#endif
