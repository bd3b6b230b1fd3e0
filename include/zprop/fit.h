/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Chi-squared of model spectra against IceCube data, profiled over the
 *  normalisation and the spectral index.
 *
 *  Every convention the papers leave open is an explicit option (README:
 *  "Fits").  Data sets are borrowed by zp_fit_opts, never copied or freed.
 *  The functions keep no state of their own: they may run in several threads
 *  at once, as long as no thread changes the options or data sets meanwhile. */
#ifndef ZPROP_FIT_H
#define ZPROP_FIT_H

#include <stddef.h>

#include "zprop/batch.h"
#include "zprop/context.h"
#include "zprop/data.h"
#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How a measurement's asymmetric interval becomes a sigma. */
typedef enum {
  ZP_ERRORS_SYMMETRIC = 0, /**< sigma = (upper - lower) / 2. */
  ZP_ERRORS_ASYMMETRIC = 1 /**< sigma = upper - value above the point, value - lower below. */
} zp_error_mode;

/** @brief How an upper limit enters the chi-squared. */
typedef enum {
  ZP_UL_ZERO = 0,   /**< A point at 0 with sigma = the limit. */
  ZP_UL_EXCESS = 1, /**< ((model - limit) / limit)^2, only where the model exceeds it. */
  ZP_UL_HALF = 2,   /**< A point at limit/2 with sigma = limit/2. */
  ZP_UL_SKIP = 3    /**< Not used. */
} zp_ul_mode;

/** @brief Which model value a data bin is compared with. */
typedef enum {
  ZP_FLUX_CENTRE = 0, /**< E^2 Phi at the bin's geometric centre. */
  ZP_FLUX_AVERAGE = 1 /**< Int Phi dE / Int E^-2 dE over the bin (E^-2 segmented fits). */
} zp_flux_mode;

/** @brief Data and conventions of a chi-squared. */
typedef struct {
  size_t ndata;            /**< Number of data sets in @ref data. */
  zp_dataset *const *data; /**< Borrowed; each with its channel (possibly overridden). */
  zp_error_mode errors;    /**< Sigma of a measurement. */
  zp_ul_mode upper_limits; /**< Treatment of upper limits. */
  zp_flux_mode flux;       /**< Model value per data bin. */
  double gamma_min;        /**< Lower end of the profiling range of gamma. */
  double gamma_max;        /**< Upper end of the profiling range of gamma. */
  double gamma_step;       /**< Grid step in gamma before the parabola refinement. */
  int profile_gamma;       /**< 0: gamma fixed at the configuration's value. */
  int profile_norm;        /**< 0: norm fixed at the configuration's value. */
} zp_fit_opts;

/** @brief The default conventions.
 *
 *  Symmetric errors, upper limits as points at zero, flux at the bin centre,
 *  gamma in [1.8, 3.5] on a 0.01 grid, both gamma and norm profiled (the
 *  first paper's power-law fit comes out at chi2_0 = 24.92, gamma = 2.72);
 *  no data sets.
 *  @param[out] o options to fill. */
ZP_API void zp_fit_opts_default(zp_fit_opts *o);

/** @brief Model E^2 Phi (as computed, no normalisation applied) in each data bin.
 *  @param[in] d data set; its channel selects the flavour combination.
 *  @param[in] mode centre or bin average.
 *  @param[in] nbins number of grid bins.
 *  @param[in] edges nbins + 1 increasing grid edges in GeV.
 *  @param[in] phi_flavour fluxes phi_flavour[alpha * nbins + b], alpha = e, mu, tau.
 *  @param[out] out d->nbins values.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for a data bin outside the grid; ZP_ENUMERIC
 *          for a non-finite model value. */
ZP_API zp_status zp_model_in_data_bins(const zp_dataset *d, zp_flux_mode mode, size_t nbins,
                                       const double *edges, const double *phi_flavour, double *out,
                                       zp_error *err);

/** @brief Number of data points the options use (upper limits count unless skipped).
 *  @param[in] o options with their data sets.
 *  @return the number of points. */
ZP_API size_t zp_fit_npoints(const zp_fit_opts *o);

/** @brief Spectral indices a fit or scan point is computed for.
 *  @param[in] o options.
 *  @return the size of the profiling grid gamma_min + i gamma_step up to
 *          gamma_max, or 1 when gamma is fixed (an empty grid also gives 1;
 *          zp_fit() refuses it). */
