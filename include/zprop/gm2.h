/* zprop: the muon g-2 constraint on the Lmu-Ltau Z': reference values of
 * Delta a_mu = a_mu(exp) - a_mu(SM), the pull of a model point against one,
 * and the n-sigma band of couplings g at a given mass (physics.md, sec. 1).
 *
 * The Z' shift itself is zp_gm2_delta_amu() in zprop/mixing.h; it is
 * g^2 F(M) with F independent of g, which is what makes the band a closed
 * formula rather than a root search.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_GM2_H
#define ZPROP_GM2_H

#include "zprop/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which measured-minus-predicted Delta a_mu to compare with.  The values
 *  (physics.md, units of 1e-11) are:
 *    WP2020       2021 world average - White Paper 2020:  251 +- 59 (default)
 *    WP2020_2023  2023 world average - White Paper 2020:  249 +- 48
 *    BMW2025      2025 world average - lattice (BMW) SM:  117 +- 57
 *    WP2025       2025 world average - White Paper 2025:   38 +- 63 (no anomaly) */
typedef enum {
  ZP_GM2_WP2020 = 0,
  ZP_GM2_WP2020_2023 = 1,
  ZP_GM2_BMW2025 = 2,
  ZP_GM2_WP2025 = 3
} zp_gm2_ref;

enum { ZP_GM2_REF_COUNT = 4 };

/** The reference @p ref: @p central and @p sigma as plain numbers (not in
 *  units of 1e-11: 251 +- 59 gives 2.51e-9 and 5.9e-10) and a short static
 *  @p label, the lower-case enum name ("wp2020", "wp2020_2023", "bmw2025",
 *  "wp2025").  Any output pointer may be NULL.  An unknown @p ref is
 *  ZP_EINVAL naming gm2_ref. */
zp_status zp_gm2_reference(zp_gm2_ref ref, double *central, double *sigma, const char **label,
                           zp_error *err);

/** Delta a_mu of a Z' of mass @p mzp_gev and coupling @p g (written to
 *  @p delta_amu unless it is NULL) and its pull against @p ref,
 *  (Delta a_mu - central) / sigma, in @p pull: negative when the Z' explains
 *  less than the reference, positive when it overshoots.  Errors as in
 *  zp_gm2_delta_amu() and zp_gm2_reference(). */
zp_status zp_gm2_pull(double mzp_gev, double g, zp_gm2_ref ref, double *delta_amu, double *pull,
                      zp_error *err);

/** The couplings g >= 0 for which a Z' of mass @p mzp_gev brings Delta a_mu
 *  within @p nsigma (finite, >= 0) standard deviations of @p ref:
 *    g_low  = sqrt(max(0, central - nsigma sigma) / F),
 *    g_high = sqrt((central + nsigma sigma) / F),   F = Delta a_mu(M, g = 1).
 *  When central - nsigma sigma <= 0 the Standard Model alone (g = 0) is
 *  within the band, which then has no lower edge: *g_low is exactly 0.
 *  (wp2025 is such a case at 1 and 2 sigma.)  Only |g| matters, so the
 *  band for negative g is the mirror image.  F too small to divide by (an
 *  absurdly heavy Z') is ZP_ENUMERIC. */
zp_status zp_gm2_band(double mzp_gev, zp_gm2_ref ref, double nsigma, double *g_low,
                      double *g_high, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
