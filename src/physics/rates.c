/* zprop: optical depth against relic neutrinos at rest. SPDX-License-Identifier: MIT */
#include "physics/rates.h"

#include <math.h>

static const double gl2_x[2] = {-0.5773502691896258, 0.5773502691896258};
static const double gl2_w[2] = {1.0, 1.0};
static const double gl3_x[3] = {-0.7745966692414834, 0.0, 0.7745966692414834};
static const double gl3_w[3] = {0.5555555555555556, 0.8888888888888888, 0.5555555555555556};
static const double gl4_x[4] = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563,
                                0.8611363115940526};
static const double gl4_w[4] = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461,
                                0.3478548451374538};
static const double gl8_x[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                                -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                                0.7966664774136267,  0.9602898564975363};
static const double gl8_w[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                                0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                                0.2223810344533745, 0.1012285362903763};

const double *zp_gl_nodes(int n) { return n == 8 ? gl8_x : gl4_x; }
const double *zp_gl_weights(int n) { return n == 8 ? gl8_w : gl4_w; }

/* The rules in v of the far rectangles (strips): 2, 3, 4 and 8 points. */
static const double *const rect_x[ZP_RECT_RULES] = {gl2_x, gl3_x, gl4_x, gl8_x};
static const double *const rect_w[ZP_RECT_RULES] = {gl2_w, gl3_w, gl4_w, gl8_w};

/* How far, in x = ln(s/2m), a rectangle of shell half width r must stay
 * from the line for each rule, as e^d.  A strip's integrand in v is the
 * line's antiderivative differenced across the bin: poles at distance d
 * or more, a double pole where the bin is narrow.  Measured against 64
 * points (shell weight e^(1.5 v), r = 0.00575, bins 1 and 16 shells wide,
 * above and below the line), the 2-, 3-, 4- and 8-point rules err by less
 * than 1e-8 from d = 95, 14.4, 5.3 and 0.9 r on; they take over at 100, 15,
 * 5.5 and 1.5 r.  (Until 2026-12-03 the 2- and 3-point rules started at 36
 * and 13.7 r, from remainder constants 16 times too small: the 2-point
 * rule erred by up to 2.8e-7 there, tests/test_resonance.c.) */
static void rect_reach(double r, double reach[ZP_RECT_RULES]) {
  static const double k[ZP_RECT_RULES] = {100.0, 15.0, 5.5, 1.5};
  for (int set = 0; set < ZP_RECT_RULES; ++set) reach[set] = exp(k[set] * r);
}

void zp_shell_weight_init(zp_shell_weight *sw, double v0, double v1) {
  enum { NP = 9 }; /* W interpolated by a degree-8 polynomial at Chebyshev points */
  sw->v0 = v0;
  sw->v1 = v1;
  sw->c = 0.5 * (v0 + v1);
  sw->r = 0.5 * (v1 - v0);
  sw->rinv = 1.0 / sw->r;
  double a[NP][NP + 1];
  for (int i = 0; i < NP; ++i) {
    double t = cos(ZP_PI * (2.0 * i + 1.0) / (2.0 * NP)), p = 1.0;
    for (int j = 0; j < NP; ++j, p *= t) a[i][j] = p;
    a[i][NP] = zp_depth_weight(sw->c + sw->r * t);
  }
  /* Gaussian elimination with partial pivoting on the 9 x 9 Vandermonde
   * system (Chebyshev points keep it well conditioned). */
  for (int col = 0; col < NP; ++col) {
    int piv = col;
    for (int i = col + 1; i < NP; ++i)
      if (fabs(a[i][col]) > fabs(a[piv][col])) piv = i;
    for (int j = 0; j <= NP; ++j) {
      double tmp = a[col][j];
      a[col][j] = a[piv][j];
      a[piv][j] = tmp;
    }
    for (int i = col + 1; i < NP; ++i) {
      double f = a[i][col] / a[col][col];
      for (int j = col; j <= NP; ++j) a[i][j] -= f * a[col][j];
    }
  }
  double w[NP];
  for (int i = NP - 1; i >= 0; --i) {
    double sum = a[i][NP];
    for (int j = i + 1; j < NP; ++j) sum -= a[i][j] * w[j];
    w[i] = sum / a[i][i];
  }
  /* integrate term by term; the constant makes Omega(-1) = 0 */
  sw->omega[0] = 0.0;
  for (int i = 0; i < NP; ++i) sw->omega[i + 1] = w[i] / (double)(i + 1);
  double at_m1 = 0.0;
  for (int i = 9; i >= 0; --i) at_m1 = at_m1 * -1.0 + sw->omega[i];
  sw->omega[0] = -at_m1;
  double at_p1 = 0.0;
  for (int i = 9; i >= 0; --i) at_p1 += sw->omega[i];
  sw->total = sw->r * at_p1;
  for (int set = 0; set < ZP_RECT_RULES; ++set) {
    const double *t = rect_x[set], *wt = rect_w[set];
    for (int j = 0; j < zp_rect_nodes(set); ++j) {
      double v = sw->c + sw->r * t[j];
      sw->ev[set][j] = exp(v);
      sw->wv[set][j] = sw->r * wt[j] * zp_depth_weight(v);
    }
  }
  sw->e0 = exp(v0);
  sw->e1 = exp(v1);
  rect_reach(sw->r, sw->reach);
}

