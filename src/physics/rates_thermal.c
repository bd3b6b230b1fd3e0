/* zprop: optical depth against thermal relic neutrinos (H-Eq. 12).
 *
 * For one relic momentum p the angle average of sigma is
 * [G(2E(eps+p)) - G(2E(eps-p))] / (4 E p).  Its integral over the bin in
 * ln E0 can be done exactly: exchanging the order, it is Int sigma(s) Phi(s)
 * ds with Phi piecewise of the form c0 + c1/s, so each piece is a
 * combination of the exact resonance integrals of physics.h.  Only the
 * momentum and redshift integrals are left to quadrature; the momentum one
 * is split where a bin edge's box reaches the line centre, so each piece
 * is smooth.
 * SPDX-License-Identifier: MIT */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "physics/rates.h"

/* Fermi-Dirac cumulative distribution of q = p/T, tabulated once. */
#define FD_QMAX 60.0
#define FD_NTAB 3001
static double fd_cdf[FD_NTAB], fd_dens[FD_NTAB];
/* fd_start[c]: the last table index with F below c / FD_NINV, so that a
 * quantile search starts inside its cell instead of bisecting the table. */
#define FD_NINV 1024
/* cells below q = 2 invert by Newton (the density ~ q^2 there), the rest by
 * Hermite (1e-10 relative from q = 2 up, measured against bisection) */
#define FD_NEWTON_CELLS 100
static int fd_start[FD_NINV + 1];
static pthread_once_t fd_once = PTHREAD_ONCE_INIT;
static const double fd_norm = 1.8030853547393952; /* 3 zeta(3) / 2 */

static double fd_density(double q) { return q * q / (exp(q) + 1.0) / fd_norm; }

/* Gauss-Laguerre (weight e^-s) for the momentum tail beyond the last kink. */
#define FD_NLAG 8
static double lag_x[FD_NLAG], lag_w[FD_NLAG], lag_e[FD_NLAG]; /* lag_e = e^-x */

static void fd_build(void) {
  gsl_integration_fixed_workspace *lw = gsl_integration_fixed_alloc(gsl_integration_fixed_laguerre,
                                                                    FD_NLAG, 0.0, 1.0, 0.0, 0.0);
  if (lw != NULL) {
    for (int i = 0; i < FD_NLAG; ++i) {
      lag_x[i] = gsl_integration_fixed_nodes(lw)[i];
      lag_w[i] = gsl_integration_fixed_weights(lw)[i];
      lag_e[i] = exp(-lag_x[i]);
    }
    gsl_integration_fixed_free(lw);
  }
  const double dq = FD_QMAX / (FD_NTAB - 1);
  fd_cdf[0] = 0.0;
  for (int i = 1; i < FD_NTAB; ++i) { /* 4-point Gauss per step: exact to rounding */
    double a = dq * (i - 1), c = a + 0.5 * dq, r = 0.5 * dq, sum = 0.0;
    const double *x = zp_gl_nodes(4), *w = zp_gl_weights(4);
    for (int k = 0; k < 4; ++k) sum += w[k] * fd_density(c + r * x[k]);
    fd_cdf[i] = fd_cdf[i - 1] + r * sum;
  }
  for (int i = 0; i < FD_NTAB; ++i) fd_dens[i] = fd_density(dq * i);
  for (int c = 0, i = 0; c <= FD_NINV; ++c) {
    while (i + 1 < FD_NTAB - 1 && fd_cdf[i + 1] < (double)c / FD_NINV) ++i;
    fd_start[c] = i;
  }
}

/* F(q) by cubic Hermite interpolation with the exact density as slope. */
static double fd_F(double q) {
  const double dq = FD_QMAX / (FD_NTAB - 1);
  if (q <= 0.0) return 0.0;
  if (q >= FD_QMAX) return 1.0;
  int i = (int)(q / dq);
  if (i >= FD_NTAB - 1) i = FD_NTAB - 2;
  double t = (q - dq * i) / dq, t2 = t * t, t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * fd_cdf[i] + (t3 - 2 * t2 + t) * dq * fd_dens[i] +
         (-2 * t3 + 3 * t2) * fd_cdf[i + 1] + (t3 - t2) * dq * fd_dens[i + 1];
}

/* fmin(fmax(x, lo), hi) for lo <= hi, inline (libm's are calls; a NaN x gives lo as they do) */
static inline double clamp(double x, double lo, double hi) {
  return x > lo ? (x < hi ? x : hi) : lo;
}

/* q with F(q) = t: the table cell from fd_start and a short bisection, then
 * the Hermite inverse, or Newton on fd_F near q = 0. */
