/* zprop (internal): integrals of the Lorentzian L(s) = 1/((s - M^2)^2 + a^2)
 * away from the line as power series in a^2.
 *
 * Where every s of a piece is at least ZP_LSERIES_RADIUS widths from M^2,
 * Int (cA + cL y) / (y^2 + a^2) dy (y = s - M^2) is
 *   k[0] / a + k[1] + k[2] a^2 + ... + k[9] a^16,
 * k[0] being cA pi for a piece across the line, and the first term left
 * out, (a/y)^18 / 19 relative, is below 2e-14 there.  Coefficients of
 * several pieces add, so a sum over many pieces costs one series.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_LORENTZ_SERIES_H
#define ZP_LORENTZ_SERIES_H

#include "physics/rates.h"

#define ZP_LSERIES 10
#define ZP_LSERIES_RADIUS 5.0

/** w times the integral of zp_lorentz_piece_integral for a line at m2:
 *  cA = w (c0 m2 + c1), cL = w c0 (one piece: the reference of
 *  zp_lorentz_piece_series_n, which the depth table uses). */
void zp_lorentz_piece_series(double m2, const zp_lorentz_piece *pc, double w, double k[ZP_LSERIES]);

/** Pieces per call of zp_lorentz_piece_series_n. */
#define ZP_LSERIES_BATCH 64

/** zp_lorentz_piece_series of n <= ZP_LSERIES_BATCH pieces given by their
 *  ends and cA, cL (zp_lorentz_piece_series's w (c0 m2 + c1) and w c0),
 *  several per vector instruction (lorentz_batch.c): coefficient c of
 *  piece i at k[c][i], to a few ulp of the one-piece function. */
void zp_lorentz_piece_series_n(double m2, size_t n, const double *sa, const double *sb,
                               const double *ca, const double *cl,
                               double k[ZP_LSERIES][ZP_LSERIES_BATCH]);

/** For tests: zp_lorentz_piece_series_n in variant 0, 1 or 2 as
 *  zp_lorentz_integrals_n_variant; 0 where this build or CPU lacks it. */
int zp_lorentz_piece_series_n_variant(int variant, double m2, size_t n, const double *sa,
                                      const double *sb, const double *ca, const double *cl,
                                      double k[ZP_LSERIES][ZP_LSERIES_BATCH]);

/** c / (y^2 + a^2), for |y| at least ZP_LSERIES_RADIUS widths. */
void zp_lorentz_point_series(double c, double y, double k[ZP_LSERIES]);

/** The series at width a (inline: a scan evaluates it per cell and point). */
static inline double zp_lorentz_series_at(const double k[ZP_LSERIES], double a) {
  double u = a * a, sum = 0.0;
  for (int n = ZP_LSERIES - 1; n >= 1; --n) sum = sum * u + k[n];
  return k[0] != 0.0 ? sum + k[0] / a : sum;
}

#endif
