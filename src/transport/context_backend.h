/* zprop (internal): how the computations get their backend from a context.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CONTEXT_BACKEND_H
#define ZP_CONTEXT_BACKEND_H

#include "backends/backend.h"
#include "zprop/context.h"
#include "zprop/spectrum.h"

/** The backend of @p ctx for work @p w (shape ZP_WORK_SPECTRUM or
 *  ZP_WORK_BATCH, with its npoints, nrhs, nbins and nshells): the one the
 *  context holds, or one created now (AUTO's choice is made at the first
 *  call of each shape and kept).  *bk stays owned by the context; *notice
 *  is why AUTO chose it (process-lifetime string, or NULL). */
zp_status zp_context_backend(zp_context *ctx, const zp_backend_work *w, zp_backend **bk,
                             const char **notice, zp_error *err);

/** The couplings a scan's points span, so that a depth table built for
 *  its first chunk of a mass serves the others. */
void zp_context_set_gzp_span(zp_context *ctx, double lo, double hi);

/** The span set by zp_context_set_gzp_span, or NULL. */
const double *zp_context_gzp_span(const zp_context *ctx);

typedef struct zp_depth_table zp_depth_table;

/** The depth table the context keeps (NULL: none). */
zp_depth_table *zp_context_depth_table(const zp_context *ctx);

/** The context's depth table, which the caller owns from now on (NULL: none). */
zp_depth_table *zp_context_take_depth_table(zp_context *ctx);

/** Keeps @p t (owned by the context from now on, just built), freeing the one before. */
void zp_context_keep_depth_table(zp_context *ctx, zp_depth_table *t);

/** How many tables zp_context_keep_depth_table has kept: a scan builds one per mass. */
size_t zp_context_depth_builds(const zp_context *ctx);

typedef struct zp_source_cache zp_source_cache;

/** The sources' shell integrals kept by the context (NULL: none). */
zp_source_cache *zp_context_source_cache(const zp_context *ctx);

/** @p n host backends of @p kind (cpu or cpu_fast) for @p nbins, one per
 *  thread of a parallel refinement, kept by the context across chunks. */
zp_status zp_context_workers(zp_context *ctx, zp_backend_kind kind, size_t nbins, size_t n,
                             zp_backend ***out, zp_error *err);

/** The chunk arrays a batch keeps between its chunks. */
typedef enum { ZP_SCRATCH_SURVIVAL, ZP_SCRATCH_INJECT, ZP_SCRATCH_Y, ZP_SCRATCH_N } zp_scratch;

/** Room for @p count doubles in the context's buffer @p slot, kept (and
 *  grown, contents lost) from one call to the next, so that chunk after
 *  chunk writes to memory already mapped rather than to fresh pages; NULL
 *  when out of memory.  Valid until the next call for the slot. */
double *zp_context_scratch(zp_context *ctx, zp_scratch slot, size_t count);

/** The transport bins of a spectrum of @p cfg (zp_transport_bins of its
 *  grid and shells), for the zp_context_opts.nbins hint; 0 (unknown) when
 *  the grid is not valid. */
size_t zp_context_grid_nbins(const zp_config *cfg);

#endif