ZP_API size_t zp_fit_ngamma(const zp_fit_opts *o);

/** @brief Chi-squared of scaled predictions.
 *  @param[in] o options with their data sets.
 *  @param[in] model predictions concatenated over the data sets, in data
 *             order (zp_model_in_data_bins() of each), one per row.
 *  @param[in] scale factor applied to every prediction.
 *  @return the chi-squared. */
ZP_API double zp_chi2_eval(const zp_fit_opts *o, const double *model, double scale);

/** @brief Minimum over scale >= 0 of zp_chi2_eval().
 *
 *  Exact for the quadratic cases (symmetric errors, upper limits not as
 *  excess), a bracketed 1-D minimisation otherwise.
 *  @param[in] o options with their data sets.
 *  @param[in] model predictions as for zp_chi2_eval().
 *  @param[out] best_scale the minimising scale.
 *  @return the minimum chi-squared. */
ZP_API double zp_chi2_profile_scale(const zp_fit_opts *o, const double *model, double *best_scale);

/** @brief Minimum of y over a grid, refined by a parabola.
 *
 *  The parabola goes through the lowest point and its neighbours; at an end
 *  of the grid, or when the points are not convex, the grid point is kept.
 *  @param[in] x @p n increasing abscissae.
 *  @param[in] y @p n values.
 *  @param[in] n number of points, >= 1.
 *  @param[out] ymin the lowest grid value (not the parabola's).
 *  @return the abscissa of the minimum. */
ZP_API double zp_parabola_min(const double *x, const double *y, size_t n, double *ymin);

/** @brief Result of zp_fit(). */
typedef struct {
  double chi2;       /**< Best-fit chi-squared with the Z'. */
  double gamma;      /**< Best-fit spectral index. */
  double norm;       /**< Best-fit normalisation, as in zp_config::norm. */
  double chi2_0;     /**< Chi-squared of the plain power law, same data and options. */
  double gamma_0;    /**< Its spectral index. */
  double norm_0;     /**< Its normalisation. */
  double delta_chi2; /**< chi2 - chi2_0. */
  double r;          /**< (chi2 / (n - 4)) / (chi2_0 / (n - 2)) (V-Eq. 16); NaN for n <= 4. */
  size_t npoints;    /**< Data points used (zp_fit_npoints()). */
  size_t dof;        /**< npoints - (profiled parameters). */
  zp_spectrum *best; /**< Best-fit spectrum, scaled by the fitted norm, or NULL;
                          the caller frees it with zp_spectrum_free(). */
} zp_fit_result;

/** @brief Fits a model point to the data.
 *
 *  The model point is that of @p cfg (its source, grid, transport...); its
 *  gamma and norm are the fixed values when not profiled.  The gamma grid is
 *  computed in one batch, the minimum refined by a parabola and evaluated
 *  exactly there, with and without the Z'.
 *  @param[in] cfg configuration of the model point.
 *  @param[in] o data and conventions.
 *  @param[in] want_spectrum non-zero: return the best-fit spectrum in result->best.
 *  @param[out] result the fit, zeroed first; result->best is NULL on failure.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for no data, an empty gamma grid or no more
 *          points than free parameters; any error of zp_batch_compute() and
 *          zp_spectrum_compute(). */
ZP_API zp_status zp_fit(const zp_config *cfg, const zp_fit_opts *o, int want_spectrum,
                        zp_fit_result *result, zp_error *err);

/** @brief zp_fit() on the caller's context, so that many fits (or a fit and
 *  other computations) share one backend; zp_fit() makes a context of
 *  cfg->backend with ZP_WORKLOAD_BATCH for its call only.
 *
 *  After the fit, zp_context_backend_name() and zp_context_notice() say
 *  which backend ran it and why.  The context's kind is used, not
 *  cfg->backend.
 *  @param[in,out] ctx the context (one thread at a time).
 *  @param[in] cfg configuration of the model point.
 *  @param[in] o data and conventions.
 *  @param[in] want_spectrum non-zero: return the best-fit spectrum in result->best.
 *  @param[out] result the fit, zeroed first; result->best is NULL on failure.
 *  @param[out] err error report, may be NULL.
 *  @return as zp_fit(). */
ZP_API zp_status zp_fit_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                            int want_spectrum, zp_fit_result *result, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
