/* zprop tests: source densities, shell integrals, the table loader and
 * source validation (physics.md section 2, "Sources").
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "physics/source_bllac.h"
#include "support.h"
#include "physics/physics.h"
#include "zprop/source.h"
#include "zprop/spectrum.h"

static zp_source make(zp_source_kind kind) {
  zp_source s = {kind, 1.0, 6.0, 0.0, 2.5, NULL};
  return s;
}

static double shell(const zp_source *s, double lo, double hi) {
  double out = NAN;
  zp_error err;
  cr_assert_eq(zp_source_shell_integral(s, lo, hi, &out, &err), ZP_OK, "%s", err.msg);
  return out;
}

/* Antiderivative of (1+z)^2 / E(z) in z. */
static double a2_over_e(double z) { return 2.0 / (3.0 * ZP_OMEGA_M) * zp_hubble_e(z); }

Test(source, sfr_normalised_and_continuous) {
  zp_source s = make(ZP_SOURCE_SFR);
  cr_assert_eq(zp_source_density(&s, 0.0), 1.0);
  cr_assert(zp_test_close(zp_source_density(&s, 1.0), pow(2.0, 3.4), 1e-14));
  const double brk[2] = {1.0, 4.0};
  for (int k = 0; k < 2; ++k) {
    double below = zp_source_density(&s, brk[k] * (1.0 - 1e-13));
    double above = zp_source_density(&s, brk[k] * (1.0 + 1e-13));
    /* The slope moves rho by ~1e-12 relative over 2e-13 in z; a jump would not. */
    cr_assert(zp_test_close(below, above, 1e-11), "jump at z = %g: %.17g vs %.17g", brk[k], below,
              above);
  }
}

Test(source, smooth_sfr_tracks_broken) {
  zp_source b = make(ZP_SOURCE_SFR), s = make(ZP_SOURCE_SFR_SMOOTH);
  cr_assert(zp_test_close(zp_source_density(&s, 0.0), 1.0, 1e-15));
  double worst = 0.0;
  for (double z = 0.0; z <= 6.0; z += 0.01)
    worst = fmax(worst, fabs(zp_source_density(&s, z) / zp_source_density(&b, z) - 1.0));
  /* eta = -10 rounds each break by up to 1 - 2^(-1/10) = 6.7%. */
  cr_assert(worst < 0.08, "smooth/broken differ by %.3f", worst);
  cr_assert(worst > 0.05, "smooth form shows no rounding at the breaks (%.3f)", worst);
}

Test(source, density_power_zmax_and_delta) {
  zp_source s = make(ZP_SOURCE_SFR_SMOOTH), p = s;
  p.density_power = 3.0;
  /* One extra pow and product: rounding, 1e-14. */
  for (double z = 0.0; z <= 6.0; z += 0.37)
    cr_assert(zp_test_close(zp_source_density(&p, z), pow(1.0 + z, 3.0) * zp_source_density(&s, z),
                            1e-14));
  cr_assert(zp_source_density(&s, 6.0) > 0.0, "zmax itself still has sources");
  cr_assert_eq(zp_source_density(&s, 6.0 + 1e-12), 0.0);
  cr_assert_eq(zp_source_density(&s, -0.1), 0.0);
  zp_source d = make(ZP_SOURCE_DELTA);
  cr_assert_eq(zp_source_density(&d, 1.0), 0.0);
}

Test(source, bllac_peak_and_tail) {
  zp_source s = make(ZP_SOURCE_BLLAC);
  s.zmax = 20.0;
  /* rho(0) = 1 by construction; exp(ln 1) within rounding. */
  cr_assert(zp_test_close(zp_source_density(&s, 0.0), 1.0, 1e-14));
  double best = 0.0, zpeak = -1.0;
  for (double z = 0.0; z <= 6.0; z += 1e-3) {
    double r = zp_source_density(&s, z);
    if (r > best) {
      best = r;
      zpeak = z;
    }
  }
  /* The LDDE1 number density with the corrected evolution peaks at z = 1.00;
   * the sign-flipped form peaks at 1.27, a missing evolution at z = 0. */
  cr_assert(zpeak > 0.95 && zpeak < 1.1, "BL Lac peak at z = %g", zpeak);
  /* Steep decline beyond the peak: ~(1+z)^-12.88. */
  cr_assert(zp_source_density(&s, 4.0) < 1e-3 * best);
  cr_assert(zp_source_density(&s, 20.0) > 0.0);
}

