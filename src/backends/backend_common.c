/* zprop: what more than one backend uses: the source vector of a batch
 * right-hand side (the dense CPU backend adds it on the host; cpu_fast and
 * the CUDA kernels fuse the same formula) and the sync of host backends.
 * SPDX-License-Identifier: MIT */
#include "backends/backend.h"

void zp_batch_add_source(const zp_batch_plan *pl, size_t p, size_t k, size_t j, int after,
                         double *y) {
  const size_t nb = pl->nbins, at = k * pl->nrhs + j;
  const double pre = after ? 0.0 : pl->pre[at] * pl->rhs_norm[j];
  const double split = pl->split[at] * pl->rhs_norm[j], *w = pl->weights + 3 * p;
  if (pre == 0.0 && split == 0.0) return;
  const double *bp = pl->bin_power + (size_t)pl->rhs_gamma[j] * nb;
  const double *g = pl->inject != NULL ? pl->inject + (p * pl->nshells + k) * 3 * nb : NULL;
  for (size_t b = 0; b < nb; ++b)
    for (int i = 0; i < 3; ++i) {
      size_t r = zp_state_index(nb, b, i);
      double share = g != NULL ? g[r] : 0.5;
      y[r] += (pre + split * (after ? 1.0 - share : share)) * w[i] * bp[b];
    }
}

zp_status zp_backend_host_sync(zp_backend *bk, zp_error *err) {
  (void)bk;
  (void)err;
  return ZP_OK;
}