static double fd_quantile(double t) {
  if (t <= 0.0) return 0.0;
  if (t >= fd_cdf[FD_NTAB - 1]) return FD_QMAX;
  int cell = (int)(t * FD_NINV);
  if (cell > FD_NINV - 1) cell = FD_NINV - 1;
  int lo = fd_start[cell], hi = fd_start[cell + 1] + 1; /* F(lo) < t <= F(hi) */
  if (hi > FD_NTAB - 1) hi = FD_NTAB - 1;
  while (hi - lo > 1) {
    int mid = (lo + hi) / 2;
    if (fd_cdf[mid] < t) lo = mid;
    else hi = mid;
  }
  const double dq = FD_QMAX / (FD_NTAB - 1), df = fd_cdf[hi] - fd_cdf[lo];
  double u = (t - fd_cdf[lo]) / df;
  if (lo >= FD_NEWTON_CELLS) {
    /* Cubic Hermite of the inverse, slopes dq/dF = 1/density from the table:
     * as accurate as the Newton step below without its exponential. */
    double u2 = u * u, u3 = u2 * u;
    double q = (2 * u3 - 3 * u2 + 1) * dq * lo + (u3 - 2 * u2 + u) * df / fd_dens[lo] +
               (-2 * u3 + 3 * u2) * dq * hi + (u3 - u2) * df / fd_dens[hi];
    return clamp(q, dq * lo, dq * hi);
  }
  /* Near q = 0 the density vanishes like q^2 and neither a linear guess nor
   * the Hermite inverse is good: Newton to convergence, started in the first
   * cell from F ~ q^3 / (6 fd_norm). */
  double q = lo == 0 ? cbrt(6.0 * fd_norm * t) : dq * lo + dq * u;
  for (int it = 0; it < 8; ++it) {
    double d = fd_density(q);
    if (!(d > 0.0)) break;
    double step = (fd_F(q) - t) / d;
    q = clamp(q - step, dq * lo, dq * hi);
    if (fabs(step) <= 1e-13 * q) break;
  }
  return q;
}

zp_status zp_thermal_rule_init(zp_thermal_rule *rule, size_t nq, size_t nv, zp_error *err) {
  if ((nq != 4 && nq != 8) || (nv != 4 && nv != 8))
    return zp_error_set(err, ZP_EINVAL, "thermal rule: nq = %zu and nv = %zu must be 4 or 8", nq,
                        nv);
  pthread_once(&fd_once, fd_build);
  if (!(lag_w[0] > 0.0)) return zp_error_set(err, ZP_ENOMEM, "Gauss-Laguerre rule");
  rule->nq = nq;
  rule->nv = nv;
  rule->q_cut = 20.0; /* momenta beyond carry a Fermi-Dirac weight below 5e-7 */
  return ZP_OK;
}

int zp_thermal_node_pieces(double m, const zp_thermal_node *nd, zp_lorentz_piece out[3]) {
  double p = nd->p, eps = nd->eps, elo = nd->elo, ehi = nd->ehi;
  double ap = 2.0 * (eps + p);
  double am = 2.0 * m * m / (eps + p); /* = 2 (eps - p), without cancellation */
  double br[4] = {am * elo, am * ehi, ap * elo, ap * ehi};
  if (br[1] > br[2]) { /* keep the breakpoints sorted */
    double t = br[1];
    br[1] = br[2];
    br[2] = t;
  }
  double inv4p = 0.25 / p;
  int n = 0;
  for (int i = 0; i < 3; ++i) {
    double sa = br[i], sb = br[i + 1];
    if (!(sb > sa)) continue;
    double smid = 0.5 * (sa + sb);
    int a_from_s = smid > ap * elo;             /* lower E limit set by s, not the bin */
    int b_from_s = am > 0.0 && smid < am * ehi; /* upper E limit set by s */
    zp_lorentz_piece *o = &out[n++];
    o->sa = sa;
    o->sb = sb;
    if (a_from_s && b_from_s) {
      o->c0 = 0.0;
      o->c1 = 1.0; /* (ap - am) / (4p) is exactly 1 */
    } else if (b_from_s) {
      o->c0 = inv4p / elo;
      o->c1 = -am * inv4p;
    } else if (a_from_s) {
      o->c0 = -inv4p / ehi;
      o->c1 = ap * inv4p;
    } else {
      o->c0 = inv4p * (1.0 / elo - 1.0 / ehi);
      o->c1 = 0.0;
    }
  }
  return n;
}

