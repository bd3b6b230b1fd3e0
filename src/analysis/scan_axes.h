/* zprop: the axes of `zprop scan`, any of its range keys given as lo:hi:n.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_AXES_H
#define ZP_ANALYSIS_SCAN_AXES_H

#include "analysis/scan_grid.h"
#include "config/params.h"

/* Bounds on a scan: a grid this large is a typo, and its journal and
 * rows must fit in memory. */
enum { ZP_SCAN_MAX_AXIS = 10000, ZP_SCAN_MAX_POINTS = 1000000 };

/** Reads every key the scan mode takes as a range (mzp, gzp, gchi, mchi,
 *  sum_mnu, z0, zmax, density_power, gamma, norm) as `lo:hi:n[:log|linear]`
 *  (n in [2, ZP_SCAN_MAX_AXIS], hi > lo; at most ZP_SCAN_MAX_RANGED of
 *  them) or a single value; spacing log by default for gzp, by mzp_scale
 *  for mzp, linear for the others.  Checks each corner of the ranges with
 *  zp_params_check() exactly as single values would be checked (so that
 *  zmax = lo is checked against z0 = hi), rewrites the texts in canonical
 *  form (shortest exact numbers, so the header and the journal fingerprint
 *  do not depend on how a number was typed) and fills @p g.  Replaces the
 *  final zp_params_check(): on return p->cfg and p->fit are checked, with
 *  every axis at its low end. */
zp_status zp_scan_axes_build(zp_params *p, zp_scan_grid *g, zp_error *err);

#endif
