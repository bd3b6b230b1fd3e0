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

#include <math.h>
#include <stddef.h>

#include "zprop/errors.h"
#include "physics/physics.h"
#include "physics/vector_isa.h"

/** The depth weight W(v) over one shell as a polynomial: its integral
 *  Omega over [v0, v] is a degree-9 polynomial in t = (v - c)/r, exact to
 *  rounding for W (smooth on a shell a few percent wide), so integrals of W
 *  over parts of the shell cost two polynomial evaluations. */
/** The rules in v of far rectangles (strips): 2, 3, 4 and 8 points. */
#define ZP_RECT_RULES 4

/** Points of the strip rule of @p set. */
static inline int zp_rect_nodes(int set) { return set < 3 ? set + 2 : 8; }

typedef struct {
  double v0, v1, c, r, rinv; /* rinv = 1 / r */
  double omega[10];          /* Omega(t) = r sum omega[i] t^i, Omega(-1) = 0 */
  double total;              /* Omega over the whole shell */
  /* the strips' Gauss-Legendre rules over the shell (zp_rect_nodes): e^v
   * at the nodes and r w W(v) (the far rectangles of zp_rest_pieces3), and
   * how far each rule needs the line, as e^distance in x */
  double ev[ZP_RECT_RULES][8], wv[ZP_RECT_RULES][8], reach[ZP_RECT_RULES];
  double e0, e1; /* e^v0, e^v1 */
} zp_shell_weight;

void zp_shell_weight_init(zp_shell_weight *sw, double v0, double v1);

/** A bin [u0, u0 + h] in u = ln(E0/GeV) with the exponentials its at-rest
 *  pieces need, the same in every shell: e^u at its ends and e^h - 1. */
typedef struct {
  double u0, h;
  double e[2], em1h;
} zp_rest_bin;

void zp_rest_bin_init(zp_rest_bin *rb, double u0, double h);

/** Integral of W over [lo, hi] within the shell. */
double zp_shell_weight_integral(const zp_shell_weight *sw, double lo, double hi);

/** Target at rest, mass m (GeV, > 0): s = 2 m E.  Parts of the line's far
 *  tails whose depth is bounded below @p floor (same units as the result)
 *  whatever the width are dropped: with floor = 1e-14 / k a survival
 *  changes by < 1e-14, and what is dropped does not depend on g but
 *  through k. */
double zp_tau_at_rest_w(zp_resonance res, double m, double u0, double h, const zp_shell_weight *sw,
                        double floor);

/** One piece of the at-rest depth integral Int L(s) B(s) ds over [sa, sb],
 *  with all that does not depend on the resonance's width a: the depth of
 *  a (bin, shell) at any g is the sum of zp_rest_piece_depth over its
 *  pieces (times ZP_HBARC2_CM2_GEV2 / h). */
typedef enum {
  ZP_PIECE_FAR = 0,  /* n Gauss nodes in s, term c[i] / (y2[i] + a^2) */
  ZP_PIECE_NEAR = 1, /* c[0..2]: the quadratic c0 + c1 y + c2 y^2 of the moments */
  ZP_PIECE_STRIP = 2 /* a far rectangle: n Gauss nodes in v, term
                        q atan(a ds[i] q) / a, q = c[i] / (y2[i] + a^2) */
} zp_piece_kind;

typedef struct {
  double sa, sb;      /* the piece in s = 2 m E, GeV^2 */
  double bound;       /* far: the depth is below this for any width; near: infinite */
  zp_piece_kind kind; /* how c, y2 and ds are read */
  int n;              /* terms */
  double c[8], y2[8], ds[8];
} zp_rest_piece;

/** The (at most 3) pieces of zp_tau_at_rest_w for three targets of masses
 *  m[j] (0: none) and a line at s = m2, sharing the line weights:
 *  out[j][0 .. n[j]).  Far pieces with bound < floor_raw are left out
 *  (floor_raw 0 keeps all).  A bin x shell rectangle far enough from the
 *  line in x = ln(s/2m) (1.5 shell half widths or more) is one strip piece:
 *  exact in u, a Gauss rule in v of 2, 3, 4 or 8 nodes by its distance. */
void zp_rest_pieces3(double m2, const double m[3], const zp_rest_bin *rb, const zp_shell_weight *sw,
                     double floor_raw, zp_rest_piece out[3][3], int n[3]);

/** atan(z) / z for z >= 0 without a division where the series is exact to
 *  rounding: below 1e-3 to z^4 (next term z^6 / 7 < 2e-19; the far pieces'
 *  z = a q are mostly there), below 0.03 to z^8 (z^10 / 11 < 6e-17). */