void zp_rest_bin_init(zp_rest_bin *rb, double u0, double h) {
  rb->u0 = u0;
  rb->h = h;
  rb->e[0] = exp(u0);
  rb->e[1] = exp(u0 + h);
  rb->em1h = expm1(h);
}

void zp_rest_lanes_fill(const zp_rest_bin *rb, size_t n, double *store) {
  for (size_t b = 0; b < n; ++b) {
    store[b] = rb[b].e[0];
    store[n + b] = rb[b].e[1];
    store[2 * n + b] = rb[b].em1h;
    store[3 * n + b] = zp_rest_hfloor(rb[b].h);
    store[4 * n + b] = ZP_HBARC2_CM2_GEV2 / rb[b].h;
  }
}

/* Omega by Estrin's scheme: pairs, then pairs of pairs, in powers of t^2
 * (a third of Horner's chain of dependent steps; the near pieces ask for
 * it at every node). */
static double omega_at(const zp_shell_weight *sw, double v) {
  const double *w = sw->omega;
  double t = (v - sw->c) * sw->rinv, t2 = t * t, t4 = t2 * t2;
  double p01 = w[0] + w[1] * t, p23 = w[2] + w[3] * t, p45 = w[4] + w[5] * t;
  double p67 = w[6] + w[7] * t, p89 = w[8] + w[9] * t;
  double lo = p01 + t2 * p23, hi = p45 + t2 * p67;
  return sw->r * (lo + t4 * (hi + t4 * p89));
}

double zp_shell_weight_integral(const zp_shell_weight *sw, double lo, double hi) {
  return omega_at(sw, hi) - omega_at(sw, lo);
}

/* B(x): the v-length of the rectangle on the line u + v = x, weighted by W. */
static double line_weight(double x, double u0, double h, const zp_shell_weight *sw) {
  double lo = x - u0 - h, hi = x - u0;
  if (!((sw->v1 < hi ? sw->v1 : hi) > (sw->v0 > lo ? sw->v0 : lo))) return 0.0; /* no overlap */
  /* Omega(v0) = 0 and Omega(v1) = total: one polynomial where a shell edge clips */
  double whi = hi < sw->v1 ? omega_at(sw, hi) : sw->total;
  return lo > sw->v0 ? whi - omega_at(sw, lo) : whi;
}

/* What a piece [xa, xb] in x = ln(s/2m) = u + v shares between the three
 * states: its ends, and the line weights at the Gauss nodes, whose x do not
 * depend on the mass (s = 2 m e^x; the nodes sit at the same fractions of
 * [sa, sb] for every m). */
typedef struct {
  double xa, xb, ea, eb; /* ends and e^x there */
  double lnc, rc;        /* ln(c/2m) at the centre c of [sa, sb], and r/c */
  double w[3][8];        /* line weights at the 2-, 4- and 8-point nodes */
  int have[3];
} piece_geom;

