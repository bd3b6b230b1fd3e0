/* zprop: the grid of a scan over any of its keys (library-internal).
 *
 * A scan runs over up to ZP_SCAN_MAX_RANGED keys given as ranges, and
 * always has mzp and gzp as dimensions (one value each when not ranged),
 * so that an (M, g) scan is the two-dimensional special case.  The
 * dimensions are ordered by what their points share, outer first:
 *   model keys other than mzp and gzp (gchi, mchi, sum_mnu), then mzp,
 *   then gzp: each combination is one model point, with its own transfer
 *   matrices (gzp inner, so that a mass's depth table serves its couplings);
 *   source keys (z0, zmax, density_power), then gamma, then norm: the rows
 *   of one model point, which share its transfer matrices.
 * Rows are in C order over the dimensions (the last one fastest), so a
 * model point's rows are contiguous: row = model * ninner + inner.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_GRID_H
#define ZP_ANALYSIS_SCAN_GRID_H

#include <stddef.h>

#include "config/params.h"
#include "zprop/scan.h"

enum {
  ZP_SCAN_MAX_RANGED = 4, /* keys given as lo:hi:n */
  ZP_SCAN_MAX_DIMS = 6    /* those, and mzp and gzp when given one value */
};

typedef enum { ZP_DIM_MODEL, ZP_DIM_SOURCE, ZP_DIM_GAMMA, ZP_DIM_NORM } zp_scan_dim_role;

typedef struct {
  zp_param_key key;
  zp_axis axis;
  zp_scan_dim_role role;
} zp_scan_dim;

typedef struct {
  size_t ndim;
  zp_scan_dim dim[ZP_SCAN_MAX_DIMS]; /* outer first */
  size_t nmodel;                     /* model points: product of the model dimensions */
  size_t nsource, ngamma, nnorm;     /* products of the inner ones (1 when absent) */
  size_t ninner;                     /* rows per model point: nsource * ngamma * nnorm */
  size_t total;                      /* rows: nmodel * ninner */
  int imzp, igzp;                    /* their dimensions */
} zp_scan_grid;

/** Appends dimension (k, a) in its place of the order above and updates
 *  the counts; the caller adds each key once, at most ZP_SCAN_MAX_DIMS. */
void zp_scan_grid_add(zp_scan_grid *g, zp_param_key k, const zp_axis *a);

/** The grid of an (mzp, gzp) plane. */
void zp_scan_grid_plane(zp_scan_grid *g, const zp_axis *mzp, const zp_axis *gzp);

/** The value of dimension @p d at row @p row. */
double zp_scan_grid_value(const zp_scan_grid *g, size_t row, size_t d);

/** Sets in @p cfg the values of every dimension at row @p row. */
void zp_scan_grid_apply(const zp_scan_grid *g, size_t row, zp_config *cfg);

/** Where key @p k's value lives in a configuration (NULL for keys no scan
 *  runs over). */
double *zp_scan_key_field(zp_config *cfg, zp_param_key k);

/** The column of dimension @p d in the table: mzp_MeV, sum_mnu_eV, z0. */
const char *zp_scan_column_name(zp_param_key k);

#endif
