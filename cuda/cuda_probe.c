/* zprop: can this process use a CUDA device?  Each check names what failed,
 * so `auto` can say why it fell back (an old driver must not pass for "no
 * device").  SPDX-License-Identifier: MIT */
#include <cuda_runtime.h>
#include <stdio.h>

#include "cublas_loader.h"
#include "cuda_backend.h"

/* sm_80 and up: the architectures this build compiles for (80;90), and the
 * first with FP64 tensor cores that make the dense DGEMMs pay. */
#define ZP_CUDA_MIN_MAJOR 8

int zp_cuda_usable(char *why, size_t len) {
  int count = 0, driver = 0, runtime = 0, dev = 0, major = 0, minor = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError(); /* leave no error behind for later calls */
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    if (driver == 0) snprintf(why, len, "no CUDA driver is installed (%s)", cudaGetErrorString(e));
    else if (e == cudaErrorInsufficientDriver || driver < runtime)
      snprintf(why, len, "%s: the driver supports CUDA %d.%d, this build needs CUDA %d.%d%s",
               cudaGetErrorString(e), driver / 1000, driver % 1000 / 10, runtime / 1000,
               runtime % 1000 / 10, runtime / 1000 == 13 ? " (NVIDIA driver >= 580)" : "");
    else snprintf(why, len, "%s", cudaGetErrorString(e));
    return 0;
  }
  if (count < 1) {
    snprintf(why, len, "no CUDA device found");
    return 0;
  }
  if (cudaGetDevice(&dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev) != cudaSuccess) {
    cudaGetLastError();
    snprintf(why, len, "cannot read the compute capability of CUDA device %d", dev);
    return 0;
  }
  if (major < ZP_CUDA_MIN_MAJOR) {
    snprintf(why, len,
             "CUDA device %d has compute capability %d.%d, this build needs %d.0 or newer", dev,
             major, minor, ZP_CUDA_MIN_MAJOR);
    return 0;
  }
  zp_error err;
  if (zp_cublas_load(&err) == NULL) {
    snprintf(why, len, "%s", err.msg);
    return 0;
  }
  return 1;
}
