/* zprop: a scan over any grid (scan_grid.h), chunk by chunk (internal).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_RUN_H
#define ZP_ANALYSIS_SCAN_RUN_H

#include "analysis/scan_grid.h"
#include "zprop/context.h"
#include "zprop/scan.h"

/** What zp_scan_run_ctx() does for an (mzp, gzp) plane, for any grid: runs
 *  every model point whose first row is not flagged in @p done ([total]),
 *  @p chunk model points per batch, and gives @p sink each batch's rows
 *  (chunk * ninner of them, in row order).
 *
 *  A model point's rows share its transfer matrices: one batch holds its
 *  sources (the source dimensions) and spectral indices.  Per row:
 *  - a gamma dimension holds gamma at its value; otherwise gamma is
 *    profiled as zp_scan_run_ctx() does (searched), except with a norm
 *    dimension, where every value of the lattice is propagated and the
 *    parabola is taken at each norm (the search profiles one scale only);
 *  - a norm dimension holds the normalisation at its value; otherwise it
 *    is profiled when the options say so.
 *  With a searched gamma each source has its batch of its own (the search
 *  refines one source at a time). */
zp_status zp_scan_grid_run(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                           const zp_scan_grid *g, zp_gm2_ref gm2_ref, size_t chunk,
                           const zp_scan_reference *ref, const unsigned char *done,
                           zp_scan_sink sink, void *user, zp_error *err);

#endif
