/* zprop: backend selection.  A binary built with CUDA still runs without a
 * GPU: AUTO then falls back to the CPU and says so once.
 * SPDX-License-Identifier: MIT */
#include "backend.h"

#include <stddef.h>

#include "zprop/config.h"

#ifdef ZP_HAVE_CUDA
#include "cuda_backend.h"
#endif

zp_status zp_backend_create(zp_backend_kind kind, size_t nbins, zp_backend **out,
                            const char **notice, zp_error *err) {
  *out = NULL;
  if (notice != NULL) *notice = NULL;
  if (kind == ZP_BACKEND_CPU) return zp_backend_cpu_create(nbins, out, err);
#ifdef ZP_HAVE_CUDA
  int devices = zp_cuda_device_count();
  if (devices > 0) return zp_backend_cuda_create(nbins, out, err);
  if (kind == ZP_BACKEND_CUDA)
    return zp_error_set(err, ZP_EBACKEND, "backend = cuda: no usable CUDA device (%s); allowed here: auto, cpu",
                        zp_cuda_probe_message());
  if (notice != NULL) *notice = "no CUDA device found, using the CPU backend";
#else
  if (kind == ZP_BACKEND_CUDA)
    return zp_error_set(err, ZP_EBACKEND,
                        "backend = cuda: this build has no CUDA support; allowed here: auto, cpu");
  if (notice != NULL) *notice = "built without CUDA, using the CPU backend";
#endif
  return zp_backend_cpu_create(nbins, out, err);
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
