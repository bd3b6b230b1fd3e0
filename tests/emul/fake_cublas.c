/* Host emulation of the cuBLAS calls of cuda/, built as a module that
 * cuda/cublas_loader.c opens with dlopen as it would libcublas.  Arguments
 * are checked as cuBLAS checks them (CUBLAS_STATUS_INVALID_VALUE), every
 * matrix must lie inside one device allocation (else the emulation aborts:
 * a device would fault), and the products are the column-major reference.
 * SPDX-License-Identifier: MIT */
#include <cublas_api.h>
#include <stdlib.h>

#include "emul.h"

struct cublasContext {
  int live;
};

static size_t imax(size_t a, size_t b) { return a > b ? a : b; }

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle);
cublasStatus_t cublasDestroy_v2(cublasHandle_t handle);
const char *cublasGetStatusString(cublasStatus_t s);
cublasStatus_t cublasDgemv_v2(cublasHandle_t h, cublasOperation_t trans, int m, int n,
                              const double *alpha, const double *a, int lda, const double *x,
                              int incx, const double *beta, double *y, int incy);
cublasStatus_t cublasDgemm_v2(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                              int n, int k, const double *alpha, const double *a, int lda,
                              const double *b, int ldb, const double *beta, double *c, int ldc);
cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t h, cublasOperation_t ta,
                                         cublasOperation_t tb, int m, int n, int k,
                                         const double *alpha, const double *a, int lda,
                                         long long sa, const double *b, int ldb, long long sb,
                                         const double *beta, double *c, int ldc, long long sc,
                                         int batch);

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle) {
  *handle = NULL;
  if (zp_emul_should_fail("cublasCreate")) return CUBLAS_STATUS_NOT_INITIALIZED;
  *handle = calloc(1, sizeof **handle);
  if (*handle == NULL) return CUBLAS_STATUS_ALLOC_FAILED;
  (*handle)->live = 1;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
  if (handle == NULL || !handle->live) zp_emul_misuse("cublasDestroy of a handle not created");
  handle->live = 0;
  free(handle);
  return CUBLAS_STATUS_SUCCESS;
}

const char *cublasGetStatusString(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "the operation completed successfully";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "the library was not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED: return "the resource allocation failed";
    case CUBLAS_STATUS_INVALID_VALUE: return "an invalid numeric value was used as an argument";
  }
  return "unknown error";
}

/* A rows x cols matrix at leading dimension ld, batch copies stride apart. */
static void check_matrix(const char *call, const char *what, const double *p, size_t rows,
                         size_t cols, size_t ld, long long stride, int batch) {
  if (rows == 0 || cols == 0 || batch == 0) return;
  size_t extent = ld * (cols - 1) + rows + (size_t)(batch - 1) * (size_t)stride;
  if (!zp_emul_is_device(p, extent * sizeof *p))
    zp_emul_misuse(
        "%s: %s (%zu x %zu, ld %zu, stride %lld, batch %d) is not inside one device allocation",
        call, what, rows, cols, ld, stride, batch);
}

static void check_scalars(const char *call, const double *alpha, const double *beta) {
  if (alpha == NULL || beta == NULL || zp_emul_is_device(alpha, 0) || zp_emul_is_device(beta, 0))
    zp_emul_misuse("%s: alpha and beta must be host pointers (host pointer mode)", call);
}

static int bad_op(cublasOperation_t op) { return op != CUBLAS_OP_N && op != CUBLAS_OP_T; }

/* op(X)[i, j] of a column-major X at leading dimension ld. */
static double at(const double *x, size_t ld, cublasOperation_t op, size_t i, size_t j) {
  return op == CUBLAS_OP_N ? x[i + j * ld] : x[j + i * ld];
}

static void gemm(cublasOperation_t ta, cublasOperation_t tb, size_t m, size_t n, size_t k,
                 double alpha, const double *a, size_t lda, const double *b, size_t ldb,
                 double beta, double *c, size_t ldc) {
  for (size_t j = 0; j < n; ++j)
    for (size_t i = 0; i < m; ++i) {
      double s = 0.0;
      for (size_t l = 0; l < k; ++l) s += at(a, lda, ta, i, l) * at(b, ldb, tb, l, j);
      /* beta = 0: C is not read (it may hold anything, NaN included) */
      c[i + j * ldc] = beta == 0.0 ? alpha * s : alpha * s + beta * c[i + j * ldc];
    }
}

