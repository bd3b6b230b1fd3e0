/* zprop: `zprop gm2` on a parameter set (zprop/run.h).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/params.h"
#include "physics/physics.h"
#include "zprop/run.h"

static zp_status band(const zp_gm2_keys *g, zp_gm2_ref ref, zp_gm2_result *r, zp_error *err) {
  size_t n = (size_t)g->npoints;
  double lo = g->mzp_min, hi = g->mzp_max;
  r->mzp_mev = malloc(4 * n * sizeof *r->mzp_mev);
  if (r->mzp_mev == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  r->n = n;
  r->g_low = r->mzp_mev + n;
  r->g_high = r->g_low + n;
  r->delta_amu_per_g2 = r->g_high + n;
  for (size_t i = 0; i < n; i++) {
    double t = (double)i / (double)(n - 1);
    double m = g->scale == ZP_SCALE_LOG ? lo * pow(hi / lo, t) : lo + (hi - lo) * t;
    /* The ends exactly as asked, whatever pow() rounds to. */
    r->mzp_mev[i] = i == 0 ? lo : (i == n - 1 ? hi : m);
    double m_gev = r->mzp_mev[i] * ZP_MEV_GEV;
    zp_status st = zp_gm2_band(m_gev, ref, (double)g->band, &r->g_low[i], &r->g_high[i], err);
    if (st == ZP_OK) st = zp_gm2_delta_amu(m_gev, 1.0, &r->delta_amu_per_g2[i], err);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

zp_status zp_params_gm2(zp_params *p, zp_gm2_result *r, zp_error *err) {
  memset(r, 0, sizeof *r);
  if (p == NULL || p->mode != &zp_mode_gm2)
    return zp_error_set(err, ZP_EINVAL, "g-2 needs the parameters of `zprop gm2`");
  zp_status st = zp_params_check(p, err);
  if (st != ZP_OK) return st;
  zp_gm2_ref ref = (zp_gm2_ref)p->fit.gm2_ref;
  r->band = p->gm2.band;
  st = zp_gm2_reference(ref, &r->central, &r->sigma, &r->label, err);
  if (st == ZP_OK && r->band == 0)
    st = zp_gm2_pull(p->cfg.zprime.mzp_mev * ZP_MEV_GEV, p->cfg.zprime.gzp, ref, &r->delta_amu,
                     &r->pull, err);
  else if (st == ZP_OK) st = band(&p->gm2, ref, r, err);
  if (st != ZP_OK) zp_gm2_result_free(r);
  return st;
}

void zp_gm2_result_free(zp_gm2_result *r) {
  if (r == NULL) return;
  free(r->mzp_mev);
  r->mzp_mev = r->g_low = r->g_high = r->delta_amu_per_g2 = NULL;
  r->n = 0;
}