Test(source, bllac_interpolation_accuracy) {
  double r0 = 0.0;
  zp_error err;
  cr_assert_eq(zp_bllac_density_exact(0.0, &r0, &err), ZP_OK, "%s", err.msg);
  /* Cell interiors, where interpolation error is largest; measured 1.2e-9. */
  const double zs[6] = {0.0123, 0.507, 1.1234, 2.71, 7.77, 19.9};
  for (int k = 0; k < 6; ++k) {
    double ex = 0.0;
    cr_assert_eq(zp_bllac_density_exact(zs[k], &ex, &err), ZP_OK, "%s", err.msg);
    cr_assert(zp_test_close(zp_bllac_density(zs[k]), ex / r0, 1e-8), "z = %g", zs[k]);
  }
}

static void *bllac_thread(void *p) {
  *(double *)p = zp_bllac_density(1.3);
  return NULL;
}

Test(source, bllac_table_built_once_across_threads) {
  /* Criterion forks per test, so this is the table's first use. */
  pthread_t th[4];
  double v[4];
  for (int k = 0; k < 4; ++k) cr_assert_eq(pthread_create(&th[k], NULL, bllac_thread, &v[k]), 0);
  for (int k = 0; k < 4; ++k) pthread_join(th[k], NULL);
  for (int k = 1; k < 4; ++k) cr_assert_eq(v[k], v[0]);
  cr_assert(v[0] > 1.0);
}

Test(source, shell_integrals_additive) {
  const zp_source_kind kinds[3] = {ZP_SOURCE_SFR, ZP_SOURCE_SFR_SMOOTH, ZP_SOURCE_BLLAC};
  for (int k = 0; k < 3; ++k) {
    zp_source s = make(kinds[k]);
    double whole = shell(&s, 0.0, 6.0);
    double parts = shell(&s, 0.0, 0.7) + shell(&s, 0.7, 2.345) + shell(&s, 2.345, 4.0) +
                   shell(&s, 4.0, 6.0);
    /* Each piece to 1e-13; their sum must agree with the whole. */
    cr_assert(zp_test_close(whole, parts, 1e-12), "kind %d: %.17g vs %.17g", (int)kinds[k], whole,
              parts);
    cr_assert_eq(shell(&s, 2.0, 2.0), 0.0);
    /* Nothing beyond zmax, so clipping gives the same pieces: 1e-15. */
    cr_assert_eq(shell(&s, 6.0, 9.0), 0.0);
    cr_assert(zp_test_close(shell(&s, 5.0, 9.0), shell(&s, 5.0, 6.0), 1e-15));
  }
}

Test(source, sfr_shell_closed_form) {
  /* Per segment, density_power = gamma - slope + 2 makes the integrand
   * c (1+z)^2 / E(z), whose antiderivative is c 2E/(3 Omega_m). */
  const double lo[3] = {0.0, 1.0, 4.0}, hi[3] = {1.0, 4.0, 6.0};
  const double slope[3] = {3.4, -0.3, -3.5};
  const double c[3] = {1.0, pow(2.0, 3.7), pow(2.0, 3.7) * pow(5.0, 3.2)};
  for (int k = 0; k < 3; ++k) {
    zp_source s = make(ZP_SOURCE_SFR);
    s.gamma = 2.0;
    s.density_power = 4.0 - slope[k];
    double want = c[k] * (a2_over_e(hi[k]) - a2_over_e(lo[k]));
    double got = shell(&s, lo[k], hi[k]);
    /* Quadrature to 1e-13; the closed form is a difference of O(1) values. */
    cr_assert(zp_test_close(got, want, 1e-12), "segment %d: %.17g vs %.17g", k, got, want);
  }
}

Test(source, delta_shell) {
  zp_source s = make(ZP_SOURCE_DELTA);
  s.z0 = 2.0;
  /* Same closed expression, written differently: rounding, 1e-15. */
  double want = pow(3.0, 1.0 - s.gamma) / (3.0 * zp_hubble_e(2.0));
  cr_assert(zp_test_close(shell(&s, 1.5, 2.5), want, 1e-15));
  cr_assert(zp_test_close(shell(&s, 2.0, 2.5), want, 1e-15), "z_lo = z0 is inside");
  cr_assert_eq(shell(&s, 1.5, 2.0), 0.0, "z_hi = z0 is outside");
  cr_assert_eq(shell(&s, 2.0, 2.0), 0.0);
  double out;
  zp_error err;
  cr_assert_eq(zp_source_shell_integral(&s, 3.0, 2.0, &out, &err), ZP_EINVAL);
}

