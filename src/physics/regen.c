/* zprop: discrete regeneration kernel. SPDX-License-Identifier: MIT */
#include "physics/regen.h"

#include <math.h>
#include <stdlib.h>

#include "physics/physics.h"

/* (A(c) - A(c-h)) / h with A(t) = integral of F(e^t) dt, F the cumulative
 * kernel; written with expm1 because A(c) and A(c-h) nearly cancel. */
static double psi_below(double c, double h) {
  double e1 = exp(c), e2 = e1 * e1, e3 = e2 * e1;
  return (-(2.0 / 3.0) * e3 * expm1(-3.0 * h) + 1.5 * e2 * expm1(-2.0 * h) - 3.0 * e1 * expm1(-h)) /
         h;
}

/* Mean of F(min(1, e^(c - u))) over u in [0, h]: the daughters below
 * relative ln-energy c of a parent flat over [0, h]. */
static double psi(double c, double h) {
  if (c <= 0.0) return psi_below(c, h);
  if (c >= h) return 2.0;
  /* Part of the parent lies below c: those parents put all daughters below. */
  double frac_all = c / h;
  return frac_all * 2.0 + (h - c) / h * psi_below(0.0, h - c);
}

double zp_regen_bin_number(double c, double h) { return psi(c, h) - psi(c - h, h); }

zp_status zp_regen_kernel_init(size_t nbins, double h, zp_regen_kernel *k, zp_error *err) {
  k->nbins = nbins;
  k->h = h;
  /* D_d = (1/h) [A((1-d)h) - 2 A(-dh) + A(-(d+1)h)] with A a sum of c e^{mt}:
   * each term gives c (2 cosh(mh) - 2)/h e^{-m d h}. */
  const double c[3] = {3.0, -1.5, 2.0 / 3.0};
  for (int m = 1; m <= 3; ++m) {
    double sh = sinh(0.5 * m * h);
    k->tail[m - 1] = c[m - 1] * 4.0 * sh * sh / h;
    k->tail[2 + m] = exp(-m * h);
  }
  /* Terms of the energy sum fall like e^{-2 d h}: stop where they are 1e-19. */
  size_t dmax = (size_t)ceil(22.0 / h) + 2;
  if (dmax < nbins + 2) dmax = nbins + 2;
  double *dd = calloc(dmax, sizeof *dd);
  k->d = malloc(nbins * sizeof *k->d);
  k->tail_number = malloc(nbins * sizeof *k->tail_number);
  k->tail_energy = malloc(nbins * sizeof *k->tail_energy);
  if (dd == NULL || k->d == NULL || k->tail_number == NULL || k->tail_energy == NULL) {
    free(dd);
    zp_regen_kernel_free(k);
    return zp_error_set(err, ZP_ENOMEM, "regeneration kernel of %zu bins", nbins);
  }
  dd[0] = 2.0 - psi(0.0, h);
  for (size_t d = 1; d < dmax; ++d)
    dd[d] = psi_below((1.0 - (double)d) * h, h) - psi_below(-(double)d * h, h);

  /* Energy booked at mean bin energies, E_{b-d} = E_b e^{-dh}. */
  double esum = 0.0;
  for (size_t d = dmax; d-- > 0;) esum += dd[d] * exp(-(double)d * h);
  double delta1 = (1.0 - esum) / expm1(-h);
  dd[0] -= delta1;
  dd[1] += delta1;
  k->correction = delta1;

  double suffix = 0.0; /* sum over d'' >= d of D_d'' e^{-d'' h} */
  for (size_t d = dmax; d-- > nbins;) suffix += dd[d] * exp(-(double)d * h);
  for (size_t b = nbins; b-- > 0;) {
    /* parent bin b: daughters below the grid are those with d > b */
    k->tail_energy[b] = suffix;
    suffix += dd[b] * exp(-(double)b * h);
  }
  for (size_t b = 0; b < nbins; ++b)
    k->tail_number[b] = psi_below(-(double)b * h, h) + (b == 0 ? delta1 : 0.0);
  for (size_t d = 0; d < nbins; ++d) k->d[d] = dd[d];
  int positive = dd[0] > 0.0 && dd[1] > 0.0; /* dmax >= 2 */
  free(dd);
  if (!positive) {
    zp_regen_kernel_free(k);
    return zp_error_set(
        err, ZP_ENUMERIC,
        "regeneration kernel not positive at bin ratio e^%g: use more bins per decade", h);
  }
  return ZP_OK;
}

void zp_regen_kernel_free(zp_regen_kernel *k) {
  if (k == NULL) return;
  free(k->d);
  free(k->tail_number);
  free(k->tail_energy);
  k->d = k->tail_number = k->tail_energy = NULL;
}
