/* The kernels that run in vector lanes (vector_isa.h), the one this CPU
 * gets and each compiled variant it runs (baseline, AVX2, AVX-512F),
 * against the scalar functions: the batched exact Lorentzian integrals
 * (zp_lorentz_integrals_n) over pieces on every side of the line: beside
 * it, across it by less and by more than a width (where the batch adds pi
 * to the arctangent), with ca and cl y nearly cancelling, and pure cl
 * (libmvec's atan and log1p are within 4 ulp; the tolerance, 1e-13 of the
 * terms' magnitudes, leaves room for the quotients that feed them); then
 * the batched series, the at-rest strips and the block survivals, each
 * with its tolerance below. */
#include <criterion/criterion.h>
#include <math.h>

#include "physics/lorentz_series.h"
#include "physics/rates.h"
#include "physics/survival_batch.h"
#include "physics/vector_isa.h"

enum { NP = 203 }; /* not a multiple of any vector width: the tail runs too */

Test(lorentz_batch, agrees_with_the_scalar_integrals) {
  const double m2 = 2.5e-5, widths[] = {1e-18, 3e-12, 2e-9, 4e-7};
  double sa[NP], sb[NP], ca[NP], cl[NP], out[NP];
  int ran = 0;
  for (size_t w = 0; w < sizeof widths / sizeof widths[0]; ++w) {
    const double a = widths[w];
    for (size_t i = 0; i < NP; ++i) {
      /* ends spread over -1e4 .. 1e4 widths and a few M^2, both orders of
       * magnitude of piece width */
      double u = (double)i / (NP - 1), lo = m2 + a * (2e4 * u - 1e4) * (i % 3 == 0 ? 1.0 : 1e-3);
      double len = (i % 5 == 0 ? 0.3 * m2 : a * (1.0 + 50.0 * u)) * (i % 7 == 0 ? 1e-6 : 1.0);
      sa[i] = i % 11 == 0 ? 0.2 * m2 * u : lo;
      sb[i] = sa[i] + len;
      cl[i] = i % 4 == 0 ? 0.0 : 1.0 + u;
      /* every third piece: ca and cl y nearly cancel across it */
      ca[i] = i % 3 == 1 ? -cl[i] * (sa[i] - m2) * (1.0 + 1e-9) : 2.0 - u;
      if (i % 13 == 0) ca[i] = 0.0;
    }
    for (int variant = -1; variant < ZP_LORENTZ_NVARIANTS; ++variant) {
      /* -1: the one the CPU gets; then each compiled one it runs */
      if (variant < 0) zp_lorentz_integrals_n(m2, a, NP, sa, sb, ca, cl, out);
      else if (!zp_lorentz_integrals_n_variant(variant, m2, a, NP, sa, sb, ca, cl, out)) continue;
      ran += variant >= 0;
      for (size_t i = 0; i < NP; ++i) {
        double want = zp_lorentz_integrals(m2, sa[i], sb[i], ca[i], cl[i], a);
        double y0 = sa[i] - m2, y1 = sb[i] - m2;
        double scale = fabs(ca[i]) * ZP_PI / a +
                       fabs(cl[i]) * (fabs(log(y1 * y1 + a * a)) + fabs(log(y0 * y0 + a * a)));
        cr_expect_leq(fabs(out[i] - want), 1e-13 * scale,
                      "variant %d, a %g piece %zu [%g, %g]: %.17g vs %.17g", variant, a, i, sa[i],
                      sb[i], out[i], want);
      }
    }
  }
  cr_expect_geq(ran, 4, "the baseline variant runs on every CPU");
}

/* The batched series (zp_lorentz_piece_series_n, each variant) against the
 * one-piece zp_lorentz_piece_series, for pieces beside and across the
 * line: coefficients to 1e-13 of their pieces' scale (the leading log
 * comes from log1p for every piece in the batch, from log across the line
 * in the one-piece function). */
