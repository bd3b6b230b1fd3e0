/* zprop (internal): the CUDA backend, compiled only with the CUDA toolkit.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CUDA_BACKEND_H
#define ZP_CUDA_BACKEND_H

#include <stddef.h>

#include "backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of usable CUDA devices; 0 without a device or driver (never an error). */
int zp_cuda_device_count(void);

/** Why zp_cuda_device_count() found none (static string). */
const char *zp_cuda_probe_message(void);

zp_status zp_backend_cuda_create(size_t nbins, zp_backend **out, zp_error *err);

/** Launches the assembly kernel: T (device, n x n column-major) from the
 *  compact shell quantities already on the device.  Returns a cudaError_t. */
int zp_cuda_assemble_launch(double *t, size_t nbins, const double *survival,
                            double regen_fraction, const double *p_branch,
                            const double *kernel);

#ifdef __cplusplus
}
#endif
#endif
