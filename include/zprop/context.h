/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief A reusable computation context.
 *
 *  It holds the backend (and, on a GPU, its device context and cuBLAS
 *  handle) across calls, so that a caller running many spectra, batches or
 *  scan chunks pays the backend's set-up once, as with a GSL workspace or a
 *  SUNDIALS context. */
#ifndef ZPROP_CONTEXT_H
#define ZPROP_CONTEXT_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The backend that computes. */
typedef enum {
  ZP_BACKEND_AUTO = 0,    /**< cuda when a device is usable and repays its set-up, else cpu_fast. */
  ZP_BACKEND_CPU = 1,     /**< The dense reference: OpenMP assembly of T_k + BLAS. */
  ZP_BACKEND_CUDA = 2,    /**< Device assembly + cuBLAS. */
  ZP_BACKEND_CPU_FAST = 3 /**< T_k applied through its structure, O(N) per shell and rhs. */
} zp_backend_kind;

/** What a context will mostly run: AUTO's choice of a backend depends on it. */
typedef enum {
  /** Single spectra and batches, the choice made at the first batch from
   *  its size (ZP_WORKLOAD_BATCH is the same). */
  ZP_WORKLOAD_DEFAULT = 0,
  /** The same as ZP_WORKLOAD_DEFAULT. */
  ZP_WORKLOAD_BATCH = 1,
  /** Many chunks of a scan: AUTO takes a usable GPU whatever the size of a
   *  chunk, and the choice (every CUDA set-up step) is made by
   *  zp_context_create, so that a bad backend = cuda fails before any work. */
  ZP_WORKLOAD_SCAN = 2
} zp_workload;

/** Hints for AUTO's choice; a NULL pointer means all zero. */
typedef struct {
  zp_workload workload; /**< What the context will mostly run. */
  /** Points the context will run in all, if more than its first batch
   *  holds (a batch computed in parts); 0: those of the first batch. */
  size_t npoints;
  /** Energy bins of the grid the context will run, when the caller knows
   *  it (zp_config.grid); 0: unknown.  With ZP_WORKLOAD_SCAN it lets
   *  zp_context_create create the scan's backend itself, so that a GPU is
   *  set up once rather than tried there and set up again at the first
   *  chunk.  A computation on another grid still works (the backend is
   *  replaced). */
  size_t nbins;
} zp_context_opts;

/** A context: opaque, created by zp_context_create. */
typedef struct zp_context zp_context;

/**
 * @brief Creates a context that computes on the backend @p kind.
 *
 * The backend is created lazily, by the first computation, for that
 * computation's energy grid, and kept for every later one; a computation
 * on another number of energy bins replaces it by one of the same kind.
 * For ZP_WORKLOAD_SCAN with @p opts->nbins given, it is created here, for
 * that many bins, and the first chunk reuses it.
 * AUTO's choice is made once per context and kept: a single spectrum
 * never repays a GPU's set-up and runs on cpu_fast; batches take the GPU
 * when the first batch (with @p opts->npoints points) is large enough and
 * every CUDA set-up step succeeds, and for ZP_WORKLOAD_SCAN whenever a GPU
 * is usable.  Nothing is printed: zp_context_notice says why AUTO chose
 * what it chose.
 *
 * @param[in]  kind  the backend asked for
 * @param[in]  opts  hints for AUTO's choice (copied; may be NULL)
 * @param[out] out   the new context, owned by the caller (zp_context_free);
 *                   NULL on failure
 * @param[out] err   the one-line message on failure (may be NULL)
 * @return ZP_OK; ZP_EBACKEND when @p kind is cuda and, for the scan
 *         workload, no CUDA device is usable; ZP_ENOMEM.
 *
 * Thread safety: a context is used by one thread at a time; create one per
 * thread.  Different contexts may run concurrently.
 */
ZP_API zp_status zp_context_create(zp_backend_kind kind, const zp_context_opts *opts,
                                   zp_context **out, zp_error *err);

/** @brief Frees @p ctx and its backends; NULL is allowed and does nothing.
 *  @param[in] ctx  the context, or NULL */
ZP_API void zp_context_free(zp_context *ctx);

/**
 * @brief The backend that ran the last computation on @p ctx, or before any,
 *        the one chosen up front ("cpu", "cpu_fast" or "cuda").
 * @param[in] ctx  the context
 * @return a static string; NULL while the choice is still to be made (AUTO
 *         or cuda before the first computation, outside the scan workload).
 */
ZP_API const char *zp_context_backend_name(const zp_context *ctx);

/**
 * @brief Why AUTO chose the backend of zp_context_backend_name, to be said
 *        once (e.g. "CUDA not usable (...), using the CPU backend (cpu_fast)").
 * @param[in] ctx  the context
 * @return a string that lives as long as the process, or NULL when nothing
 *         needs saying.
 */
ZP_API const char *zp_context_notice(const zp_context *ctx);

#ifdef __cplusplus
}
#endif
#endif
