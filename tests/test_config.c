/* zp_config_check against the parameter table (src/config/param_table.h), the
 * reference for every range: each bound is tried on both sides. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "zprop/zprop.h"

typedef struct {
  const char *key;
  double *field;
  double inside, outside; /* just in and just out of the CLI's range */
} boundary;

static void expect_ok(const zp_config *cfg, const char *what) {
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_config_check(cfg, &err), ZP_OK, "%s refused: %s", what, err.msg);
}

static void expect_refused(const zp_config *cfg, const char *key, const char *what) {
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_config_check(cfg, &err), ZP_EINVAL, "%s accepted", what);
  cr_expect(strncmp(err.msg, key, strlen(key)) == 0, "%s: message '%s' does not name %s", what,
            err.msg, key);
}

Test(config, ranges_match_the_cli_table) {
  zp_config base;
  zp_config_default(&base);
  base.source.kind = ZP_SOURCE_SFR; /* zmax and z0 both checked */
  base.source.z0 = 0.5;
  zp_config c = base;
  const double up = nextafter(1e12, 0.0);
  const boundary cases[] = {
      {"mzp", &c.zprime.mzp_mev, 1000.0, nextafter(1000.0, 2000.0)},
      {"mzp", &c.zprime.mzp_mev, nextafter(0.01, 1.0), 0.01},
      {"gzp", &c.zprime.gzp, 1.0, nextafter(1.0, 2.0)},
      {"gzp", &c.zprime.gzp, 0.0, -1e-300},
      {"gchi", &c.zprime.gchi, 10.0, nextafter(10.0, 20.0)},
      {"mchi", &c.zprime.mchi_mev, 1e4, nextafter(1e4, 2e4)},
      {"theta12", &c.osc.theta12, 90.0, nextafter(90.0, 100.0)},
      {"theta13", &c.osc.theta13, 0.0, -1e-300},
      {"theta23", &c.osc.theta23, 90.0, nextafter(90.0, 100.0)},
      {"delta_cp", &c.osc.delta_cp, 360.0, nextafter(360.0, 400.0)},
      {"delta_cp", &c.osc.delta_cp, 0.0, -1e-300},
      {"sum_mnu", &c.sum_mnu_ev, 1.0, nextafter(1.0, 2.0)},
      {"z0", &c.source.z0, 1e-300, 0.0},
      {"zmax", &c.source.zmax, 20.0, nextafter(20.0, 30.0)},
      {"zmax", &c.source.zmax, 0.5, nextafter(0.5, 0.0)}, /* [z0, 20] */
      {"density_power", &c.source.density_power, 10.0, nextafter(10.0, 20.0)},
      {"gamma", &c.source.gamma, 4.0, nextafter(4.0, 5.0)},
      {"gamma", &c.source.gamma, 1.0, nextafter(1.0, 0.0)},
      {"norm", &c.norm, 1e-10, nextafter(1e-10, 1.0)},
      {"norm", &c.norm, 1e-300, 0.0},
      {"emin", &c.grid.emin_gev, 1.0, nextafter(1.0, 0.0)},
      {"bins_per_decade", &c.grid.bins_per_decade, 1000.0, nextafter(1000.0, 2000.0)},
      {"thermal_kappa", &c.transport.thermal_kappa, 1e6, nextafter(1e6, 2e6)},
      {"thermal_kappa", &c.transport.thermal_kappa, 1.0, nextafter(1.0, 0.0)},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
    c = base;
    *cases[k].field = cases[k].inside;
    expect_ok(&c, cases[k].key);
    c = base;
    *cases[k].field = cases[k].outside;
    expect_refused(&c, cases[k].key, cases[k].key);
    c = base;
    *cases[k].field = NAN;
    expect_refused(&c, cases[k].key, "NaN");
  }
  /* emin [1, 1e12): the CLI refuses 1e12 itself (the library allowed it). */
  c = base;
  c.grid.emin_gev = up;
  c.grid.emax_gev = 1e13;
  expect_ok(&c, "emin just below 1e12");
  c.grid.emin_gev = 1e12;
  expect_refused(&c, "emin", "emin = 1e12");
  /* emax (emin, 1e13] */
  c = base;
  c.grid.emax_gev = 1e13;
  expect_ok(&c, "emax = 1e13");
  c.grid.emax_gev = nextafter(1e13, 2e13);
  expect_refused(&c, "emax", "emax above 1e13");
  c.grid.emax_gev = c.grid.emin_gev;
  expect_refused(&c, "emax", "emax = emin");
  /* z0 (0, 20] also for a source that ignores it, as the CLI checks it */
  c = base;
  c.source.z0 = 25.0;
  c.source.zmax = 20.0;
  expect_refused(&c, "z0", "z0 = 25 for sfr");
  /* a delta source ignores zmax, but zmax must still lie in [z0, 20] */
  c = base;
  c.source.kind = ZP_SOURCE_DELTA;
  c.source.zmax = 25.0;
  expect_refused(&c, "zmax", "zmax = 25 for delta");
  /* dm3l [-1, 1]: no value near the ends leaves sum_min <= 1, so only the
   * outside is tried; it must be named as dm3l, not as sum_mnu. */
  c = base;
  c.osc.dm3l = nextafter(1.0, 2.0);
  expect_refused(&c, "dm3l", "dm3l above 1");
  c = base;
  c.transport.shells_per_bin = 17;
  expect_refused(&c, "shells_per_bin", "shells_per_bin = 17");
}

/* dm21 (0, 1] and the CLI's rule tying dm3l to the ordering. */
Test(config, oscillation_rules_match_the_cli) {
  zp_config c;
  zp_config_default(&c);
  c.osc.dm21 = 0.0;
  expect_refused(&c, "dm21", "dm21 = 0");
  zp_config_default(&c);
  c.osc.dm3l = c.osc.dm21; /* NO needs dm31 > dm21 */
  expect_refused(&c, "dm3l", "NO with dm31 = dm21");
  c.osc.dm3l = nextafter(c.osc.dm21, 1.0);
  c.sum_mnu_ev = 0.5;
  expect_ok(&c, "NO with dm31 just above dm21");
  zp_config_default(&c);
  c.ordering = ZP_ORDERING_IO;
  zp_oscillation_preset(ZP_MIXING_NUFIT50, ZP_ORDERING_IO, &c.osc, NULL);
  c.sum_mnu_ev = 0.5;
  expect_ok(&c, "IO preset");
  c.osc.dm3l = -c.osc.dm21; /* IO needs -dm32 > dm21 */
  expect_refused(&c, "dm3l", "IO with -dm32 = dm21");
  c.osc.dm3l = 2.5e-3; /* the NO sign */
  expect_refused(&c, "dm3l", "IO with dm3l > 0");
  c.ordering = (zp_ordering)7;
  expect_refused(&c, "ordering", "ordering 7");
}
