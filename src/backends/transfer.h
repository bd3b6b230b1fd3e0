/* zprop: one element of the per-shell transfer matrix T_k, shared by the
 * CPU assembly and the CUDA kernels so both build the same matrix.
 *
 * State index r = 3 (N-1-b) + i (highest energy bin first); T is
 * column-major, n = 3N, and block-lower-triangular: column c = (b', i')
 * feeds only rows r with b <= b'.
 *   T[r, c] = [r == c] s_c + f (1 - s_c) P_i D(b, b')
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_TRANSFER_H
#define ZPROP_TRANSFER_H

#include <stddef.h>

#include "backends/shell.h"
#include "physics/regen.h"

ZP_HD double zp_transfer_entry(size_t row, size_t col, const double *survival,
                               double regen_fraction, const double *p_branch,
                               const double *kernel) {
  size_t brow = row / 3, bcol = col / 3; /* block indices, 0 = top bin */
  if (brow < bcol) return 0.0;
  double s = survival[col];
  double v = regen_fraction * (1.0 - s) * p_branch[row % 3] * zp_kernel_entry(kernel, brow, bcol);
  return row == col ? v + s : v;
}

/** Adds row @p row of (K - 1) R (the in-shell pairs, backends/shell.h) to
 *  the column-major n x n matrix @p t; rows are independent, so threads
 *  may take one row each. */
ZP_HD void zp_transfer_pairs_row(double *t, size_t n, size_t row, const zp_inshell_pair *pairs,
                                 size_t npairs, double regen_fraction, const double *p_branch,
                                 const double *kernel) {
  size_t nb = n / 3, brow = row / 3;
  for (size_t e = 0; e < npairs; ++e) {
    size_t bq = nb - 1 - pairs[e].q, bc = nb - 1 - pairs[e].c;
    if (brow < bq) continue;
    double kq = regen_fraction * p_branch[row % 3] * zp_kernel_entry(kernel, brow, bq);
    for (size_t iq = 0; iq < 3; ++iq) {
      double m = row == 3 * bq + iq ? kq - 1.0 : kq;
      for (size_t ic = 0; ic < 3; ++ic) t[row + (3 * bc + ic) * n] += m * pairs[e].v[3 * iq + ic];
    }
  }
}

#endif
