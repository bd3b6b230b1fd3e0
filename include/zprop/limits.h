/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Limit curves on the (M, g) plane, read from text files.
 *
 *  A limit curve is a line g(M) above which couplings are excluded (or, for
 *  a projection, would be), with what it is: a label, a confidence level,
 *  the paper it comes from and how its numbers were obtained.  The file
 *  format is in docs/limits.md: '#' header lines `# key = value` with the
 *  keys label, confidence, reference and method, then rows `mass_MeV
 *  coupling`.  Every text of the file is data for the caller: zprop plot
 *  quotes it like any other label.  The loader keeps no state. */
#ifndef ZPROP_LIMITS_H
#define ZPROP_LIMITS_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest limit file read, in bytes (1 MiB: a curve of ~40000 rows). */
#define ZP_LIMIT_MAX_BYTES ((size_t)1 << 20)
/** The longest line of a limit file, in bytes without its newline. */
#define ZP_LIMIT_MAX_LINE 1024

/** One limit curve: its header texts and rows.  Free with zp_limit_curve_free(). */
typedef struct {
  char *label;      /**< `# label`: the legend entry, e.g. "NA64-mu 2024". */
  char *confidence; /**< `# confidence`: "90%", "95%", "2sigma", ... as written. */
  char *reference;  /**< `# reference`: the citation. */
  char *method;     /**< `# method`: computed, digitised or derived, and how. */
  size_t n;         /**< Number of rows, at least 2. */
  double *mass_mev; /**< Z' masses in MeV, positive, finite, strictly increasing. */
  double *coupling; /**< Couplings at those masses, positive and finite. */
} zp_limit_curve;

/** @brief Reads and checks a limit-curve file (docs/limits.md).
 *
 *  The file is opened without following a symbolic link and must be a
 *  regular text file of at most ZP_LIMIT_MAX_BYTES.
 *  @param[in] path the file.
 *  @param[out] out the curve (free with zp_limit_curve_free()); NULL on error.
 *  @param[out] err error report, may be NULL: one line "PATH:LINE: ..." (or
 *              "PATH: ..." for the file as a whole).
 *  @return ZP_OK; ZP_EINVAL for a NULL argument; ZP_EIO when the file cannot
 *          be opened or is not a regular file (a link, a directory);
 *          ZP_EFORMAT for any content error (a missing or repeated header
 *          key, a bad number, masses not increasing, a coupling <= 0, a line
 *          too long, fewer than two rows); ZP_ENOMEM. */
ZP_API zp_status zp_limit_curve_load(const char *path, zp_limit_curve **out, zp_error *err);

/** @brief Frees a curve from zp_limit_curve_load().
 *  @param[in] curve the curve, or NULL (nothing is done). */
ZP_API void zp_limit_curve_free(zp_limit_curve *curve);

#ifdef __cplusplus
}
#endif
#endif
