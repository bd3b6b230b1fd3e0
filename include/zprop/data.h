/* zprop: IceCube flux data sets (E^2 Phi per energy bin) and their loader.
 *
 * The text format is documented in data/README.md; the loader rejects any
 * file that departs from it, naming the file and line, so a fit never runs
 * on silently misread numbers.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_DATA_H
#define ZPROP_DATA_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which combination of model fluxes a data set measures. */
typedef enum {
  ZP_CHANNEL_FLAVOUR_AVERAGE,   /* (phi_e + phi_mu + phi_tau) / 3, "flavour_average" */
  ZP_CHANNEL_NUMU,              /* phi_mu, "numu" */
  ZP_CHANNEL_NUE_NUTAU_AVERAGE  /* (phi_e + phi_tau) / 2, "nue_nutau_average" */
} zp_channel;

/** One row: E^2 Phi in GeV cm^-2 s^-1 sr^-1 (nu + nubar) over [emin, emax] GeV.
 *  A measurement (is_ul = 0) has lower <= value <= upper, the cl% interval.
 *  An upper limit (is_ul = 1) has value = upper = the cl% limit, lower = 0. */
typedef struct {
  double emin, emax;
  double value, lower, upper;
  double cl; /* confidence level of the interval or limit, percent */
  int is_ul;
} zp_data_bin;

typedef struct {
  char name[64];       /* short id, e.g. "cascades6yr" */
  char title[256];     /* may be empty */
  char reference[256]; /* may be empty */
  zp_channel channel;
  size_t nbins;
  zp_data_bin *bins; /* nbins rows, increasing, non-overlapping in energy */
  char path[1024];   /* file it was read from */
} zp_dataset;

/** Reads a data file (format: data/README.md).  Errors: ZP_EIO when the file
 *  cannot be opened or read; ZP_EFORMAT, with "path:line:" in the message, for
 *  any malformed header or row; ZP_ENOMEM.  On failure *out is NULL. */
zp_status zp_dataset_load(const char *path, zp_dataset **out, zp_error *err);

/** Loads a shipped data set by name: "cascades6yr", "tracks9yr" or "hese7yr",
 *  from $ZPROP_DATA_DIR when that is set and non-empty, else from ZP_DATA_DIR
 *  (zprop/config.h).  A @p name containing '/' or ending in ".dat" is taken
 *  as a path and passed to zp_dataset_load.  Unknown names give ZP_EINVAL. */
zp_status zp_dataset_builtin(const char *name, zp_dataset **out, zp_error *err);

/** Keeps only the rows named by @p spec: "all", or a comma list of 0-based
 *  row indices and inclusive ranges such as "0-4,6,7-12" (blanks around items
 *  are allowed).  Kept rows stay in file order, so energies still increase.
 *  ZP_EINVAL, naming the spec, for a malformed item, a reversed range, an
 *  index >= nbins or a row named twice; @p d is then unchanged. */
zp_status zp_dataset_select(zp_dataset *d, const char *spec, zp_error *err);

/** Releases @p d (NULL is allowed). */
void zp_dataset_free(zp_dataset *d);

/** @return the header spelling of @p ch ("flavour_average", ...), or "unknown". */
const char *zp_channel_name(zp_channel ch);

/** Parses a header spelling ("flavour_average", "numu", "nue_nutau_average")
 *  into @p out.  ZP_EINVAL, listing the allowed spellings, otherwise. */
zp_status zp_channel_parse(const char *s, zp_channel *out, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
