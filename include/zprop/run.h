/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief The commands of `zprop` as library calls on a parameter set:
 *  what `zprop spectrum`, `batch`, `fit` and `gm2` compute from their keys,
 *  without the files and messages of the program (scans: zprop/scan_job.h).
 *
 *  A binding (the Python package) sets keys with zp_params_set(), exactly
 *  as the command line does, and calls one of these; the numbers are those
 *  the command writes into its table.
 *
 *  Thread safety: a call uses its zp_params and its zp_context from one
 *  thread; different sets and contexts may run in different threads. */
#ifndef ZPROP_RUN_H
#define ZPROP_RUN_H

#include <stddef.h>

#include "zprop/batch.h"
#include "zprop/context.h"
#include "zprop/fit.h"
#include "zprop/gm2.h"
#include "zprop/params.h"
#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief `zprop spectrum`: the spectrum of a "spectrum" set.
 *  @param[in,out] ctx a context, or NULL for one made for this call from
 *                     the `backend` key
 *  @param[in,out] p the set (checked here)
 *  @param[out] out the spectrum (zp_spectrum_free())
 *  @param[out] err the one-line message of the first bad key, or the failure
 *  @return ZP_OK, ZP_EINVAL, or the computation's status */
ZP_API zp_status zp_params_spectrum(zp_context *ctx, zp_params *p, zp_spectrum **out,
                                    zp_error *err);

/** @brief `zprop fit`: the fit of a "fit" set, data preset and files included.
 *  @param[in,out] ctx a context, or NULL for one made for this call
 *  @param[in,out] p the set (the preset is applied, then it is checked)
 *  @param[in] want_spectrum 1: result->best holds the best-fit spectrum
 *  @param[out] result the fit (free result->best with zp_spectrum_free())
 *  @param[out] err the one-line message on failure
 *  @return ZP_OK, ZP_EINVAL, ZP_EIO, ZP_EFORMAT or the fit's status */
ZP_API zp_status zp_params_fit(zp_context *ctx, zp_params *p, int want_spectrum,
                               zp_fit_result *result, zp_error *err);

/** The points, sources and gammas of a "batch" set, lists expanded as
 *  `zprop batch` expands them (mzp outermost, ordering innermost). */
typedef struct zp_batch_lists zp_batch_lists;

/** @brief Checks every list element of a "batch" set and expands the lists.
 *  @param[in,out] p the set, borrowed until zp_batch_lists_free()
 *  @param[out] out the plan
 *  @param[out] err the one-line message naming the bad element
 *  @return ZP_OK, ZP_EINVAL or ZP_ENOMEM */
ZP_API zp_status zp_batch_lists_create(zp_params *p, zp_batch_lists **out, zp_error *err);

/** @brief The batch the plan describes.
 *  @param[in] b the plan
 *  @return its spec (owned by @p b): points, sources and gammas */
ZP_API const zp_batch_spec *zp_batch_lists_spec(const zp_batch_lists *b);

/** @brief The parameters of point @p i as the batch table's columns.
 *  @param[in] b the plan
 *  @param[in] i a point, below spec->npoints
 *  @param[out] v mzp (MeV), gzp, gchi, mchi (MeV), sum_mnu (eV)
 *  @param[out] ordering 0 normal, 1 inverted
 *  @return ZP_OK or ZP_EINVAL for @p i out of range */
ZP_API zp_status zp_batch_lists_point(const zp_batch_lists *b, size_t i, double v[5],
                                      int *ordering);

/** @brief Source @p s of the batch as the batch table's columns.
 *  @param[in] b the lists
 *  @param[in] s a source, below spec->nsources
 *  @param[out] kind the position of its word in the `source` key's words
 *  @param[out] z0 its lowest redshift
 *  @param[out] zmax its highest redshift
 *  @return ZP_OK or ZP_EINVAL for @p s out of range */
ZP_API zp_status zp_batch_lists_source(const zp_batch_lists *b, size_t s, int *kind, double *z0,
                                       double *zmax);

/** @brief Spectral index @p g of the batch.
 *  @param[in] b the lists
 *  @param[in] g an index below spec->ngamma
 *  @return its value, NaN for @p g out of range */
ZP_API double zp_batch_lists_gamma(const zp_batch_lists *b, size_t g);

/** @brief Frees the lists.
 *  @param[in] b the plan, or NULL */
ZP_API void zp_batch_lists_free(zp_batch_lists *b);

/** The result of `zprop gm2`: one point (band = 0) or a band table. */
typedef struct {
  int band;                 /**< 0: the point; 1 or 2: sigma of the band */
  double central;           /**< The reference's Delta a_mu. */
  double sigma;             /**< Its uncertainty. */
  const char *label;        /**< Its name (static). */
  double delta_amu;         /**< band = 0: Delta a_mu of (mzp, gzp). */
  double pull;              /**< band = 0: (delta_amu - central) / sigma. */
  size_t n;                 /**< band: rows. */
  double *mzp_mev;          /**< band: [n] masses, MeV. */
  double *g_low;            /**< band: [n] lower edges (0 where g = 0 is inside). */
  double *g_high;           /**< band: [n] upper edges. */
  double *delta_amu_per_g2; /**< band: [n] Delta a_mu / g^2. */
} zp_gm2_result;

/** @brief `zprop gm2`: Delta a_mu and pull, or the band over masses.
 *  @param[in,out] p a "gm2" set (checked here)
 *  @param[out] r the result (zp_gm2_result_free())
 *  @param[out] err the one-line message on failure
 *  @return ZP_OK, ZP_EINVAL or ZP_ENOMEM */
ZP_API zp_status zp_params_gm2(zp_params *p, zp_gm2_result *r, zp_error *err);

/** @brief Frees the columns of a band.
 *  @param[in,out] r the result, or NULL */
ZP_API void zp_gm2_result_free(zp_gm2_result *r);

/** @brief The size of a public structure, so that a binding that mirrors
 *  it (ctypes) can check its layout against this build.
 *  @param[in] type "zp_spectrum", "zp_batch_result", "zp_fit_result",
 *                  "zp_scan_point", "zp_scan_spec", "zp_scan_reference",
 *                  "zp_gm2_result", "zp_param_info", "zp_error", "zp_dataset"
 *                  "zp_data_bin" or "zp_context_opts"
 *  @return sizeof the type, or 0 for another name */
ZP_API size_t zp_abi_sizeof(const char *type);

#ifdef __cplusplus
}
#endif
#endif
