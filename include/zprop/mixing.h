/* zprop: neutrino mixing, masses and the Z' couplings in the mass basis.
 * Flavour order (e, mu, tau), mass order (1, 2, 3). SPDX-License-Identifier: MIT */
#ifndef ZPROP_MIXING_H
#define ZPROP_MIXING_H

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { ZP_ORDERING_NO = 0, ZP_ORDERING_IO = 1 } zp_ordering;

typedef enum {
  ZP_MIXING_NUFIT50 = 0, /* NuFIT 5.0 without SK atmospheric (default) */
  ZP_MIXING_NUFIT52 = 1, /* NuFIT 5.2 with SK */
  ZP_MIXING_NUFIT60 = 2  /* NuFIT 6.0 with SK */
} zp_mixing_preset;

/** Oscillation parameters; angles and phase in degrees, splittings in eV^2.
 *  dm3l is dm31^2 (> 0) for NO and dm32^2 (< 0) for IO. */
typedef struct {
  double theta12, theta13, theta23, delta_cp;
  double dm21, dm3l;
} zp_oscillation;

/** Everything the transport needs from mixing, in plain arrays. */
typedef struct {
  double masses_ev[3];   /* m_1, m_2, m_3 */
  double u_re[3][3];     /* Re U[alpha][i] */
  double u_im[3][3];     /* Im U[alpha][i] */
  double u2[3][3];       /* |U_alpha i|^2 */
  double q2[3][3];       /* |Q_ij|^2, Q = U^dagger diag(0, 1, -1) U */
  double p_branch[3];    /* P_i = sum_l |Q_li|^2 / 2 */
} zp_mixing;

/** Fills @p out with the preset's parameters for @p ordering. */
zp_status zp_oscillation_preset(zp_mixing_preset preset, zp_ordering ordering,
                                zp_oscillation *out, zp_error *err);

/** Smallest allowed sum of masses (lightest mass zero), in eV. */
double zp_min_sum_mnu(const zp_oscillation *osc, zp_ordering ordering);

/** Solves for the masses from @p sum_mnu_ev and builds U, |Q|^2 and P_i.
 *  A sum below zp_min_sum_mnu() is ZP_EINVAL naming sum_mnu. */
zp_status zp_mixing_init(const zp_oscillation *osc, zp_ordering ordering,
                         double sum_mnu_ev, zp_mixing *out, zp_error *err);

/** Muon g-2 shift Delta a_mu for a Z' of mass @p mzp_gev and coupling
 *  @p g (H-Eq. 4), by GSL quadrature. */
zp_status zp_gm2_delta_amu(double mzp_gev, double g, double *out, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
