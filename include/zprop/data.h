/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief IceCube flux data sets (E^2 Phi per energy bin) and their loader.
 *
 *  The text format is documented in data/README.md; the loader rejects any
 *  file that departs from it, naming the file and line, so a fit never runs
 *  on silently misread numbers.  A loaded zp_dataset belongs to the caller
 *  (zp_dataset_free()); different data sets may be loaded and used in several
 *  threads at once. */
#ifndef ZPROP_DATA_H
#define ZPROP_DATA_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Which combination of model fluxes a data set measures. */
typedef enum {
  ZP_CHANNEL_FLAVOUR_AVERAGE,  /**< (phi_e + phi_mu + phi_tau) / 3, "flavour_average". */
  ZP_CHANNEL_NUMU,             /**< phi_mu, "numu". */
  ZP_CHANNEL_NUE_NUTAU_AVERAGE /**< (phi_e + phi_tau) / 2, "nue_nutau_average". */
} zp_channel;

/** @brief One row: E^2 Phi in GeV cm^-2 s^-1 sr^-1 (nu + nubar) over [emin, emax] GeV.
 *
 *  A measurement (is_ul = 0) has lower <= value <= upper, the cl% interval.
 *  An upper limit (is_ul = 1) has value = upper = the cl% limit, lower = 0. */
typedef struct {
  double emin;  /**< Lower bin edge, GeV. */
  double emax;  /**< Upper bin edge, GeV. */
  double value; /**< Central value, or the limit. */
  double lower; /**< Lower end of the interval; 0 for a limit. */
  double upper; /**< Upper end of the interval, or the limit. */
  double cl;    /**< Confidence level of the interval or limit, percent. */
  int is_ul;    /**< 1 for an upper limit, 0 for a measurement. */
} zp_data_bin;

/** @brief A data set: its header and its rows. */
typedef struct {
  char name[64];       /**< Short id, e.g. "cascades6yr". */
  char title[256];     /**< May be empty. */
  char reference[256]; /**< May be empty. */
  zp_channel channel;  /**< What the data measure. */
  size_t nbins;        /**< Number of rows. */
  zp_data_bin *bins;   /**< nbins rows, increasing and non-overlapping in energy; owned. */
  char path[1024];     /**< File it was read from. */
} zp_dataset;

/** @brief Reads a data file (format: data/README.md).
 *  @param[in] path file to read.
 *  @param[out] out the data set, owned by the caller, who releases it with
 *              zp_dataset_free(); NULL on failure.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EIO when the file cannot be opened or read; ZP_EFORMAT,
 *          with "path:line:" in the message, for any malformed header or
 *          row; ZP_ENOMEM. */
ZP_API zp_status zp_dataset_load(const char *path, zp_dataset **out, zp_error *err);

/** @brief A shipped data set, by name, from the data directory.
 *  @param[in] name "cascades6yr", "tracks9yr", "hese7yr", or a path.
 *  @param[out] out the data set, owned by the caller (zp_dataset_free());
 *              NULL on failure.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for an unknown name; errors of zp_dataset_load().
 *
 *  Reads the environment: not to be called while another thread changes it.
 *
 *  Loads a shipped data set by name: "cascades6yr", "tracks9yr" or "hese7yr",
 *  from $ZPROP_DATA_DIR when that is set and non-empty; else from an
 *  install's share/zprop/data, found beside the shared library
 *  (LIBDIR/../share/zprop/data) or, linked statically, beside the program
 *  (BINDIR/../share/zprop/data), when that exists; else from ZP_DATA_DIR
 *  (zprop/config.h: the source tree's data/ in a build tree).  A @p name
 *  containing '/' or ending in ".dat" is taken as a path and passed to
 *  zp_dataset_load.  Unknown names give ZP_EINVAL. */
ZP_API zp_status zp_dataset_builtin(const char *name, zp_dataset **out, zp_error *err);

/** @brief Keeps only some rows of a data set.
 *
 *  Kept rows stay in file order, so energies still increase.
 *  @param[in,out] d the data set; unchanged on failure.
 *  @param[in] spec "all", or a comma list of 0-based row indices and inclusive
 *             ranges such as "0-4,6,7-12" (blanks around items are allowed).
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL, naming the spec, for a malformed item, a
 *          reversed range, an index >= nbins or a row named twice. */
ZP_API zp_status zp_dataset_select(zp_dataset *d, const char *spec, zp_error *err);

/** @brief Releases a data set and its rows.
 *  @param[in] d the data set; NULL is allowed. */
ZP_API void zp_dataset_free(zp_dataset *d);

/** @brief The header spelling of a channel.
 *  @param[in] ch the channel.
 *  @return a static string ("flavour_average", "numu", "nue_nutau_average"),
 *          "unknown" for any other value. */
ZP_API const char *zp_channel_name(zp_channel ch);

/** @brief Parses a header spelling of a channel.
 *  @param[in] s "flavour_average", "numu" or "nue_nutau_average".
 *  @param[out] out the channel (unchanged on failure).
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL, listing the allowed spellings, otherwise. */
ZP_API zp_status zp_channel_parse(const char *s, zp_channel *out, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