static void geom_init(piece_geom *pg, double xa, double xb) {
  pg->xa = xa;
  pg->xb = xb;
  pg->ea = exp(xa);
  pg->eb = exp(xb);
  pg->lnc = log(0.5 * (pg->ea + pg->eb));
  pg->rc = (pg->eb - pg->ea) / (pg->eb + pg->ea);
  pg->have[0] = pg->have[1] = pg->have[2] = 0;
}

/* The line weights at the nodes of the rule of @p set (0, 1, 2: 2, 4, 8 points). */
static const double *geom_weights(piece_geom *pg, int set, const double *xs, int nodes, double u0,
                                  double h, const zp_shell_weight *sw) {
  if (!pg->have[set]) {
    /* ln(s/2m) = ln(c/2m) + 2 atanh(t), t = (s - c)/(s + c): the odd series
     * to t^9 is exact to rounding for |t| < 0.03 (next term 2 t^11/11 < 4e-17) */
    int series = pg->rc < 0.03;
    for (int n = 0; n < nodes; ++n) {
      double q = pg->rc * xs[n], x; /* (s - c)/c */
      if (series) {
        double t = q / (2.0 + q), t2 = t * t;
        x = pg->lnc + 2.0 * t * (1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 / 9))));
      } else {
        x = pg->lnc + log1p(q);
      }
      pg->w[set][n] = line_weight(x, u0, h, sw);
    }
    pg->have[set] = 1;
  }
  return pg->w[set];
}

/* The piece of @p pg for mass m: Int L(s) B(s) ds, B smooth there and L
 * possibly a spike, as zp_rest_piece_depth evaluates it: far from the
 * resonance a Gauss rule whose nodes keep their line weights, near it the
 * quadratic through B at the ends and the resonance, for the exact moments
 * of L.  Returns 0 for an empty piece or a far one bounded below floor_raw. */
static int piece_terms(double m2, double m, piece_geom *pg, double u0, double h,
                       const zp_shell_weight *sw, double floor_raw, zp_rest_piece *pc) {
  double sa = 2.0 * m * pg->ea, sb = 2.0 * m * pg->eb, width = sb - sa;
  if (!(width > 0.0)) return 0;
  double ya = sa - m2, yb = sb - m2;
  double dist = ya > 0.0 ? ya : (yb < 0.0 ? -yb : 0.0);
  pc->sa = sa;
  pc->sb = sb;
  if (dist > width) {
    /* Resonance well outside: L is a gentle rational function here, below
     * 1/y^2 whatever its width, so the line weight (at most the shell's)
     * bounds the depth by what does not depend on g. */
    pc->kind = ZP_PIECE_FAR;
    pc->bound = sw->total * width / (ya * yb);
    if (pc->bound < floor_raw) return 0;
    /* 1/y^2 at four widths or more away: 4 Gauss nodes give (1/8)^8 ~ 6e-8;
     * at 32 widths or more, 2 nodes give (1/64)^4, the same */
    int set = dist < 4.0 * width ? 2 : (dist < 32.0 * width ? 1 : 0), nodes = 2 << set;
    const double *xs = set == 2 ? gl8_x : (set == 1 ? gl4_x : gl2_x);
    const double *ws = set == 2 ? gl8_w : (set == 1 ? gl4_w : gl2_w);
    const double *lw = geom_weights(pg, set, xs, nodes, u0, h, sw);
    double c = 0.5 * (sa + sb), r = 0.5 * width;
    pc->n = nodes;
    for (int n = 0; n < nodes; ++n) {
      double y = c + r * xs[n] - m2;
      pc->c[n] = r * ws[n] * lw[n];
      pc->y2[n] = y * y;
    }
    return 1;
  }
  /* Resonance inside or near: B as a quadratic in y through the ends and
   * the resonance itself, then exact moments of L. */
  double ym = (ya < -0.05 * width && yb > 0.05 * width) ? 0.0 : 0.5 * (ya + yb);
  double fa = line_weight(pg->xa, u0, h, sw);
  double fb = line_weight(pg->xb, u0, h, sw);
  double fm = line_weight(log((ym + m2) / (2.0 * m)), u0, h, sw);
  double f1 = (fm - fa) / (ym - ya);
  double f2 = ((fb - fm) / (yb - ym) - f1) / (yb - ya);
  pc->kind = ZP_PIECE_NEAR;
  pc->n = 3;
  pc->bound = INFINITY;
  pc->c[2] = f2;
  pc->c[1] = f1 - f2 * (ya + ym);
  pc->c[0] = fa - f1 * ya + f2 * ya * ym;
  return 1;
}

