/* zprop (internal): a propagation problem prepared from a zp_config: grids,
 * mixing, kernel, per-shell source terms.  Shared by the single-spectrum
 * driver and (later) the batched one.  SPDX-License-Identifier: MIT */
#ifndef ZP_PROBLEM_H
#define ZP_PROBLEM_H

#include "backend.h"
#include "grid.h"
#include "rates.h"
#include "regen.h"
#include "zprop/spectrum.h"

typedef struct {
  zp_mixing mix;
  zp_egrid eg;
  zp_zgrid zg;
  zp_regen_kernel kern;
  zp_thermal_rule rule;
  zp_resonance res;        /* GeV^2 */
  int interacting;         /* gzp > 0 */
  double k_attn;           /* prefactor of sigma + sigma_chi with |Q|^2 = 1 */
  double regen_fraction;   /* share of scatterings regenerating (0: off) */
  zp_thermal_mode thermal;
  double thermal_kappa;
  double weights[3];       /* mass-state weights at the source, sum 1 */
  double norm_a;           /* source normalisation A */
  double *bin_power;       /* [N] integral of (E0/E_ref)^-gamma over the bin, GeV */
  double *shell_source;    /* [nshells] injected redshift factor per shell, cm;
                              for a delta source all sits in the top shell */
  int source_at_top;       /* delta source: injected at the top edge (z0) */
  double source_total;     /* sum of shell_source, = the full redshift integral */
} zp_problem;

zp_status zp_problem_init(const zp_config *cfg, zp_problem *p, zp_error *err);
void zp_problem_free(zp_problem *p);

/** Whether target j is treated thermally in shell k. */
int zp_problem_thermal_target(const zp_problem *p, int j, size_t k);

/** Survival exp(-tau) of each state entry (3N, state order) over shell k. */
void zp_problem_survival(const zp_problem *p, size_t k, double *survival);

/** Source entries (3N, state order) injected at the start of shell k. */
void zp_problem_source(const zp_problem *p, size_t k, double *s);

/** Runs the shells from the top down: y (3N, state order) ends as the
 *  comoving content per bin at z = 0.  ledger may be NULL. */
zp_status zp_propagate(const zp_problem *p, zp_backend *bk, double *y, zp_ledger *ledger,
                       zp_error *err);

#endif
