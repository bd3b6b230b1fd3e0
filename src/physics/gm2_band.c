/* zprop: muon g-2 references, pull and n-sigma coupling band (see zprop/gm2.h).
 * SPDX-License-Identifier: MIT */
#include "zprop/gm2.h"

#include <math.h>
#include <stddef.h>

/* physics.md, section 1.  Written as e-11 literals, the units the document
 * quotes, so the table can be checked by eye; a literal is also the double
 * nearest the decimal value (59 * 1e-11 would be 5.899999999999999e-10). */
static const struct {
  const char *label;
  double central, sigma;
} references[ZP_GM2_REF_COUNT] = {
    [ZP_GM2_WP2020] = {"wp2020", 251e-11, 59e-11},
    [ZP_GM2_WP2020_2023] = {"wp2020_2023", 249e-11, 48e-11},
    [ZP_GM2_BMW2025] = {"bmw2025", 117e-11, 57e-11},
    [ZP_GM2_WP2025] = {"wp2025", 38e-11, 63e-11},
    [ZP_GM2_BMW2021] = {"bmw2021", 107e-11, 70e-11},
};

zp_status zp_gm2_reference(zp_gm2_ref ref, double *central, double *sigma, const char **label,
                           zp_error *err) {
  /* Cast through int: an out-of-range enum may arrive from a cast or a file. */
  if ((int)ref < 0 || (int)ref >= ZP_GM2_REF_COUNT)
    return zp_error_set(err, ZP_EINVAL, "gm2_ref = %d: unknown g-2 reference, allowed 0..%d",
                        (int)ref, ZP_GM2_REF_COUNT - 1);
  if (central != NULL) *central = references[ref].central;
  if (sigma != NULL) *sigma = references[ref].sigma;
  if (label != NULL) *label = references[ref].label;
  return ZP_OK;
}

zp_status zp_gm2_pull(double mzp_gev, double g, zp_gm2_ref ref, double *delta_amu, double *pull,
                      zp_error *err) {
  if (pull == NULL) return zp_error_set(err, ZP_EINVAL, "zp_gm2_pull: pull is NULL");
  double central = 0.0, sigma = 1.0, a = 0.0;
  zp_status st = zp_gm2_reference(ref, &central, &sigma, NULL, err);
  if (st == ZP_OK) st = zp_gm2_delta_amu(mzp_gev, g, &a, err);
  if (st != ZP_OK) return st;
  if (delta_amu != NULL) *delta_amu = a;
  *pull = (a - central) / sigma;
  return ZP_OK;
}

zp_status zp_gm2_band(double mzp_gev, zp_gm2_ref ref, double nsigma, double *g_low, double *g_high,
                      zp_error *err) {
  if (g_low == NULL || g_high == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_gm2_band: g_low or g_high is NULL");
  if (!(nsigma >= 0.0 && isfinite(nsigma)))
    return zp_error_set(err, ZP_EINVAL, "nsigma = %g: must be finite and >= 0", nsigma);
  double central = 0.0, sigma = 1.0, f = 0.0;
  zp_status st = zp_gm2_reference(ref, &central, &sigma, NULL, err);
  /* Delta a_mu = g^2 F(M): one quadrature at g = 1 gives F, and both
   * edges follow by inverting g^2 F = target. */
  if (st == ZP_OK) st = zp_gm2_delta_amu(mzp_gev, 1.0, &f, err);
  if (st != ZP_OK) return st;
  /* F ~ m_mu^2 / (12 pi^2 M^2) only underflows for M far beyond any
   * physical range; dividing by it would give inf, not a band. */
  if (!(f > 0.0 && isfinite(1.0 / f)))
    return zp_error_set(err, ZP_ENUMERIC, "g-2 band: Delta a_mu per g^2 = %g at mzp = %g GeV", f,
                        mzp_gev);
  double lo = central - nsigma * sigma, hi = central + nsigma * sigma;
  *g_low = lo > 0.0 ? sqrt(lo / f) : 0.0;
  *g_high = sqrt(hi / f); /* hi >= central > 0 for every reference */
  return ZP_OK;
}

zp_status zp_gm2_exclusion(double mzp_gev, zp_gm2_ref ref, double nsigma, double *g_excl,
                           zp_error *err) {
  if (g_excl == NULL) return zp_error_set(err, ZP_EINVAL, "zp_gm2_exclusion: g_excl is NULL");
  if (!(nsigma > 0.0 && isfinite(nsigma)))
    return zp_error_set(err, ZP_EINVAL, "gm2_nsigma = %g: must be finite and > 0", nsigma);
  double lo = 0.0;
  return zp_gm2_band(mzp_gev, ref, nsigma, &lo, g_excl, err);
}