static inline double zp_atanc(double z) {
  double z2 = z * z;
  if (z < 1e-3) return 1.0 - z2 * (1.0 / 3 - z2 * (1.0 / 5));
  if (z < 0.03) return 1.0 - z2 * (1.0 / 3 - z2 * (1.0 / 5 - z2 * (1.0 / 7 - z2 * (1.0 / 9))));
  return atan(z) / z;
}

/** The rule (ZP_RECT_RULES sets, 0 the widest) of the strip that
 *  zp_rest_pieces3 makes of the bin x shell rectangle for a target of mass
 *  m, or -1 where it makes pieces (too near the line). */
int zp_rest_rule(double m2, double m, const zp_rest_bin *rb, const zp_shell_weight *sw);

/** A piece's contribution for the resonance @p res, from its terms (see
 *  zp_piece_kind; near: against the exact moments of L over [sa, sb]).
 *  Inline: a scan's depth table (transport/depth_table.c) evaluates its
 *  stored pieces with it. */
static inline double zp_rest_terms_depth(zp_resonance res, zp_piece_kind kind, double sa, double sb,
                                         const double *c, const double *y2, const double *ds,
                                         int n) {
  if (kind == ZP_PIECE_NEAR) {
    double mom[3];
    zp_res_moments(res, sa, sb, mom);
    return c[0] * mom[0] + c[1] * mom[1] + c[2] * mom[2];
  }
  double sum = 0.0, a2 = res.a * res.a;
  if (kind == ZP_PIECE_STRIP) {
    for (int i = 0; i < n; ++i) {
      double q = 1.0 / (y2[i] + a2);
      sum += c[i] * q * zp_atanc(res.a * ds[i] * q);
    }
    return sum;
  }
  for (int i = 0; i < n; ++i) sum += c[i] / (y2[i] + a2);
  return sum;
}

static inline double zp_rest_piece_depth(zp_resonance res, const zp_rest_piece *pc) {
  return zp_rest_terms_depth(res, pc->kind, pc->sa, pc->sb, pc->c, pc->y2, pc->ds, pc->n);
}

/** The factor of the floor in zp_rest_floor_raw (a bin's, kept by the
 *  vector strips, zp_rest_lanes). */
static inline double zp_rest_hfloor(double h) { return h / (3.0 * ZP_HBARC2_CM2_GEV2); }

/** The bound below which zp_tau_at_rest_w drops a piece, for its floor
 *  (inline: a scan asks per bin and point). */
static inline double zp_rest_floor_raw(double floor, double h) {
  return floor * zp_rest_hfloor(h); /* per piece */
}

/** zp_tau_at_rest_w of three targets at once (mass 0 gives 0). */
void zp_tau_at_rest3(zp_resonance res, const double m[3], const zp_rest_bin *rb,
                     const zp_shell_weight *sw, double floor, double tau[3]);

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

/** The momentum span zp_thermal_reaches_resonance tests, which does not
 *  depend on g: span[0..1] are the least and greatest s. */
void zp_thermal_reach_span(const zp_thermal_rule *rule, double m, double u0, double h, double v0,
                           double v1, double span[2]);

/** zp_thermal_reaches_resonance's test on a span from zp_thermal_reach_span
 *  (inline: a scan asks per cell and point).  The margin of a hundred
 *  widths: the Lorentzian there is 1e-4 of its peak. */
static inline int zp_thermal_span_reaches(zp_resonance res, const double span[2]) {
  return span[0] < res.m2 + 100.0 * res.a && span[1] > res.m2 - 100.0 * res.a;
}

/** One node of the thermal quadrature (a redshift node and a relic
 *  momentum), with all that does not depend on the resonance's width: the
 *  depth is the sum over nodes of w * zp_thermal_node_value. */
typedef struct {
  double w;          /* every quadrature weight and factor of the depth */
  double p, eps;     /* relic momentum and energy, GeV */
  double elo, ehi;   /* the bin's energies at this redshift, GeV */
  double smin, smax; /* the s the node's momentum and bin reach */
  double tail;       /* h times the s of the far-tail midpoint rule */
} zp_thermal_node;

/** Most nodes zp_thermal_nodes writes: nv (1 + nq + 8 Laguerre). */
#define ZP_THERMAL_MAX_NODES 136

/** The nodes of zp_tau_thermal for a line at s = m2; returns how many. */
size_t zp_thermal_nodes(const zp_thermal_rule *rule, double m2, double m, double u0, double h,
                        double v0, double v1, zp_thermal_node *out);

/** Whether the node's momentum brings the bin within a hundred widths of
 *  the line (angle average of sigma), else only the far tail acts there
 *  (midpoint rule at s = zp_thermal_node_tail_s). */
int zp_thermal_node_sees_line(zp_resonance res, const zp_thermal_node *nd);

