/* zprop (internal): the survivals of a block of bins in vector lanes.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_SURVIVAL_BATCH_H
#define ZP_SURVIVAL_BATCH_H

#include <stddef.h>

/** Survivals of n bins for the three mass states from the unit depths of
 *  the three relic states: state i meets the depth
 *  t = kq[i][0] tau[0][b] + kq[i][1] tau[1][b] + kq[i][2] tau[2][b] and
 *  out[i][b] = exp(-t); 1 for t <= 0, and below t = 1e-4 the cubic, whose
 *  error t^4 / 24 < 5e-18 is under half an ulp of 1.  exp is libmvec's
 *  where the lanes are wide (within 4 ulp of the scalar one). */
void zp_survivals_n(const double kq[3][3], size_t n, const double *const tau[3],
                    double *const out[3]);

/** For tests: zp_survivals_n compiled for variant @p v (vector_isa.h);
 *  returns 0, doing nothing, where this build or CPU lacks it. */
int zp_survivals_n_variant(int v, const double kq[3][3], size_t n, const double *const tau[3],
                           double *const out[3]);

#endif
