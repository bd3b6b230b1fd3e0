/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Profiles of scan tables: chi2 minimised over some of the grid's axes.
 *
 *  A `zprop scan` table holds one row per point of a grid of up to four axes
 *  (its `## grid = ...` line: "N KEY" pairs joined by " x ", outer first, rows
 *  in C order).  zp_profile_table() reduces it to the grid of the axes it keeps:
 *  for each of their points the whole row (every column, as written) of the
 *  point of the profiled axes with the lowest chi2, plus a column `dchi2_min`
 *  = chi2 - chi2_min, the global minimum, to which the confidence contours
 *  Delta chi2 = zp_profile_level(cl, dof) refer.  `delta_chi2` stays chi2 -
 *  chi2_0 (the plain power law) as in scans.  No function here keeps state. */
#ifndef ZPROP_PROFILE_H
#define ZPROP_PROFILE_H

#include <stddef.h>

#include "zprop/errors.h"
#include "zprop/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  ZP_GRID_MAX_AXES = 8, /**< Most axes a `## grid` line may name. */
  ZP_PROFILE_MAX_CL = 8 /**< Most confidence levels of one profile. */
};

/** @brief The axes of a scan table, from its `## grid = ...` line. */
typedef struct {
  size_t naxes;                    /**< Number of axes, outer first. */
  char keys[ZP_GRID_MAX_AXES][32]; /**< Key of each axis (mzp, gzp, gamma, ...). */
  size_t n[ZP_GRID_MAX_AXES];      /**< Points along each axis (>= 1). */
  size_t rows;                     /**< Product of n: the table's rows. */
} zp_grid_axes;

/** @brief Reads the value of a `## grid = ` line.
 *  @param[in] text what follows "## grid = ", e.g. "3 mzp x 4 gzp = 12 rows,
 *         mzp outer, gzp inner".
 *  @param[out] g the axes.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EFORMAT when the text is no grid (a count not a positive
 *          integer, a bad key, a row count that is not the product). */
ZP_API zp_status zp_grid_parse(const char *text, zp_grid_axes *g, zp_error *err);

/** @brief The column of a scan table that holds axis @p key.
 *  @param[in] key an axis key: mzp, gzp, gchi, mchi, sum_mnu, z0, zmax,
 *         density_power, gamma, norm (a gamma or norm axis is the gamma or norm
 *         column, held fixed there).
 *  @return "mzp_MeV", "gzp", "mchi_MeV", "sum_mnu_eV", ...; @p key itself for
 *          a key without a unit suffix. */
ZP_API const char *zp_grid_axis_column(const char *key);

/** @brief Delta chi2 of confidence level @p cl (percent) for @p dof parameters.
 *  @param[in] cl confidence level in percent, in (0, 100).
 *  @param[in] dof number of free parameters, >= 1.
 *  @return gsl_cdf_chisq_Pinv(cl / 100, dof): 4.61 (90%) and 5.99 (95%) for
 *          two; NaN for arguments out of range. */
ZP_API double zp_profile_level(double cl, int dof);

/** @brief What zp_profile_table() did. */
typedef struct {
  size_t rows_in;                   /**< Rows of the input table. */
  size_t rows_out;                  /**< Rows written: the kept axes' points. */
  double chi2_min;                  /**< Lowest chi2 of the table. */
  size_t nlevels;                   /**< Number of contour levels. */
  double levels[ZP_PROFILE_MAX_CL]; /**< Delta chi2 of each confidence level. */
  zp_grid_axes kept;                /**< The axes of the output grid. */
} zp_profile_info;

/** @brief Writes the profile of scan table @p input over the axes @p over.
 *
 *  The output is a table of the same format: the input's header lines
 *  (a previous profile's `## profiled`, `## chi2_min` and `## contours` lines
 *  replaced), `## profiled = min over KEY, KEY`, `## chi2_min = ...`,
 *  `## contours = dchi2_min 4.60517 (90% CL), 5.99146 (95% CL), dof = 2`, the
 *  grid line of the kept axes, the column line (the input's, plus
 *  `dchi2_min`), then per point of the kept grid (C order) the input row of
 *  its lowest chi2 (the first such row on a tie) and its dchi2_min in %.10e.
 *  It is written atomically (a temporary renamed into place; nothing is left
 *  on failure) and never over @p input.
 *  @param[in] input path of a scan (or profile) table with a `## grid` line.
 *  @param[in] over comma-separated axis keys, at least one and not all of the
 *         grid's axes, each once.
 *  @param[in] cl @p ncl confidence levels in percent, each in (0, 100).
 *  @param[in] ncl number of levels, in [1, ZP_PROFILE_MAX_CL].
 *  @param[in] dof degrees of freedom of the contours, in [1, 100].
 *  @param[in] output path of the profile, "-" for stdout.
 *  @param[out] info what was done, may be NULL.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for bad arguments (naming `over`, `cl`, `dof` or
 *          `output` and what is allowed); ZP_EFORMAT for a table that is not a
 *          complete grid (no grid line, a missing column, a wrong row count, a
 *          cell that is not a finite number, rows out of grid order: the
 *          message names the file and the line); ZP_EIO, ZP_ENOMEM. */
ZP_API zp_status zp_profile_table(const char *input, const char *over, const double *cl, size_t ncl,
                                  int dof, const char *output, zp_profile_info *info,
                                  zp_error *err);

#ifdef __cplusplus
}
#endif

#endif
