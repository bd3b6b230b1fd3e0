/* zprop: the CPU reference backend.  Assembly fills the lower triangle of
 * T_k column by column (OpenMP); application is a BLAS gemv/gemm.
 * SPDX-License-Identifier: MIT */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "zprop/transfer.h"

typedef struct {
  double *t; /* n x n column-major; the strict upper triangle stays zero */
} cpu_impl;

static zp_status cpu_assemble(zp_backend *bk, const zp_shell *sh, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const long n = (long)bk->n;
#pragma omp parallel for schedule(static)
  for (long c = 0; c < n; ++c) {
    double *col = impl->t + (size_t)c * (size_t)n;
    for (long r = c - c % 3; r < n; ++r)
      col[r] = zp_transfer_entry((size_t)r, (size_t)c, sh->survival, sh->regen_fraction,
                                 sh->p_branch, sh->kernel);
  }
  return ZP_OK;
}

static zp_status cpu_apply(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  const int n = (int)bk->n;
  /* The 3x3 diagonal blocks are full, so T is not triangular element-wise
   * and BLAS trmv/trmm do not apply; the zero upper part costs a factor 2. */
  if (nrhs == 1) {
    double *tmp = malloc(bk->n * sizeof *tmp);
    if (tmp == NULL) return zp_error_set(err, ZP_ENOMEM, "apply buffer of %zu", bk->n);
    memcpy(tmp, y, bk->n * sizeof *tmp);
    cblas_dgemv(CblasColMajor, CblasNoTrans, n, n, 1.0, impl->t, n, tmp, 1, 0.0, y, 1);
    free(tmp);
    return ZP_OK;
  }
  double *tmp = malloc(bk->n * nrhs * sizeof *tmp);
  if (tmp == NULL) return zp_error_set(err, ZP_ENOMEM, "apply buffer of %zu x %zu", bk->n, nrhs);
  for (size_t j = 0; j < nrhs; ++j) memcpy(tmp + j * bk->n, y + j * ldy, bk->n * sizeof *tmp);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, (int)nrhs, n, 1.0, impl->t, n, tmp,
              n, 0.0, y, (int)ldy);
  free(tmp);
  return ZP_OK;
}

static zp_status cpu_read_matrix(zp_backend *bk, double *dst, zp_error *err) {
  (void)err;
  cpu_impl *impl = bk->impl;
  memcpy(dst, impl->t, bk->n * bk->n * sizeof *dst);
  return ZP_OK;
}

static void cpu_destroy(zp_backend *bk) {
  cpu_impl *impl = bk->impl;
  if (impl != NULL) free(impl->t);
  free(impl);
  free(bk);
}

static const zp_backend_ops cpu_ops = {"cpu", cpu_assemble, cpu_apply, cpu_read_matrix,
                                       cpu_destroy};

zp_status zp_backend_cpu_create(size_t nbins, zp_backend **out, zp_error *err) {
  *out = NULL;
  zp_backend *bk = calloc(1, sizeof *bk);
  cpu_impl *impl = calloc(1, sizeof *impl);
  size_t n = 3 * nbins;
  if (bk != NULL && impl != NULL) impl->t = calloc(n * n, sizeof *impl->t);
  if (bk == NULL || impl == NULL || impl->t == NULL) {
    free(impl != NULL ? impl->t : NULL);
    free(impl);
    free(bk);
    return zp_error_set(err, ZP_ENOMEM, "transfer matrix of %zu x %zu doubles (%.1f MB)", n, n,
                        (double)(n * n) * 8e-6);
  }
  bk->ops = &cpu_ops;
  bk->nbins = nbins;
  bk->n = n;
  bk->impl = impl;
  *out = bk;
  return ZP_OK;
}
