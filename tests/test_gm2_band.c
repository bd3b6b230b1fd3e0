/* zprop tests: muon g-2 references, pull and n-sigma band (zprop/gm2.h), and
 * the `zprop gm2` subcommand run as a separate process.
 *
 * The shape of Delta a_mu itself (check value, heavy and light limits, g^2
 * scaling) is tested in test_gm2.c; here the check value is only taken
 * again through zp_gm2_pull, and the rest is what this layer adds.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "zprop/gm2.h"
#include "physics/physics.h"

static const zp_gm2_ref all_refs[] = {ZP_GM2_WP2020, ZP_GM2_WP2020_2023, ZP_GM2_BMW2025,
                                      ZP_GM2_WP2025, ZP_GM2_BMW2021};
enum { NREFS = sizeof all_refs / sizeof all_refs[0] };

static double amu(double m_gev, double g) {
  double out = NAN;
  zp_error err;
  cr_assert_eq(zp_gm2_delta_amu(m_gev, g, &out, &err), ZP_OK, "%s", err.msg);
  return out;
}

static void reference(zp_gm2_ref ref, double *central, double *sigma) {
  zp_error err;
  cr_assert_eq(zp_gm2_reference(ref, central, sigma, NULL, &err), ZP_OK, "%s", err.msg);
}

static void band(double m_gev, zp_gm2_ref ref, double n, double *lo, double *hi) {
  zp_error err;
  *lo = *hi = NAN;
  cr_assert_eq(zp_gm2_band(m_gev, ref, n, lo, hi, &err), ZP_OK, "%s", err.msg);
}

/* ------------------------------------------------------------ library */

Test(gm2_reference, values_of_physics_md) {
  /* physics.md, section 1, units of 1e-11, written out here so that a typo
   * in the library's table fails a test. */
  const struct {
    zp_gm2_ref ref;
    const char *label;
    double central, sigma;
  } want[] = {{ZP_GM2_WP2020, "wp2020", 251, 59},
              {ZP_GM2_WP2020_2023, "wp2020_2023", 249, 48},
              {ZP_GM2_BMW2025, "bmw2025", 117, 57},
              {ZP_GM2_WP2025, "wp2025", 38, 63},
              {ZP_GM2_BMW2021, "bmw2021", 107, 70}}; /* V-Eq. 7: (10.7 +- 7.0) x 1e-10 */
  cr_assert_eq(ZP_GM2_REF_COUNT, 5);
  /* The enumerators are fixed: journals and Python store the numbers. */
  cr_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2020_2023 == 1 && ZP_GM2_BMW2025 == 2 &&
            ZP_GM2_WP2025 == 3 && ZP_GM2_BMW2021 == 4);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    double c = NAN, s = NAN;
    const char *label = NULL;
    zp_error err;
    cr_assert_eq(zp_gm2_reference(want[i].ref, &c, &s, &label, &err), ZP_OK, "%s", err.msg);
    cr_assert(zp_test_close(c, want[i].central * 1e-11, 1e-15), "%s central %g", label, c);
    cr_assert(zp_test_close(s, want[i].sigma * 1e-11, 1e-15), "%s sigma %g", label, s);
    cr_assert_str_eq(label, want[i].label);
  }
  /* WP2020 is the first enumerator, so a zeroed struct means the default. */
  cr_assert_eq(ZP_GM2_WP2020, 0);
}

Test(gm2_reference, outputs_may_be_null_and_bad_ref_is_einval) {
  const char *label = NULL;
  cr_assert_eq(zp_gm2_reference(ZP_GM2_BMW2025, NULL, NULL, &label, NULL), ZP_OK);
  cr_assert_str_eq(label, "bmw2025");
  zp_error err;
  double c = 0.0;
  cr_assert_eq(zp_gm2_reference((zp_gm2_ref)ZP_GM2_REF_COUNT, &c, NULL, NULL, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "gm2_ref"), "%s", err.msg);
  cr_assert_eq(zp_gm2_reference((zp_gm2_ref)-1, &c, NULL, NULL, &err), ZP_EINVAL);
}

