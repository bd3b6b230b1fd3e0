/* zprop (internal): the energy and redshift grids. SPDX-License-Identifier: MIT */
#ifndef ZP_GRID_H
#define ZP_GRID_H

#include <stddef.h>

#include "backends/shell.h" /* zp_state_index */
#include "physics/rates.h"  /* zp_rest_bin */
#include "zprop/spectrum.h"

/** The energy grid in two levels.  The user's log-uniform E0 bins (nuser,
 *  ratio e^h) are what every result reports.  Transport runs on a
 *  refinement of them (nbins >= nuser bins, each user bin a run of them):
 *  zp_egrid_refine cuts the user bins where a narrow line's window starts
 *  or ends in some shell, so that a transport bin is either wholly inside a
 *  line's window in a shell or wholly outside it.  State-vector order puts
 *  the highest transport bin first (regeneration, to the same or lower
 *  energy, is then block-lower-triangular): entry (b, i) sits at
 *  zp_state_index(nbins, b, i). */
typedef struct {
  size_t nbins;        /* transport bins */
  double *edges;       /* nbins + 1, GeV */
  double *lnedge;      /* nbins + 1, ln(edge / GeV) */
  double *mean_energy; /* mean E0 of a bin under a flat-in-ln E0 profile */
  size_t nuser;        /* the user's bins */
  double h;            /* ln of the user bins' ratio */
  double *uedges;      /* nuser + 1, GeV */
  size_t *ufirst;      /* nuser + 1: first transport bin of each user bin */
  zp_rest_bin *rest;   /* nbins: the bins' exponentials for the at-rest depths */
  double *rest_lanes;  /* 5 nbins: the arrays of zp_rest_lanes, from rest */
} zp_egrid;

/** The user's grid, not refined (nbins = nuser). */
zp_status zp_egrid_init(const zp_grid_spec *spec, zp_egrid *g, zp_error *err);

/** Adds the cuts @p lncut (ln E0/GeV, any order) strictly inside the grid
 *  and farther than 1e-4 h from every edge, then halves the widest bins
 *  until there are exactly @p nbins (>= nuser + ncut) bins, so that the
 *  size does not depend on where the cuts fall. */
zp_status zp_egrid_refine(zp_egrid *g, const double *lncut, size_t ncut, size_t nbins,
                          zp_error *err);
void zp_egrid_free(zp_egrid *g);

/** Sums transport entries (3 nbins, state order) into user bins (3 nuser,
 *  state order of nuser bins). */
void zp_egrid_fold(const zp_egrid *g, const double *y, double *out);

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

/** Transport bins of a grid of @p nuser bins and @p nshells shells: room
 *  for the window edges of three lines at every shell edge. */
static inline size_t zp_transport_bins(size_t nuser, size_t nshells) {
  return nuser + 3 * (nshells + 1);
}

#endif