/* Writes @p text to a new file in a fresh temp dir; returns its path. */
static const char *write_file(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", zp_test_tmpdir(), name);
  zp_test_write_file(path, text);
  return path;
}

/* Removes a file from write_file and its directory. */
static void discard(const char *path) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash != NULL) *slash = '\0';
  unlink(path);
  rmdir(dir);
}

Test(source, table_loads_and_integrates) {
  /* rho = 1 + z is exact under linear interpolation; with gamma = 2.5 and
   * density_power = 3.5 the integrand is (1+z)^2/E. */
  const char *path = write_file("good.txt", "# z rho\n\n0 1\n  2\t3   # comment\n5 6\r\n10 11\n");
  zp_source_table *t = NULL;
  zp_error err;
  cr_assert_eq(zp_source_table_load(path, &t, &err), ZP_OK, "%s", err.msg);
  discard(path);
  cr_assert_eq(t->size, 4);
  /* stored divided by the largest rho, 11 */
  cr_assert(t->z[1] == 2.0 && t->rho[1] == 3.0 / 11.0 && t->z[3] == 10.0 && t->rho[3] == 1.0);
  zp_source s = make(ZP_SOURCE_TABLE);
  s.table = t;
  s.density_power = 3.5;
  cr_assert_eq(zp_source_check(&s, &err), ZP_OK, "%s", err.msg);
  /* Linear interpolation of 1 + z is exact up to rounding: 1e-14. */
  cr_assert(zp_test_close(zp_source_density(&s, 3.5), pow(4.5, 4.5) / 11.0, 1e-14));
  double want = (a2_over_e(6.0) - a2_over_e(0.0)) / 11.0;
  /* Quadrature to 1e-13 across the node at z = 2 and 5 and the cut at zmax. */
  cr_assert(zp_test_close(shell(&s, 0.0, 8.0), want, 1e-12));
  double bp[8];
  cr_assert_eq(zp_source_breakpoints(&s, bp, 8), 2);
  cr_assert(bp[0] == 2.0 && bp[1] == 5.0);
  cr_assert_eq(zp_source_breakpoints(&s, bp, 1), 2, "count reported beyond cap");
  zp_source_table_free(t);
}

Test(source, table_zero_outside) {
  const char *path = write_file("narrow.txt", "1 2\n2 2\n");
  zp_source_table *t = NULL;
  zp_error err;
  cr_assert_eq(zp_source_table_load(path, &t, &err), ZP_OK, "%s", err.msg);
  discard(path);
  zp_source s = make(ZP_SOURCE_TABLE);
  s.table = t;
  cr_assert_eq(zp_source_density(&s, 0.99), 0.0);
  cr_assert_eq(zp_source_density(&s, 2.01), 0.0);
  cr_assert_eq(zp_source_density(&s, 1.5), 1.0); /* 2, divided by the peak 2 */
  /* Clipped to the table, the same quadrature runs: 1e-15. */
  cr_assert(zp_test_close(shell(&s, 0.0, 6.0), shell(&s, 1.0, 2.0), 1e-15));
  zp_source_table_free(t);
}

static void expect_bad(const char *name, const char *text, const char *line_tag, const char *what) {
  const char *path = write_file(name, text);
  zp_source_table *t = (zp_source_table *)1;
  zp_error err;
  zp_status st = zp_source_table_load(path, &t, &err);
  discard(path);
  cr_assert_eq(st, ZP_EFORMAT, "%s accepted", name);
  cr_assert_null(t);
  cr_assert(strstr(err.msg, path) != NULL, "path missing: %s", err.msg);
  char tag[600];
  snprintf(tag, sizeof tag, "%s%s", path, line_tag);
  cr_assert(strstr(err.msg, tag) != NULL, "line missing: %s", err.msg);
  cr_assert(strstr(err.msg, what) != NULL, "'%s' missing: %s", what, err.msg);
}