static cublasStatus_t check_gemm(const char *call, cublasHandle_t h, cublasOperation_t ta,
                                 cublasOperation_t tb, int m, int n, int k, const double *alpha,
                                 const double *a, int lda, long long sa, const double *b, int ldb,
                                 long long sb, const double *beta, double *c, int ldc, long long sc,
                                 int batch) {
  if (h == NULL || !h->live) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (bad_op(ta) || bad_op(tb) || m < 0 || n < 0 || k < 0 || batch < 0 || sa < 0 || sb < 0 ||
      sc < 0)
    return CUBLAS_STATUS_INVALID_VALUE;
  size_t ar = ta == CUBLAS_OP_N ? (size_t)m : (size_t)k,
         ac = ta == CUBLAS_OP_N ? (size_t)k : (size_t)m;
  size_t br = tb == CUBLAS_OP_N ? (size_t)k : (size_t)n,
         bc = tb == CUBLAS_OP_N ? (size_t)n : (size_t)k;
  if (lda < 1 || (size_t)lda < imax(1, ar) || ldb < 1 || (size_t)ldb < imax(1, br) || ldc < 1 ||
      (size_t)ldc < imax(1, (size_t)m))
    return CUBLAS_STATUS_INVALID_VALUE;
  check_scalars(call, alpha, beta);
  check_matrix(call, "A", a, ar, ac, (size_t)lda, sa, batch);
  check_matrix(call, "B", b, br, bc, (size_t)ldb, sb, batch);
  check_matrix(call, "C", c, (size_t)m, (size_t)n, (size_t)ldc, sc, batch);
  /* outputs of different batch entries must not overlap */
  if (batch > 1 && (size_t)sc < (size_t)ldc * ((size_t)n - 1) + (size_t)m && n > 0 && m > 0)
    zp_emul_misuse("%s: C stride %lld overlaps the %d x %d outputs", call, sc, m, n);
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDgemm_v2(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                              int n, int k, const double *alpha, const double *a, int lda,
                              const double *b, int ldb, const double *beta, double *c, int ldc) {
  cublasStatus_t s = check_gemm("cublasDgemm", h, ta, tb, m, n, k, alpha, a, lda, 0, b, ldb, 0,
                                beta, c, ldc, 0, 1);
  if (s == CUBLAS_STATUS_SUCCESS)
    gemm(ta, tb, (size_t)m, (size_t)n, (size_t)k, *alpha, a, (size_t)lda, b, (size_t)ldb, *beta, c,
         (size_t)ldc);
  return s;
}

cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t h, cublasOperation_t ta,
                                         cublasOperation_t tb, int m, int n, int k,
                                         const double *alpha, const double *a, int lda,
                                         long long sa, const double *b, int ldb, long long sb,
                                         const double *beta, double *c, int ldc, long long sc,
                                         int batch) {
  cublasStatus_t s = check_gemm("cublasDgemmStridedBatched", h, ta, tb, m, n, k, alpha, a, lda, sa,
                                b, ldb, sb, beta, c, ldc, sc, batch);
  for (int q = 0; q < batch && s == CUBLAS_STATUS_SUCCESS; ++q)
    gemm(ta, tb, (size_t)m, (size_t)n, (size_t)k, *alpha, a + q * sa, (size_t)lda, b + q * sb,
         (size_t)ldb, *beta, c + q * sc, (size_t)ldc);
  return s;
}

cublasStatus_t cublasDgemv_v2(cublasHandle_t h, cublasOperation_t trans, int m, int n,
                              const double *alpha, const double *a, int lda, const double *x,
                              int incx, const double *beta, double *y, int incy) {
  if (h == NULL || !h->live) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (bad_op(trans) || m < 0 || n < 0 || lda < 1 || lda < m || incx == 0 || incy == 0)
    return CUBLAS_STATUS_INVALID_VALUE;
  if (incx != 1 || incy != 1) zp_emul_misuse("cublasDgemv: only unit increments are emulated");
  size_t lx = trans == CUBLAS_OP_N ? (size_t)n : (size_t)m,
         ly = trans == CUBLAS_OP_N ? (size_t)m : (size_t)n;
  check_scalars("cublasDgemv", alpha, beta);
  check_matrix("cublasDgemv", "A", a, (size_t)m, (size_t)n, (size_t)lda, 0, 1);
  check_matrix("cublasDgemv", "x", x, lx, 1, lx, 0, 1);
  check_matrix("cublasDgemv", "y", y, ly, 1, ly, 0, 1);
  gemm(trans, CUBLAS_OP_N, ly, 1, lx, *alpha, a, (size_t)lda, x, lx, *beta, y, ly);
  return CUBLAS_STATUS_SUCCESS;
}