Test(lorentz_batch, piece_series_agree) {
  const double m2 = 2.5e-5, w = 0.7;
  enum { N = ZP_LSERIES_BATCH - 3 };
  double sa[N], sb[N], ca[N], cl[N], k[ZP_LSERIES][ZP_LSERIES_BATCH];
  zp_lorentz_piece pc[N];
  for (size_t i = 0; i < N; ++i) {
    double u = (double)i / (N - 1);
    double lo = m2 * (i % 3 == 0 ? 0.2 + 0.7 * u : 1.05 + 3.0 * u);
    double len = m2 * (i % 2 == 0 ? 0.02 * (1.0 + u) : 1.5 * u + 0.01);
    pc[i] = (zp_lorentz_piece){
        .sa = lo, .sb = lo + len, .c0 = 1.0 - u, .c1 = i % 5 == 0 ? 0.0 : 3e-5};
    sa[i] = pc[i].sa;
    sb[i] = pc[i].sb;
    ca[i] = w * (pc[i].c0 * m2 + pc[i].c1);
    cl[i] = w * pc[i].c0;
  }
  int ran = 0;
  for (int variant = -1; variant < ZP_LORENTZ_NVARIANTS; ++variant) {
    if (variant < 0) zp_lorentz_piece_series_n(m2, N, sa, sb, ca, cl, k);
    else if (!zp_lorentz_piece_series_n_variant(variant, m2, N, sa, sb, ca, cl, k)) continue;
    ran += variant >= 0;
    for (size_t i = 0; i < N; ++i) {
      double want[ZP_LSERIES];
      zp_lorentz_piece_series(m2, &pc[i], w, want);
      double y = fmin(fabs(sa[i] - m2), fabs(sb[i] - m2)), yn = 1.0;
      for (int c = 0; c < ZP_LSERIES; ++c) {
        /* coefficient c of a^(2c - 2) is of order (|ca| + |cl| y) / y^(2c - 1) */
        double scale = (fabs(ca[i]) + fabs(cl[i]) * y) / (c == 0 ? 1.0 : yn) *
                       (c == 0 ? ZP_PI : 1.0);
        cr_expect_leq(fabs(k[c][i] - want[c]), 1e-13 * scale + 1e-300,
                      "variant %d piece %zu coefficient %d: %.17g vs %.17g", variant, i, c, k[c][i],
                      want[c]);
        yn *= c == 0 ? y : y * y;
      }
    }
  }
  cr_expect_geq(ran, 1, "the baseline variant runs on every CPU");
}

/* The vector strips (zp_rest_strips_n, each variant, the three rules in
 * turn as zp_survival_lines runs them) against zp_tau_at_rest3 bin by bin,
 * over bins from far below the line to far above it, narrow and wide
 * lines (the widest beyond the strip series, z >= 0.03), with and without
 * a floor that drops the far tails.  Where a strip answers it must be the
 * scalar depth to 1e-13 relative: the same rule and node sums, only the
 * series of atan(z)/z longer (each term exact to rounding); a rule chosen
 * differently errs by up to 1e-8 and fails it.  A NaN must be left only
 * where the scalar path takes pieces of its own, so every rule must be
 * seen answering somewhere. */
