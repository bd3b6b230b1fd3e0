/* zprop: defaults and validation of a spectrum configuration.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>

#include "zprop/spectrum.h"

void zp_config_default(zp_config *cfg) {
  *cfg = (zp_config){0};
  cfg->zprime = (zp_zprime){.mzp_mev = 13.0, .gzp = 5e-4, .gchi = 0.0, .mchi_mev = 0.0};
  cfg->ordering = ZP_ORDERING_NO;
  zp_oscillation_preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO, &cfg->osc, NULL);
  cfg->sum_mnu_ev = 0.12;
  cfg->source = (zp_source){.kind = ZP_SOURCE_DELTA, .z0 = 1.0, .zmax = 6.0,
                            .density_power = 0.0, .gamma = 2.5, .table = NULL};
  cfg->flavor_ratio[0] = 1.0;
  cfg->flavor_ratio[1] = 2.0;
  cfg->flavor_ratio[2] = 0.0;
  cfg->flavor_equal = 0;
  cfg->norm = 1.66e-18;
  cfg->grid = (zp_grid_spec){.emin_gev = 1e3, .emax_gev = 1e9, .bins_per_decade = 60.0};
  cfg->transport = (zp_transport_opts){.regeneration = 1, .thermal = ZP_THERMAL_AUTO,
                                       .thermal_kappa = 100.0, .shells_per_bin = 1};
  cfg->backend = ZP_BACKEND_AUTO;
}

static zp_status range(zp_error *err, const char *key, double v, double lo, double hi,
                       int lo_open, const char *unit) {
  int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
  if (ok) return ZP_OK;
  return zp_error_set(err, ZP_EINVAL, "%s = %g: out of range, allowed %c%g, %g]%s%s", key, v,
                      lo_open ? '(' : '[', lo, hi, unit[0] ? " " : "", unit);
}

zp_status zp_config_check(const zp_config *cfg, zp_error *err) {
  zp_status st;
#define ZP_CHECK_(call)             \
  do {                              \
    if ((st = (call)) != ZP_OK) return st; \
  } while (0)
  ZP_CHECK_(range(err, "mzp", cfg->zprime.mzp_mev, 0.01, 1000.0, 1, "MeV"));
  ZP_CHECK_(range(err, "gzp", cfg->zprime.gzp, 0.0, 1.0, 0, ""));
  ZP_CHECK_(range(err, "gchi", cfg->zprime.gchi, 0.0, 10.0, 0, ""));
  ZP_CHECK_(range(err, "mchi", cfg->zprime.mchi_mev, 0.0, 1e4, 0, "MeV"));
  double smin = zp_min_sum_mnu(&cfg->osc, cfg->ordering);
  if (!(cfg->sum_mnu_ev >= smin * (1.0 - 1e-12)) || !(cfg->sum_mnu_ev <= 1.0))
    return zp_error_set(err, ZP_EINVAL, "sum_mnu = %g eV: out of range, allowed [%.6g, 1] eV for %s",
                        cfg->sum_mnu_ev, smin, cfg->ordering == ZP_ORDERING_NO ? "NO" : "IO");
  ZP_CHECK_(zp_source_check(&cfg->source, err));
  /* Also for a delta source, which ignores zmax: a zmax below z0 is a
   * contradiction the user should hear about. */
  if (cfg->source.zmax < cfg->source.z0)
    return zp_error_set(err, ZP_EINVAL, "zmax = %g: must be >= z0 = %g", cfg->source.zmax,
                        cfg->source.z0);
  if (!cfg->flavor_equal) {
    double s = 0.0;
    for (int a = 0; a < 3; ++a) {
      if (!(cfg->flavor_ratio[a] >= 0.0) || !isfinite(cfg->flavor_ratio[a]))
        return zp_error_set(err, ZP_EINVAL, "flavor_ratio: entries must be finite and >= 0");
      s += cfg->flavor_ratio[a];
    }
    if (!(s > 0.0))
      return zp_error_set(err, ZP_EINVAL, "flavor_ratio = 0:0:0: at least one entry must be > 0");
  }
  ZP_CHECK_(range(err, "norm", cfg->norm, 0.0, 1e-10, 1, "GeV^-1 cm^-2 s^-1 sr^-1"));
  ZP_CHECK_(range(err, "emin", cfg->grid.emin_gev, 1.0, 1e12, 0, "GeV"));
  ZP_CHECK_(range(err, "emax", cfg->grid.emax_gev, 1.0, 1e13, 0, "GeV"));
  if (!(cfg->grid.emax_gev > cfg->grid.emin_gev))
    return zp_error_set(err, ZP_EINVAL, "emax = %g GeV: empty grid, must be > emin = %g GeV",
                        cfg->grid.emax_gev, cfg->grid.emin_gev);
  ZP_CHECK_(range(err, "bins_per_decade", cfg->grid.bins_per_decade, 1.0, 1000.0, 0, ""));
  ZP_CHECK_(range(err, "thermal_kappa", cfg->transport.thermal_kappa, 1.0, 1e6, 0, ""));
  if (cfg->transport.shells_per_bin < 1 || cfg->transport.shells_per_bin > 16)
    return zp_error_set(err, ZP_EINVAL, "shells_per_bin = %d: out of range, allowed [1, 16]",
                        cfg->transport.shells_per_bin);
#undef ZP_CHECK_
  return ZP_OK;
}
