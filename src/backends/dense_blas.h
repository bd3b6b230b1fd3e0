/* zprop (internal): OpenBLAS for the dense CPU backend, loaded when first
 * needed.
 *
 * Only backend=cpu multiplies dense matrices.  Linked into every zprop
 * process, OpenBLAS and its libgfortran cost each one 2.4 ms of loading and
 * start-up before main (bench/README), where a 1000-bin spectrum takes 9 ms:
 * it is opened on first use instead, by the soname it was configured with,
 * and stays for the life of the process.  Calling cblas_* directly would
 * bind to GSL's reference gslcblas (GSL's own CBLAS, 13x slower in DGEMM),
 * so the library's objects never do (tools/check_process_state.sh).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_DENSE_BLAS_H
#define ZP_DENSE_BLAS_H

#include <cblas.h> /* OpenBLAS's: the enums and blasint only, nothing linked */

#include "zprop/errors.h"

typedef void (*zp_dgemm_fn)(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta,
                            enum CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k, double alpha,
                            const double *a, blasint lda, const double *b, blasint ldb, double beta,
                            double *c, blasint ldc);
typedef void (*zp_dgemv_fn)(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, blasint m, blasint n,
                            double alpha, const double *a, blasint lda, const double *x,
                            blasint incx, double beta, double *y, blasint incy);

typedef struct {
  zp_dgemm_fn dgemm;
  zp_dgemv_fn dgemv;
  const char *path; /* the file the two come from, as the loader names it */
} zp_dense_blas;

/** The loaded OpenBLAS (thread-safe; loaded once per process), or ZP_EBACKEND
 *  naming the library and the loader's reason when it cannot be opened. */
zp_status zp_dense_blas_get(const zp_dense_blas **out, zp_error *err);

#endif
