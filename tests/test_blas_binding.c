/* zprop tests: the CBLAS the dense backend calls is OpenBLAS's.
 *
 * libgsl leaves its CBLAS to the program, and GSL's reference gslcblas
 * (3.3 GFLOP/s against OpenBLAS's 41.8 in DGEMM on one core here) once
 * bound zprop's cblas_dgemm/dgemv silently.  Whatever resolves the symbol
 * for this executable, linked as the library's users are, is named by
 * dladdr().
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* dladdr */

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <gsl/gsl_cblas.h>
#include <string.h>

static void expect_openblas(void *fn, const char *name) {
  Dl_info info;
  cr_assert_neq(dladdr(fn, &info), 0, "dladdr found no object for %s", name);
  cr_expect(info.dli_fname != NULL && strstr(info.dli_fname, "openblas") != NULL,
            "%s comes from %s, not OpenBLAS", name, info.dli_fname ? info.dli_fname : "?");
}

Test(blas, dense_products_bind_to_openblas) {
  expect_openblas((void *)cblas_dgemm, "cblas_dgemm");
  expect_openblas((void *)cblas_dgemv, "cblas_dgemv");
}
