/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Neutrino mixing, masses and the Z' couplings in the mass basis.
 *
 *  Flavour order (e, mu, tau), mass order (1, 2, 3); conventions of
 *  docs/physics.md, section 1.  Plain values in caller-owned structs: nothing
 *  here allocates, and every function may run in several threads at once. */
#ifndef ZPROP_MIXING_H
#define ZPROP_MIXING_H

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Neutrino mass ordering. */
typedef enum {
  ZP_ORDERING_NO = 0, /**< Normal ordering, m1 < m2 < m3. */
  ZP_ORDERING_IO = 1  /**< Inverted ordering, m3 < m1 < m2. */
} zp_ordering;

/** @brief Global fit the oscillation parameters are taken from. */
typedef enum {
  ZP_MIXING_NUFIT50 = 0, /**< NuFIT 5.0 without SK atmospheric (default). */
  ZP_MIXING_NUFIT52 = 1, /**< NuFIT 5.2 with SK. */
  ZP_MIXING_NUFIT60 = 2  /**< NuFIT 6.0 with SK. */
} zp_mixing_preset;

/** @brief Oscillation parameters; angles and phase in degrees, splittings in eV^2. */
typedef struct {
  double theta12;  /**< Solar angle, [0, 90] degrees. */
  double theta13;  /**< Reactor angle, [0, 90] degrees. */
  double theta23;  /**< Atmospheric angle, [0, 90] degrees. */
  double delta_cp; /**< Dirac CP phase, degrees. */
  double dm21;     /**< dm21^2 > 0, eV^2. */
  double dm3l;     /**< dm31^2 (> 0) for NO, dm32^2 (< 0, |dm32^2| >= dm21^2) for IO, eV^2. */
} zp_oscillation;

/** @brief Everything the transport needs from mixing, in plain arrays. */
typedef struct {
  double masses_ev[3]; /**< m_1, m_2, m_3 in eV. */
  double u_re[3][3];   /**< Re U[alpha][i]. */
  double u_im[3][3];   /**< Im U[alpha][i]. */
  double u2[3][3];     /**< |U_alpha i|^2. */
  double q2[3][3];     /**< |Q_ij|^2, Q = U^dagger diag(0, 1, -1) U. */
  double p_branch[3];  /**< P_i = sum_l |Q_li|^2 / 2, the branching into mass state i. */
} zp_mixing;

/** @brief The oscillation parameters of a preset.
 *  @param[in] preset which global fit.
 *  @param[in] ordering which ordering's best fit.
 *  @param[out] out the parameters (unchanged on failure).
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for a NULL @p out, an unknown preset or ordering. */
ZP_API zp_status zp_oscillation_preset(zp_mixing_preset preset, zp_ordering ordering,
                                       zp_oscillation *out, zp_error *err);

/** @brief Smallest allowed sum of masses: the one with the lightest mass zero.
 *  @param[in] osc the splittings (dm21, dm3l) are used.
 *  @param[in] ordering NO or IO.
 *  @return the sum in eV; NaN when @p osc is NULL. */
ZP_API double zp_min_sum_mnu(const zp_oscillation *osc, zp_ordering ordering);

/** @brief Solves for the masses from their sum and builds U, |Q|^2 and P_i.
 *  @param[in] osc oscillation parameters, checked (angles in [0, 90] degrees,
 *             splittings of the signs that @p ordering requires).
 *  @param[in] ordering NO or IO.
 *  @param[in] sum_mnu_ev sum of the three masses in eV, >= zp_min_sum_mnu().
 *  @param[out] out the mixing (unchanged on failure).
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL naming the parameter (e.g. sum_mnu below the
 *          minimum) for invalid input. */
ZP_API zp_status zp_mixing_init(const zp_oscillation *osc, zp_ordering ordering, double sum_mnu_ev,
                                zp_mixing *out, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
