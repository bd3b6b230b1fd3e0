/* zprop: assembly of T_k on the device from the compact shell quantities,
 * with the same element formula as the CPU (zprop/transfer.h).
 * SPDX-License-Identifier: MIT */
#include <cuda_runtime.h>

#include "cuda_backend.h"
#include "backends/transfer.h"

#ifndef ZP_CUDA_LAUNCH /* the host emulation (tests/emul) brings its own */
#define ZP_CUDA_LAUNCH(kernel, grid, block, ...) kernel<<<grid, block>>>(__VA_ARGS__)
#endif

/* gridDim.y is limited (65535): columns (or right-hand sides) beyond it go
 * to further launches, each told its first index.  The limit is read once
 * per process, not on every launch of the shell loop (every GPU CUDA 13
 * runs on has the same one). */
static size_t grid_y_limit(void) {
  int dev = 0, v = 0;
  if (cudaGetDevice(&dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&v, cudaDevAttrMaxGridDimY, dev) != cudaSuccess || v < 1)
    return 65535;
  return (size_t)v;
}

/** Calls launch(first, count) over [0, total) in pieces of at most the grid
 *  y limit; the first launch error, else cudaSuccess. */
template <class Launch> static int launch_split(size_t total, Launch launch) {
  static const size_t ymax = grid_y_limit();
  for (size_t c0 = 0; c0 < total; c0 += ymax) {
    launch(c0, total - c0 < ymax ? total - c0 : ymax);
    cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) return (int)e;
  }
  return (int)cudaSuccess;
}

__global__ static void assemble_kernel(double *t, size_t n, size_t col0, const double *survival,
                                       double regen_fraction, const double *p_branch,
                                       const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t col = col0 + blockIdx.y;
  if (row >= n) return;
  /* consecutive threads write consecutive rows of one column: coalesced */
  t[row + col * n] = zp_transfer_entry(row, col, survival, regen_fraction, p_branch, kernel);
}

extern "C" int zp_cuda_assemble_launch(double *t, size_t nbins, const double *survival,
                                       double regen_fraction, const double *p_branch,
                                       const double *kernel) {
  size_t n = 3 * nbins;
  return launch_split(n, [&](size_t c0, size_t nc) {
    dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)nc);
    ZP_CUDA_LAUNCH(assemble_kernel, grid, block, t, n, c0, survival, regen_fraction, p_branch,
                   kernel);
  });
}

__global__ static void pairs_kernel(double *t, size_t n, const zp_inshell_pair *pairs,
                                    size_t npairs, double regen_fraction, const double *p_branch,
                                    const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  if (row >= n) return;
  zp_transfer_pairs_row(t, n, row, pairs, npairs, regen_fraction, p_branch, kernel);
}

extern "C" int zp_cuda_pairs_launch(double *t, size_t nbins, const zp_inshell_pair *pairs,
                                    size_t npairs, double regen_fraction, const double *p_branch,
                                    const double *kernel) {
  size_t n = 3 * nbins;
  if (npairs == 0) return (int)cudaSuccess;
  dim3 block(256), grid((unsigned)((n + 255) / 256));
  ZP_CUDA_LAUNCH(pairs_kernel, grid, block, t, n, pairs, npairs, regen_fraction, p_branch, kernel);
  return (int)cudaGetLastError();
}

__global__ static void pairs_batch_kernel(double *tb, size_t n, size_t nshells, size_t k,
                                          const zp_inshell_pair *pairs, const size_t *offset,
                                          const double *regen, const double *p_branch,
                                          const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x, p = blockIdx.y;
  if (row >= n) return;
  size_t e0 = offset[p * nshells + k], e1 = offset[p * nshells + k + 1];
  zp_transfer_pairs_row(tb + p * n * n, n, row, pairs + e0, e1 - e0, regen[p], p_branch + 3 * p,
                        kernel);
}

extern "C" int zp_cuda_pairs_batch_launch(double *tb, size_t nbins, size_t npoints, size_t nshells,
                                          size_t k, const zp_inshell_pair *pairs,
                                          const size_t *offset, const double *regen,
                                          const double *p_branch, const double *kernel) {
  size_t n = 3 * nbins;
  return launch_split(npoints, [&](size_t p0, size_t np) {
    dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)np);
    ZP_CUDA_LAUNCH(pairs_batch_kernel, grid, block, tb + p0 * n * n, n, nshells, k, pairs,
                   offset + p0 * nshells, regen + p0, p_branch + 3 * p0, kernel);
  });
}

__global__ static void assemble_batch_kernel(double *tb, size_t n, size_t col0, size_t nshells,
                                             size_t k, const double *survival, const double *regen,
                                             const double *p_branch, const double *kernel) {
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t col = col0 + blockIdx.y, p = blockIdx.z;
  if (row >= n) return;
  const double *surv = survival + (p * nshells + k) * n;
  tb[p * n * n + row + col * n] = zp_transfer_entry(row, col, surv, regen[p], p_branch + 3 * p,
                                                    kernel);
}

extern "C" int zp_cuda_assemble_batch_launch(double *tb, size_t nbins, size_t npoints,
                                             size_t nshells, size_t k, const double *survival,
                                             const double *regen, const double *p_branch,
                                             const double *kernel) {
  size_t n = 3 * nbins;
  return launch_split(n, [&](size_t c0, size_t nc) {
    dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)nc, (unsigned)npoints);
    ZP_CUDA_LAUNCH(assemble_batch_kernel, grid, block, tb, n, c0, nshells, k, survival, regen,
                   p_branch, kernel);
  });
}

__global__ static void add_sources_kernel(double *y, size_t nbins, size_t nrhs, size_t j0,
                                          size_t nshells, size_t k, int after, const double *pre,
                                          const double *split, const double *inject,
                                          const double *norm, const int *gamma,
                                          const double *bin_power, const double *weights) {
  size_t n = 3 * nbins;
  size_t row = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
  size_t j = j0 + blockIdx.y, p = blockIdx.z;
  if (row >= n) return;
  double a = after ? 0.0 : pre[j], sp = split[j];
  if (a == 0.0 && sp == 0.0) return;
  double g = inject != NULL ? inject[(p * nshells + k) * n + row] : 0.5;
  double c = (a + sp * (after ? 1.0 - g : g)) * norm[j];
  size_t b = nbins - 1 - row / 3; /* zp_state_index inverted */
  y[(p * nrhs + j) * n + row] += c * weights[3 * p + row % 3] *
                                 bin_power[(size_t)gamma[j] * nbins + b];
}

extern "C" int zp_cuda_add_sources_launch(double *y, size_t nbins, size_t nrhs, size_t npoints,
                                          size_t nshells, size_t k, int after, const double *pre,
                                          const double *split, const double *inject,
                                          const double *norm, const int *gamma,
                                          const double *bin_power, const double *weights) {
  size_t n = 3 * nbins;
  return launch_split(nrhs, [&](size_t j0, size_t nj) {
    dim3 block(256), grid((unsigned)((n + 255) / 256), (unsigned)nj, (unsigned)npoints);
    ZP_CUDA_LAUNCH(add_sources_kernel, grid, block, y, nbins, nrhs, j0, nshells, k, after, pre,
                   split, inject, norm, gamma, bin_power, weights);
  });
}
