/* zprop (internal): the CUDA backend, compiled only with the CUDA toolkit.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CUDA_BACKEND_H
#define ZP_CUDA_BACKEND_H

#include <stddef.h>

#include "backends/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/** 1 when the current CUDA device can run this backend (a driver new
 *  enough, a device of compute capability >= 8.0, cuBLAS loadable); else 0
 *  with the reason in @p why.  Never an error. */
int zp_cuda_usable(char *why, size_t len);

zp_status zp_backend_cuda_create(size_t nbins, zp_backend **out, zp_error *err);

/** Launches the assembly kernel: T (device, n x n column-major) from the
 *  compact shell quantities already on the device.  Returns a cudaError_t. */
int zp_cuda_assemble_launch(double *t, size_t nbins, const double *survival, double regen_fraction,
                            const double *p_branch, const double *kernel);

/** Adds the in-shell pairs' (K - 1) R to T (device); @p pairs on the
 *  device.  Returns a cudaError_t. */
int zp_cuda_pairs_launch(double *t, size_t nbins, const zp_inshell_pair *pairs, size_t npairs,
                         double regen_fraction, const double *p_branch, const double *kernel);

/** The same for every point of a batch: point p's pairs of shell k are
 *  pairs[offset[p nshells + k] .. offset[p nshells + k + 1]). */
int zp_cuda_pairs_batch_launch(double *tb, size_t nbins, size_t npoints, size_t nshells, size_t k,
                               const zp_inshell_pair *pairs, const size_t *offset,
                               const double *regen, const double *p_branch, const double *kernel);

/** Batched assembly: T_p (p < npoints, stride n^2) for shell k from the
 *  device copies of the plan's compact quantities. */
int zp_cuda_assemble_batch_launch(double *tb, size_t nbins, size_t npoints, size_t nshells,
                                  size_t k, const double *survival, const double *regen,
                                  const double *p_branch, const double *kernel);

/** The sources of shell k (zp_batch_plan), before T_k or (@p after) the
 *  rest: y[p][j][r] += c norm[j] w[p][i] bin_power[gamma[j]][b] with
 *  c = pre[j] + split[j] g or split[j] (1 - g), g = inject[p][k][r] (0.5
 *  where inject is NULL); pre and split start at shell k. */
int zp_cuda_add_sources_launch(double *y, size_t nbins, size_t nrhs, size_t npoints, size_t nshells,
                               size_t k, int after, const double *pre, const double *split,
                               const double *inject, const double *norm, const int *gamma,
                               const double *bin_power, const double *weights);

#ifdef __cplusplus
}
#endif
#endif
