/* zprop: oscillation presets, neutrino masses from their sum, the PMNS
 * matrix and the Z' couplings in the mass basis (physics.md section 1).
 * SPDX-License-Identifier: MIT */
#include "zprop/mixing.h"

#include <complex.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "physics/physics.h"

/* A sum this close above or below the minimum means "lightest massless":
 * it absorbs the rounding of a minimum the caller computed or printed. */
#define ZP_MIN_SUM_RTOL 1e-12

static const char *ordering_name(zp_ordering o) { return o == ZP_ORDERING_IO ? "IO" : "NO"; }

static double deg_from_sin2(double s2) { return asin(sqrt(s2)) * 180.0 / ZP_PI; }

zp_status zp_oscillation_preset(zp_mixing_preset preset, zp_ordering ordering, zp_oscillation *out,
                                zp_error *err) {
  if (out == NULL) return zp_error_set(err, ZP_EINVAL, "zp_oscillation_preset: out is NULL");
  if (ordering != ZP_ORDERING_NO && ordering != ZP_ORDERING_IO)
    return zp_error_set(err, ZP_EINVAL, "ordering = %d is neither NO nor IO", (int)ordering);
  int io = ordering == ZP_ORDERING_IO;
  zp_oscillation o;
  switch (preset) {
    case ZP_MIXING_NUFIT50:
      o = io ? (zp_oscillation){33.45, 8.61, 49.3, 286.0, 7.42e-5, -2.497e-3}
             : (zp_oscillation){33.44, 8.57, 49.0, 195.0, 7.42e-5, 2.514e-3};
      break;
    case ZP_MIXING_NUFIT52:
      o = io ? (zp_oscillation){33.41, 8.57, 49.00, 276.0, 7.41e-5, -2.486e-3}
             : (zp_oscillation){33.41, 8.58, 42.20, 232.0, 7.41e-5, 2.507e-3};
      break;
    case ZP_MIXING_NUFIT60:
      /* Published as sin^2 values; theta12 and dm21 are shared by NO and IO. */
      o.theta12 = deg_from_sin2(0.308);
      o.dm21 = 7.49e-5;
      if (io) {
        o.theta13 = deg_from_sin2(0.02231);
        o.theta23 = deg_from_sin2(0.550);
        o.delta_cp = 274.0;
        o.dm3l = -2.484e-3;
      } else {
        o.theta13 = deg_from_sin2(0.02215);
        o.theta23 = deg_from_sin2(0.470);
        o.delta_cp = 212.0;
        o.dm3l = 2.513e-3;
      }
      break;
    default: return zp_error_set(err, ZP_EINVAL, "mixing preset %d is unknown", (int)preset);
  }
  *out = o;
  return ZP_OK;
}

/* Sum of masses for a given lightest mass. */
static double mass_sum(double light, const zp_oscillation *osc, zp_ordering ordering, double m[3]) {
  double l2 = light * light;
  if (ordering == ZP_ORDERING_IO) {
    m[2] = light;
    m[1] = sqrt(l2 - osc->dm3l);
    m[0] = sqrt(l2 - osc->dm3l - osc->dm21);
  } else {
    m[0] = light;
    m[1] = sqrt(l2 + osc->dm21);
    m[2] = sqrt(l2 + osc->dm3l);
  }
  return m[0] + m[1] + m[2];
}

double zp_min_sum_mnu(const zp_oscillation *osc, zp_ordering ordering) {
  double m[3];
  if (osc == NULL) return NAN;
  return mass_sum(0.0, osc, ordering, m);
}

static zp_status check_osc(const zp_oscillation *osc, zp_ordering ordering, zp_error *err) {
  const double angle[4] = {osc->theta12, osc->theta13, osc->theta23, osc->delta_cp};
  const char *name[4] = {"theta12", "theta13", "theta23", "delta_cp"};
  for (int k = 0; k < 4; ++k)
    if (!isfinite(angle[k]))
      return zp_error_set(err, ZP_EINVAL, "%s = %g deg is not finite", name[k], angle[k]);
  for (int k = 0; k < 3; ++k)
    if (!(angle[k] >= 0.0 && angle[k] <= 90.0))
      return zp_error_set(err, ZP_EINVAL, "%s = %g deg is out of range [0, 90]", name[k], angle[k]);
  if (!(osc->dm21 > 0.0 && isfinite(osc->dm21)))
    return zp_error_set(err, ZP_EINVAL, "dm21 = %g eV^2 must be positive", osc->dm21);
  if (ordering == ZP_ORDERING_NO) {
    if (!(osc->dm3l > 0.0 && isfinite(osc->dm3l)))
      return zp_error_set(err, ZP_EINVAL, "dm3l = %g eV^2 must be positive (dm31) for NO",
                          osc->dm3l);
  } else if (ordering == ZP_ORDERING_IO) {
    /* m1^2 = m3^2 - dm32 - dm21 must stay >= 0 even for massless m3. */
    if (!(osc->dm3l < 0.0 && -osc->dm3l >= osc->dm21 && isfinite(osc->dm3l)))
      return zp_error_set(err, ZP_EINVAL,
                          "dm3l = %g eV^2 must be negative (dm32) with |dm32| >= dm21 for IO",
                          osc->dm3l);
  } else {
    return zp_error_set(err, ZP_EINVAL, "ordering = %d is neither NO nor IO", (int)ordering);
  }
  return ZP_OK;
}

