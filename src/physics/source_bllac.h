/* zprop (internal): the BL Lac redshift density of Ajello et al. 2014
 * (LDDE1), tabulated once and interpolated.  Normalised to rho(0) = 1.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_SOURCE_BLLAC_H
#define ZPROP_SOURCE_BLLAC_H

#include <stddef.h>

#include "zprop/errors.h"

/** Upper end of the table; matches the largest allowed zmax. */
#define ZP_BLLAC_ZMAX 20.0

/** Builds the table on first use (thread-safe) and exposes its nodes, the
 *  places where the interpolant's derivative may jump. */
zp_status zp_bllac_table(const double **z_nodes, size_t *count, zp_error *err);

/** Interpolated density, 0 outside [0, ZP_BLLAC_ZMAX], NaN if the table
 *  could not be built. */
double zp_bllac_density(double z);

/** The luminosity integral itself (unnormalised), for building and testing
 *  the table. */
zp_status zp_bllac_density_exact(double z, double *out, zp_error *err);

#endif