/* The far rectangle of mass m as one piece.  Along u at fixed v the
 * integral of s L(s) is closed form, Int ds L = atan(y/a)/a, and with the
 * rectangle on one side of the line its difference over the bin is
 * atan(a D / (y1 y2 + a^2)) / a, D = s2 - s1 = s1 (e^h - 1): no u rule and
 * no cancellation.  What is left, the integral over the shell against W,
 * is smooth there and takes the Gauss rule of @p set in v. */
static void strip_terms(double m2, double m, int set, const zp_rest_bin *rb,
                        const zp_shell_weight *sw, zp_rest_piece *pc) {
  const int nodes = zp_rect_nodes(set);
  pc->kind = ZP_PIECE_STRIP;
  pc->n = nodes;
  for (int j = 0; j < nodes; ++j) {
    double s1 = 2.0 * m * rb->e[0] * sw->ev[set][j], d = s1 * rb->em1h, y1 = s1 - m2;
    pc->c[j] = sw->wv[set][j] * d;
    pc->y2[j] = y1 * (y1 + d);
    pc->ds[j] = d;
  }
}

/* The far rectangle's depth summed at once for the resonance @p res: the
 * terms of strip_terms, not stored (a single spectrum's at-rest depths). */
static double strip_sum(zp_resonance res, double m, int set, const zp_rest_bin *rb,
                        const zp_shell_weight *sw) {
  const double *ev = sw->ev[set], *wv = sw->wv[set];
  const double a2 = res.a * res.a, sm = 2.0 * m * rb->e[0];
  double sum = 0.0;
  for (int j = 0; j < zp_rect_nodes(set); ++j) {
    double s1 = sm * ev[j], d = s1 * rb->em1h, y1 = s1 - res.m2;
    double q = d / (y1 * (y1 + d) + a2);
    sum += wv[j] * q * zp_atanc(res.a * q);
  }
  return sum;
}

/* The widest rule whose reach e^d the rectangle [sa, sb] clears, d its
 * distance in x to the line: sa >= m2 e^d above it, m2 >= sb e^d below;
 * -1 for none (the pieces near the line). */
static int rule_of(double m2, double sa, double sb, const double *reach) {
  int set = -1;
  for (int r = ZP_RECT_RULES - 1; r >= 0; --r)
    if (sa - m2 > 0.0 ? sa >= m2 * reach[r] : (sb - m2 < 0.0 && m2 >= sb * reach[r])) set = r;
  return set;
}

int zp_rest_rule(double m2, double m, const zp_rest_bin *rb, const zp_shell_weight *sw) {
  return rule_of(m2, 2.0 * m * (rb->e[0] * sw->e0), 2.0 * m * (rb->e[1] * sw->e1), sw->reach);
}

/* zp_rest_pieces3, with the far rectangles' depths for @p direct (when not
 * NULL) summed into far[j] instead of stored as pieces. */
