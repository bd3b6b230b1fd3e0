/* zprop: what more than one backend uses: the source vector of a batch
 * right-hand side (the dense CPU backend adds it on the host; cpu_fast and
 * the CUDA kernels fuse the same formula) and the sync of host backends.
 * SPDX-License-Identifier: MIT */
#include "backends/backend.h"

void zp_batch_add_source(const zp_batch_plan *pl, size_t p, size_t j, double coef, double *y) {
  const size_t nb = pl->nbins;
  const double c = coef * pl->rhs_norm[j], *w = pl->weights + 3 * p;
  if (c == 0.0) return;
  const double *bp = pl->bin_power + (size_t)pl->rhs_gamma[j] * nb;
  for (size_t b = 0; b < nb; ++b)
    for (int i = 0; i < 3; ++i) y[zp_state_index(nb, b, i)] += c * w[i] * bp[b];
}

zp_status zp_backend_host_sync(zp_backend *bk, zp_error *err) {
  (void)bk;
  (void)err;
  return ZP_OK;
}