Test(source, table_rejects_malformed) {
  expect_bad("word.txt", "0 1\n# c\n1 abc\n", ":3:", "not a number");
  expect_bad("suffix.txt", "0 1\n1 2x\n", ":2:", "not a number");
  expect_bad("one_col.txt", "0 1\n1\n", ":2:", "expected 2 columns");
  expect_bad("three_col.txt", "0 1 2\n1 2\n", ":1:", "expected 2 columns");
  expect_bad("nan.txt", "0 1\n1 nan\n", ":2:", "non-finite");
  expect_bad("inf.txt", "0 1\ninf 1\n", ":2:", "non-finite");
  expect_bad("negative.txt", "0 1\n1 -0.5\n", ":2:", "negative");
  expect_bad("negative_z.txt", "# c\n-0.5 1\n1 2\n", ":2:", "z = -0.5 is negative");
  expect_bad("below_minus_one.txt", "-2 1\n1 2\n", ":1:", "z = -2 is negative");
  expect_bad("all_zero.txt", "0 0\n1 0\n", ":", "rho is 0 on every row");
  expect_bad("equal_z.txt", "0 1\n1 2\n1 3\n", ":3:", "does not increase");
  expect_bad("decreasing.txt", "0 1\n2 2\n1 3\n", ":3:", "does not increase");
  expect_bad("one_row.txt", "# only\n0 1\n\n", ":", "at least 2");
  expect_bad("empty.txt", "", ":", "at least 2");
}

Test(source, table_missing_file) {
  char path[512];
  snprintf(path, sizeof path, "%s/does_not_exist.txt", zp_test_tmpdir());
  zp_source_table *t = NULL;
  zp_error err;
  zp_status st = zp_source_table_load(path, &t, &err);
  discard(path);
  cr_assert_eq(st, ZP_EIO);
  cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
}

Test(source, breakpoints) {
  zp_source s = make(ZP_SOURCE_SFR);
  double bp[4];
  cr_assert_eq(zp_source_breakpoints(&s, bp, 4), 2);
  cr_assert(bp[0] == 1.0 && bp[1] == 4.0);
  s.zmax = 3.0;
  cr_assert_eq(zp_source_breakpoints(&s, bp, 4), 1);
  s.kind = ZP_SOURCE_SFR_SMOOTH;
  cr_assert_eq(zp_source_breakpoints(&s, bp, 4), 0);
  s.kind = ZP_SOURCE_DELTA;
  cr_assert_eq(zp_source_breakpoints(&s, bp, 4), 0);
}

static void expect_check(const zp_source *s, zp_status want, const char *msg) {
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_source_check(s, &err), want, "%s", err.msg);
  if (msg != NULL) cr_assert(strstr(err.msg, msg) != NULL, "'%s' not in '%s'", msg, err.msg);
}

Test(source, check_messages) {
  zp_source s = make(ZP_SOURCE_SFR);
  expect_check(&s, ZP_OK, NULL);
  s.gamma = 7.0;
  expect_check(&s, ZP_EINVAL, "gamma = 7 is out of range [1, 4]");
  s = make(ZP_SOURCE_SFR);
  s.density_power = 11.0;
  expect_check(&s, ZP_EINVAL, "density_power = 11");
  s = make(ZP_SOURCE_SFR);
  s.zmax = 0.0;
  expect_check(&s, ZP_EINVAL, "zmax = 0");
  s.zmax = 25.0;
  expect_check(&s, ZP_EINVAL, "zmax = 25");
  s.zmax = NAN;
  expect_check(&s, ZP_EINVAL, "zmax");
  s = make(ZP_SOURCE_SFR);
  s.z0 = 0.0; /* only the delta source uses z0 */
  expect_check(&s, ZP_OK, NULL);
  s = make(ZP_SOURCE_DELTA);
  s.zmax = 0.0; /* ... and only the others use zmax */
  expect_check(&s, ZP_OK, NULL);
  s.z0 = 0.0;
  expect_check(&s, ZP_EINVAL, "z0 = 0");
  s.z0 = 21.0;
  expect_check(&s, ZP_EINVAL, "z0 = 21");
  s = make(ZP_SOURCE_TABLE);
  expect_check(&s, ZP_EINVAL, "source_table");
  s = make((zp_source_kind)9);
  expect_check(&s, ZP_EINVAL, "kind");
  s = make(ZP_SOURCE_BLLAC);
  expect_check(&s, ZP_OK, NULL);
}

