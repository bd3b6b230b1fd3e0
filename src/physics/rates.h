/* zprop (internal): bin- and shell-averaged optical depths.
 *
 * For a bin u = ln(E0/GeV) in [u0, u0 + h] and a shell v = ln(1+z) in
 * [v0, v1], the depth against one relic state is averaged over ln E0 and
 * integrated over v:  tau = (1/h) Int du Int dv W(v) <sigma>(E = e^{u+v}).
 * Summed over shells this is the bin average of the exact depth, with no
 * approximation on the resonance (the bin x shell rectangle is integrated
 * along lines of constant E, where sigma lives).  Returned per unit of the
 * prefactor k in sigma = k s / ((s - M^2)^2 + M^2 Gamma^2), already in cm^2.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_RATES_H
#define ZP_RATES_H

#include <stddef.h>

#include "zprop/errors.h"
#include "physics/physics.h"

/** The depth weight W(v) over one shell as a polynomial: its integral
 *  Omega over [v0, v] is a degree-9 polynomial in t = (v - c)/r, exact to
 *  rounding for W (smooth on a shell a few percent wide), so integrals of W
 *  over parts of the shell cost two polynomial evaluations. */
typedef struct {
  double v0, v1, c, r;
  double omega[10]; /* Omega(t) = r sum omega[i] t^i, Omega(-1) = 0 */
  double total;     /* Omega over the whole shell */
} zp_shell_weight;

void zp_shell_weight_init(zp_shell_weight *sw, double v0, double v1);

/** Integral of W over [lo, hi] within the shell. */
double zp_shell_weight_integral(const zp_shell_weight *sw, double lo, double hi);

/** Target at rest, mass m (GeV, > 0): s = 2 m E.  Parts of the line's far
 *  tails whose depth is bounded below @p floor (same units as the result)
 *  are dropped: with floor = 1e-14 / k a survival changes by < 1e-14. */
double zp_tau_at_rest_w(zp_resonance res, double m, double u0, double h, const zp_shell_weight *sw,
                        double floor);

/** The same, building the shell weight itself (convenient, slower). */
double zp_tau_at_rest(zp_resonance res, double m, double u0, double h, double v0, double v1);

/** Quadrature of the thermal average (H-Eq. 12).  The momentum integral is
 *  done in t = F(q), the Fermi-Dirac cumulative distribution of q = p/T,
 *  split where the bin's line edges make the integrand kink, with nq-point
 *  Gauss-Legendre per piece; the shell's ln(1+z) with nv points. */
typedef struct {
  size_t nq;    /* Gauss-Legendre nodes per momentum piece: 4 or 8 */
  size_t nv;    /* Gauss-Legendre nodes per shell in v: 4 or 8 */
  double q_cut; /* q beyond which the Fermi-Dirac weight is below 5e-7 */
} zp_thermal_rule;

zp_status zp_thermal_rule_init(zp_thermal_rule *rule, size_t nq, size_t nv, zp_error *err);

/** Whether, for some momentum up to rule->q_cut T, a target of mass m in
 *  the shell [v0, v1] can bring a bin [u0, u0 + h] onto the resonance.  Where
 *  it cannot, only the far tails of sigma act, and the at-rest depth is the
 *  thermal one to O(T/m) of a negligible number: zp_survival uses it there. */
int zp_thermal_reaches_resonance(const zp_thermal_rule *rule, zp_resonance res, double m, double u0,
                                 double h, double v0, double v1);

/** Thermal target of mass m >= 0 (GeV) at temperature T0 e^v. */
double zp_tau_thermal(const zp_thermal_rule *rule, zp_resonance res, double m, double u0, double h,
                      double v0, double v1);

/** Gauss-Legendre nodes/weights on [-1, 1] for n in {4, 8}. */
const double *zp_gl_nodes(int n);
const double *zp_gl_weights(int n);

#endif
