/* zprop: one spectrum at Earth from a configuration, on a context's backend.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/physics.h"
#include "transport/context_backend.h"
#include "transport/problem.h"

static zp_spectrum *spectrum_alloc(size_t nb) {
  zp_spectrum *sp = calloc(1, sizeof *sp);
  if (sp == NULL) return NULL;
  sp->nbins = nb;
  sp->edges = malloc((nb + 1) * sizeof(double));
  sp->energy = malloc(nb * sizeof(double));
  sp->phi_mass = malloc(3 * nb * sizeof(double));
  sp->phi_flavour = malloc(3 * nb * sizeof(double));
  sp->phi0_mass = malloc(3 * nb * sizeof(double));
  sp->phi0_flavour = malloc(3 * nb * sizeof(double));
  if (!sp->edges || !sp->energy || !sp->phi_mass || !sp->phi_flavour || !sp->phi0_mass ||
      !sp->phi0_flavour) {
    zp_spectrum_free(sp);
    return NULL;
  }
  return sp;
}

void zp_spectrum_free(zp_spectrum *sp) {
  if (sp == NULL) return;
  free(sp->edges);
  free(sp->energy);
  free(sp->phi_mass);
  free(sp->phi_flavour);
  free(sp->phi0_mass);
  free(sp->phi0_flavour);
  free(sp);
}

/* Phi_alpha = sum_i |U_alpha i|^2 Phi_i. */
static void to_flavour(const zp_mixing *mix, size_t nb, const double *mass, double *flav) {
  for (int a = 0; a < 3; ++a)
    for (size_t b = 0; b < nb; ++b) {
      double s = 0.0;
      for (int i = 0; i < 3; ++i) s += mix->u2[a][i] * mass[(size_t)i * nb + b];
      flav[(size_t)a * nb + b] = s;
    }
}

zp_status zp_spectrum_compute(const zp_config *cfg, zp_spectrum **out, zp_error *err) {
  *out = NULL;
  zp_context *ctx;
  zp_status st = zp_context_create(cfg->backend, NULL, &ctx, err);
  if (st != ZP_OK) return st;
  st = zp_spectrum_compute_ctx(ctx, cfg, out, err);
  zp_context_free(ctx);
  return st;
}

zp_status zp_spectrum_compute_ctx(zp_context *ctx, const zp_config *cfg, zp_spectrum **out,
                                  zp_error *err) {
  *out = NULL;
  zp_problem p;
  zp_status st = zp_problem_init(cfg, &p, err);
  if (st != ZP_OK) return st;
  const zp_egrid *eg = &p.grid.eg;
  const size_t nt = eg->nbins, nb = eg->nuser;
  zp_backend *bk = NULL;
  const char *notice = NULL;
  zp_spectrum *sp = spectrum_alloc(nb);
  double *y = malloc(3 * nt * sizeof *y), *yu = malloc(3 * nb * sizeof *yu);
  if (sp == NULL || y == NULL || yu == NULL) {
    st = zp_error_set(err, ZP_ENOMEM, "spectrum of %zu bins", nb);
    goto done;
  }
  zp_backend_work w = {.shape = ZP_WORK_SPECTRUM,
                       .npoints = 1,
                       .nrhs = 1,
                       .nbins = nt,
                       .nshells = p.grid.zg.nshells};
  if ((st = zp_context_backend(ctx, &w, &bk, &notice, err)) != ZP_OK) goto done;
  if ((st = zp_propagate(&p, bk, y, &sp->ledger, err)) != ZP_OK) goto done;

  const double c4pi = ZP_C_CM_S / (4.0 * ZP_PI);
  zp_egrid_fold(eg, y, yu);
  memcpy(sp->edges, eg->uedges, (nb + 1) * sizeof(double));
  for (size_t b = 0; b < nb; ++b) {
    double de = eg->uedges[b + 1] - eg->uedges[b], power = 0.0;
    for (size_t t = eg->ufirst[b]; t < eg->ufirst[b + 1]; ++t) power += p.src.bin_power[t];
    sp->energy[b] = sqrt(eg->uedges[b] * eg->uedges[b + 1]);
    double free_b = p.src.norm_a * p.src.source_total * power;
    for (int i = 0; i < 3; ++i) {
      sp->phi_mass[(size_t)i * nb + b] = c4pi * yu[zp_state_index(nb, b, i)] / de;
      sp->phi0_mass[(size_t)i * nb + b] = c4pi * free_b * p.point.weights[i] / de;
    }
  }
  to_flavour(&p.point.mix, nb, sp->phi_mass, sp->phi_flavour);
  to_flavour(&p.point.mix, nb, sp->phi0_mass, sp->phi0_flavour);
  for (size_t r = 0; r < 3 * nb; ++r)
    if (!isfinite(sp->phi_flavour[r]) || !isfinite(sp->phi0_flavour[r])) {
      st = zp_error_set(err, ZP_ENUMERIC, "non-finite flux in bin %zu", r % nb);
      goto done;
    }
  sp->norm_a = p.src.norm_a;
  sp->backend_name = bk->ops->name;
  sp->backend_notice = notice;
  sp->nshells = p.grid.zg.nshells;
done:
  free(y);
  free(yu);
  zp_problem_free(&p);
  if (st != ZP_OK) {
    zp_spectrum_free(sp);
    return st;
  }
  *out = sp;
  return ZP_OK;
}
