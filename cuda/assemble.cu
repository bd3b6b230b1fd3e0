/* zprop: assembly of T_k on the device from the compact shell quantities,
 * with the same element formula as the CPU (zprop/transfer.h).
 * SPDX-License-Identifier: MIT */
#include <cuda_runtime.h>

#include "cuda_backend.h"
#include "zprop/transfer.h"

__global__ static void assemble_kernel(double *t, size_t n, const double *survival,
                                       double regen_fraction, const double *p_branch,
                                       const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t col = blockIdx.y;
  if (row >= n) return;
  /* consecutive threads write consecutive rows of one column: coalesced */
  t[row + col * n] = zp_transfer_entry(row, col, survival, regen_fraction, p_branch, kernel);
}

extern "C" int zp_cuda_assemble_launch(double *t, size_t nbins, const double *survival,
                                       double regen_fraction, const double *p_branch,
                                       const double *kernel) {
  size_t n = 3 * nbins;
  dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)n);
  assemble_kernel<<<grid, block>>>(t, n, survival, regen_fraction, p_branch, kernel);
  return (int)cudaGetLastError();
}

__global__ static void assemble_batch_kernel(double *tb, size_t n, size_t nshells, size_t k,
                                             const double *survival, const double *regen,
                                             const double *p_branch, const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t col = blockIdx.y, p = blockIdx.z;
  if (row >= n) return;
  const double *surv = survival + (p * nshells + k) * n;
  tb[p * n * n + row + col * n] =
      zp_transfer_entry(row, col, surv, regen[p], p_branch + 3 * p, kernel);
}

extern "C" int zp_cuda_assemble_batch_launch(double *tb, size_t nbins, size_t npoints,
                                             size_t nshells, size_t k, const double *survival,
                                             const double *regen, const double *p_branch,
                                             const double *kernel) {
  size_t n = 3 * nbins;
  dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)n, (unsigned)npoints);
  assemble_batch_kernel<<<grid, block>>>(tb, n, nshells, k, survival, regen, p_branch, kernel);
  return (int)cudaGetLastError();
}

__global__ static void add_sources_kernel(double *y, size_t nbins, size_t nrhs,
                                          const double *coef, const double *norm,
                                          const int *gamma, const double *bin_power,
                                          const double *weights) {
  size_t n = 3 * nbins;
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t j = blockIdx.y, p = blockIdx.z;
  if (row >= n) return;
  double c = coef[j] * norm[j];
  if (c == 0.0) return;
  size_t b = nbins - 1 - row / 3; /* zp_state_index inverted */
  y[(p * nrhs + j) * n + row] += c * weights[3 * p + row % 3] * bin_power[(size_t)gamma[j] * nbins + b];
}

extern "C" int zp_cuda_add_sources_launch(double *y, size_t nbins, size_t nrhs, size_t npoints,
                                          const double *coef, const double *norm,
                                          const int *gamma, const double *bin_power,
                                          const double *weights) {
  size_t n = 3 * nbins;
  dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)nrhs, (unsigned)npoints);
  add_sources_kernel<<<grid, block>>>(y, nbins, nrhs, coef, norm, gamma, bin_power, weights);
  return (int)cudaGetLastError();
}
