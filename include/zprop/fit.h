/* zprop: chi-squared of model spectra against IceCube data, profiled over
 * the normalisation and the spectral index.  Every convention the papers
 * leave open is an explicit option (README: "Fits").
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_FIT_H
#define ZPROP_FIT_H

#include <stddef.h>

#include "zprop/batch.h"
#include "zprop/data.h"
#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  ZP_ERRORS_SYMMETRIC = 0, /* sigma = (upper - lower) / 2 */
  ZP_ERRORS_ASYMMETRIC = 1 /* sigma = upper - value above the point, value - lower below */
} zp_error_mode;

typedef enum {
  ZP_UL_ZERO = 0,   /* a point at 0 with sigma = the limit */
  ZP_UL_EXCESS = 1, /* ((model - limit) / limit)^2 only where the model exceeds it */
  ZP_UL_HALF = 2,   /* a point at limit/2 with sigma = limit/2 */
  ZP_UL_SKIP = 3    /* not used */
} zp_ul_mode;

typedef enum {
  ZP_FLUX_CENTRE = 0, /* E^2 Phi at the bin's geometric centre */
  ZP_FLUX_AVERAGE = 1 /* Int Phi dE / Int E^-2 dE over the bin (E^-2 segmented fits) */
} zp_flux_mode;

/** Data and conventions of a chi-squared. */
typedef struct {
  size_t ndata;
  zp_dataset *const *data; /* borrowed; each with its channel (possibly overridden) */
  zp_error_mode errors;
  zp_ul_mode upper_limits;
  zp_flux_mode flux;
  double gamma_min, gamma_max; /* profiling range for gamma */
  double gamma_step;           /* grid step before refinement */
  int profile_gamma;           /* 0: gamma fixed at the config's value */
  int profile_norm;            /* 0: norm fixed at the config's value */
} zp_fit_opts;

/** Defaults: symmetric errors, upper limits as points at zero, flux at the
 *  bin centre, gamma in [1.8, 3.5] on a 0.05 grid, both profiled (the
 *  first paper's power-law fit comes out at chi2_0 = 24.92, gamma = 2.72). */
void zp_fit_opts_default(zp_fit_opts *o);

/** Model E^2 Phi (per unit of nothing: as computed) in each data bin of @p d
 *  from fluxes phi_flavour[alpha * nbins + b] on the grid @p edges. */
zp_status zp_model_in_data_bins(const zp_dataset *d, zp_flux_mode mode, size_t nbins,
                                const double *edges, const double *phi_flavour, double *out,
                                zp_error *err);

/** Number of data points the options use (upper limits count unless skipped). */
size_t zp_fit_npoints(const zp_fit_opts *o);

/** Spectral indices a fit or scan point is computed for: the profiling
 *  grid gamma_min + i gamma_step up to gamma_max, or 1 when gamma is fixed
 *  (an empty grid also gives 1; zp_fit refuses it). */
size_t zp_fit_ngamma(const zp_fit_opts *o);

/** chi2 of predictions @p model (concatenated over the data sets, in data
 *  order) scaled by @p scale. */
double zp_chi2_eval(const zp_fit_opts *o, const double *model, double scale);

/** Minimum over scale >= 0 of zp_chi2_eval (exact for the quadratic cases,
 *  a bracketed 1-D minimisation otherwise). */
double zp_chi2_profile_scale(const zp_fit_opts *o, const double *model, double *best_scale);

/** Minimum of y over the grid x (n points), refined by the parabola through
 *  the lowest point and its neighbours (the grid value at an end).  *ymin is
 *  the lowest grid value. */
double zp_parabola_min(const double *x, const double *y, size_t n, double *ymin);

typedef struct {
  double chi2, gamma, norm;       /* best fit; norm as in zp_config.norm */
  double chi2_0, gamma_0, norm_0; /* the plain power law, same data and options */
  double delta_chi2;              /* chi2 - chi2_0 */
  double r;                       /* (chi2 / (n - 4)) / (chi2_0 / (n - 2)) (V-Eq. 16) */
  size_t npoints, dof;            /* dof = npoints - (profiled parameters) */
  zp_spectrum *best;              /* best-fit spectrum (caller frees), may be NULL */
} zp_fit_result;

/** Fits the model point of @p cfg (its source, grid, transport...) to the
 *  data; gamma and norm of @p cfg are the starting/fixed values.  With
 *  @p want_spectrum the best-fit spectrum is returned in result->best. */
zp_status zp_fit(const zp_config *cfg, const zp_fit_opts *o, int want_spectrum,
                 zp_fit_result *result, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
