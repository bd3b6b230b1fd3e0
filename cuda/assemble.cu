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
