/* zprop: Lorentzian integrals as power series in a^2 (lorentz_series.h).
 *
 * atan(y/a)/a = sgn(y) pi / (2a) - sum_n (-a^2)^n / ((2n+1) y^(2n+1)) and
 * log(y^2 + a^2)/2 = log|y| + sum_{n>=1} (-1)^(n+1) a^(2n) / (2n y^(2n)),
 * both for |y| > a; the integrals of 1/(y^2+a^2) and y/(y^2+a^2) are their
 * differences between the ends.
 * SPDX-License-Identifier: MIT */
#include "physics/lorentz_series.h"

#include <math.h>

void zp_lorentz_piece_series(double m2, const zp_lorentz_piece *pc, double w,
                             double k[ZP_LSERIES]) {
  double ca = w * (pc->c0 * m2 + pc->c1), cl = w * pc->c0;
  double y0 = pc->sa - m2, y1 = pc->sb - m2, i0 = 1.0 / y0, i1 = 1.0 / y1;
  int across = y0 < 0.0 && y1 > 0.0;
  k[0] = across ? ca * ZP_PI : 0.0;
  /* the leading terms from the piece's width, not a difference of ends */
  double lead_log = across ? log(y1 / -y0) : log1p((pc->sb - pc->sa) / y0);
  k[1] = ca * (pc->sb - pc->sa) * i0 * i1 + cl * lead_log;
  double p0 = i0, p1 = i1, sign = -1.0; /* p = 1/y^(2n+1), sign = (-1)^n */
  for (int n = 1; n < ZP_LSERIES - 1; ++n) {
    double q0 = p0 * i0, q1 = p1 * i1; /* 1/y^(2n) */
    p0 = q0 * i0;
    p1 = q1 * i1;
    double at = -sign / (2.0 * n + 1.0) * (p1 - p0);
    double lg = 0.5 * -sign / n * (q1 - q0);
    k[n + 1] = ca * at + cl * lg;
    sign = -sign;
  }
}

void zp_lorentz_point_series(double c, double y, double k[ZP_LSERIES]) {
  double iy2 = 1.0 / (y * y), t = c * iy2;
  k[0] = 0.0;
  for (int n = 1; n < ZP_LSERIES; ++n, t *= -iy2) k[n] = t;
}