double zp_thermal_node_tail_s(const zp_thermal_node *nd);

/** sigma/k integrated over the bin at the node's momentum. */
double zp_thermal_node_value(zp_resonance res, double m, const zp_thermal_node *nd);

/** Int over [sa, sb] of (c0 s + c1) L(s) ds. */
typedef struct {
  double sa, sb, c0, c1;
} zp_lorentz_piece;

/** The node's angle average as at most 3 such pieces; returns how many. */
int zp_thermal_node_pieces(double m, const zp_thermal_node *nd, zp_lorentz_piece out[3]);

/** ca Int L + cl Int y L over s in [sa, sb], y = s - m2, width a: exact
 *  (arctangent and log), every digit kept where the two nearly cancel. */
double zp_lorentz_integrals(double m2, double sa, double sb, double ca, double cl, double a);

/** zp_lorentz_integrals of n pieces at one width, out[i] for piece i, in
 *  vector lanes where the CPU has them (to a few ulp of the scalar one). */
void zp_lorentz_integrals_n(double m2, double a, size_t n, const double *sa, const double *sb,
                            const double *ca, const double *cl, double *out);

/** What the vector strips read of n bins, each an array from its bin 0:
 *  e^u0, e^(u0 + h), e^h - 1, h / (3 hbarc^2) (zp_rest_floor_raw's factor)
 *  and hbarc^2 / h. */
typedef struct {
  const double *e_lo, *e_hi, *em1h, *hfloor, *ch;
} zp_rest_lanes;

/** Fills @p store (5 n doubles) with the five arrays of zp_rest_lanes for
 *  the n bins @p rb. */
void zp_rest_lanes_fill(const zp_rest_bin *rb, size_t n, double *store);

/** The lanes of a store of zp_rest_lanes_fill for n bins, from bin @p at on. */
static inline zp_rest_lanes zp_rest_lanes_at(const double *store, size_t n, size_t at) {
  return (zp_rest_lanes){store + at, store + n + at, store + 2 * n + at, store + 3 * n + at,
                         store + 4 * n + at};
}

/** The at-rest unit depths (as zp_tau_at_rest3) of one state of mass m > 0
 *  over n bins of a shell, in vector lanes, where a bin's rectangle is a
 *  strip of the rule of @p set (2, 3, 4, 8 nodes).  Set 0 writes every
 *  out[b], NaN where the bin is not a set-0 strip; sets 1 to 3 replace those
 *  of their bins.  What stays NaN takes zp_tau_at_rest3 (nearer the line, or
 *  a width beyond the strip series).  Equal to zp_tau_at_rest3 to rounding:
 *  the same rules and the same decisions. */
void zp_rest_strips_n(int set, double m2, double a, double m, const zp_shell_weight *sw,
                      double floor, size_t n, const zp_rest_lanes *ln, double *out);

/** For tests: zp_lorentz_integrals_n compiled for baseline x86-64 (variant
 *  0, any CPU), AVX2 (1) or AVX-512F (2); returns 0, doing nothing, where
 *  this build or CPU lacks the variant. */
enum { ZP_LORENTZ_NVARIANTS = ZP_VECTOR_NISA };
int zp_lorentz_integrals_n_variant(int variant, double m2, double a, size_t n, const double *sa,
                                   const double *sb, const double *ca, const double *cl,
                                   double *out);

int zp_rest_strips_n_variant(int variant, int set, double m2, double a, double m,
                             const zp_shell_weight *sw, double floor, size_t n,
                             const zp_rest_lanes *ln, double *out);

/** 1 when the piece lies 30 of its widths or more from the line (then
 *  zp_lorentz_piece_nodes gives its 4 Gauss-Legendre terms). */
int zp_lorentz_piece_far(double m2, const zp_lorentz_piece *pc);

/** A piece far from the line for its width as 4 Gauss-Legendre terms
 *  c[n] / (y[n]^2 + a^2); returns 4, or 0 for a piece that is not (then its
 *  integral is zp_lorentz_integrals). */
int zp_lorentz_piece_nodes(double m2, const zp_lorentz_piece *pc, double c[4], double y[4]);

/** A piece's integral for the resonance @p res. */
double zp_lorentz_piece_integral(zp_resonance res, const zp_lorentz_piece *pc);

/** Thermal target of mass m >= 0 (GeV) at temperature T0 e^v. */
double zp_tau_thermal(const zp_thermal_rule *rule, zp_resonance res, double m, double u0, double h,
                      double v0, double v1);

/** Gauss-Legendre nodes/weights on [-1, 1] for n in {4, 8}. */
const double *zp_gl_nodes(int n);
const double *zp_gl_weights(int n);

#endif
