/* zprop (internal): the compact per-shell quantities from which a backend
 * assembles the transfer matrix T_k.
 *
 * T_k acts on the 3N state vector (zp_state_index order) and is
 *   T[(b,i),(b',i')] = delta_{bb'} delta_{ii'} s_{b'i'}
 *                    + f_regen (1 - s_{b'i'}) P_i D(b, b')   for b <= b',
 * with s the survival exp(-tau) over the shell, f_regen the share of
 * scatterings that give back two neutrinos, P_i the branching into mass
 * state i and D the discrete regeneration kernel (two daughters per
 * scattering, energy conserved exactly; physics/regen.h, packed).  Stored
 * column-major, n = 3N.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_SHELL_H
#define ZP_SHELL_H

#include <stddef.h>

/** Index of energy bin @p b (0 = lowest), mass state @p i in the 3N state
 *  vector: the highest bin first, so that regeneration (to the same or
 *  lower energy) is block-lower-triangular. */
static inline size_t zp_state_index(size_t nbins, size_t b, int i) {
  return 3 * (nbins - 1 - b) + (size_t)i;
}

/** Daughters born in a shell that cross another narrow line before the
 *  shell ends (src/transport/inshell.c): per unit of content entering entry
 *  (c, ic), v[3 iq + ic] of the daughters landing in (q, iq), q <= c,
 *  scatter again in the same shell.  T_k gains (K - 1) R, K the
 *  regeneration of one scattering, R the matrix of these pairs. */
typedef struct {
  size_t q, c; /* transport bins, q <= c */
  double v[9];
} zp_inshell_pair;

typedef struct {
  size_t nbins;
  double regen_fraction;        /* 0 when regeneration is off */
  const double *p_branch;       /* [3] */
  const double *kernel;         /* packed [nbins][ZP_KERN_STRIDE], physics/regen.h */
  const double *survival;       /* [3 nbins], state order */
  const zp_inshell_pair *pairs; /* sorted by q from the top, then c */
  size_t npairs;
} zp_shell;

#endif
