/* zprop (internal): the energy and redshift grids. SPDX-License-Identifier: MIT */
#ifndef ZP_GRID_H
#define ZP_GRID_H

#include <stddef.h>

#include "backends/shell.h" /* zp_state_index */
#include "zprop/spectrum.h"

/** Log-uniform E0 bins. State-vector order puts the highest bin first, so
 *  that regeneration (to the same or lower energy) is block-lower-triangular:
 *  entry (b, i) sits at zp_state_index(nbins, b, i). */
typedef struct {
  size_t nbins;
  double h;            /* ln of the bin ratio */
  double *edges;       /* nbins + 1, GeV */
  double *mean_energy; /* mean E0 of a bin under a flat-in-ln E0 profile */
} zp_egrid;

zp_status zp_egrid_init(const zp_grid_spec *spec, zp_egrid *g, zp_error *err);
void zp_egrid_free(zp_egrid *g);

/** Redshift shells in v = ln(1+z): v_0 = 0 < v_1 < ... < v_n = ln(1+ztop),
 *  each h/shells_per_bin wide except the last, which ends exactly at ztop
 *  (a remainder under a quarter shell is merged into the shell below it).
 *  Each of the @p nextra redshifts in @p extra below ztop becomes an edge
 *  too (the delta sources of a batch are injected at edges). */
typedef struct {
  size_t nshells;
  double *v; /* nshells + 1 */
} zp_zgrid;

zp_status zp_zgrid_init(double h_bin, int shells_per_bin, double ztop, const double *extra,
                        size_t nextra, zp_zgrid *zg, zp_error *err);
void zp_zgrid_free(zp_zgrid *zg);

#endif
