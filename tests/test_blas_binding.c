/* zprop tests: the dense backend multiplies with OpenBLAS, opened only when
 * that backend is created.
 *
 * GSL's reference gslcblas (3.3 GFLOP/s against OpenBLAS's 41.8 in DGEMM on
 * one core here) once served zprop's products silently; now it is what a
 * direct cblas_* call would bind to, so the loaded functions' file is named
 * by dladdr(), and their products are checked against sums written out.
 * Before any dense backend exists no OpenBLAS is in the process: the
 * structured backend's spectrum must not load it (2.4 ms per process).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* dladdr */

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/dense_blas.h"
#include "support.h"
#include "zprop/zprop.h"

/** 1 when a file named like OpenBLAS is mapped into this process. */
static int openblas_mapped(void) {
  char *maps = zp_test_read_file_or_fail("/proc/self/maps");
  int found = strstr(maps, "openblas") != NULL;
  free(maps);
  return found;
}

/* One test, in this order: Criterion runs each test in its own process, so
 * "not loaded before" holds only within one. */
Test(blas, openblas_opened_on_first_dense_backend) {
  cr_expect(!openblas_mapped(), "OpenBLAS is loaded before any dense backend");
  zp_error err = {0};
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.backend = ZP_BACKEND_CPU_FAST;
  cfg.grid.bins_per_decade = 5;
  zp_spectrum *sp = NULL;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
  zp_spectrum_free(sp);
  cr_expect(!openblas_mapped(), "the structured backend's spectrum loaded OpenBLAS");
  zp_backend *bk = NULL;
  cr_assert_eq(zp_backend_cpu_create(4, &bk, &err), ZP_OK, "%s", err.msg);
  cr_expect(openblas_mapped(), "the dense backend did not load OpenBLAS");
  zp_backend_destroy(bk);

  const zp_dense_blas *blas = NULL;
  cr_assert_eq(zp_dense_blas_get(&blas, &err), ZP_OK, "%s", err.msg);
  cr_expect(strstr(blas->path, "openblas") != NULL, "the products come from %s", blas->path);
  Dl_info info;
  void *at;
  memcpy(&at, &blas->dgemv, sizeof at);
  cr_assert_neq(dladdr(at, &info), 0);
  cr_expect(strstr(info.dli_fname, "openblas") != NULL, "cblas_dgemv from %s", info.dli_fname);
}

Test(blas, loaded_products_are_products) {
  const zp_dense_blas *blas = NULL;
  zp_error err = {0};
  cr_assert_eq(zp_dense_blas_get(&blas, &err), ZP_OK, "%s", err.msg);
  enum { M = 7, K = 5, N = 3 };
  double a[M * K], b[K * N], c[M * N], x[K], y[M];
  for (int i = 0; i < M * K; i++) a[i] = 1.0 / (1 + i % 11) - 0.3;
  for (int i = 0; i < K * N; i++) b[i] = 0.25 * (i % 5) - 0.4;
  for (int i = 0; i < K; i++) x[i] = b[i];
  blas->dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0, a, M, b, K, 0.0, c, M);
  blas->dgemv(CblasColMajor, CblasNoTrans, M, K, 2.0, a, M, x, 1, 0.0, y, 1);
  /* sums of five products of numbers below 2: 1e-15 absolute is rounding */
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      double s = 0.0;
      for (int k = 0; k < K; k++) s += a[i + k * M] * b[k + j * K];
      cr_expect(fabs(c[i + j * M] - s) < 1e-15, "dgemm (%d, %d): %.17g vs %.17g", i, j,
                c[i + j * M], s);
      if (j == 0) cr_expect(fabs(y[i] - 2.0 * s) < 2e-15, "dgemv %d", i);
    }
  }
}
