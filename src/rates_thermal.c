/* zprop: optical depth against thermal relic neutrinos (H-Eq. 12).
 *
 * For one relic momentum p the angle average of sigma is
 * [G(2E(eps+p)) - G(2E(eps-p))] / (4 E p).  Its integral over the bin in
 * ln E0 can be done exactly: exchanging the order, it is Int sigma(s) Phi(s)
 * ds with Phi piecewise of the form c0 + c1/s, so each piece is a
 * combination of the exact resonance integrals of physics.h.  Only the
 * smooth momentum and redshift integrals are left to quadrature.
 * SPDX-License-Identifier: MIT */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>

#include "rates.h"

zp_status zp_thermal_rule_init(zp_thermal_rule *rule, size_t nq, size_t nv, zp_error *err) {
  if (nq < 2 || nq > 64 || (nv != 4 && nv != 8))
    return zp_error_set(err, ZP_EINVAL, "thermal rule: nq = %zu in [2, 64], nv = %zu in {4, 8}",
                        nq, nv);
  /* Gauss-Laguerre with weight q^2 e^-q; the rest of the Fermi-Dirac weight,
   * 1/(1 + e^-q), is smooth. */
  gsl_integration_fixed_workspace *w =
      gsl_integration_fixed_alloc(gsl_integration_fixed_laguerre, nq, 0.0, 1.0, 2.0, 0.0);
  if (w == NULL) return zp_error_set(err, ZP_ENOMEM, "Gauss-Laguerre rule of %zu nodes", nq);
  const double *x = gsl_integration_fixed_nodes(w), *wt = gsl_integration_fixed_weights(w);
  double norm = 0.0;
  for (size_t i = 0; i < nq; ++i) {
    rule->q[i] = x[i];
    rule->w[i] = wt[i] / (1.0 + exp(-x[i]));
    norm += rule->w[i];
  }
  rule->q_cut = 0.0;
  for (size_t i = 0; i < nq; ++i) {
    rule->w[i] /= norm;
    if (rule->w[i] > 1e-13) rule->q_cut = fmax(rule->q_cut, rule->q[i]);
  }
  gsl_integration_fixed_free(w);
  rule->nq = nq;
  rule->nv = nv;
  return ZP_OK;
}

/* Int du over the bin (E = e^{u+v} in [elo, ehi]) of the angle-averaged
 * sigma/k, for relic momentum p and energy eps = sqrt(m^2 + p^2). */
static double bin_angle_average(zp_resonance res, double m, double p, double elo,
                                double ehi) {
  double eps = sqrt(m * m + p * p);
  double ap = 2.0 * (eps + p);
  double am = 2.0 * m * m / (eps + p); /* = 2 (eps - p), without cancellation */
  double br[4] = {am * elo, am * ehi, ap * elo, ap * ehi};
  if (br[1] > br[2]) { /* keep the breakpoints sorted */
    double t = br[1];
    br[1] = br[2];
    br[2] = t;
  }
  double inv4p = 0.25 / p, sum = 0.0;
  for (int i = 0; i < 3; ++i) {
    double sa = br[i], sb = br[i + 1];
    if (!(sb > sa)) continue;
    double smid = 0.5 * (sa + sb);
    int a_from_s = smid / ap > elo;             /* lower E limit set by s, not the bin */
    int b_from_s = am > 0.0 && smid / am < ehi; /* upper E limit set by s */
    double c0, c1;
    if (a_from_s && b_from_s) {
      c0 = 0.0;
      c1 = 1.0; /* (ap - am) / (4p) is exactly 1 */
    } else if (b_from_s) {
      c0 = inv4p / elo;
      c1 = -am * inv4p;
    } else if (a_from_s) {
      c0 = -inv4p / ehi;
      c1 = ap * inv4p;
    } else {
      c0 = inv4p * (1.0 / elo - 1.0 / ehi);
      c1 = 0.0;
    }
    if (c0 != 0.0) sum += c0 * zp_res_int_sigma(res, sa, sb);
    if (c1 != 0.0) sum += c1 * zp_res_int_lorentz(res, sa, sb);
  }
  return sum;
}

int zp_thermal_reaches_resonance(const zp_thermal_rule *rule, zp_resonance res, double m,
                                 double u0, double h, double v0, double v1) {
  double pmax = rule->q_cut * zp_t0_gev() * exp(v1);
  double eps = sqrt(m * m + pmax * pmax);
  double smin = 2.0 * exp(u0 + v0) * m * m / (eps + pmax); /* 2 E (eps - p) at p = pmax */
  double smax = 2.0 * exp(u0 + h + v1) * (eps + pmax);
  /* a hundred widths of margin: the Lorentzian there is 1e-4 of its peak */
  return smin < res.m2 + 100.0 * res.a && smax > res.m2 - 100.0 * res.a;
}

double zp_tau_thermal(const zp_thermal_rule *rule, zp_resonance res, double m, double u0,
                      double h, double v0, double v1) {
  const double *xv = zp_gl_nodes((int)rule->nv), *wv = zp_gl_weights((int)rule->nv);
  double c = 0.5 * (v0 + v1), r = 0.5 * (v1 - v0), t0 = zp_t0_gev(), sum = 0.0;
  for (size_t iv = 0; iv < rule->nv; ++iv) {
    double v = c + r * xv[iv];
    double elo = exp(u0 + v), ehi = exp(u0 + h + v), temp = t0 * exp(v), inner = 0.0;
    double lo_edge = res.m2 - 100.0 * res.a, hi_edge = res.m2 + 100.0 * res.a;
    for (size_t iq = 0; iq < rule->nq; ++iq) {
      double p = temp * rule->q[iq], eps = sqrt(m * m + p * p);
      double smin = 2.0 * elo * m * m / (eps + p), smax = 2.0 * ehi * (eps + p);
      if (smin < hi_edge && smax > lo_edge) {
        inner += rule->w[iq] * bin_angle_average(res, m, p, elo, ehi);
      } else {
        /* Only the far tail of sigma reaches this bin at this momentum:
         * sigma/k = s L(s) is smooth over the bin, midpoint rule in ln E
         * (relative error O(h^2) of a term 1e4 times below the peak). */
        double sc = 2.0 * eps * sqrt(elo * ehi), y = sc - res.m2;
        inner += rule->w[iq] * h * sc / (y * y + res.a * res.a);
      }
    }
    sum += wv[iv] * zp_depth_weight(v) * inner;
  }
  return sum * r / h * ZP_HBARC2_CM2_GEV2;
}
