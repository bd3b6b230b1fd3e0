/* zprop (internal): the profile over gamma of many points, found on the
 * lattice gamma_min + i gamma_step without propagating all of it.
 *
 * A point first gets a coarse subset of the lattice (about 8 values across
 * the range); then, round by round, the lattice values around its lowest
 * chi2 and around the vertex of the parabola through its known neighbours,
 * until the lowest has both lattice neighbours.  The profile is then the
 * full lattice's (zp_profile_values on the three), wherever chi2 has one
 * minimum on the lattice: about 15 spectral indices per point instead of
 * the lattice's 171 at step 0.01.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_GAMMA_SEARCH_H
#define ZP_GAMMA_SEARCH_H

#include "transport/batch_refine.h"
#include "zprop/fit.h"

/** Profile of chi2 values c2 (with ln scale lns) at increasing gammas:
 *  the parabola vertex through the lowest and its neighbours, chi2 and
 *  scale interpolated there (at an end: the end's values). */
void zp_profile_values(const double *gammas, const double *c2, const double *lns, size_t ng,
                       double *chi2, double *gamma, double *scale);

/** Room zp_chi2_of_fluxes() needs for its model: every data row, and one. */
size_t zp_chi2_model_rows(const zp_fit_opts *o);

/** chi2 (and ln of its best scale) of fluxes phi ([3][nbins]) under @p o;
 *  model: room for zp_chi2_model_rows() values. */
zp_status zp_chi2_of_fluxes(const zp_fit_opts *o, size_t nbins, const double *edges,
                            const double *phi, double *model, double *c2, double *lns,
                            zp_error *err);

typedef struct {
  const zp_fit_opts *o;
  size_t lattice, npoints, coarse_step, rows;
  double *c2, *lns; /* [npoints][lattice], NAN: not computed */
  double *model;    /* [npoints][rows] */
  zp_status st;     /* the first failure inside the refiner, with err */
  zp_error err;
  zp_gamma_refiner refiner;
} zp_gamma_search;

/** For @p npoints points under @p o (gamma profiled, lattice of 3 or more). */
zp_status zp_gamma_search_init(zp_gamma_search *s, const zp_fit_opts *o, size_t npoints,
                               zp_error *err);

/** Most coarse gammas a point starts with. */
#define ZP_GAMMA_COARSE_MAX 16

/** The coarse gammas every point starts with (at most ZP_GAMMA_COARSE_MAX);
 *  returns how many. */
size_t zp_gamma_search_coarse(const zp_gamma_search *s, double *gammas);

/** Point p's profile once the batch is done. */
zp_status zp_gamma_search_result(const zp_gamma_search *s, size_t p, double *chi2, double *gamma,
                                 double *scale, zp_error *err);

/** Forgets every point's values, for the next chunk. */
void zp_gamma_search_reset(zp_gamma_search *s);

void zp_gamma_search_free(zp_gamma_search *s);

#endif