double zp_lorentz_integrals(double m2, double sa, double sb, double ca, double cl, double a) {
  /* The ends' difference from the piece's width, not from y1 - y0: a piece
   * far from the line and short can carry ca and cl y that nearly cancel
   * (relic targets of small mass, s near 0), so their integrals need every
   * digit. */
  double y0 = sa - m2, y1 = sb - m2, dy = sb - sa, a2 = a * a, y01 = y0 * y1;
  double dat = y01 > -a2 ? atan(a * dy / (a2 + y01)) : atan(y1 / a) - atan(y0 / a);
  double sum = ca * dat / a;
  if (cl != 0.0) sum += cl * 0.5 * log1p(dy * (y0 + y1) / (y0 * y0 + a2));
  return sum;
}

int zp_lorentz_piece_far(double m2, const zp_lorentz_piece *pc) {
  double ya = pc->sa - m2, yb = pc->sb - m2, width = pc->sb - pc->sa;
  double dist = ya > 0.0 ? ya : (yb < 0.0 ? -yb : 0.0);
  /* The poles at y = +-i a are 30 widths or more from the piece: the
   * 4-point rule's error is (4 * 30)^-8 ~ 2e-17 relative, and its terms are
   * all positive, where the exact form cancels. */
  return dist >= 30.0 * width;
}

int zp_lorentz_piece_nodes(double m2, const zp_lorentz_piece *pc, double c[4], double y[4]) {
  if (!zp_lorentz_piece_far(m2, pc)) return 0;
  const double width = pc->sb - pc->sa;
  const double *x = zp_gl_nodes(4), *w = zp_gl_weights(4);
  double mid = 0.5 * (pc->sa + pc->sb), r = 0.5 * width;
  for (int n = 0; n < 4; ++n) {
    double s = mid + r * x[n];
    c[n] = r * w[n] * (pc->c0 * s + pc->c1);
    y[n] = s - m2;
  }
  return 4;
}

double zp_lorentz_piece_integral(zp_resonance res, const zp_lorentz_piece *pc) {
  double c[4], y[4];
  if (zp_lorentz_piece_nodes(res.m2, pc, c, y) == 0)
    return zp_lorentz_integrals(res.m2, pc->sa, pc->sb, pc->c0 * res.m2 + pc->c1, pc->c0, res.a);
  double sum = 0.0, a2 = res.a * res.a;
  for (int n = 0; n < 4; ++n) sum += c[n] / (y[n] * y[n] + a2);
  return sum;
}

/* zp_thermal_span_reaches's margin (rates.h), for any span */
static int span_reaches(zp_resonance res, double smin, double smax) {
  const double span[2] = {smin, smax};
  return zp_thermal_span_reaches(res, span);
}

void zp_thermal_reach_span(const zp_thermal_rule *rule, double m, double u0, double h, double v0,
                           double v1, double span[2]) {
  double pmax = rule->q_cut * zp_t0_gev() * exp(v1);
  double eps = sqrt(m * m + pmax * pmax);
  span[0] = 2.0 * exp(u0 + v0) * m * m / (eps + pmax); /* 2 E (eps - p) at p = pmax */
  span[1] = 2.0 * exp(u0 + h + v1) * (eps + pmax);
}

int zp_thermal_reaches_resonance(const zp_thermal_rule *rule, zp_resonance res, double m, double u0,
                                 double h, double v0, double v1) {
  double span[2];
  zp_thermal_reach_span(rule, m, u0, h, v0, v1, span);
  return zp_thermal_span_reaches(res, span);
}

/* The relic momentum (GeV) at which the bin edge at energy e reaches the
 * line centre: 2 e (eps + p) = M^2 if M^2/(2e) > m, else 2 e (eps - p). */
static double kink_momentum(double m2, double m, double e) {
  double c = m2 / (2.0 * e);
  return fabs(c * c - m * m) / (2.0 * c);
}

static zp_thermal_node make_node(double m, double p, double w, double elo, double ehi, double h) {
  double eps = sqrt(m * m + p * p);
  return (zp_thermal_node){.w = w,
                           .p = p,
                           .eps = eps,
                           .elo = elo,
                           .ehi = ehi,
                           .smin = 2.0 * elo * m * m / (eps + p),
                           .smax = 2.0 * ehi * (eps + p),
                           .tail = h * 2.0 * eps * sqrt(elo * ehi)};
}

int zp_thermal_node_sees_line(zp_resonance res, const zp_thermal_node *nd) {
  return nd->p > 0.0 && span_reaches(res, nd->smin, nd->smax);
}