/* A FIFO with no writer used to block the open for ever, /dev/zero to be
 * read until memory ran out: both must fail at once (timeout 10 s). */
Test(source, table_refuses_fifo_and_devices, .timeout = 10) {
  char path[512];
  snprintf(path, sizeof path, "%s/fifo", zp_test_tmpdir());
  cr_assert_eq(mkfifo(path, 0600), 0);
  const char *paths[] = {path, "/dev/zero", "/dev/urandom"};
  for (size_t k = 0; k < 3; ++k) {
    zp_source_table *t = (zp_source_table *)1;
    zp_error err;
    cr_expect_eq(zp_source_table_load(paths[k], &t, &err), ZP_EIO, "%s accepted", paths[k]);
    cr_expect_null(t);
    char want[600];
    snprintf(want, sizeof want, "source_table '%s'", paths[k]);
    cr_expect(strstr(err.msg, want) != NULL, "%s", err.msg);
  }
  discard(path);
}

/* Binary bytes and escape sequences are quoted as \xNN, long tokens cut. */
Test(source, table_messages_escape_file_content) {
  const char *path = write_file("binary.txt", "0 1\n1 \x1b[31m\x01\xff\n");
  zp_source_table *t = NULL;
  zp_error err;
  cr_assert_eq(zp_source_table_load(path, &t, &err), ZP_EFORMAT);
  discard(path);
  cr_expect(strstr(err.msg, "'\\x1b[31m\\x01\\xff' is not a number") != NULL, "%s", err.msg);
  for (const char *c = err.msg; *c != '\0'; ++c)
    cr_expect((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f, "raw byte 0x%02X in '%s'",
              (unsigned char)*c, err.msg);
  char body[300] = "0 1\n1 ";
  memset(body + 6, 'x', 200);
  strcpy(body + 206, "\n");
  path = write_file("long.txt", body);
  cr_assert_eq(zp_source_table_load(path, &t, &err), ZP_EFORMAT);
  discard(path);
  cr_expect(strstr(err.msg, "xxx...' is not a number") != NULL, "%s", err.msg);
  cr_expect(strlen(err.msg) < 200 + strlen(path), "excerpt not cut: %s", err.msg);
}

static zp_spectrum *table_spectrum(double scale) {
  char text[512];
  /* an SFR-like shape, multiplied by scale */
  snprintf(text, sizeof text, "0 %.17g\n1 %.17g\n2.5 %.17g\n4 %.17g\n6 %.17g\n", 1.0 * scale,
           8.0 * scale, 9.0 * scale, 3.0 * scale, 0.5 * scale);
  const char *path = write_file("scaled.txt", text);
  zp_source_table *t = NULL;
  zp_error err;
  cr_assert_eq(zp_source_table_load(path, &t, &err), ZP_OK, "scale %g: %s", scale, err.msg);
  discard(path);
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.source = (zp_source){ZP_SOURCE_TABLE, 1.0, 6.0, 0.0, 2.5, t};
  cfg.grid = (zp_grid_spec){.emin_gev = 1e4, .emax_gev = 1e7, .bins_per_decade = 8.0};
  cfg.backend = ZP_BACKEND_CPU_FAST;
  zp_spectrum *sp = NULL;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "scale %g: %s", scale, err.msg);
  zp_source_table_free(t);
  return sp;
}

/* rho's scale cancels against norm: 1e295 used to overflow the shell sums
 * into "non-finite flux".  After rescaling the tables differ only by the
 * rounding of the scaled values (an ulp or two), so the spectra agree to
 * 1e-12, far below any physical difference. */
Test(source, table_rho_scale_cancels, .timeout = 120) {
  zp_spectrum *one = table_spectrum(1.0);
  const double scales[] = {1e295, 1e-300};
  for (size_t k = 0; k < 2; ++k) {
    zp_spectrum *big = table_spectrum(scales[k]);
    cr_assert_eq(big->nbins, one->nbins);
    for (size_t e = 0; e < 3 * one->nbins; ++e)
      cr_expect(zp_test_close(big->phi_flavour[e], one->phi_flavour[e], 1e-12),
                "scale %g entry %zu: %g vs %g", scales[k], e, big->phi_flavour[e],
                one->phi_flavour[e]);
    zp_spectrum_free(big);
  }
  zp_spectrum_free(one);
}
