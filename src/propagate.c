/* zprop: the shell loop, Y <- T_k (Y + S_k/2) + S_k/2 from the top shell down, with
 * the conservation ledger booked from the compact shell quantities.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problem.h"

/* What scatters in this shell, from the content x before it (state order). */
static void book_shell(const zp_problem *p, const double *x, const double *surv,
                       zp_ledger *lg) {
  const size_t nb = p->eg.nbins;
  double f = p->regen_fraction;
  for (size_t b = 0; b < nb; ++b) {
    double e = p->eg.mean_energy[b];
    for (int i = 0; i < 3; ++i) {
      size_t r = zp_state_index(nb, b, i);
      double scat = (1.0 - surv[r]) * x[r];
      lg->scatterings += scat;
      lg->scatterings_dark += (1.0 - f) * scat;
      lg->energy_dark += (1.0 - f) * scat * e;
      lg->number_below += f * scat * p->kern.tail_number[b];
      lg->energy_below += f * scat * p->kern.tail_energy[b] * e;
    }
  }
}

zp_status zp_propagate(const zp_problem *p, zp_backend *bk, double *y, zp_ledger *ledger,
                       zp_error *err) {
  const size_t nb = p->eg.nbins, n = 3 * nb;
  double *surv = malloc(n * sizeof *surv), *src = malloc(n * sizeof *src);
  if (surv == NULL || src == NULL) {
    free(surv);
    free(src);
    return zp_error_set(err, ZP_ENOMEM, "shell buffers of %zu entries", n);
  }
  zp_ledger lg;
  memset(&lg, 0, sizeof lg);
  memset(y, 0, n * sizeof *y);
  zp_shell shell = {.nbins = nb, .regen_fraction = p->regen_fraction,
                    .p_branch = p->mix.p_branch, .kernel = p->kern.d, .survival = surv};
  zp_status st = ZP_OK;
  for (size_t k = p->zg.nshells; k-- > 0;) {
    zp_problem_source(p, k, src);
    /* Sources spread over the shell meet, on average, half of its
     * attenuation: inject half before T_k and half after (a first-order
     * error otherwise).  A delta source sits exactly at the top edge. */
    double hs = p->source_at_top ? 1.0 : 0.5;
    for (size_t r = 0; r < n; ++r) y[r] += hs * src[r];
    zp_problem_survival(p, k, surv);
    book_shell(p, y, surv, &lg);
    if ((st = bk->ops->assemble(bk, &shell, err)) != ZP_OK) break;
    if ((st = bk->ops->apply(bk, y, 1, n, err)) != ZP_OK) break;
    for (size_t r = 0; r < n; ++r) y[r] += (1.0 - hs) * src[r];
  }
  free(surv);
  free(src);
  if (st != ZP_OK) return st;
  for (size_t b = 0; b < nb; ++b) {
    double e = p->eg.mean_energy[b], free_b = p->norm_a * p->source_total * p->bin_power[b];
    for (int i = 0; i < 3; ++i) {
      size_t r = zp_state_index(nb, b, i);
      lg.number_final += y[r];
      lg.energy_final += y[r] * e;
      lg.number_free += free_b * p->weights[i];
      lg.energy_free += free_b * p->weights[i] * e;
    }
  }
  for (size_t r = 0; r < n; ++r)
    if (!isfinite(y[r]))
      return zp_error_set(err, ZP_ENUMERIC, "propagation produced a non-finite flux (entry %zu)", r);
  if (ledger != NULL) *ledger = lg;
  return ZP_OK;
}
