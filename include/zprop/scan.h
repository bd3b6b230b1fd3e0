/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Scans of the (M, g) plane.
 *
 *  Each point is profiled over the normalisation and the spectral index
 *  against the same data, plus the muon g-2 shift of the point.  Finished
 *  points go to a caller's callback, chunk by chunk; nothing is kept. */
#ifndef ZPROP_SCAN_H
#define ZPROP_SCAN_H

#include <stddef.h>

#include "zprop/fit.h"
#include "zprop/gm2.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Axis of values: n points from lo to hi, log-spaced when log is set. */
typedef struct {
  double lo; /**< First value. */
  double hi; /**< Last value. */
  size_t n;  /**< Number of values (1: lo only). */
  int log;   /**< 1: log-spaced. */
} zp_axis;

/** @brief One value of an axis.
 *  @param[in] a the axis.
 *  @param[in] i index, 0 .. n-1.
 *  @return value @p i (lo when n <= 1). */
ZP_API double zp_axis_value(const zp_axis *a, size_t i);

/** @brief One finished point. */
typedef struct {
  size_t index;      /**< im * ng + ig. */
  double mzp_mev;    /**< Z' mass, MeV. */
  double gzp;        /**< Coupling. */
  double chi2;       /**< Best-fit chi-squared at the point. */
  double delta_chi2; /**< chi2 - chi2_0 of the reference fit. */
  double r;          /**< (chi2/(npoints-4)) / (chi2_0/(npoints-2)). */
  double gamma;      /**< Best-fit spectral index. */
  double norm;       /**< Best-fit normalisation. */
  double delta_amu;  /**< The Z' shift of the muon's a_mu. */
  double gm2_pull;   /**< (delta_amu - central) / sigma of the g-2 reference. */
} zp_scan_point;

/** Called once per finished chunk with its points, in index order; a
 *  non-zero return stops the scan (ZP_EIO, message from the callback). */
typedef int (*zp_scan_sink)(void *user, const zp_scan_point *pts, size_t n);

enum {
  ZP_SCAN_DEFAULT_CHUNK = 32 /**< Points per batch when zp_scan_spec.chunk is 0. */
};

/** @brief The plane to scan. */
typedef struct {
  zp_axis mzp;        /**< Z' masses, MeV (outer). */
  zp_axis gzp;        /**< Couplings (inner). */
  zp_gm2_ref gm2_ref; /**< Reference of the g-2 pull. */
  size_t chunk;       /**< Points per batch; 0 picks one. */
} zp_scan_spec;

/** @brief The plain power law on the scan's data and options (needed once). */
typedef struct {
  double chi2_0;  /**< Its chi-squared. */
  double gamma_0; /**< Its spectral index. */
  double norm_0;  /**< Its normalisation. */
  size_t npoints; /**< Data points used. */
} zp_scan_reference;

/** @brief Fits the plain power law (gzp = 0) of a configuration to the data.
 *  @param[in] cfg the model point; its gzp is taken as 0.
 *  @param[in] o data and conventions.
 *  @param[out] ref the reference fit.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK or the failure of zp_fit(). */
ZP_API zp_status zp_scan_reference_fit(const zp_config *cfg, const zp_fit_opts *o,
                                       zp_scan_reference *ref, zp_error *err);

/**
 * @brief Runs every point whose done[index] is 0, in chunks, on the backend
 *        of @p ctx, calling @p sink after each chunk.
 *
 * The spectral index is profiled on the options' grid with a parabola
 * through the lowest three grid values; the grid is searched, not computed
 * whole: about 8 coarse values, then the grid values around the lowest
 * (and around the parabola's vertex) until the lowest has both neighbours,
 * each point's survivals reused for the values it asks for.  Where chi2
 * has one minimum on the grid this is the whole grid's profile.  Every chunk runs on the context's
 * one backend: create @p ctx with ZP_WORKLOAD_SCAN (zp_context_create) so
 * that AUTO takes a usable GPU; cfg->backend is not used.
 * @param[in,out] ctx   the context, used by this thread only during the call
 * @param[in]     cfg   the model point everything but mzp and gzp comes from
 * @param[in]     o     data and conventions of each point's fit
 * @param[in]     spec  the plane to scan
 * @param[in]     ref   the reference fit (zp_scan_reference_fit())
 * @param[in]     done  [mzp.n * gzp.n] flags of points to skip, or NULL
 * @param[in]     sink  receives each finished chunk (see zp_scan_sink)
 * @param[in]     user  passed to @p sink unchanged
 * @param[out]    err   the one-line message on failure (may be NULL)
 * @return ZP_OK, the first failure of a chunk, or ZP_EIO from the sink.
 */
ZP_API zp_status zp_scan_run_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                                 const zp_scan_spec *spec, const zp_scan_reference *ref,
                                 const unsigned char *done, zp_scan_sink sink, void *user,
                                 zp_error *err);

/** @brief zp_scan_run_ctx() on a scan context of cfg->backend made for this call.
 *  @param[in] cfg, o, spec, ref, done, sink, user as for zp_scan_run_ctx().
 *  @param[out] err error report, may be NULL.
 *  @return as zp_scan_run_ctx(). */
ZP_API zp_status zp_scan_run(const zp_config *cfg, const zp_fit_opts *o, const zp_scan_spec *spec,
                             const zp_scan_reference *ref, const unsigned char *done,
                             zp_scan_sink sink, void *user, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
