/* zprop (internal): a propagation problem in three layers, so a batch can
 * share what its spectra share (problem.c; then optical_depth.c and
 * source_terms.c):
 *   grid:   energy bins, redshift shells, regeneration kernel, thermal rule;
 *   point:  the model point (Z', masses, mixing) and its cross sections;
 *   source: one redshift distribution and spectral index, normalised.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_PROBLEM_H
#define ZP_PROBLEM_H

#include "backends/backend.h"
#include "transport/grid.h"
#include "physics/rates.h"
#include "physics/regen.h"
#include "zprop/spectrum.h"

typedef struct {
  zp_egrid eg;
  zp_zgrid zg;
  zp_regen_kernel kern;
  zp_thermal_rule rule;
  zp_thermal_mode thermal;
  double thermal_kappa;
  int regeneration;
} zp_grid;

typedef struct {
  zp_mixing mix;
  zp_resonance res;      /* GeV^2 */
  int interacting;       /* gzp > 0 */
  double k_attn;         /* prefactor of sigma + sigma_chi with |Q|^2 = 1 */
  double regen_fraction; /* share of scatterings regenerating (0: off) */
  double weights[3];     /* mass-state weights at the source, sum 1 */
} zp_point_physics;

typedef struct {
  double norm_a;        /* source normalisation A */
  double *bin_power;    /* [N] integral of (E0/E_ref)^-gamma over the bin, GeV */
  double *shell_source; /* [nshells] injected redshift factor per shell, cm */
  double pre_fraction;  /* of a shell's source, injected whole before T_k; the
                         * rest is split by the shell's inject shares */
  double source_total;  /* sum of shell_source: the full redshift integral */
} zp_source_terms;

/** Top of the redshift grid for one source: z0 (delta) or zmax. */
double zp_source_ztop(const zp_source *src);

/** Grid for tops up to @p ztop; @p extra (may be NULL) are further shell
 *  edges (delta redshifts of a batch).  The transport bins are cut at the
 *  window edges ln E_res,j - v_k of the three narrow lines @p lines (ln of
 *  E_res,j = M^2/(2 m_j) in GeV, NAN for none; NULL: no lines) at every
 *  shell edge v_k; their number, zp_transport_bins, does not depend on the
 *  lines. */
zp_status zp_grid_init(const zp_config *cfg, double ztop, const double *extra, size_t nextra,
                       const double *lines, zp_grid *g, zp_error *err);
void zp_grid_free(zp_grid *g);

/** Model point from cfg->zprime, osc, ordering, sum_mnu, flavour ratio and
 *  cfg->transport.regeneration. */
zp_status zp_point_init(const zp_config *cfg, zp_point_physics *pt, zp_error *err);

/** ln E_res,j (GeV) of the point's narrow lines, NAN for a massless
 *  state or a free point. */
void zp_point_lines(const zp_point_physics *pt, double lines[3]);

/* optical_depth.c */

/** Whether target j is treated thermally in shell k. */
int zp_thermal_target(const zp_grid *g, const zp_point_physics *pt, int j, size_t k);

/** The unit depth below which the at-rest tails are dropped (the floor of
 *  zp_tau_at_rest_w), for the direct path and the depth tables alike. */
double zp_depth_floor(const zp_point_physics *pt);

/** Survival exp(-tau) of each state entry (3N, state order) over shell k,
 *  and (when @p inject is not NULL) the share g of a source spread over
 *  the shell that is injected before T_k so that T_k attenuates it as the
 *  lines attenuate neutrinos born uniformly in ln(1+z) over the shell:
 *  g (1 - s) = 1 - (mean survival of the newborn). */
void zp_survival(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival,
                 double *inject);

/** zp_survival, also giving (when @p tau_lines is not NULL) each line's
 *  depth per bin, [nbins][3] in bin order, per unit of k_attn and |Q|^2:
 *  what zp_inshell_pairs needs, so it need not compute it again. */
void zp_survival_lines(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival,
                       double *inject, double *tau_lines);

/** What zp_survival_lines gives from the unit depths @p tau_lines it gives
 *  (or a zp_depth_table does): the survivals and inject shares. */
void zp_survival_from_depths(const zp_grid *g, const zp_point_physics *pt, size_t k,
                             const double *tau_lines, double *survival, double *inject);

/* source_terms.c */

/** (E0/E_ref)^-gamma integrated over every transport bin (GeV). */
void zp_bin_powers(const zp_egrid *eg, double gamma, double *out);

/** Source terms of @p src (with its gamma) normalised to @p norm: the
 *  three steps below. */
zp_status zp_source_terms_init(const zp_source *src, double norm, const zp_grid *g,
                               zp_source_terms *st, zp_error *err);

/** The arrays of @p st for grid @p g, zeroed. */
zp_status zp_source_terms_alloc(const zp_grid *g, zp_source_terms *st, zp_error *err);

/** The shell sources and pre_fraction of @p src (the shell integrals, the
 *  costly part, which does not depend on norm or the energy bins). */
zp_status zp_source_terms_shells(const zp_source *src, const zp_grid *g, zp_source_terms *st,
                                 zp_error *err);

/** From the shell sources: the bin powers of src->gamma, the total and A. */
zp_status zp_source_terms_complete(const zp_source *src, double norm, const zp_grid *g,
                                   zp_source_terms *st, zp_error *err);
void zp_source_terms_free(zp_source_terms *st);

/** One spectrum: all three layers. */
typedef struct {
  zp_grid grid;
  zp_point_physics point;
  zp_source_terms src;
} zp_problem;

zp_status zp_problem_init(const zp_config *cfg, zp_problem *p, zp_error *err);
void zp_problem_free(zp_problem *p);

/** Source entries (3N, state order) injected in shell k, all of it
 *  (source_terms.c). */
void zp_problem_source(const zp_problem *p, size_t k, double *s);

/** Runs the shells from the top down through the shell loop (propagate.c):
 *  y (3N, state order) ends as the comoving content per bin at z = 0.
 *  ledger may be NULL. */
zp_status zp_propagate(const zp_problem *p, zp_backend *bk, double *y, zp_ledger *ledger,
                       zp_error *err);

#endif
