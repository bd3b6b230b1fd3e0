/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Astrophysical sources, J(E0, z) = A w_i rho(z) (1+z)^(1-gamma) (E0/E_ref)^-gamma.
 *
 *  The redshift density rho(z) of each kind and the redshift part of the
 *  injected number per shell (docs/physics.md, section 2, "Sources").
 *  A zp_source is a plain value; a table it points to is borrowed, and must
 *  outlive it.  The functions keep no state of their own (the BL Lac density
 *  is tabulated once per process, safely): they may run in several threads at
 *  once on the same or different sources. */
#ifndef ZPROP_SOURCE_H
#define ZPROP_SOURCE_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Reference energy in GeV (100 TeV): where gamma pivots and the norm is quoted. */
#define ZP_E_REF_GEV 1e5

/** @brief Redshift distribution of the sources. */
typedef enum {
  ZP_SOURCE_DELTA = 0,      /**< All sources at z0 (H-Eq. 14). */
  ZP_SOURCE_SFR = 1,        /**< Broken power law star formation (H-Eq. 17). */
  ZP_SOURCE_SFR_SMOOTH = 2, /**< Yuksel et al. 2008 smooth star formation. */
  ZP_SOURCE_BLLAC = 3,      /**< Ajello et al. 2014 LDDE1 BL Lacs (H-Eq. 15). */
  ZP_SOURCE_TABLE = 4       /**< A two-column (z, rho) table, zp_source_table_load(). */
} zp_source_kind;

/** @brief Tabulated rho(z), linearly interpolated, zero outside the table. */
typedef struct {
  size_t size; /**< Number of rows, >= 2. */
  double *z;   /**< size redshifts, >= 0, strictly increasing. */
  double *rho; /**< size densities, >= 0, largest 1. */
} zp_source_table;

/** @brief Loads a two-column (z, rho) text file; '#' starts a comment.
 *
 *  z must be >= 0 and increase strictly, rho be finite and >= 0, not all 0,
 *  at least two rows.  rho is stored divided by its largest value: its scale
 *  cancels against the flux normalisation, and so any finite scale is
 *  accepted.  Read through the library's input rules (regular files up to
 *  64 MiB, no NUL byte); quoted file content in messages is escaped.
 *  @param[in] path file to read.
 *  @param[out] out the table, owned by the caller, who releases it with
 *              zp_source_table_free(); NULL on failure.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EIO when the file cannot be read; ZP_EFORMAT naming
 *          the line for a malformed row; ZP_EINVAL for NULL arguments; ZP_ENOMEM. */
ZP_API zp_status zp_source_table_load(const char *path, zp_source_table **out, zp_error *err);

/** @brief Releases a table from zp_source_table_load().
 *  @param[in] table the table; NULL is allowed. */
ZP_API void zp_source_table_free(zp_source_table *table);

/** @brief A source population. */
typedef struct {
  zp_source_kind kind;          /**< Redshift distribution. */
  double z0;                    /**< Redshift of a delta source, (0, 20]. */
  double zmax;                  /**< Sources beyond are ignored (not for delta), (0, 20]. */
  double density_power;         /**< rho multiplied by (1+z)^density_power, [-10, 10]. */
  double gamma;                 /**< Source-frame spectral index, [1, 4]. */
  const zp_source_table *table; /**< Borrowed; required for ZP_SOURCE_TABLE, else unused. */
} zp_source;

/** @brief Redshift density rho(z) including (1+z)^density_power.
 *  @param[in] src the source; not for a delta source.
 *  @param[in] z redshift.
 *  @return rho(z); 0 for a delta source, a NULL @p src, and z outside [0, zmax]. */
ZP_API double zp_source_density(const zp_source *src, double z);

/** @brief Places in (0, zmax) where rho has a kink (quadrature break points).
 *  @param[in] src the source.
 *  @param[out] out room for @p cap redshifts, increasing (may be NULL when @p cap is 0).
 *  @param[in] cap how many values @p out holds.
 *  @return how many break points exist (may exceed @p cap: then only the
 *          first @p cap are written); 0 for a NULL @p src. */
ZP_API size_t zp_source_breakpoints(const zp_source *src, double *out, size_t cap);

/** @brief The redshift part of the injected number per shell.
 *
 *  c * integral over [z_lo, z_hi] of rho(z) (1+z)^(1-gamma) / ((1+z) H(z)) dz,
 *  in units of the Hubble distance c/H0 (dimensionless).  For a delta source
 *  this is the integrand at z0 if z0 lies in [z_lo, z_hi), else 0.
 *  @param[in] src the source.
 *  @param[in] z_lo lower end of the shell.
 *  @param[in] z_hi upper end of the shell, >= @p z_lo.
 *  @param[out] out the integral, to a relative accuracy of 1e-13.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for NULL arguments, a reversed or non-finite
 *          shell or a table source without a table; ZP_ENUMERIC when the
 *          quadrature fails; ZP_ENOMEM. */
ZP_API zp_status zp_source_shell_integral(const zp_source *src, double z_lo, double z_hi,
                                          double *out, zp_error *err);

/** @brief Validates a source description.
 *  @param[in] src the source.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL naming the parameter (gamma, z0, zmax,
 *          density_power, source_table) that is out of range or missing. */
ZP_API zp_status zp_source_check(const zp_source *src, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
