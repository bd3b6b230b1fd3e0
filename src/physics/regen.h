/* zprop (internal): the discrete regeneration kernel on any grid of bins.
 *
 * A parent spread flat in ln E0 over its bin scatters into two daughters
 * with H-Eq. 11; D(q, p) is the mean number landing in bin q <= p.  With
 * F(x) = 3x - 3x^2 + 2x^3 the cumulative kernel (x = E0/E'), daughters of a
 * parent in [a, a + w_p] landing in a lower bin [c, c + w_q] (c + w_q <= a)
 * number exactly
 *   D(q, p) = sum_m A_m(q) B_m(p) e^{-m G},  G = a - (c + w_q),
 *   A_m(q) = c_m (1 - e^{-m w_q}),  B_m(p) = (1 - e^{-m w_p}) / (m w_p),
 * c = (3, -3, 2): separable, so the structured path sums it by recursion in
 * O(N) on a non-uniform grid.  The parent's own bin gets the rest of the
 * exact number (2 in all).  Then one number-neutral move of daughters from
 * a donor bin to a receiver bin, both among the parent's own and the
 * ZP_KERN_REACH - 1 bins below it (16 where they will do), makes the energy, with every bin's
 * energy its mean under a flat-in-ln profile, exactly the parent's,
 * daughters below the grid counted at their exact energy; the pair is the
 * one whose donor the move changes least (transport bins may be narrow,
 * and the move needs an energy lever).  The lowest bin books its energy
 * remainder in its tail.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_REGEN_H
#define ZP_REGEN_H

#include <stddef.h>

#include "physics/physics.h"
#include "zprop/errors.h"

/** Fields of one bin in the packed kernel, stored in state (block) order,
 *  highest bin first, ZP_KERN_STRIDE doubles per bin. */
enum {
  ZP_KERN_XLO,                   /**< e^{-(ln of the lower edge - ln of the grid's)} */
  ZP_KERN_XHI,                   /**< e^{ln of the upper edge - ln of the grid's} */
  ZP_KERN_A1,                    /**< A_1 of the bin as a daughter */
  ZP_KERN_B1 = ZP_KERN_A1 + 3,   /**< B_1 of the bin as a parent */
  ZP_KERN_E1 = ZP_KERN_B1 + 3,   /**< e^{-w}, e^{-2w}, e^{-3w} */
  ZP_KERN_SELF = ZP_KERN_E1 + 3, /**< D(p, p) before the energy move */
  ZP_KERN_FROM,                  /**< the move's donor, bins below the parent (0: its own) */
  ZP_KERN_TO,                    /**< the move's receiver, bins below the parent */
  ZP_KERN_MOVE,                  /**< daughters moved per parent */
  ZP_KERN_STRIDE,
  ZP_KERN_REACH = 256 /**< the move stays within this many bins from the parent's (a
                          power of 2: the structured path keeps a ring of it) */
};

typedef struct {
  size_t nbins;
  double *packed;      /* [nbins][ZP_KERN_STRIDE], block order */
  double *tail_number; /* [b] daughters below the grid per parent in bin b */
  double *tail_energy; /* [b] their energy in units of the parent's mean energy */
} zp_regen_kernel;

/** Kernel on the bins between @p lnedge[0] < ... < lnedge[nbins] (ln of
 *  the edges in GeV, bin order). */
zp_status zp_regen_kernel_init(size_t nbins, const double *lnedge, zp_regen_kernel *k,
                               zp_error *err);
void zp_regen_kernel_free(zp_regen_kernel *k);

/** The energy move's part of D(p - o, p) for parent fields @p kp. */
ZP_HD double zp_kernel_move(const double *kp, size_t o) {
  double m = 0.0;
  if ((double)o == kp[ZP_KERN_FROM]) m -= kp[ZP_KERN_MOVE];
  if ((double)o == kp[ZP_KERN_TO]) m += kp[ZP_KERN_MOVE];
  return m;
}

/** D(q, p) of the packed kernel, blocks (0 = highest bin) @p bq >= @p bp
 *  (0 above the diagonal).  Shared with the CUDA assembly. */
ZP_HD double zp_kernel_entry(const double *packed, size_t bq, size_t bp) {
  if (bq < bp) return 0.0;
  const double *kp = packed + bp * ZP_KERN_STRIDE;
  if (bq == bp) return kp[ZP_KERN_SELF] + zp_kernel_move(kp, 0);
  const double *kq = packed + bq * ZP_KERN_STRIDE;
  double x = kq[ZP_KERN_XHI] * kp[ZP_KERN_XLO]; /* e^{-G}, no exp per entry */
  double v = x *
             (kq[ZP_KERN_A1] * kp[ZP_KERN_B1] + x * (kq[ZP_KERN_A1 + 1] * kp[ZP_KERN_B1 + 1] +
                                                     x * kq[ZP_KERN_A1 + 2] * kp[ZP_KERN_B1 + 2]));
  return v + zp_kernel_move(kp, bq - bp);
}

#endif
