/* zprop: backend selection.  A binary built with CUDA still runs without a
 * GPU: AUTO then falls back to the CPU and says so once.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "backend.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

#include "grid.h"
#include "zprop/config.h"

#ifdef ZP_HAVE_CUDA
#include "cuda_backend.h"
#endif

zp_status zp_backend_resolve(zp_backend_kind kind, const char **name, const char **notice,
                             zp_error *err) {
  *notice = NULL;
  *name = kind == ZP_BACKEND_CPU ? "cpu" : "cpu_fast";
  if (kind == ZP_BACKEND_CPU || kind == ZP_BACKEND_CPU_FAST) return ZP_OK;
#ifdef ZP_HAVE_CUDA
  if (zp_cuda_device_count() > 0) {
    *name = "cuda";
    return ZP_OK;
  }
  if (kind == ZP_BACKEND_CUDA)
    return zp_error_set(err, ZP_EBACKEND, "backend = cuda: no usable CUDA device (%s); allowed here: auto, cpu, cpu_fast",
                        zp_cuda_probe_message());
  *notice = "no CUDA device found, using the CPU backend (cpu_fast)";
#else
  if (kind == ZP_BACKEND_CUDA)
    return zp_error_set(err, ZP_EBACKEND,
                        "backend = cuda: this build has no CUDA support; allowed here: auto, cpu, cpu_fast");
  *notice = "built without CUDA, using the CPU backend (cpu_fast)";
#endif
  return ZP_OK;
}

zp_status zp_backend_create(zp_backend_kind kind, size_t nbins, zp_backend **out,
                            const char **notice, zp_error *err) {
  *out = NULL;
  const char *name, *said;
  zp_status st = zp_backend_resolve(kind, &name, &said, err);
  if (notice != NULL) *notice = said;
  if (st != ZP_OK) return st;
#ifdef ZP_HAVE_CUDA
  if (strcmp(name, "cuda") == 0) return zp_backend_cuda_create(nbins, out, err);
#endif
  if (kind == ZP_BACKEND_CPU) return zp_backend_cpu_create(nbins, out, err);
  return zp_backend_cpu_fast_create(nbins, out, err);
}

void zp_backend_destroy(zp_backend *bk) {
  if (bk != NULL) bk->ops->destroy(bk);
}

zp_status zp_backend_run_batch(zp_backend *bk, const zp_batch_plan *plan, double *y,
                               zp_error *err) {
  const zp_backend_ops *ops = bk->ops;
  zp_status st = ops->batch_load(bk, plan, err);
  for (size_t k = plan->nshells; st == ZP_OK && k-- > 0;) {
    st = ops->batch_assemble(bk, k, err);
    if (st == ZP_OK) st = ops->batch_apply(bk, k, err);
  }
  if (st == ZP_OK) st = ops->batch_store(bk, y, err);
  return st;
}

double zp_wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void zp_batch_add_source(const zp_batch_plan *pl, size_t p, size_t j, double coef, double *y) {
  const size_t nb = pl->nbins;
  const double c = coef * pl->rhs_norm[j], *w = pl->weights + 3 * p;
  if (c == 0.0) return;
  const double *bp = pl->bin_power + (size_t)pl->rhs_gamma[j] * nb;
  for (size_t b = 0; b < nb; ++b)
    for (int i = 0; i < 3; ++i) y[zp_state_index(nb, b, i)] += c * w[i] * bp[b];
}