static void rest_pieces3(double m2, const double m[3], const zp_rest_bin *rb,
                         const zp_shell_weight *sw, double floor_raw, const zp_resonance *direct,
                         double far[3], zp_rest_piece out[3][3], int n[3]) {
  const double u0 = rb->u0, h = rb->h, hk = sw->v1 - sw->v0;
  double x1 = u0 + sw->v0, x2 = x1 + fmin(h, hk), x3 = x1 + fmax(h, hk), x4 = u0 + h + sw->v1;
  double e1 = rb->e[0] * sw->e0, e4 = rb->e[1] * sw->e1;
  int pieces = 0, near[3] = {0, 0, 0};
  n[0] = n[1] = n[2] = 0;
  const double *reach = sw->reach; /* the strips are exact in u */
  for (int j = 0; j < 3; ++j) {
    if (direct != NULL) far[j] = 0.0;
    if (!(m[j] > 0.0)) continue;
    double sa = 2.0 * m[j] * e1, sb = 2.0 * m[j] * e4, width = sb - sa;
    double ya = sa - m2, yb = sb - m2;
    int set = rule_of(m2, sa, sb, reach);
    if (set < 0) {
      pieces = near[j] = 1;
      continue;
    }
    /* Int B / y^2 with B <= total bounds the depth: the test the table
     * makes per point with the same number */
    double bound = sw->total * width / (ya * yb);
    if (bound < floor_raw) continue;
    if (direct != NULL) {
      far[j] = strip_sum(*direct, m[j], set, rb, sw);
      continue;
    }
    zp_rest_piece *pc = &out[j][0];
    pc->sa = sa;
    pc->sb = sb;
    pc->bound = bound;
    strip_terms(m2, m[j], set, rb, sw, pc);
    n[j] = 1;
  }
  if (!pieces) return;
  /* the states near the line: three pieces along x, the line weights shared */
  double ends[3][2] = {{x1, x2}, {x3, x4}, {x2, x3}};
  for (int p = 0; p < (x3 > x2 ? 3 : 2); ++p) {
    piece_geom pg;
    geom_init(&pg, ends[p][0], ends[p][1]);
    for (int j = 0; j < 3; ++j)
      if (near[j]) n[j] += piece_terms(m2, m[j], &pg, u0, h, sw, floor_raw, &out[j][n[j]]);
  }
}

void zp_rest_pieces3(double m2, const double m[3], const zp_rest_bin *rb, const zp_shell_weight *sw,
                     double floor_raw, zp_rest_piece out[3][3], int n[3]) {
  rest_pieces3(m2, m, rb, sw, floor_raw, NULL, NULL, out, n);
}

static int rest_pieces(double m2, double m, double u0, double h, const zp_shell_weight *sw,
                       double floor_raw, zp_rest_piece out[3]) {
  zp_rest_piece all[3][3];
  double ms[3] = {m, 0.0, 0.0};
  int n[3];
  zp_rest_bin rb;
  zp_rest_bin_init(&rb, u0, h);
  zp_rest_pieces3(m2, ms, &rb, sw, floor_raw, all, n);
  for (int i = 0; i < n[0]; ++i) out[i] = all[0][i];
  return n[0];
}

void zp_tau_at_rest3(zp_resonance res, const double m[3], const zp_rest_bin *rb,
                     const zp_shell_weight *sw, double floor, double tau[3]) {
  zp_rest_piece pc[3][3];
  int n[3];
  const double h = rb->h;
  double far[3];
  rest_pieces3(res.m2, m, rb, sw, zp_rest_floor_raw(floor, h), &res, far, pc, n);
  for (int j = 0; j < 3; ++j) {
    double sum = far[j];
    for (int i = 0; i < n[j]; ++i) sum += zp_rest_piece_depth(res, &pc[j][i]);
    tau[j] = sum / h * ZP_HBARC2_CM2_GEV2;
  }
}

double zp_tau_at_rest_w(zp_resonance res, double m, double u0, double h, const zp_shell_weight *sw,
                        double floor) {
  zp_rest_piece pc[3];
  int n = rest_pieces(res.m2, m, u0, h, sw, zp_rest_floor_raw(floor, h), pc);
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += zp_rest_piece_depth(res, &pc[i]);
  return sum / h * ZP_HBARC2_CM2_GEV2;
}

double zp_tau_at_rest(zp_resonance res, double m, double u0, double h, double v0, double v1) {
  zp_shell_weight sw;
  zp_shell_weight_init(&sw, v0, v1);
  return zp_tau_at_rest_w(res, m, u0, h, &sw, 0.0);
}
