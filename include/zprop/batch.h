/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Many spectra at once.
 *
 *  For every model point the per-shell transfer matrices are built once and
 *  applied to all right-hand sides: every (source model, spectral index)
 *  pair.  This is where a GPU pays off.  A zp_batch_result belongs to the
 *  caller (zp_batch_result_free()). */
#ifndef ZPROP_BATCH_H
#define ZPROP_BATCH_H

#include <stddef.h>

#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief One model point of a batch. */
typedef struct {
  zp_zprime zprime;     /**< The Z' model point. */
  double sum_mnu_ev;    /**< Sum of the neutrino masses, eV. */
  zp_ordering ordering; /**< Mass ordering. */
  zp_oscillation osc;   /**< E.g. from zp_oscillation_preset(..., ordering, ...). */
} zp_point;

/** What to compute.  From @p base are used: flavour ratio, norm, grid,
 *  transport options and backend; its zprime, osc, sum_mnu, ordering and
 *  source are ignored (they come from the points and sources). */
typedef struct {
  zp_config base;           /**< What the points share. */
  size_t npoints;           /**< Model points. */
  const zp_point *points;   /**< [npoints], borrowed. */
  size_t nsources;          /**< Source models. */
  const zp_source *sources; /**< [nsources], borrowed; their gamma is ignored. */
  size_t ngamma;            /**< Spectral indices. */
  const double *gammas;     /**< [ngamma], borrowed. */
} zp_batch_spec;

/** Fluxes, GeV^-1 cm^-2 s^-1 sr^-1, nu + nubar.  Each block of 3 nbins
 *  values ([state][bin]) sits at zp_batch_offset(r, point, source, gamma). */
typedef struct {
  size_t npoints;             /**< Model points. */
  size_t nsources;            /**< Source models. */
  size_t ngamma;              /**< Spectral indices. */
  size_t nbins;               /**< Energy bins. */
  size_t nshells;             /**< Redshift shells of the batch's grid. */
  double *edges;              /**< nbins + 1 bin edges, GeV. */
  double *energy;             /**< Geometric bin centres, GeV. */
  double *phi_mass;           /**< With the Z', per mass state. */
  double *phi_flavour;        /**< With the Z', per flavour. */
  double *phi0_flavour;       /**< Free streaming, per flavour. */
  double *norm_a;             /**< [source][gamma] source normalisations A. */
  const char *backend_name;   /**< The backend that ran (static string). */
  const char *backend_notice; /**< Why AUTO chose it (static string) or NULL. */
} zp_batch_result;

/** @brief Where the flux block of one (point, source, gamma) starts in the flux arrays.
 *  @param[in] r the result.
 *  @param[in] point index of the model point.
 *  @param[in] source index of the source model.
 *  @param[in] gamma index of the spectral index.
 *  @return the offset of the block of 3 nbins values ([state][bin]). */
static inline size_t zp_batch_offset(const zp_batch_result *r, size_t point, size_t source,
                                     size_t gamma) {
  return ((point * r->nsources + source) * r->ngamma + gamma) * 3 * r->nbins;
}

/** @brief Validates every point and source of a batch.
 *  @param[in] spec what to compute.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL, the message naming the point or source. */
ZP_API zp_status zp_batch_check(const zp_batch_spec *spec, zp_error *err);

/**
 * @brief Computes the batch @p spec on the backend of @p ctx, in chunks of
 *        as many points as the backend holds.
 *
 * spec->base.backend is not used: the context's backend kind is.  Calls on
 * one context may be parts of one larger batch (give its size in
 * zp_context_opts.npoints) or unrelated batches.
 * @param[in,out] ctx   the context (its backend is created or reused)
 * @param[in]     spec  what to compute, checked here
 * @param[out]    out   the result, owned by the caller (zp_batch_result_free)
 * @param[out]    err   the one-line message on failure (may be NULL)
 * @return ZP_OK, or the failure of the check, the backend or the computation.
 *
 * Thread safety: as for @p ctx (one thread at a time).
 */
ZP_API zp_status zp_batch_compute_ctx(zp_context *ctx, const zp_batch_spec *spec,
                                      zp_batch_result **out, zp_error *err);

/** @brief zp_batch_compute_ctx() on a context of spec->base.backend made for this call only.
 *  @param[in] spec what to compute, checked here.
 *  @param[out] out the result, owned by the caller (zp_batch_result_free()).
 *  @param[out] err error report, may be NULL.
 *  @return as zp_batch_compute_ctx().  Thread safe. */
ZP_API zp_status zp_batch_compute(const zp_batch_spec *spec, zp_batch_result **out, zp_error *err);

/** @brief Releases a batch result and its arrays.
 *  @param[in] r the result; NULL is allowed. */
ZP_API void zp_batch_result_free(zp_batch_result *r);

#ifdef __cplusplus
}
#endif
#endif
