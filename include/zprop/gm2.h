/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief The muon g-2 constraint on the Lmu-Ltau Z'.
 *
 *  The Z' shift Delta a_mu of the muon's anomalous moment, reference values
 *  of Delta a_mu = a_mu(exp) - a_mu(SM), the pull of a model point against
 *  one, and the n-sigma band of couplings g at a given mass (docs/physics.md,
 *  section 1).  The shift is g^2 F(M) with F independent of g, which is what
 *  makes the band a closed formula rather than a root search.  No function
 *  here keeps state: all may run in several threads at once. */
#ifndef ZPROP_GM2_H
#define ZPROP_GM2_H

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Which measured-minus-predicted Delta a_mu to compare with.
 *
 *  The values (docs/physics.md, units of 1e-11) are given with each enumerator. */
typedef enum {
  ZP_GM2_WP2020 = 0,      /**< 2021 world average - White Paper 2020: 251 +- 59 (default). */
  ZP_GM2_WP2020_2023 = 1, /**< 2023 world average - White Paper 2020: 249 +- 48. */
  ZP_GM2_BMW2025 = 2,     /**< 2025 world average - lattice (BMW) SM: 117 +- 57. */
  ZP_GM2_WP2025 = 3,      /**< 2025 world average - White Paper 2025: 38 +- 63 (no anomaly). */
  ZP_GM2_BMW2021 = 4      /**< 2021 world average - lattice BMW 2021 SM: 107 +- 70 (V-Eq. 7). */
} zp_gm2_ref;

enum {
  ZP_GM2_REF_COUNT = 5 /**< Number of zp_gm2_ref values. */
};

/** @brief Muon g-2 shift Delta a_mu of a Z' (H-Eq. 4), by adaptive quadrature.
 *  @param[in] mzp_gev Z' mass in GeV, positive and finite.
 *  @param[in] g Lmu-Ltau coupling, finite (only g^2 enters).
 *  @param[out] out Delta a_mu (a plain number, not in units of 1e-11).
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL naming mzp or gzp, or for a NULL @p out;
 *          ZP_ENUMERIC when the quadrature fails; ZP_ENOMEM. */
ZP_API zp_status zp_gm2_delta_amu(double mzp_gev, double g, double *out, zp_error *err);

/** @brief The value of a reference.
 *  @param[in] ref which reference.
 *  @param[out] central central value as a plain number (251 +- 59 in units of
 *              1e-11 gives 2.51e-9), may be NULL.
 *  @param[out] sigma its standard deviation (5.9e-10 in that example), may be NULL.
 *  @param[out] label a static string, never to be freed: the lower-case enum
 *              name ("wp2020", "wp2020_2023", "bmw2025", "wp2025",
 *              "bmw2021"); may be NULL.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL naming gm2_ref for an unknown @p ref. */
ZP_API zp_status zp_gm2_reference(zp_gm2_ref ref, double *central, double *sigma,
                                  const char **label, zp_error *err);

/** @brief Delta a_mu of a Z' and its pull against a reference.
 *
 *  The pull (Delta a_mu - central) / sigma is negative when the Z' explains
 *  less than the reference, positive when it overshoots.
 *  @param[in] mzp_gev Z' mass in GeV.
 *  @param[in] g Lmu-Ltau coupling.
 *  @param[in] ref reference to compare with.
 *  @param[out] delta_amu Delta a_mu of the Z', may be NULL.
 *  @param[out] pull the pull; must not be NULL.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; errors as in zp_gm2_delta_amu() and zp_gm2_reference(),
 *          ZP_EINVAL for a NULL @p pull. */
ZP_API zp_status zp_gm2_pull(double mzp_gev, double g, zp_gm2_ref ref, double *delta_amu,
                             double *pull, zp_error *err);

/** @brief The couplings g >= 0 for which a Z' brings Delta a_mu within
 *  n standard deviations of a reference.
 *
 *      g_low  = sqrt(max(0, central - nsigma sigma) / F),
 *      g_high = sqrt((central + nsigma sigma) / F),   F = Delta a_mu(M, g = 1).
 *
 *  When central - nsigma sigma <= 0 the Standard Model alone (g = 0) is
 *  within the band, which then has no lower edge: *g_low is exactly 0
 *  (wp2025 is such a case at 1 and 2 sigma).  Only |g| matters, so the band
 *  for negative g is the mirror image.
 *  @param[in] mzp_gev Z' mass in GeV, positive and finite.
 *  @param[in] ref reference to compare with.
 *  @param[in] nsigma width of the band in standard deviations, finite and >= 0.
 *  @param[out] g_low lower edge; must not be NULL.
 *  @param[out] g_high upper edge; must not be NULL.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for invalid input or a NULL output; ZP_ENUMERIC
 *          when F is too small to divide by (an absurdly heavy Z'). */
ZP_API zp_status zp_gm2_band(double mzp_gev, zp_gm2_ref ref, double nsigma, double *g_low,
                             double *g_high, zp_error *err);

/** @brief The coupling above which a Z' overshoots a reference by more
 *  than n standard deviations: the exclusion line of a (M, g) map.
 *
 *      g_excl = sqrt((central + nsigma sigma) / F),   F = Delta a_mu(M, g = 1),
 *
 *  the upper edge zp_gm2_band() gives for the same @p nsigma.  Couplings
 *  |g| > g_excl give Delta a_mu > central + nsigma sigma.
 *  @param[in] mzp_gev Z' mass in GeV, positive and finite.
 *  @param[in] ref reference to compare with.
 *  @param[in] nsigma standard deviations, finite and > 0.
 *  @param[out] g_excl the coupling; must not be NULL.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for invalid input or a NULL output; ZP_ENUMERIC
 *          as in zp_gm2_band(). */
ZP_API zp_status zp_gm2_exclusion(double mzp_gev, zp_gm2_ref ref, double nsigma, double *g_excl,
                                  zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
