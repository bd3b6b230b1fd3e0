/* zprop (internal): the discrete regeneration kernel on a log-uniform grid.
 *
 * A parent spread flat in ln E0 over its bin scatters into two daughters
 * with H-Eq. 11; D_d is the mean number landing d bins below (d = 0: the
 * parent's own bin), from the exact cumulative kernel.  Because the grid is
 * log-uniform, D depends on d only.  D_0 and D_1 then get one equal and
 * opposite correction so that, with a bin's energy counted as its mean
 * energy, the number (2) and energy (the parent's) are kept exactly on an
 * infinite grid; what falls below the lowest edge is booked by the tails.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_REGEN_H
#define ZP_REGEN_H

#include <stddef.h>

#include "zprop/errors.h"

typedef struct {
  size_t nbins;
  double h;
  double *d;           /* D_d, d = 0 .. nbins-1 */
  double *tail_number; /* [b'] daughters below the grid per parent in bin b' */
  double *tail_energy; /* [b'] their energy in units of the parent's mean energy */
  double correction;   /* the shift moved from D_0 to D_1 (for the record) */
  /* For d >= 2, D_d = sum_m coef_m decay_m^d exactly (the cumulative
   * kernel is a cubic in x = E0/E', so D is three exponentials in d), with
   * coef = tail[m], decay = tail[3 + m]: the
   * structured CPU path applies the Toeplitz part by recursion in O(N). */
  double tail[6]; /* coef[0..2], decay[0..2] for m = 1, 2, 3 */
} zp_regen_kernel;

zp_status zp_regen_kernel_init(size_t nbins, double h, zp_regen_kernel *k, zp_error *err);
void zp_regen_kernel_free(zp_regen_kernel *k);

/** Continuum kernel: mean number of daughters per parent (flat in ln E0
 *  over [0, h]) landing in ln E0 interval [c - h, c] relative to the parent
 *  bin's lower edge, c <= h.  Exposed for tests. */
double zp_regen_bin_number(double c, double h);

#endif
