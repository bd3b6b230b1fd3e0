/* zprop: astrophysical sources, J(E0, z) = A w_i rho(z) (1+z)^(1-gamma) (E0/E_ref)^-gamma.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_SOURCE_H
#define ZPROP_SOURCE_H

#include <stddef.h>

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZP_E_REF_GEV 1e5 /* 100 TeV: where gamma pivots and norm is quoted */

typedef enum {
  ZP_SOURCE_DELTA = 0,      /* all sources at z0 (H-Eq. 14) */
  ZP_SOURCE_SFR = 1,        /* broken power law star formation (H-Eq. 17) */
  ZP_SOURCE_SFR_SMOOTH = 2, /* Yuksel et al. 2008 smooth form */
  ZP_SOURCE_BLLAC = 3,      /* Ajello et al. 2014 LDDE1 BL Lacs (H-Eq. 15) */
  ZP_SOURCE_TABLE = 4       /* two-column (z, rho) file */
} zp_source_kind;

/** Tabulated rho(z), linearly interpolated, zero outside the table. */
typedef struct {
  size_t size;
  double *z;
  double *rho;
} zp_source_table;

/** Loads a two-column (z, rho) text file; '#' starts a comment.  z must be
 *  >= 0 and increase strictly, rho be finite and >= 0, not all 0, at least
 *  two rows.  rho is stored divided by its largest value: its scale cancels
 *  against the flux normalisation, and so any finite scale is accepted.
 *  Read through the library's input rules (regular files up to 64 MiB, no
 *  NUL byte); quoted file content in messages is escaped. */
zp_status zp_source_table_load(const char *path, zp_source_table **out, zp_error *err);
void zp_source_table_free(zp_source_table *table);

typedef struct {
  zp_source_kind kind;
  double z0;            /* delta source redshift */
  double zmax;          /* sources beyond are ignored (not delta) */
  double density_power; /* rho multiplied by (1+z)^density_power */
  double gamma;         /* source-frame spectral index */
  const zp_source_table *table; /* borrowed; required for ZP_SOURCE_TABLE */
} zp_source;

/** Redshift density rho(z) including (1+z)^density_power; not for delta. */
double zp_source_density(const zp_source *src, double z);

/** Places in (0, zmax) where rho has a kink (for quadrature break points).
 *  Writes at most @p cap values into @p out, returns how many exist. */
size_t zp_source_breakpoints(const zp_source *src, double *out, size_t cap);

/** c * integral over [z_lo, z_hi] of rho(z) (1+z)^(1-gamma) / ((1+z) H(z)) dz,
 *  in units of the Hubble distance c/H0 (dimensionless): the redshift part of
 *  the injected number per shell.  For a delta source this is the value at
 *  z0 if z0 lies in [z_lo, z_hi), else 0.  Relative accuracy 1e-13. */
zp_status zp_source_shell_integral(const zp_source *src, double z_lo, double z_hi,
                                   double *out, zp_error *err);

/** Validates a source description; names the parameter on failure. */
zp_status zp_source_check(const zp_source *src, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
