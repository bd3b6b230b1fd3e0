/* zprop (internal): the backend interface.  A backend assembles T_k from a
 * zp_shell and applies it to right-hand sides; the CPU backend is the
 * reference, others must agree with it (tests/test_backend_parity.c).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_BACKEND_H
#define ZP_BACKEND_H

#include <stddef.h>

#include "shell.h"
#include "zprop/spectrum.h"

typedef struct zp_backend zp_backend;

typedef struct {
  const char *name;
  /** Builds T_k for @p shell in the backend's own memory. */
  zp_status (*assemble)(zp_backend *bk, const zp_shell *shell, zp_error *err);
  /** y <- T_k y for @p nrhs column vectors of length n stored with leading
   *  dimension @p ldy, in host memory. */
  zp_status (*apply)(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err);
  /** Copies the assembled T_k (column-major n x n) to host @p dst. */
  zp_status (*read_matrix)(zp_backend *bk, double *dst, zp_error *err);
  void (*destroy)(zp_backend *bk);
} zp_backend_ops;

struct zp_backend {
  const zp_backend_ops *ops;
  size_t nbins;
  size_t n; /* 3 nbins */
  void *impl;
};

/** Creates the backend @p kind asks for; AUTO picks CUDA when a device is
 *  usable and the CPU otherwise, reporting the choice through @p notice
 *  (a static string, NULL if nothing to say). */
zp_status zp_backend_create(zp_backend_kind kind, size_t nbins, zp_backend **out,
                            const char **notice, zp_error *err);
void zp_backend_destroy(zp_backend *bk);

zp_status zp_backend_cpu_create(size_t nbins, zp_backend **out, zp_error *err);

#endif
