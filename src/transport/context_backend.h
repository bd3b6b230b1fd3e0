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

/** The transport bins of a spectrum of @p cfg (zp_transport_bins of its
 *  grid and shells), for the zp_context_opts.nbins hint; 0 (unknown) when
 *  the grid is not valid. */
size_t zp_context_grid_nbins(const zp_config *cfg);

#endif