Test(gm2_pull, check_value) {
  /* physics.md: g = 5e-4, M = 13 MeV gives 2.33e-9 (3 digits). */
  double a = NAN, pull = NAN;
  zp_error err;
  cr_assert_eq(zp_gm2_pull(13.0 * ZP_MEV_GEV, 5e-4, ZP_GM2_WP2020, &a, &pull, &err), ZP_OK, "%s",
               err.msg);
  cr_assert(zp_test_close(a, 2.33e-9, 5e-3), "Delta a_mu = %.6e", a);
  cr_assert(zp_test_close(pull, (a - 251e-11) / 59e-11, 1e-14), "pull = %.6f", pull);
  /* 2.33 against 2.51 +- 0.59: a third of a sigma short. */
  cr_assert(pull > -0.35 && pull < -0.28, "pull = %.6f", pull);
  /* delta_amu may be NULL; the pull is the same. */
  double pull2 = NAN;
  cr_assert_eq(zp_gm2_pull(13.0 * ZP_MEV_GEV, 5e-4, ZP_GM2_WP2020, NULL, &pull2, &err), ZP_OK);
  cr_assert_eq(pull2, pull);
}

Test(gm2_pull, sign) {
  for (int i = 0; i < NREFS; i++) {
    double c, s, a, pull;
    reference(all_refs[i], &c, &s);
    zp_error err;
    /* No Z': the pull is minus the anomaly in sigmas, negative. */
    cr_assert_eq(zp_gm2_pull(0.02, 0.0, all_refs[i], &a, &pull, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(a, 0.0);
    cr_assert(zp_test_close(pull, -c / s, 1e-14) && pull < 0.0, "ref %d: %g", i, pull);
    /* A coupling far above the band overshoots: positive. */
    double lo, hi;
    band(0.02, all_refs[i], 2.0, &lo, &hi);
    cr_assert_eq(zp_gm2_pull(0.02, 2.0 * hi, all_refs[i], &a, &pull, &err), ZP_OK);
    cr_assert(pull > 2.0, "ref %d: pull %g above the 2 sigma band", i, pull);
    /* Only g^2 enters: -g gives the same pull. */
    double pull_neg;
    cr_assert_eq(zp_gm2_pull(0.02, -2.0 * hi, all_refs[i], NULL, &pull_neg, &err), ZP_OK);
    cr_assert_eq(pull_neg, pull);
  }
}

Test(gm2_pull, rejects_bad_input) {
  double a, pull;
  zp_error err;
  cr_assert_eq(zp_gm2_pull(0.0, 5e-4, ZP_GM2_WP2020, &a, &pull, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "mzp"), "%s", err.msg);
  cr_assert_eq(zp_gm2_pull(0.013, NAN, ZP_GM2_WP2020, &a, &pull, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "gzp"), "%s", err.msg);
  cr_assert_eq(zp_gm2_pull(0.013, 5e-4, (zp_gm2_ref)9, &a, &pull, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "gm2_ref"), "%s", err.msg);
  cr_assert_eq(zp_gm2_pull(0.013, 5e-4, ZP_GM2_WP2020, &a, NULL, &err), ZP_EINVAL);
}

Test(gm2_band, edges_give_central_minus_plus_n_sigma) {
  /* Light, resonance-region, near-m_mu and heavy masses. */
  const double ms[] = {1e-4, 0.013, 0.1, 1.0, 100.0};
  const double ns[] = {1.0, 2.0, 0.5};
  for (size_t im = 0; im < sizeof ms / sizeof ms[0]; im++)
    for (int ir = 0; ir < NREFS; ir++)
      for (size_t in = 0; in < sizeof ns / sizeof ns[0]; in++) {
        double m = ms[im], n = ns[in], c, s, lo, hi;
        reference(all_refs[ir], &c, &s);
        band(m, all_refs[ir], n, &lo, &hi);
        cr_assert(lo >= 0.0 && lo < hi, "M = %g ref %d n = %g: [%g, %g]", m, ir, n, lo, hi);
        double ahi = amu(m, hi);
        cr_assert(zp_test_close(ahi, c + n * s, 1e-10), "M = %g ref %d n = %g: %.12e vs %.12e", m,
                  ir, n, ahi, c + n * s);
        if (c - n * s > 0.0) {
          double alo = amu(m, lo);
          cr_assert(zp_test_close(alo, c - n * s, 1e-10), "M = %g ref %d n = %g: %.12e vs %.12e", m,
                    ir, n, alo, c - n * s);
        } else {
          cr_assert_eq(lo, 0.0, "M = %g ref %d n = %g: g_low = %g", m, ir, n, lo);
        }
        /* The pull at the edges is -/+ n: the band is what the pull says. */
        double pull;
        zp_error err;
        cr_assert_eq(zp_gm2_pull(m, hi, all_refs[ir], NULL, &pull, &err), ZP_OK);
        cr_assert(fabs(pull - n) < 1e-9, "pull at g_high = %.12f, n = %g", pull, n);
      }
}

Test(gm2_band, wp2025_reaches_g_zero) {
  /* 38 - 2 x 63 < 0 (and 38 - 63 < 0): no anomaly, g = 0 is inside. */
  double lo = NAN, hi = NAN;
  band(0.013, ZP_GM2_WP2025, 2.0, &lo, &hi);
  cr_assert_eq(lo, 0.0);
  cr_assert(hi > 0.0);
  band(0.013, ZP_GM2_WP2025, 1.0, &lo, &hi);
  cr_assert_eq(lo, 0.0);
  /* 117 - 2 x 57 = 3 > 0: bmw2025 keeps a (small) lower edge at 2 sigma. */
  band(0.013, ZP_GM2_BMW2025, 2.0, &lo, &hi);
  cr_assert(lo > 0.0 && lo < 0.2 * hi, "[%g, %g]", lo, hi);
}

Test(gm2_band, bmw2021_closed_form) {
  /* V-Eq. 7: 107 - 2 x 70 < 0, so at 2 sigma g = 0 is inside and only the
   * upper edge remains; 107 - 70 > 0 keeps a lower edge at 1 sigma.  For a
   * heavy Z' (r = m_mu^2/M^2 -> 0) the integral tends to 1/3, F = r/(12 pi^2),
   * so g_high = sqrt(12 pi^2 (107 + 2 x 70) 1e-11 / r), to O(r ln r). */
  double lo = NAN, hi = NAN;
  band(100.0, ZP_GM2_BMW2021, 2.0, &lo, &hi);
  cr_assert_eq(lo, 0.0);
  double r = ZP_M_MU_GEV * ZP_M_MU_GEV / (100.0 * 100.0);
  double want = sqrt(12.0 * ZP_PI * ZP_PI * 247e-11 / r);
  cr_assert(fabs(hi / want - 1.0) < 1e-4, "g_high %.10g, closed form %.10g", hi, want);
  band(0.013, ZP_GM2_BMW2021, 1.0, &lo, &hi);
  double f = amu(0.013, 1.0);
  cr_assert(zp_test_close(lo * lo * f, 37e-11, 1e-12), "g_low %g", lo);
  cr_assert(zp_test_close(hi * hi * f, 177e-11, 1e-12), "g_high %g", hi);
}

Test(gm2_band, nesting_and_zero_width) {
  double lo1, hi1, lo2, hi2, lo0, hi0;
  band(0.03, ZP_GM2_WP2020_2023, 1.0, &lo1, &hi1);
  band(0.03, ZP_GM2_WP2020_2023, 2.0, &lo2, &hi2);
  cr_assert(lo2 < lo1 && lo1 < hi1 && hi1 < hi2, "1 sigma [%g, %g], 2 sigma [%g, %g]", lo1, hi1,
            lo2, hi2);
  /* n = 0: both edges at the central value. */
  band(0.03, ZP_GM2_WP2020_2023, 0.0, &lo0, &hi0);
  cr_assert(zp_test_close(lo0, hi0, 1e-15) && lo1 < lo0 && lo0 < hi1);
}

Test(gm2_band, follows_the_mass_dependence) {
  /* Not the Delta a_mu limits again (test_gm2.c) but what they mean for the
   * band: g_high ~ M for M >> m_mu, and a constant sqrt(8 pi^2 (c + n s))
   * for M << m_mu. */
  double c, s, lo_a, hi_a, lo_b, hi_b;
  reference(ZP_GM2_WP2020, &c, &s);
  band(100.0, ZP_GM2_WP2020, 1.0, &lo_a, &hi_a);
  band(1000.0, ZP_GM2_WP2020, 1.0, &lo_b, &hi_b);
  cr_assert(zp_test_close(hi_b / hi_a, 10.0, 1e-4), "ratio %.8f", hi_b / hi_a);
  cr_assert(zp_test_close(lo_b / lo_a, 10.0, 1e-4), "ratio %.8f", lo_b / lo_a);
  double heavy = 1000.0 / ZP_M_MU_GEV * sqrt(12.0 * ZP_PI * ZP_PI * (c + s));
  cr_assert(zp_test_close(hi_b, heavy, 1e-5), "%.10e vs %.10e", hi_b, heavy);
  band(1e-6, ZP_GM2_WP2020, 1.0, &lo_a, &hi_a);
  double light = sqrt(8.0 * ZP_PI * ZP_PI * (c + s));
  /* First correction to Delta a_mu is pi M/m_mu = 3e-5, half that in g. */
  cr_assert(zp_test_close(hi_a, light, 3e-5), "%.10e vs %.10e", hi_a, light);
}

Test(gm2_band, rejects_bad_input) {
  double lo = -1.0, hi = -1.0;
  zp_error err;
  cr_assert_eq(zp_gm2_band(0.013, ZP_GM2_WP2020, -1.0, &lo, &hi, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "nsigma"), "%s", err.msg);
  cr_assert_eq(zp_gm2_band(0.013, ZP_GM2_WP2020, NAN, &lo, &hi, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_band(0.013, ZP_GM2_WP2020, INFINITY, &lo, &hi, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_band(-0.013, ZP_GM2_WP2020, 1.0, &lo, &hi, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "mzp"), "%s", err.msg);
  cr_assert_eq(zp_gm2_band(0.013, (zp_gm2_ref)7, 1.0, &lo, &hi, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "gm2_ref"), "%s", err.msg);
  cr_assert_eq(zp_gm2_band(0.013, ZP_GM2_WP2020, 1.0, NULL, &hi, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_band(0.013, ZP_GM2_WP2020, 1.0, &lo, NULL, &err), ZP_EINVAL);
  /* Nothing written on failure. */
  cr_assert(lo == -1.0 && hi == -1.0);
}

Test(gm2_exclusion, is_the_upper_band_edge_and_the_closed_form) {
  for (size_t ir = 0; ir < NREFS; ir++)
    for (double m = 1e-3; m < 20.0; m *= 7.3)
      for (double n = 0.5; n <= 5.0; n += 1.5) {
        double lo, hi, g = NAN;
        zp_error err;
        band(m, all_refs[ir], n, &lo, &hi);
        cr_assert_eq(zp_gm2_exclusion(m, all_refs[ir], n, &g, &err), ZP_OK, "%s", err.msg);
        cr_assert_eq(g, hi, "M = %g ref %zu n = %g: %g vs band %g", m, ir, n, g, hi);
        /* Delta a_mu(g_excl) = central + n sigma: above it, excluded. */
        double c, s;
        reference(all_refs[ir], &c, &s);
        cr_assert(zp_test_close(amu(m, g), c + n * s, 1e-12), "M = %g: %g vs %g", m, amu(m, g),
                  c + n * s);
      }
  /* bmw2021 at 2 sigma, heavy Z': sqrt(12 pi^2 (107 + 140) 1e-11 / r). */
  double g = NAN, r = ZP_M_MU_GEV * ZP_M_MU_GEV / (50.0 * 50.0);
  cr_assert_eq(zp_gm2_exclusion(50.0, ZP_GM2_BMW2021, 2.0, &g, NULL), ZP_OK);
  cr_assert(fabs(g / sqrt(12.0 * ZP_PI * ZP_PI * 247e-11 / r) - 1.0) < 1e-4, "%.10g", g);
}

Test(gm2_exclusion, rejects_bad_input) {
  double g = -1.0;
  zp_error err;
  cr_assert_eq(zp_gm2_exclusion(0.013, ZP_GM2_BMW2021, 0.0, &g, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "nsigma"), "%s", err.msg);
  cr_assert_eq(zp_gm2_exclusion(0.013, ZP_GM2_BMW2021, NAN, &g, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_exclusion(0.013, ZP_GM2_BMW2021, -2.0, &g, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_exclusion(0.0, ZP_GM2_BMW2021, 2.0, &g, &err), ZP_EINVAL);
  cr_assert_not_null(strstr(err.msg, "mzp"), "%s", err.msg);
  cr_assert_eq(zp_gm2_exclusion(0.013, (zp_gm2_ref)ZP_GM2_REF_COUNT, 2.0, &g, &err), ZP_EINVAL);
  cr_assert_eq(zp_gm2_exclusion(0.013, ZP_GM2_BMW2021, 2.0, NULL, &err), ZP_EINVAL);
  cr_assert_eq(g, -1.0);
}

/* ---------------------------------------------------------------- CLI */

static char errbuf[8192];

/** Runs `zprop <printf(fmt, ...)>`, stderr into errbuf. */
#define run(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, __VA_ARGS__)

static void assert_one_line(void) {
  size_t n = strlen(errbuf);
  cr_assert(n > 0 && errbuf[n - 1] == '\n', "stderr must end in a newline: [%s]", errbuf);
  cr_assert_eq(zp_test_count_lines(errbuf), 1, "stderr must be exactly one line: [%s]", errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0, "stderr must start with 'zprop: ': [%s]", errbuf);
}

/** Rows of a band table, checked as they are read: four numbers each,
 *  0 <= g_low < g_high (or g_low == 0 when @p low_zero), increasing mass. */
typedef struct {
  int rows;
  double first_m, last_m, second_m;
} table_info;

static table_info check_table(const char *text, int low_zero) {
  table_info t = {0, NAN, NAN, NAN};
  const char *columns = strstr(text, "\n# mzp_MeV\tg_low\tg_high\tdelta_amu_per_g2\n");
  cr_assert_not_null(columns, "no column line in [%.400s]", text);
  double prev = 0.0;
  for (const char *line = strchr(columns + 1, '\n') + 1; *line != '\0';) {
    double m, lo, hi, f;
    cr_assert_eq(sscanf(line, "%lf\t%lf\t%lf\t%lf", &m, &lo, &hi, &f), 4, "row [%.80s]", line);
    cr_assert(m > prev, "masses must increase: %g after %g", m, prev);
    cr_assert(lo >= 0.0 && lo < hi, "M = %g: g_low %g, g_high %g", m, lo, hi);
    if (low_zero) cr_assert_eq(lo, 0.0, "M = %g: g_low %g", m, lo);
    else cr_assert(lo > 0.0, "M = %g: g_low %g", m, lo);
    /* The table's own columns agree with the library at its 11 digits. */
    cr_assert(zp_test_close(f, amu(m * ZP_MEV_GEV, 1.0), 1e-9), "M = %g: F = %.10e", m, f);
    if (t.rows == 0) t.first_m = m;
    if (t.rows == 1) t.second_m = m;
    t.last_m = prev = m;
    t.rows++;
    const char *end = strchr(line, '\n');
    cr_assert_not_null(end, "last row without a newline");
    line = end + 1;
  }
  return t;
}

Test(gm2_cli, point_prints_three_lines) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/point.txt", dir);
  cr_assert_eq(run("gm2 mzp=13 > %s", path), 0, "stderr [%s]", errbuf);
  cr_assert_str_empty(errbuf);
  char *text = zp_test_read_file_or_fail(path);
  cr_assert_eq(zp_test_count_lines(text), 3, "[%s]", text);
  double a = NAN, pull = NAN, c = NAN, s = NAN;
  char label[32] = "";
  cr_assert_eq(sscanf(text, "delta_amu = %lf\npull = %lf\nreference = %31s %lf +- %lf", &a, &pull,
                      label, &c, &s),
               5, "[%s]", text);
  cr_assert(zp_test_close(a, 2.33e-9, 5e-3), "delta_amu = %g", a);
  double a_lib, pull_lib;
  zp_error err;
  cr_assert_eq(zp_gm2_pull(13.0 * ZP_MEV_GEV, 5e-4, ZP_GM2_WP2020, &a_lib, &pull_lib, &err), ZP_OK);
  cr_assert(zp_test_close(a, a_lib, 1e-6), "%.6e vs %.10e", a, a_lib);      /* %.6e */
  cr_assert(fabs(pull - pull_lib) <= 5e-5, "%.4f vs %.8f", pull, pull_lib); /* %.4f */
  cr_assert_str_eq(label, "wp2020");
  cr_assert(c == 251e-11 && s == 59e-11, "reference %g +- %g", c, s);
  free(text);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, bmw2021_reference) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/point.txt", dir);
  cr_assert_eq(run("gm2 gm2_ref=bmw2021 output=%s", path), 0, "[%s]", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  cr_assert_not_null(strstr(text, "\nreference = bmw2021 1.07e-9 +- 7e-10\n"), "[%s]", text);
  double a = NAN, pull = NAN;
  cr_assert_eq(sscanf(text, "delta_amu = %lf\npull = %lf", &a, &pull), 2);
  cr_assert(fabs(pull - (amu(0.013, 5e-4) - 107e-11) / 70e-11) < 1e-4, "pull %g", pull);
  free(text);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, point_with_other_reference) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/point.txt", dir);
  /* Words in any case, as for spectrum. */
  cr_assert_eq(run("gm2 gm2_ref=WP2025 mzp=20 gzp=1e-3 output=%s", path), 0, "[%s]", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  cr_assert_not_null(strstr(text, "\nreference = wp2025 3.8e-10 +- 6.3e-10\n"), "[%s]", text);
  double a = NAN, pull = NAN;
  cr_assert_eq(sscanf(text, "delta_amu = %lf\npull = %lf", &a, &pull), 2);
  cr_assert(pull > 0.0, "g = 1e-3 overshoots wp2025: pull %g", pull);
  cr_assert(zp_test_close(a, amu(0.02, 1e-3), 1e-6));
  free(text);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, band_table) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/band.tsv", dir);
  cr_assert_eq(run("gm2 band=1 npoints=37 output=%s", path), 0, "[%s]", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  table_info t = check_table(text, 0);
  cr_assert_eq(t.rows, 37);
  cr_assert(t.first_m == 1.0 && t.last_m == 1000.0, "%g .. %g", t.first_m, t.last_m);
  /* log spacing: 36 equal ratios from 1 to 1000 */
  cr_assert(zp_test_close(t.second_m, pow(1000.0, 1.0 / 36.0), 1e-9), "%g", t.second_m);
  const char *header[] = {"## zprop ",           "\n# mzp = 13\n",
                          "\n# gzp = 5e-4\n",    "\n# gm2_ref = wp2020\n",
                          "\n# band = 1\n",      "\n# mzp_min = 1\n",
                          "\n# mzp_max = 1e3\n", "\n# npoints = 37\n",
                          "\n# scale = log\n",   "\n# output = "};
  for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
    cr_assert_not_null(strstr(text, header[i]), "header lacks [%s]", header[i]);
  /* Atomic write: the table and nothing else (no temporary left). */
  cr_assert_eq(zp_test_dir_entries(dir), 1);
  /* One line on success, like spectrum. */
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "37 rows"), "[%s]", errbuf);
  free(text);

  /* A rerun replaces the table whole, still without leftovers. */
  cr_assert_eq(run("gm2 band=2 npoints=5 gm2_ref=bmw2025 output=%s", path), 0, "[%s]", errbuf);
  text = zp_test_read_file_or_fail(path);
  cr_assert_eq(check_table(text, 0).rows, 5);
  cr_assert_not_null(strstr(text, "\n# gm2_ref = bmw2025\n"));
  cr_assert_eq(zp_test_dir_entries(dir), 1);
  free(text);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, band_wp2025_linear_to_stdout) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/band.tsv", dir);
  cr_assert_eq(run("gm2 band=2 gm2_ref=wp2025 scale=linear mzp_min=10 mzp_max=100 npoints=10 > %s",
                   path),
               0, "[%s]", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  table_info t = check_table(text, 1); /* 38 - 2 x 63 < 0: g_low = 0 everywhere */
  cr_assert_eq(t.rows, 10);
  cr_assert(t.first_m == 10.0 && t.last_m == 100.0 && t.second_m == 20.0, "%g %g %g", t.first_m,
            t.second_m, t.last_m);
  cr_assert_not_null(strstr(text, "\n## g_low = 0"), "the table must say why g_low is 0");
  free(text);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, bad_input_is_one_line_and_exit_2) {
  const struct {
    const char *args, *says;
  } bad[] = {
      {"gzp=-1", "gzp = -1: out of range, allowed [0, 10]"},
      {"mzp=0.01", "mzp = 0.01: out of range, allowed (0.01, 1e5]"},
      {"mzp=2e5", "mzp = 2e5: out of range"},
      {"mzp=13MeV", "mzp = 13MeV: not a number"},
      {"gzp=nan", "gzp = nan: not a number"},
      {"gm2_ref=wp2030",
       "gm2_ref = wp2030: unknown word, allowed wp2020|wp2020_2023|bmw2025|wp2025|bmw2021"},
      {"band=3", "band = 3: out of range, allowed [0, 2]"},
      {"band=1.5", "band = 1.5: not an integer"},
      {"npoints=1", "npoints = 1: out of range, allowed [2, 100000]"},
      {"npoints=100001", "npoints = 100001: out of range"},
      {"scale=cubic", "scale = cubic: unknown word, allowed log|linear"},
      {"mzp_min=0", "mzp_min = 0: out of range"},
      {"mzp_min=10 mzp_max=5", "mzp_max = 5: out of range, allowed (mzp_min, 1e5] (mzp_min = 10)"},
      {"mzp_min=2000", "mzp_max = 1000: out of range"}, /* the default now below mzp_min */
      {"mzpp=13", "mzpp = 13: unknown key"},
      {"mzp=13 mzp=14", "mzp = 14: given twice"},
      {"run.ini", "run.ini: expected key=value"},
      {"--dry-run", "--dry-run: unknown option"},
  };
  char dir[64];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    /* band=1 (unless under test) and a file output: a failure must not
     * leave a table behind. */
    const char *mode = strstr(bad[i].args, "band=") != NULL ? "" : "band=1";
    int rc = run("gm2 %s output=%s/x.tsv %s", mode, dir, bad[i].args);
    cr_assert_eq(rc, 2, "`gm2 %s`: exit %d; stderr [%s]", bad[i].args, rc, errbuf);
    assert_one_line();
    cr_assert_not_null(strstr(errbuf, bad[i].says), "`gm2 %s`: [%s], expected [%s]", bad[i].args,
                       errbuf, bad[i].says);
    cr_assert_eq(zp_test_dir_entries(dir), 0, "`gm2 %s` left a file", bad[i].args);
  }
  /* An output that cannot be written: empty, a directory, a missing directory. */
  cr_assert_eq(run("gm2 output="), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "output = \"\": empty"), "[%s]", errbuf);
  cr_assert_eq(run("gm2 band=1 output=%s", dir), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "output = "), "[%s]", errbuf);
  cr_assert_eq(run("gm2 output=%s/no/such.tsv", dir), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "output = "), "[%s]", errbuf);
  cr_assert_eq(zp_test_dir_entries(dir), 0);
  zp_test_remove_dir(dir);
}

