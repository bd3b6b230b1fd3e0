/* zprop: the (mzp, gzp) axes of `zprop scan`, given as lo:hi:n.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_AXES_H
#define ZP_ANALYSIS_SCAN_AXES_H

#include "config/params.h"
#include "zprop/scan.h"

/* Bounds on a scan: a grid this large is a typo, and its journal and
 * points must fit in memory. */
enum { ZP_SCAN_MAX_AXIS = 10000, ZP_SCAN_MAX_POINTS = 1000000 };

/** Reads mzp and gzp of @p p (read with ranges for both) as `lo:hi:n`
 *  (n in [2, ZP_SCAN_MAX_AXIS], hi > lo) or a single value (n = 1), checks
 *  each end with zp_params_check() exactly as the single value would be,
 *  rewrites both texts in canonical form (shortest exact numbers, so the
 *  header and the journal fingerprint do not depend on how a number was
 *  typed), and fills the axes: mzp linear or log by mzp_scale, gzp log
 *  (lo > 0 when n > 1).  Replaces the final zp_params_check(): on return
 *  p->cfg and p->fit are checked, with mzp and gzp at their low ends. */
zp_status zp_scan_axes_build(zp_params *p, zp_axis *mzp, zp_axis *gzp, zp_error *err);

#endif
