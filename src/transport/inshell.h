/* zprop (internal): daughters that scatter again in their own shell
 * (inshell.c).  SPDX-License-Identifier: MIT */
#ifndef ZP_INSHELL_H
#define ZP_INSHELL_H

#include "transport/problem.h"

/** A growable list of pairs. */
typedef struct {
  zp_inshell_pair *pair;
  size_t n, cap;
} zp_pair_list;

void zp_pair_list_free(zp_pair_list *l);

/** The pairs of shell k (replacing @p out's), from the shell's survivals
 *  and the lines' depths of zp_survival_lines (its tau_lines). */
zp_status zp_inshell_pairs(const zp_grid *g, const zp_point_physics *pt, size_t k,
                           const double *survival, const double *tau_lines, zp_pair_list *out,
                           zp_error *err);

#endif
