/* zprop (internal): batches whose points ask for further spectral indices
 * once they have seen the first ones (a profile over gamma that refines
 * around its minimum), reusing the point's survivals and in-shell pairs.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_BATCH_REFINE_H
#define ZP_BATCH_REFINE_H

#include "zprop/batch.h"

typedef struct {
  /** Point @p point (the batch's index) has fluxes per flavour @p phi
   *  ([ng][3][nbins], the layout of zp_batch_result) for the gammas
   *  @p gammas: first the batch's own, then those it asked for.  Writes at
   *  most cap further gammas to @p next and returns how many; 0 when the
   *  point is done.  Up to @p fill gammas propagate for about the cost of
   *  one (the width of the backend's vector sweep; 1 where there is none),
   *  so a round may as well ask for that many. */
  size_t (*more)(void *user, size_t point, const double *gammas, size_t ng, const double *phi,
                 size_t nbins, const double *edges, size_t fill, double *next);
  void *user;
  size_t cap;
} zp_gamma_refiner;

/** zp_batch_compute_ctx, then for every point the refiner's rounds (one
 *  source only).  The result holds the fluxes of the batch's own gammas. */
zp_status zp_batch_compute_refined(zp_context *ctx, const zp_batch_spec *spec,
                                   const zp_gamma_refiner *rf, zp_batch_result **out,
                                   zp_error *err);

#endif
