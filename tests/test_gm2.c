/* zprop tests: muon g-2 shift of the Lmu-Ltau Z' (H-Eq. 4).
 * SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support.h"
#include "zprop/gm2.h"
#include "physics/physics.h"

static double amu(double m_gev, double g) {
  double out = NAN;
  zp_error err;
  cr_assert_eq(zp_gm2_delta_amu(m_gev, g, &out, &err), ZP_OK, "%s", err.msg);
  return out;
}

Test(gm2, check_value) {
  /* physics.md: g = 5e-4, M = 13 MeV gives 2.33e-9; quoted to 3 digits. */
  double a = amu(13.0 * ZP_MEV_GEV, 5e-4);
  cr_assert(zp_test_close(a, 2.33e-9, 5e-3), "Delta a_mu = %.6e", a);
}

Test(gm2, heavy_limit) {
  /* M >> m_mu: g^2 m_mu^2 / (12 pi^2 M^2) (1 - 3 r (ln(1/r) - 25/12)),
   * r = m_mu^2/M^2; the bracket is the next order of the x-integral. */
  const double ms[2] = {100.0, 1000.0};
  for (int k = 0; k < 2; ++k) {
    double m = ms[k], g = 1e-3, r = ZP_M_MU_GEV * ZP_M_MU_GEV / (m * m);
    double lead = g * g * r / (12.0 * ZP_PI * ZP_PI);
    double a = amu(m, g);
    /* Leading term alone: 3 r ln(1/r) is 4e-5 at 100 GeV, 6e-7 at 1 TeV. */
    cr_assert(zp_test_close(a, lead, 1e-4), "M = %g: %.10e vs %.10e", m, a, lead);
    /* With it, the remainder is O(r^2 ln^2 r) < 1e-9 here. */
    double next = lead * (1.0 - 3.0 * r * (log(1.0 / r) - 25.0 / 12.0));
    cr_assert(zp_test_close(a, next, 1e-8), "M = %g: %.12e vs %.12e", m, a, next);
  }
}

Test(gm2, light_limit) {
  /* M << m_mu: g^2/(8 pi^2) (1 - pi M/m_mu + O((M/m_mu)^2 ln)). */
  const double ms[2] = {1e-5, 1e-6};
  for (int k = 0; k < 2; ++k) {
    double m = ms[k], g = 1e-3, eps = m / ZP_M_MU_GEV;
    double lead = g * g / (8.0 * ZP_PI * ZP_PI);
    double a = amu(m, g);
    /* The first correction pi M/m_mu is 3e-4 at 10 keV, 3e-5 at 1 keV. */
    cr_assert(zp_test_close(a, lead, 4.0 * eps), "M = %g: %.10e vs %.10e", m, a, lead);
    /* Second order is ~eps^2 ln(1/eps) < 1e-7 here. */
    cr_assert(zp_test_close(a, lead * (1.0 - ZP_PI * eps), 1e-6), "M = %g", m);
  }
}

Test(gm2, scales_as_g_squared) {
  double a1 = amu(0.02, 3e-4), a2 = amu(0.02, 6e-4);
  /* Same integral, so only the g^2 prefactor changes: rounding only. */
  cr_assert(zp_test_close(a2, 4.0 * a1, 1e-14));
  cr_assert_eq(amu(0.02, 0.0), 0.0);
}

Test(gm2, rejects_bad_input) {
  double out = 0.0;
  zp_error err;
  cr_assert_eq(zp_gm2_delta_amu(0.0, 5e-4, &out, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "mzp") != NULL, "%s", err.msg);
  cr_assert_eq(zp_gm2_delta_amu(-0.01, 5e-4, &out, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_delta_amu(NAN, 5e-4, &out, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_delta_amu(0.013, INFINITY, &out, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "gzp") != NULL, "%s", err.msg);
}
