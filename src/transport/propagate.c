/* zprop: one spectrum through the shell loop, Y <- T_k (Y + a S_k) + (1 - a) S_k
 * from the top shell down (a = pre_fraction + (1 - pre_fraction) g per
 * entry, g the inject shares of the shell), with the conservation ledger
 * booked from the compact shell quantities.  SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "transport/inshell.h"
#include "transport/problem.h"
#include "transport/shell_loop.h"

/* What scatters in this shell, from the content x before it (state order):
 * the content's own scatterings and the in-shell ones of its daughters,
 * summed per bin over the shells into @p scat; the ledger's sums weigh them
 * once, after the last shell (book_scatterings): every weight but the
 * scatterings is the bin's, the same in every shell. */
static void book_shell(const zp_problem *p, const double *x, const double *surv,
                       const zp_pair_list *pairs, double *again, double *scat) {
  const size_t nb = p->grid.eg.nbins;
  for (size_t r = 0; r < 3 * nb; ++r) again[r] = 0.0;
  for (size_t e = 0; e < pairs->n; ++e) {
    const zp_inshell_pair *pr = &pairs->pair[e];
    for (int iq = 0; iq < 3; ++iq)
      for (int ic = 0; ic < 3; ++ic)
        again[zp_state_index(nb, pr->q, iq)] += pr->v[3 * iq + ic] *
                                                x[zp_state_index(nb, pr->c, ic)];
  }
  for (size_t b = 0; b < nb; ++b) {
    double s = 0.0;
    for (int i = 0; i < 3; ++i) {
      size_t r = zp_state_index(nb, b, i);
      s += (1.0 - surv[r]) * x[r] + again[r];
    }
    scat[b] += s;
  }
}

/* The ledger's scatterings from each bin's sum over the shells. */
static void book_scatterings(const zp_problem *p, const double *scat, zp_ledger *lg) {
  const zp_egrid *eg = &p->grid.eg;
  const zp_regen_kernel *kern = &p->grid.kern;
  double f = p->point.regen_fraction;
  for (size_t b = 0; b < eg->nbins; ++b) {
    double e = eg->mean_energy[b];
    lg->scatterings += scat[b];
    lg->scatterings_dark += (1.0 - f) * scat[b];
    lg->energy_dark += (1.0 - f) * scat[b] * e;
    lg->number_below += f * scat[b] * kern->tail_number[b];
    lg->energy_below += f * scat[b] * kern->tail_energy[b] * e;
  }
}

static void book_totals(const zp_problem *p, const double *y, zp_ledger *lg) {
  const zp_egrid *eg = &p->grid.eg;
  for (size_t b = 0; b < eg->nbins; ++b) {
    double e = eg->mean_energy[b];
    double free_b = p->src.norm_a * p->src.source_total * p->src.bin_power[b];
    for (int i = 0; i < 3; ++i) {
      size_t r = zp_state_index(eg->nbins, b, i);
      lg->number_final += y[r];
      lg->energy_final += y[r] * e;
      lg->number_free += free_b * p->point.weights[i];
      lg->energy_free += free_b * p->point.weights[i] * e;
    }
  }
}

/* A single spectrum as a chunk: its sources, survivals and ledger on the
 * host around the backend's T_k. */
typedef struct {
  zp_chunk base;
  const zp_problem *p;
  double *y, *surv, *inject, *src, *again, *tau_lines;
  double *scat; /* [nbins] a bin's scatterings, summed over the shells so far */
  zp_pair_list pairs;
  zp_shell shell;
  zp_ledger lg;
} spectrum_chunk;

static zp_status spectrum_shell(zp_chunk *c, zp_backend *bk, size_t k, zp_error *err) {
  spectrum_chunk *sc = (spectrum_chunk *)c;
  const zp_problem *p = sc->p;
  const size_t n = 3 * p->grid.eg.nbins;
  const double pre = p->src.pre_fraction;
  double *y = sc->y;
  zp_problem_source(p, k, sc->src);
  zp_survival_lines(&p->grid, &p->point, k, sc->surv, sc->inject, sc->tau_lines);
  const double *inject = sc->inject, *src = sc->src;
  for (size_t r = 0; r < n; ++r) y[r] += (pre + (1.0 - pre) * inject[r]) * src[r];
  zp_status st = zp_inshell_pairs(&p->grid, &p->point, k, sc->surv, sc->tau_lines, &sc->pairs, err);
  if (st != ZP_OK) return st;
  sc->shell.pairs = sc->pairs.pair;
  sc->shell.npairs = sc->pairs.n;
  book_shell(p, y, sc->surv, &sc->pairs, sc->again, sc->scat);
  st = bk->ops->assemble(bk, &sc->shell, err);
  if (st == ZP_OK) st = bk->ops->apply(bk, y, 1, n, err);
  if (st != ZP_OK) return st;
  for (size_t r = 0; r < n; ++r) y[r] += (1.0 - pre) * (1.0 - inject[r]) * src[r];
  return ZP_OK;
}

zp_status zp_propagate(const zp_problem *p, zp_backend *bk, double *y, zp_ledger *ledger,
                       zp_error *err) {
  const size_t nb = p->grid.eg.nbins, n = 3 * nb;
  spectrum_chunk c = {
      .base = {.nshells = p->grid.zg.nshells, .shell = spectrum_shell}, .p = p, .y = y};
  c.surv = malloc(n * sizeof *c.surv);
  c.src = malloc(n * sizeof *c.src);
  c.inject = malloc(n * sizeof *c.inject);
  c.again = malloc(n * sizeof *c.again);
  c.tau_lines = malloc(n * sizeof *c.tau_lines);
  c.scat = calloc(nb, sizeof *c.scat);
  if (c.surv == NULL || c.src == NULL || c.inject == NULL || c.again == NULL ||
      c.tau_lines == NULL || c.scat == NULL) {
    free(c.surv);
    free(c.src);
    free(c.inject);
    free(c.again);
    free(c.tau_lines);
    free(c.scat);
    return zp_error_set(err, ZP_ENOMEM, "shell buffers of %zu entries", n);
  }
  memset(y, 0, n * sizeof *y);
  c.shell = (zp_shell){.nbins = nb,
                       .regen_fraction = p->point.regen_fraction,
                       .p_branch = p->point.mix.p_branch,
                       .kernel = p->grid.kern.packed,
                       .survival = c.surv};
  zp_status st = zp_shell_loop(&c.base, bk, err);
  if (st == ZP_OK) book_scatterings(p, c.scat, &c.lg);
  free(c.scat);
  free(c.surv);
  free(c.src);
  free(c.inject);
  free(c.again);
  free(c.tau_lines);
  zp_pair_list_free(&c.pairs);
  if (st != ZP_OK) return st;
  book_totals(p, y, &c.lg);
  for (size_t r = 0; r < n; ++r)
    if (!isfinite(y[r]))
      return zp_error_set(err, ZP_ENUMERIC, "propagation produced a non-finite flux (entry %zu)",
                          r);
  if (ledger != NULL) *ledger = c.lg;
  return ZP_OK;
}
