/* zprop tests: `zprop fit`, run as a separate process.
 *
 * The result lines, the papers' reference values through the command line
 * (the library reproduces them; the CLI must pass the keys through), the
 * v2024 preset, the best-fit table, one-line errors with status 2, and
 * that spectrum and batch still refuse the fit keys.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* A small grid: the fits below take milliseconds on it. */
static const char small[] = "emin=1e3 emax=1e8 bins_per_decade=20 gamma_step=0.1";

static char errbuf[8192];

/** Runs `zprop <printf(fmt, ...)>`, stderr into errbuf. */
#define run(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, __VA_ARGS__)

/** Runs `zprop fit <args>` with stdout into a file; returns its text. */
static char *fit_stdout(int *status, const char *args) {
  char dir[128], path[160];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/out.txt", dir);
  *status = run("fit %s > '%s'", args, path);
  char *text = zp_test_read_file(path);
  zp_test_remove_dir(dir);
  return text;
}

/** The value of line `<key> = <value>` in @p text, as a number; NAN if absent. */
static double value_of(const char *text, const char *key) {
  char pat[64];
  size_t n = (size_t)snprintf(pat, sizeof pat, "%s = ", key);
  for (const char *line = text; line != NULL && *line != '\0';) {
    if (strncmp(line, pat, n) == 0) return strtod(line + n, NULL);
    line = strchr(line, '\n');
    if (line != NULL) line++;
  }
  return NAN;
}

static int has_line_prefix(const char *text, const char *prefix) {
  size_t n = strlen(prefix);
  for (const char *line = text; line != NULL && *line != '\0';) {
    if (strncmp(line, prefix, n) == 0) return 1;
    line = strchr(line, '\n');
    if (line != NULL) line++;
  }
  return 0;
}

/* -------------------------------------------------------------- results */

