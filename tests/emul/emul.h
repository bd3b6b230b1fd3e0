/* Test hooks of the host CUDA emulation (fake_cudart.c, fake_cublas.c).
 * Configuration comes from the environment, read at every call, so a test
 * may setenv() and then zp_emul_reset() in its own process, and a CLI run
 * inherits it:
 *   ZP_EMUL_DEVICES=n       devices (default 1; 0: cudaErrorNoDevice)
 *   ZP_EMUL_CC=M.m          compute capability (default 9.0)
 *   ZP_EMUL_DRIVER=v        CUDA version of the driver (default 13000; 0: none)
 *   ZP_EMUL_MEM_BYTES=b     device memory (default 4 GiB, accounting only)
 *   ZP_EMUL_MAX_GRID_Y=g    grid y/z limit (default 65535)
 *   ZP_EMUL_FAIL=name:N,..  the Nth call of name fails (N = *: every call);
 *                           names: cudaMalloc cudaMemset cudaMemcpy cublasCreate
 *   ZP_EMUL_CUBLAS_PATH=p   the cuBLAS the loader opens (default: the fake)
 * Misuse (a copy of the wrong kind or out of an allocation, a bad free, a
 * BLAS argument a real library would reject) aborts with a message.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_EMUL_H
#define ZP_EMUL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Zeroes the call counters and the sticky error. */
void zp_emul_reset(void);
/** Calls of @p name since the last reset (failed ones included). */
long zp_emul_calls(const char *name);
/** Counts a call of @p name; 1 when ZP_EMUL_FAIL says it must fail. */
int zp_emul_should_fail(const char *name);
size_t zp_emul_live_allocations(void);
size_t zp_emul_bytes_in_use(void);
/** 1 when [p, p + bytes) lies inside one live device allocation. */
int zp_emul_is_device(const void *p, size_t bytes);
/** Reports misuse of the emulated API and aborts. */
void zp_emul_misuse(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif
#endif