Test(gm2_cli, help_lists_keys_defaults_ranges) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/help.txt", dir);
  /* --help wins even over a bad key on the same line. */
  cr_assert_eq(run("gm2 gzp=-1 --help > %s", path), 0, "[%s]", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  const char *keys[] = {"mzp",     "gzp",     "gm2_ref", "band",  "mzp_min",
                        "mzp_max", "npoints", "scale",   "output"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char pat[32];
    snprintf(pat, sizeof pat, "\n  %s ", keys[i]);
    cr_assert_not_null(strstr(text, pat), "help does not list %s", keys[i]);
  }
  const char *words[] = {
      "(0.01, 1e5]", "[0, 10]",        "5e-4",        "wp2020|wp2020_2023|bmw2025|wp2025|bmw2021",
      "[0, 2]",      "(mzp_min, 1e5]", "[2, 100000]", "log|linear",
      "200",         "1000",           "251 +- 59",   "38 +- 63",
      "107 +- 70"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    cr_assert_not_null(strstr(text, words[i]), "help does not mention %s", words[i]);
  free(text);
  /* and the top-level help names the subcommand */
  cr_assert_eq(run("--help > %s", path), 0);
  text = zp_test_read_file_or_fail(path);
  cr_assert_not_null(strstr(text, "\n  gm2 "), "zprop --help does not list gm2");
  free(text);
  zp_test_remove_dir(dir);
}