/* Lightest mass for a sum known to be above the minimum: bisection on
 * [0, sum], where mass_sum(light) - sum increases through zero.  Not GSL's
 * Brent: its solvers report through the process-wide GSL error handler,
 * and at three square roots a step the ~60 bisection steps cost nothing. */
static zp_status solve_lightest(const zp_oscillation *osc, zp_ordering ordering, double sum,
                                double *light, zp_error *err) {
  double lo = 0.0, hi = sum, m[3];
  /* 1e-20 eV only matters when the root sits at 0 itself. */
  for (int iter = 0; iter < 400 && hi - lo > 1e-20 + 4.0 * DBL_EPSILON * lo; ++iter) {
    double mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break; /* adjacent doubles */
    if (mass_sum(mid, osc, ordering, m) < sum) lo = mid;
    else hi = mid;
  }
  double root = 0.5 * (lo + hi);
  if (!isfinite(root) || !isfinite(mass_sum(root, osc, ordering, m)))
    return zp_error_set(err, ZP_ENUMERIC, "sum_mnu = %g eV: lightest-mass solve failed", sum);
  *light = root;
  return ZP_OK;
}

static void build_pmns(const zp_oscillation *osc, double complex u[3][3]) {
  const double rad = ZP_PI / 180.0;
  double s12 = sin(osc->theta12 * rad), c12 = cos(osc->theta12 * rad);
  double s13 = sin(osc->theta13 * rad), c13 = cos(osc->theta13 * rad);
  double s23 = sin(osc->theta23 * rad), c23 = cos(osc->theta23 * rad);
  double d = osc->delta_cp * rad;
  double complex ep = cos(d) + I * sin(d); /* e^{+i delta} */
  u[0][0] = c12 * c13;
  u[0][1] = s12 * c13;
  u[0][2] = s13 * conj(ep);
  u[1][0] = -s12 * c23 - c12 * s23 * s13 * ep;
  u[1][1] = c12 * c23 - s12 * s23 * s13 * ep;
  u[1][2] = s23 * c13;
  u[2][0] = s12 * s23 - c12 * c23 * s13 * ep;
  u[2][1] = -c12 * s23 - s12 * c23 * s13 * ep;
  u[2][2] = c23 * c13;
}

zp_status zp_mixing_init(const zp_oscillation *osc, zp_ordering ordering, double sum_mnu_ev,
                         zp_mixing *out, zp_error *err) {
  if (osc == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_mixing_init: osc or out is NULL");
  zp_status st = check_osc(osc, ordering, err);
  if (st != ZP_OK) return st;
  if (!isfinite(sum_mnu_ev))
    return zp_error_set(err, ZP_EINVAL, "sum_mnu = %g eV is not finite", sum_mnu_ev);
  double min_sum = zp_min_sum_mnu(osc, ordering);
  double light = 0.0;
  if (sum_mnu_ev < min_sum * (1.0 - ZP_MIN_SUM_RTOL))
    return zp_error_set(err, ZP_EINVAL, "sum_mnu = %g eV is below the minimum %.6g eV for %s",
                        sum_mnu_ev, min_sum, ordering_name(ordering));
  if (sum_mnu_ev > min_sum * (1.0 + ZP_MIN_SUM_RTOL)) {
    st = solve_lightest(osc, ordering, sum_mnu_ev, &light, err);
    if (st != ZP_OK) return st;
  }

  zp_mixing m;
  memset(&m, 0, sizeof m);
  mass_sum(light, osc, ordering, m.masses_ev);

  double complex u[3][3];
  build_pmns(osc, u);
  for (int a = 0; a < 3; ++a)
    for (int i = 0; i < 3; ++i) {
      m.u_re[a][i] = creal(u[a][i]);
      m.u_im[a][i] = cimag(u[a][i]);
      m.u2[a][i] = m.u_re[a][i] * m.u_re[a][i] + m.u_im[a][i] * m.u_im[a][i];
    }

  /* Q = U^dagger diag(0, 1, -1) U: only the mu and tau rows contribute. */
  double psum = 0.0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double complex q = conj(u[1][i]) * u[1][j] - conj(u[2][i]) * u[2][j];
      m.q2[i][j] = creal(q) * creal(q) + cimag(q) * cimag(q);
    }
  for (int i = 0; i < 3; ++i) {
    for (int l = 0; l < 3; ++l) m.p_branch[i] += 0.5 * m.q2[l][i];
    psum += m.p_branch[i];
  }
  /* The kernel's number ledger needs sum P_i = 1 to rounding, not to the
   * unitarity error of U. */
  for (int i = 0; i < 3; ++i) m.p_branch[i] /= psum;

  *out = m;
  return ZP_OK;
}
