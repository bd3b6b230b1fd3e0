/* zprop: the table `zprop scan` writes (header and one row per point).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_TABLE_H
#define ZP_ANALYSIS_SCAN_TABLE_H

#include <stdio.h>

#include "analysis/fit_setup.h"
#include "analysis/scan_grid.h"
#include "config/params.h"
#include "zprop/scan.h"

/* What the table is written from; every point of the spec is known. */
typedef struct {
  const zp_params *p;
  const zp_fit_setup *s;
  const zp_scan_spec *spec; /* the g-2 reference */
  const zp_scan_grid *grid;
  const zp_scan_reference *ref;
  const zp_scan_point *pts; /* [grid->total] */
  const char *backend;      /* named in the header */
} zp_scan_table;

/** The whole table into @p f: preamble, fit set-up, reference fit, g-2
 *  reference, backend, the grid, the column line (a column per dimension
 *  but gamma and norm, whose values are those columns) and the rows
 *  (a zp_table_fill_fn; @p ctx is a zp_scan_table). */
void zp_scan_table_write(FILE *f, const void *ctx);

#endif