Test(lorentz_batch, strips_agree_with_the_scalar_depths) {
  enum { NB = 203 };
  const double m = 5e-11, m2 = 1.69e-4, h = 0.03, v0 = 0.3, v1 = 0.3 + 0.0115;
  const double xl = log(m2 / (2.0 * m)), u_lo = xl - v0 - 3.0;
  const double widths[] = {1e-12 * m2, 1e-6 * m2, 0.08 * m2};
  zp_shell_weight sw;
  zp_shell_weight_init(&sw, v0, v1);
  zp_rest_bin rb[NB];
  double lanes[5 * NB];
  for (size_t b = 0; b < NB; ++b) zp_rest_bin_init(&rb[b], u_lo + h * (double)b, h);
  zp_rest_lanes_fill(rb, NB, lanes);
  const zp_rest_lanes ln = zp_rest_lanes_at(lanes, NB, 0);
  int ran = 0, answered[ZP_RECT_RULES] = {0}, left = 0, dropped = 0;
  for (size_t w = 0; w < sizeof widths / sizeof widths[0]; ++w)
    for (int with_floor = 0; with_floor < 2; ++with_floor) {
      const zp_resonance res = {.m2 = m2, .a = widths[w]};
      const double ms[3] = {m, 0.0, 0.0};
      double want[NB];
      for (size_t b = 0; b < NB; ++b) {
        double tau[3];
        zp_tau_at_rest3(res, ms, &rb[b], &sw, 0.0, tau);
        want[b] = tau[0];
      }
      /* a floor ten times the shallower end's depth drops the tail there
       * (the bound is within a factor 2 of the depth so far out) */
      double floor = with_floor ? 10.0 * fmin(want[0], want[NB - 1]) : 0.0;
      for (size_t b = 0; b < NB && with_floor; ++b) {
        double tau[3];
        zp_tau_at_rest3(res, ms, &rb[b], &sw, floor, tau);
        want[b] = tau[0];
      }
      for (int variant = -1; variant < ZP_LORENTZ_NVARIANTS; ++variant) {
        double out[NB], before[NB];
        int by_set[NB];
        /* -1: the one the CPU gets; then each compiled one it runs (n = 0 asks) */
        if (variant >= 0 &&
            !zp_rest_strips_n_variant(variant, 0, m2, res.a, m, &sw, floor, 0, &ln, out))
          continue;
        ran += variant >= 0;
        for (int set = 0; set < ZP_RECT_RULES; ++set) {
          for (size_t b = 0; b < NB; ++b) before[b] = out[b];
          if (variant < 0) zp_rest_strips_n(set, m2, res.a, m, &sw, floor, NB, &ln, out);
          else zp_rest_strips_n_variant(variant, set, m2, res.a, m, &sw, floor, NB, &ln, out);
          for (size_t b = 0; b < NB; ++b)
            if (set == 0 || (isnan(before[b]) && !isnan(out[b]))) by_set[b] = set;
        }
        for (size_t b = 0; b < NB; ++b) {
          if (isnan(out[b])) {
            ++left;
            continue;
          }
          answered[by_set[b]]++;
          dropped += out[b] == 0.0;
          cr_expect_leq(fabs(out[b] - want[b]), 1e-13 * fabs(want[b]),
                        "variant %d, a %g, floor %g, bin %zu (rule %d): %.17g vs %.17g", variant,
                        res.a, floor, b, by_set[b], out[b], want[b]);
        }
      }
    }
  cr_expect_geq(ran, 6, "the baseline variant runs on every CPU");
  for (int set = 0; set < ZP_RECT_RULES; ++set)
    cr_expect_gt(answered[set], 0, "no bin took the rule of set %d", set);
  cr_expect_gt(left, 0, "no bin was left to the scalar path (near the line)");
  cr_expect_gt(dropped, 0, "the floor dropped no far tail");
}

/* The block survivals (zp_survivals_n, each variant) against exp of the
 * mixed depth, over depths from 0 (and a negative rounding residue) through
 * the cubic's range to full absorption, and a block wholly below 1e-4 (the
 * cubic alone, no exp): libmvec's exp is within 4 ulp, and the cubic below
 * 1e-4 within 5e-18 of exp, so 1e-15 relative. */
Test(lorentz_batch, survivals_agree_with_exp) {
  enum { N = 203 };
  const double kq[3][3] = {{0.6, 0.3, 0.1}, {0.2, 0.5, 0.3}, {1e-3, 0.0, 2.0}};
  double t0[N], t1[N], t2[N], s[3][N];
  const double *const tau[3] = {t0, t1, t2};
  int ran = 0, cubic = 0;
  /* top 1e2: blocks with deep bins; top 3e-5: all below 1e-4, the cubic alone */
  const double tops[] = {1e2, 3e-5};
  for (int shallow = 0; shallow < 2; ++shallow) {
    for (size_t b = 0; b < N; ++b) {
      double u = (double)b / (N - 1);
      t0[b] = b == 0 ? -1e-300 : 1e-12 * pow(tops[shallow] / 1e-12, u);
      t1[b] = b % 4 == 0 ? 0.0 : 0.5 * t0[b];
      t2[b] = b % 7 == 0 ? 1e-5 : 1e-3 * t0[b];
    }
    for (int variant = -1; variant < ZP_VECTOR_NISA; ++variant) {
      double *const out[3] = {s[0], s[1], s[2]};
      if (variant < 0) zp_survivals_n(kq, N, tau, out);
      else if (!zp_survivals_n_variant(variant, kq, N, tau, out)) continue;
      ran += variant >= 0;
      for (int i = 0; i < 3; ++i)
        for (size_t b = 0; b < N; ++b) {
          double t = kq[i][0] * t0[b] + kq[i][1] * t1[b] + kq[i][2] * t2[b];
          double want = t > 0.0 ? exp(-t) : 1.0;
          cubic += variant < 0 && t > 0.0 && t < 1e-4;
          cr_expect_leq(fabs(s[i][b] - want), 1e-15 * want,
                        "variant %d state %d depth %g: %.17g vs %.17g", variant, i, t, s[i][b],
                        want);
        }
    }
  }
  cr_expect_geq(ran, 2, "the baseline variant runs on every CPU");
  cr_expect_gt(cubic, 0, "no depth in the cubic's range");
}
