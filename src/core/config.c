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

/* Bounds as in the CLI's key table (src/cli/params.h), which is the
 * reference: lo_open / hi_open mark "(" and ")" ends. */
static zp_status range(zp_error *err, const char *key, double v, double lo, double hi,
                       int lo_open, int hi_open, const char *unit) {
  int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  if (ok) return ZP_OK;
  return zp_error_set(err, ZP_EINVAL, "%s = %g: out of range, allowed %c%g, %g%c%s%s", key, v,
                      lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']', unit[0] ? " " : "", unit);
}

/* The oscillation keys and the rule tying dm3l to the ordering: checked
 * before sum_mnu, whose lower bound depends on them. */
static zp_status check_osc(const zp_config *cfg, zp_error *err) {
  const zp_oscillation *o = &cfg->osc;
  zp_status st;
  if (cfg->ordering != ZP_ORDERING_NO && cfg->ordering != ZP_ORDERING_IO)
    return zp_error_set(err, ZP_EINVAL, "ordering = %d: unknown, allowed NO (0) or IO (1)",
                        (int)cfg->ordering);
  if ((st = range(err, "theta12", o->theta12, 0.0, 90.0, 0, 0, "deg")) != ZP_OK ||
      (st = range(err, "theta13", o->theta13, 0.0, 90.0, 0, 0, "deg")) != ZP_OK ||
      (st = range(err, "theta23", o->theta23, 0.0, 90.0, 0, 0, "deg")) != ZP_OK ||
      (st = range(err, "delta_cp", o->delta_cp, 0.0, 360.0, 0, 0, "deg")) != ZP_OK ||
      (st = range(err, "dm21", o->dm21, 0.0, 1.0, 1, 0, "eV^2")) != ZP_OK ||
      (st = range(err, "dm3l", o->dm3l, -1.0, 1.0, 0, 0, "eV^2")) != ZP_OK)
    return st;
  /* m1 < m2 < m3 (NO) needs dm31 > dm21; m3 < m1 < m2 (IO) -dm32 > dm21. */
  int io = cfg->ordering == ZP_ORDERING_IO;
  if (io ? -o->dm3l > o->dm21 : o->dm3l > o->dm21) return ZP_OK;
  return zp_error_set(err, ZP_EINVAL, "dm3l = %g eV^2: does not fit the ordering, allowed %s "
                      "(dm21 = %g eV^2)", o->dm3l, io ? "[-1, -dm21) for IO" : "(dm21, 1] for NO",
                      o->dm21);
}

zp_status zp_config_check(const zp_config *cfg, zp_error *err) {
  zp_status st;
#define ZP_CHECK_(call)             \
  do {                              \
    if ((st = (call)) != ZP_OK) return st; \
  } while (0)
  ZP_CHECK_(range(err, "mzp", cfg->zprime.mzp_mev, 0.01, 1000.0, 1, 0, "MeV"));
  ZP_CHECK_(range(err, "gzp", cfg->zprime.gzp, 0.0, 1.0, 0, 0, ""));
  ZP_CHECK_(range(err, "gchi", cfg->zprime.gchi, 0.0, 10.0, 0, 0, ""));
  ZP_CHECK_(range(err, "mchi", cfg->zprime.mchi_mev, 0.0, 1e4, 0, 0, "MeV"));
  ZP_CHECK_(check_osc(cfg, err));
  double smin = zp_min_sum_mnu(&cfg->osc, cfg->ordering);
  if (!(cfg->sum_mnu_ev >= smin * (1.0 - 1e-12)) || !(cfg->sum_mnu_ev <= 1.0))
    return zp_error_set(err, ZP_EINVAL, "sum_mnu = %g eV: out of range, allowed [%.6g, 1] eV for %s",
                        cfg->sum_mnu_ev, smin, cfg->ordering == ZP_ORDERING_NO ? "NO" : "IO");
  /* z0 and zmax for every source kind, as the CLI checks them: a delta
   * source ignores zmax and the others z0, but a value out of range is
   * still a mistake the user should hear about. */
  ZP_CHECK_(range(err, "z0", cfg->source.z0, 0.0, 20.0, 1, 0, ""));
  if (!(cfg->source.zmax >= cfg->source.z0 && cfg->source.zmax <= 20.0))
    return zp_error_set(err, ZP_EINVAL, "zmax = %g: out of range, allowed [z0, 20] (z0 = %g)",
                        cfg->source.zmax, cfg->source.z0);
  ZP_CHECK_(zp_source_check(&cfg->source, err));
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
  ZP_CHECK_(range(err, "norm", cfg->norm, 0.0, 1e-10, 1, 0, "GeV^-1 cm^-2 s^-1 sr^-1"));
  ZP_CHECK_(range(err, "emin", cfg->grid.emin_gev, 1.0, 1e12, 0, 1, "GeV"));
  /* (emin, 1e13]: emin >= 1 is already checked. */
  if (!(cfg->grid.emax_gev > cfg->grid.emin_gev && cfg->grid.emax_gev <= 1e13))
    return zp_error_set(err, ZP_EINVAL, "emax = %g GeV: out of range, allowed (emin, 1e13] GeV "
                        "(emin = %g GeV)", cfg->grid.emax_gev, cfg->grid.emin_gev);
  ZP_CHECK_(range(err, "bins_per_decade", cfg->grid.bins_per_decade, 1.0, 1000.0, 0, 0, ""));
  if (cfg->transport.regeneration != 0 && cfg->transport.regeneration != 1)
    return zp_error_set(err, ZP_EINVAL, "regeneration = %d: allowed off (0) or on (1)",
                        cfg->transport.regeneration);
  if ((int)cfg->transport.thermal < ZP_THERMAL_AUTO || (int)cfg->transport.thermal > ZP_THERMAL_ALWAYS)
    return zp_error_set(err, ZP_EINVAL, "thermal = %d: allowed auto (0), off (1) or always (2)",
                        (int)cfg->transport.thermal);
  ZP_CHECK_(range(err, "thermal_kappa", cfg->transport.thermal_kappa, 1.0, 1e6, 0, 0, ""));
  if (cfg->transport.shells_per_bin < 1 || cfg->transport.shells_per_bin > 16)
    return zp_error_set(err, ZP_EINVAL, "shells_per_bin = %d: out of range, allowed [1, 16]",
                        cfg->transport.shells_per_bin);
  if ((int)cfg->backend < ZP_BACKEND_AUTO || (int)cfg->backend > ZP_BACKEND_CPU_FAST)
    return zp_error_set(err, ZP_EINVAL, "backend = %d: allowed auto (0), cpu (1), cuda (2) or "
                        "cpu_fast (3)", (int)cfg->backend);
#undef ZP_CHECK_
  return ZP_OK;
}
