/* zprop: discrete regeneration kernel. SPDX-License-Identifier: MIT */
#include "physics/regen.h"

#include <math.h>
#include <stdlib.h>

static const double kern_c[3] = {3.0, -3.0, 2.0}; /* F(e^t) = sum_m c_m e^{m t} */

/* 1 - (1 - e^{-x})/x: the series where the closed form cancels. */
static double one_minus_b(double x) {
  if (x < 1e-2) return x * (0.5 - x * (1.0 / 6 - x * (1.0 / 24 - x * (1.0 / 120 - x / 720))));
  return (x + expm1(-x)) / x;
}

/* (1 - e^{-x}) / x */
static double b_of(double x) { return 1.0 - one_minus_b(x); }

/* D(b - o, b) of the kernel being built, before its move. */
static double raw_entry(const zp_regen_kernel *k, size_t b, size_t o) {
  size_t bp = k->nbins - 1 - b;
  const double *kp = k->packed + bp * ZP_KERN_STRIDE;
  return zp_kernel_entry(k->packed, bp + o, bp) - zp_kernel_move(kp, o);
}

/* The move that changes the energy of parent bin b's daughters by de: from
 * a donor bin b - o to a receiver b - r, the pair whose donor loses the
 * smallest share, which must stay under 1/2.  First any pair among the
 * NEAR bins below the parent; where none will do (narrow bins: the energy
 * to fix comes from all the lower bins, the wide ones weigh most, and a
 * move needs a lever of many narrow bins) receivers r = o -+ 2^s within
 * ZP_KERN_REACH.  0 if there is none. */
enum { NEAR = 16 };

static int shift_energy(zp_regen_kernel *k, const double *emean, size_t b, double de) {
  size_t reach = b + 1 < ZP_KERN_REACH ? b + 1 : ZP_KERN_REACH, near = reach < NEAR ? reach : NEAR;
  double d[ZP_KERN_REACH], best = 0.5, amount = 0.0;
  size_t from = 0, to = 0;
  for (size_t o = 0; o < near; ++o) d[o] = raw_entry(k, b, o);
  /* From b - o the move is smallest toward the mean farthest on the side
   * de asks for: bin b itself (r = 0) for de > 0, b - near + 1 for de < 0.
   * The means rise with the bin and rounding keeps that order, so this r is
   * the one the search over every r would keep. */
  const size_t far = de > 0.0 ? 0 : near - 1;
  for (size_t o = 0; o < near; ++o) {
    if (o == far || !(d[o] > 0.0)) continue;
    double move = de / (emean[b - far] - emean[b - o]); /* from b - o to b - far */
    if (move > 0.0 && move / d[o] < best) best = move / d[o], amount = move, from = o, to = far;
  }
  const int wide = !(amount > 0.0);
  /* the entries beyond the near bins only where the search needs them */
  for (size_t o = near; wide && o < reach; ++o) d[o] = raw_entry(k, b, o);
  for (size_t o = 0; wide && o < reach; ++o) {
    if (!(d[o] > 0.0)) continue;
    for (size_t step = 1; step < reach; step *= 2)
      for (int dir = -1; dir <= 1; dir += 2) {
        if (dir < 0 ? step > o : o + step >= reach) continue;
        size_t r = dir < 0 ? o - step : o + step;
        double move = de / (emean[b - r] - emean[b - o]);
        if (move > 0.0 && move / d[o] < best) best = move / d[o], amount = move, from = o, to = r;
      }
  }
  double *kp = k->packed + (k->nbins - 1 - b) * ZP_KERN_STRIDE;
  kp[ZP_KERN_FROM] = (double)from;
  kp[ZP_KERN_TO] = (double)to;
  kp[ZP_KERN_MOVE] = amount;
  return amount > 0.0 || de == 0.0;
}

zp_status zp_regen_kernel_init(size_t nbins, const double *lnedge, zp_regen_kernel *k,
                               zp_error *err) {
  k->nbins = nbins;
  k->packed = malloc(nbins * ZP_KERN_STRIDE * sizeof *k->packed);
  k->tail_number = malloc(nbins * sizeof *k->tail_number);
  k->tail_energy = malloc(nbins * sizeof *k->tail_energy);
  double *emean = malloc(nbins * sizeof *emean);
  if (k->packed == NULL || k->tail_number == NULL || k->tail_energy == NULL || emean == NULL) {
    free(emean);
    zp_regen_kernel_free(k);
    return zp_error_set(err, ZP_ENOMEM, "regeneration kernel of %zu bins", nbins);
  }
  for (size_t b = 0; b < nbins; ++b) {
    double w = lnedge[b + 1] - lnedge[b], *kp = k->packed + (nbins - 1 - b) * ZP_KERN_STRIDE;
    kp[ZP_KERN_XLO] = exp(lnedge[0] - lnedge[b]);
    kp[ZP_KERN_XHI] = exp(lnedge[b + 1] - lnedge[0]);
    double self = 0.0;
    for (int m = 0; m < 3; ++m) {
      double x = (m + 1) * w;
      kp[ZP_KERN_A1 + m] = -kern_c[m] * expm1(-x);
      kp[ZP_KERN_B1 + m] = b_of(x);
      kp[ZP_KERN_E1 + m] = exp(-x);
      self += kern_c[m] * one_minus_b(x); /* 2 - sum c_m B_m, sum c_m = 2 */
    }
    kp[ZP_KERN_SELF] = self;
    kp[ZP_KERN_FROM] = kp[ZP_KERN_TO] = kp[ZP_KERN_MOVE] = 0.0;
    emean[b] = exp(lnedge[b]) * expm1(w) / w;
  }
  /* s[m] = sum over q < p of A_m(q) E_q e^{-m G(q, p)}: the energy in the
   * lower bins is sum_m B_m(p) s[m]. */
  double s[3] = {0.0, 0.0, 0.0}, lnbot = lnedge[0];
  int positive = 1;
  for (size_t b = 0; b < nbins; ++b) {
    double *kp = k->packed + (nbins - 1 - b) * ZP_KERN_STRIDE, gap = lnedge[b] - lnbot;
    double below_n = 0.0, below_e = 0.0, lower_e = 0.0;
    for (int m = 0; m < 3; ++m) {
      double decay = exp(-(m + 1) * gap) * kp[ZP_KERN_B1 + m];
      below_n += kern_c[m] * decay;
      below_e += kern_c[m] * (m + 1.0) / (m + 2.0) * decay;
      lower_e += kp[ZP_KERN_B1 + m] * s[m];
    }
    below_e *= exp(lnbot);
    k->tail_number[b] = below_n;
    double counted = kp[ZP_KERN_SELF] * emean[b] + lower_e + below_e;
    if (b == 0) {
      k->tail_energy[b] = (emean[b] - kp[ZP_KERN_SELF] * emean[b]) / emean[b];
    } else {
      k->tail_energy[b] = below_e / emean[b];
      positive = positive && shift_energy(k, emean, b, emean[b] - counted);
    }
    for (int m = 0; m < 3; ++m) s[m] = kp[ZP_KERN_E1 + m] * s[m] + kp[ZP_KERN_A1 + m] * emean[b];
  }
  free(emean);
  if (!positive) {
    zp_regen_kernel_free(k);
    return zp_error_set(err, ZP_ENUMERIC,
                        "regeneration kernel not positive on this grid: use more bins per decade");
  }
  return ZP_OK;
}

void zp_regen_kernel_free(zp_regen_kernel *k) {
  if (k == NULL) return;
  free(k->packed);
  free(k->tail_number);
  free(k->tail_energy);
  k->packed = k->tail_number = k->tail_energy = NULL;
}
