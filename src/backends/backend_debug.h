/* zprop (internal, tests and benchmarks only): what a backend can show of
 * itself beyond its production operations: the assembled matrices, for the
 * parity suite, and its BLAS's DGEMM rate, the benchmarks' reference.
 * Production code never calls these.  SPDX-License-Identifier: MIT */
#ifndef ZP_BACKEND_DEBUG_H
#define ZP_BACKEND_DEBUG_H

#include "backends/backend.h"

struct zp_backend_debug_ops {
  /** Copies the assembled T_k (column-major n x n) to host @p dst. */
  zp_status (*read_matrix)(zp_backend *bk, double *dst, zp_error *err);
  /** Copies point @p p's assembled T_k (after batch_assemble) to host. */
  zp_status (*batch_read_matrix)(zp_backend *bk, size_t p, double *dst, zp_error *err);
  /** The rate of a plain size^3 DGEMM on this backend's BLAS, in
   *  floating-point operations per second (ZP_EBACKEND: it has none). */
  zp_status (*dgemm_rate)(zp_backend *bk, size_t size, double *flops_per_s, zp_error *err);
};

/** The debug operations of @p bk (never NULL for a created backend). */
static inline const zp_backend_debug_ops *zp_backend_debug(const zp_backend *bk) {
  return bk->debug;
}

#endif