double zp_thermal_node_value(zp_resonance res, double m, const zp_thermal_node *nd) {
  if (zp_thermal_node_sees_line(res, nd)) {
    zp_lorentz_piece pc[3];
    int n = zp_thermal_node_pieces(m, nd, pc);
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += zp_lorentz_piece_integral(res, &pc[i]);
    return sum;
  }
  /* Only the far tail of sigma reaches this bin at this momentum: sigma/k =
   * s L(s) is smooth over the bin, midpoint rule in ln E (relative error
   * O(h^2) of a term 1e4 times below the peak). */
  double sc = zp_thermal_node_tail_s(nd), y = sc - res.m2;
  return nd->tail / (y * y + res.a * res.a);
}

double zp_thermal_node_tail_s(const zp_thermal_node *nd) {
  return 2.0 * nd->eps * sqrt(nd->elo * nd->ehi);
}

/* The momentum nodes of one shell node in v (bin energies elo..ehi at
 * temperature temp), each weight times @p wv.  Below the last kink:
 * Gauss-Legendre in t = F(q) per piece (the weight is then flat); beyond
 * it, where the integrand falls like 1/q and t-space would see a log
 * endpoint: Gauss-Laguerre in q - q_last. */
static size_t momentum_nodes(const zp_thermal_rule *rule, double m2, double m, double temp,
                             double elo, double ehi, double h, double wv, zp_thermal_node *out) {
  double qa = kink_momentum(m2, m, elo) / temp, qb = kink_momentum(m2, m, ehi) / temp;
  double qk[3] = {0.0, fmin(qa, qb), fmin(fmax(qa, qb), FD_QMAX)};
  if (qk[1] > qk[2]) qk[1] = qk[2];
  const double *xq = zp_gl_nodes((int)rule->nq), *wq = zp_gl_weights((int)rule->nq);
  size_t n = 0;
  for (int piece = 0; piece < 2; ++piece) {
    double ta = fd_F(qk[piece]), tb = fd_F(qk[piece + 1]);
    /* momenta beyond q_cut T (Fermi-Dirac weight below 5e-7) are left out */
    if (!(tb - ta > 1e-15) || qk[piece] >= rule->q_cut) continue;
    double c = 0.5 * (ta + tb), r = 0.5 * (tb - ta);
    if (piece == 0) {
      /* Below the first kink no energy of the bin meets the line: only the
       * smooth far tail acts, one node is enough for it. */
      out[n++] = make_node(m, temp * fd_quantile(c), wv * (tb - ta), elo, ehi, h);
      continue;
    }
    for (size_t iq = 0; iq < rule->nq; ++iq)
      out[n++] = make_node(m, temp * fd_quantile(c + r * xq[iq]), wv * r * wq[iq], elo, ehi, h);
  }
  double q0 = qk[2], e0 = exp(-q0);
  for (int i = 0; i < FD_NLAG && q0 < rule->q_cut; ++i) {
    double q = q0 + lag_x[i];
    /* fd_density(q) e^{s} with s = q - q0, written to avoid overflow */
    double dens = q * q * e0 / (1.0 + e0 * lag_e[i]) / fd_norm;
    out[n++] = make_node(m, temp * q, wv * lag_w[i] * dens, elo, ehi, h);
  }
  return n;
}

size_t zp_thermal_nodes(const zp_thermal_rule *rule, double m2, double m, double u0, double h,
                        double v0, double v1, zp_thermal_node *out) {
  const double *xv = zp_gl_nodes((int)rule->nv), *wv = zp_gl_weights((int)rule->nv);
  double c = 0.5 * (v0 + v1), r = 0.5 * (v1 - v0), t0 = zp_t0_gev();
  size_t n = 0;
  for (size_t iv = 0; iv < rule->nv; ++iv) {
    double v = c + r * xv[iv];
    double w = wv[iv] * zp_depth_weight(v) * r / h * ZP_HBARC2_CM2_GEV2;
    n += momentum_nodes(rule, m2, m, t0 * exp(v), exp(u0 + v), exp(u0 + h + v), h, w, out + n);
  }
  return n;
}

double zp_tau_thermal(const zp_thermal_rule *rule, zp_resonance res, double m, double u0, double h,
                      double v0, double v1) {
  zp_thermal_node nodes[ZP_THERMAL_MAX_NODES];
  size_t n = zp_thermal_nodes(rule, res.m2, m, u0, h, v0, v1, nodes);
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += nodes[i].w * zp_thermal_node_value(res, m, &nodes[i]);
  return sum;
}