Test(cli_fit, prints_the_result_keys) {
  int status;
  char *out = fit_stdout(&status, small);
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  cr_assert_not_null(out);
  static const char *const keys[] = {"chi2", "gamma",  "norm",    "A",      "npoints",
                                     "dof",  "chi2_0", "gamma_0", "norm_0", "delta_chi2",
                                     "R",    "A_0",    "mzp",     "gzp"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_expect(isfinite(value_of(out, keys[i])), "no finite '%s = ' line in:\n%s", keys[i], out);
  static const char *const words[] = {"datasets = cascades6yr", "channels = flavour_average",
                                      "errors = symmetric",     "upper_limits = zero",
                                      "flux = centre",          "profile = gamma_norm"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    cr_expect(has_line_prefix(out, words[i]), "no line '%s' in:\n%s", words[i], out);
  cr_expect(fabs(value_of(out, "A") - 3.0 * value_of(out, "norm") / 3e-18) <
            1e-6 * value_of(out, "A"));
  cr_expect_eq(value_of(out, "npoints"), 13.0);
  cr_expect_eq(value_of(out, "dof"), 11.0);
  cr_expect(fabs(value_of(out, "delta_chi2") - (value_of(out, "chi2") - value_of(out, "chi2_0"))) <
            1e-6);
  free(out);
}

/* The first paper's power law on the cascades (H-Sec. III: 25.2 at 2.65;
 * this project's regression value 24.915 at 2.723, see README). */
Test(cli_fit, default_cascades_power_law) {
  int status;
  char *out = fit_stdout(&status, small);
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  double c0 = value_of(out, "chi2_0"), g0 = value_of(out, "gamma_0");
  cr_expect(fabs(c0 - 24.915) < 0.02, "chi2_0 = %.4f", c0);
  cr_expect(fabs(g0 - 2.723) < 0.01, "gamma_0 = %.4f", g0);
  free(out);
}

Test(cli_fit, zp_off_is_the_power_law) {
  int status;
  char *out = fit_stdout(&status, "zp=off emin=1e3 emax=1e8 bins_per_decade=20 gamma_step=0.1");
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  double c = value_of(out, "chi2"), c0 = value_of(out, "chi2_0");
  cr_expect(fabs(c - c0) <= 1e-9 * c0, "chi2 %.12g vs chi2_0 %.12g", c, c0);
  cr_expect_eq(value_of(out, "gzp"), 0.0);
  free(out);
}

/* The second paper's chi2_SM at (A, gamma) = (1.4, 2.6): 27.4 with 16
 * points; this project gives 27.28 (the library test checks the same).
 * On the default grid: the E^-2 bin averages need its resolution. */
Test(cli_fit, v2024_reference_value) {
  int status;
  char *out = fit_stdout(&status, "data=v2024 zp=off profile=none gamma=2.6 norm=1.4e-18 "
                                  "flavor_ratio=equal sum_mnu=0.1 source=sfr");
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  double c0 = value_of(out, "chi2_0");
  cr_expect(fabs(c0 - 27.28) < 0.05, "chi2_0 = %.4f", c0);
  cr_expect_eq(value_of(out, "npoints"), 16.0);
  cr_expect(fabs(value_of(out, "A_0") - 1.4) < 1e-9);
  cr_expect(has_line_prefix(out, "datasets = cascades6yr,tracks9yr"), "%s", out);
  cr_expect(has_line_prefix(out, "channels = nue_nutau_average,numu"), "%s", out);
  cr_expect(has_line_prefix(out, "data_rows = 13,3"), "%s", out);
  cr_expect(has_line_prefix(out, "upper_limits = excess"), "%s", out);
  cr_expect(has_line_prefix(out, "flux = average"), "%s", out);
  free(out);
}

/* A preset changes defaults only: an explicit key wins. */
Test(cli_fit, v2024_explicit_keys_win) {
  int status;
  char *out = fit_stdout(&status, "data=v2024 flux=centre --dry-run");
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  cr_expect(has_line_prefix(out, "data = cascades6yr,tracks9yr\n"), "%s", out);
  cr_expect(has_line_prefix(out, "bins = 0-12,14-16\n"), "%s", out);
  cr_expect(has_line_prefix(out, "upper_limits = excess\n"), "%s", out);
  cr_expect(has_line_prefix(out, "flux = centre\n"), "%s", out);
  free(out);
}

/* bins indexes the concatenation: 0-12,14-16 of cascades + tracks keeps
 * the three measured track pieces. */
Test(cli_fit, bins_span_the_data_sets) {
  int status;
  char *out = fit_stdout(&status, "data=cascades6yr,tracks9yr bins=0-4,14-16 emin=1e2 emax=1e8 "
                                  "bins_per_decade=10 gamma_step=0.1");
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  cr_expect(has_line_prefix(out, "data_rows = 5,3\n"), "%s", out);
  cr_expect(has_line_prefix(out, "channels = flavour_average,numu\n"), "%s", out);
  cr_expect_eq(value_of(out, "npoints"), 8.0);
  free(out);
}

/* ----------------------------------------------------------- the table */

Test(cli_fit, best_fit_table_reruns) {
  char dir[128]; /* a copy: the next zp_test_tmpdir() reuses its buffer */
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  int status;
  char args[512];
  snprintf(args, sizeof args, "%s output='%s/best.tsv'", small, dir);
  char *out = fit_stdout(&status, args);
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  char path[256];
  snprintf(path, sizeof path, "%s/best.tsv", dir);
  char *table = zp_test_read_file(path);
  cr_assert_not_null(table, "no table at %s", path);
  cr_expect(has_line_prefix(table, "## zprop "), "title line");
  cr_expect(has_line_prefix(table, "# data = cascades6yr\n"));
  cr_expect(has_line_prefix(table, "# profile = gamma_norm\n"));
  cr_expect(has_line_prefix(table, "## chi2 = "));
  cr_expect(has_line_prefix(table, "# E_GeV\tphi_1\t"));
  /* the header's gamma is the best fit (shortest exact text vs %.10g) */
  cr_expect(fabs(value_of(table, "# gamma") - value_of(out, "gamma")) < 1e-8);
  cr_expect_eq(value_of(table, "## chi2"), value_of(out, "chi2"));
  /* its `# key = value` lines are a parameter file giving the same fit */
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "grep '^# [a-z_0-9]* = ' '%s' | cut -c3- | grep -v '^output' > '%s/re.ini'", path, dir);
  cr_assert_eq(system(cmd), 0);
  snprintf(args, sizeof args, "'%s/re.ini'", dir);
  char *again = fit_stdout(&status, args);
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  cr_expect(fabs(value_of(again, "chi2") - value_of(out, "chi2")) < 1e-6);
  free(again);
  free(table);
  free(out);
  zp_test_remove_dir(dir);
}

Test(cli_fit, help_lists_the_fit_keys) {
  int status;
  char *out = fit_stdout(&status, "--help");
  cr_assert_eq(status, 0, "stderr: %s", errbuf);
  cr_assert_not_null(out);
  static const char *const keys[] = {"\n  data ",      "\n  channel ",      "\n  bins ",
                                     "\n  errors ",    "\n  upper_limits ", "\n  flux ",
                                     "\n  gamma_min ", "\n  gamma_max ",    "\n  gamma_step ",
                                     "\n  profile ",   "\n  zp ",           "\n  mzp "};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_expect(strstr(out, keys[i]) != NULL, "no key line '%s' in the help", keys[i] + 1);
  cr_expect(strstr(out, "\n  chunk ") == NULL, "a scan key in the fit help");
  free(out);
}

/* ------------------------------------------------------------- errors */

/** Status 2 and exactly one stderr line holding every '|'-separated part. */
static void expect_bad(const char *parts, const char *args) {
  int status;
  char *out = fit_stdout(&status, args);
  free(out);
  cr_expect_eq(status, 2, "status %d for %s", status, args);
  cr_expect_eq(zp_test_count_lines(errbuf), 1, "not one line for %s: %s", args, errbuf);
  char buf[256];
  snprintf(buf, sizeof buf, "%s", parts);
  for (char *part = strtok(buf, "|"); part != NULL; part = strtok(NULL, "|"))
    cr_expect(strstr(errbuf, part) != NULL, "'%s' not in: %s", part, errbuf);
}

Test(cli_fit_bad, unknown_data_name) {
  expect_bad("data = cascades6yr,nope|element nope|unknown data set|allowed",
             "data=cascades6yr,nope");
}
Test(cli_fit_bad, missing_data_file) {
  expect_bad("data = /nonexistent/x.dat|cannot", "data=/nonexistent/x.dat");
}
Test(cli_fit_bad, malformed_bins) { expect_bad("bins = 0-x|allowed", "bins=0-x"); }
Test(cli_fit_bad, bins_past_the_rows) {
  expect_bad("bins = 0-13|row 13|out of range", "bins=0-13");
}
Test(cli_fit_bad, bins_leave_a_set_empty) {
  expect_bad("bins = 0-12|no row of tracks9yr", "data=cascades6yr,tracks9yr bins=0-12");
}
Test(cli_fit_bad, gamma_min_out_of_range) {
  expect_bad("gamma_min = 0.5: out of range, allowed [1, 4)", "gamma_min=0.5");
}
Test(cli_fit_bad, gamma_max_below_min) {
  expect_bad("gamma_max = 2|allowed (gamma_min, 4]|gamma_min = 2.5", "gamma_min=2.5 gamma_max=2");
}
Test(cli_fit_bad, unknown_channel) { expect_bad("channel = nux|unknown word", "channel=nux"); }
Test(cli_fit_bad, channels_per_set) {
  expect_bad("channel = numu,numu,numu|3 values for 2 data sets",
             "data=cascades6yr,tracks9yr channel=numu,numu,numu emin=1e2");
}
Test(cli_fit_bad, unknown_convention) {
  expect_bad("upper_limits = some|zero|excess", "upper_limits=some");
}
Test(cli_fit_bad, scan_key) { expect_bad("chunk = 4|unknown key", "chunk=4"); }

/* The fit keys stay unknown to spectrum and batch, on the command line
 * and in a parameter file. */
Test(cli_fit_bad, spectrum_and_batch_refuse_fit_keys) {
  char dir[128]; /* a copy: the next zp_test_tmpdir() reuses its buffer */
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  cr_expect_eq(run("spectrum data=x output='%s/s.tsv'", dir), 2);
  cr_expect(strstr(errbuf, "data = x: unknown key") != NULL, "%s", errbuf);
  cr_expect_eq(zp_test_count_lines(errbuf), 1);
  cr_expect_eq(run("batch gamma_min=2 output='%s/b.tsv'", dir), 2);
  cr_expect(strstr(errbuf, "gamma_min = 2: unknown key") != NULL, "%s", errbuf);
  char path[256];
  snprintf(path, sizeof path, "%s/run.ini", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("mzp = 10\nemin = 1e3\nemax = 1e8\nbins_per_decade = 10\ngamma_step = 0.1\n"
        "errors = asymmetric\n",
        f);
  fclose(f);
  cr_expect_eq(run("spectrum '%s' output='%s/s.tsv'", path, dir), 2);
  cr_expect(strstr(errbuf, "gamma_step = 0.1: unknown key in") != NULL, "%s", errbuf);
  int status;
  char args[300];
  snprintf(args, sizeof args, "'%s'", path);
  char *out = fit_stdout(&status, args);
  cr_expect_eq(status, 0, "stderr: %s", errbuf);
  cr_expect(has_line_prefix(out, "errors = asymmetric\n"), "%s", out);
  cr_expect_eq(value_of(out, "mzp"), 10.0);
  free(out);
  zp_test_remove_dir(dir);
}
