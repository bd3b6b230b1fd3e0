/* zprop: scans of the (M, g) plane, each point profiled over the
 * normalisation and the spectral index against the same data, plus the
 * muon g-2 shift of the point.  SPDX-License-Identifier: MIT */
#ifndef ZPROP_SCAN_H
#define ZPROP_SCAN_H

#include <stddef.h>

#include "zprop/fit.h"
#include "zprop/gm2.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Axis of values: n points from lo to hi, log-spaced when log is set. */
typedef struct {
  double lo, hi;
  size_t n;
  int log;
} zp_axis;

double zp_axis_value(const zp_axis *a, size_t i);

/** One finished point. */
typedef struct {
  size_t index; /* im * ng + ig */
  double mzp_mev, gzp;
  double chi2, delta_chi2, r, gamma, norm;
  double delta_amu, gm2_pull;
} zp_scan_point;

/** Called once per finished chunk with its points, in index order; a
 *  non-zero return stops the scan (ZP_EIO, message from the callback). */
typedef int (*zp_scan_sink)(void *user, const zp_scan_point *pts, size_t n);

/* Points per batch when zp_scan_spec.chunk is 0. */
enum { ZP_SCAN_DEFAULT_CHUNK = 32 };

typedef struct {
  zp_axis mzp; /* MeV */
  zp_axis gzp;
  zp_gm2_ref gm2_ref;
  size_t chunk; /* points per batch; 0 picks one */
} zp_scan_spec;

/** The plain power law on the scan's data and options (needed once). */
typedef struct {
  double chi2_0, gamma_0, norm_0;
  size_t npoints;
} zp_scan_reference;

zp_status zp_scan_reference_fit(const zp_config *cfg, const zp_fit_opts *o,
                                zp_scan_reference *ref, zp_error *err);

/**
 * @brief Runs every point whose done[index] is 0, in chunks, on the backend
 *        of @p ctx, calling @p sink after each chunk.
 *
 * The spectral index is profiled on the options' grid with a parabola
 * through the lowest three grid values.  Every chunk runs on the context's
 * one backend: create @p ctx with ZP_WORKLOAD_SCAN (zp_context_create) so
 * that AUTO takes a usable GPU; cfg->backend is not used.
 * @param[in,out] ctx   the context, used by this thread only during the call
 * @param[in]     done  [mzp.n * gzp.n] flags of points to skip, or NULL
 * @param[in]     sink  receives each finished chunk (see zp_scan_sink)
 * @return ZP_OK, the first failure of a chunk, or ZP_EIO from the sink.
 */
zp_status zp_scan_run_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                          const zp_scan_spec *spec, const zp_scan_reference *ref,
                          const unsigned char *done, zp_scan_sink sink, void *user,
                          zp_error *err);

/** zp_scan_run_ctx on a scan context of cfg->backend made for this call. */
zp_status zp_scan_run(const zp_config *cfg, const zp_fit_opts *o, const zp_scan_spec *spec,
                      const zp_scan_reference *ref, const unsigned char *done, zp_scan_sink sink,
                      void *user, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
