/* zprop tests: the `zprop` command line, run as a separate process.
 *
 * Every bad input must give exit status 2, exactly one line on stderr that
 * names the key, and leave no file behind (neither the output nor a
 * temporary).  A good run must write the table the README describes.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "zprop/config.h"
#include "zprop/spectrum.h"

/* The keys of the issue, written out here rather than taken from the
 * CLI's table, so that a key dropped from the table fails a test (kept as
 * a table by hand: clang-format would put one key per line). */
// clang-format off
static const char *const all_keys[] = {
    "mzp",     "gzp",      "gchi",     "mchi",          "sum_mnu",     "ordering",
    "mixing",  "theta12",  "theta13",  "theta23",       "delta_cp",    "dm21",
    "dm3l",    "source",   "z0",       "zmax",          "source_table", "density_power",
    "gamma",   "flavor_ratio", "norm", "emin",          "emax",        "bins_per_decade",
    "regeneration", "thermal", "thermal_kappa", "shells_per_bin", "backend", "output"};
// clang-format on
enum { NKEYS = sizeof all_keys / sizeof all_keys[0] };

static const char column_line[] = "# E_GeV\tphi_1\tphi_2\tphi_3\tphi_e\tphi_mu\tphi_tau\t"
                                  "phi0_1\tphi0_2\tphi0_3\tphi0_e\tphi0_mu\tphi0_tau";

/* ------------------------------------------------------------ helpers */

static char errbuf[8192];

/** Runs `zprop <printf(fmt, ...)>`, stderr into errbuf. */
#define run(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, __VA_ARGS__)

static void assert_one_line(void) {
  size_t n = strlen(errbuf);
  cr_assert(n > 0 && errbuf[n - 1] == '\n', "stderr must end in a newline: [%s]", errbuf);
  cr_assert(strchr(errbuf, '\n') == errbuf + n - 1, "stderr must be exactly one line: [%s]",
            errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0, "stderr must start with 'zprop: ': [%s]", errbuf);
}

/** Runs `zprop spectrum <args> output=<tmp>/x.tsv` (args from fmt, with
 *  %s taking the fixture directory @p fix at most twice) and checks the
 *  bad-input contract: status 2, one line naming @p key, empty output dir. */
static void expect_bad(const char *key, const char *fix, const char *fmt) {
  char out[64], args[2048];
  zp_test_new_dir(out, sizeof out);
  snprintf(args, sizeof args, fmt, fix, fix);
  int rc = run("spectrum %s output=%s/x.tsv", args, out);
  cr_assert_eq(rc, 2, "`zprop spectrum %s`: exit %d, expected 2; stderr [%s]", args, rc, errbuf);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, key), "message must name %s: [%s]", key, errbuf);
  cr_assert_eq(zp_test_dir_entries(out), 0, "`%s` left a file in the output directory", args);
  zp_test_remove_dir(out);
}

/** A fixture directory holding @p name with @p text (a parameter or table
 *  file); @p dir receives its path. */
static void fixture(char *dir, size_t size, const char *name, const char *text) {
  zp_test_new_dir(dir, size);
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  zp_test_write_file(path, text);
}

/** Value of `# key = value` (prefix "# ") or `key = value` (prefix "") in
 *  @p text, copied into @p out; 0 if absent. */
static int header_value(const char *text, const char *prefix, const char *key, char *out,
                        size_t size) {
  char pat[128];
  snprintf(pat, sizeof pat, "%s%s = ", prefix, key);
  for (const char *line = text; line != NULL && *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (strncmp(line, pat, strlen(pat)) == 0) {
      size_t vlen = len - strlen(pat);
      snprintf(out, size, "%.*s", (int)vlen, line + strlen(pat));
      return 1;
    }
    line = end ? end + 1 : NULL;
  }
  return 0;
}

/* --------------------------------------------------------------- usage */

static void assert_mentions_every_key(const char *text) {
  for (int k = 0; k < NKEYS; k++) {
    char pat[64];
    snprintf(pat, sizeof pat, "\n  %s ", all_keys[k]);
    cr_assert_not_null(strstr(text, pat), "help does not list key %s", all_keys[k]);
  }
  const char *words[] = {"MeV",
                         "GeV",
                         "eV^2",
                         "deg",
                         "(0.01, 1000]",
                         "[1, 4]",
                         "1.66e-18",
                         "nufit50|nufit52|nufit60",
                         "zprop_spectrum.tsv"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    cr_assert_not_null(strstr(text, words[i]), "help does not mention %s", words[i]);
}

Test(cli_usage, help_lists_every_key) {
  char dir[64], path[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/help.txt", dir);
  const char *forms[] = {"--help", "spectrum --help"};
  for (int i = 0; i < 2; i++) {
    cr_assert_eq(run("%s >%s", forms[i], path), 0, "`zprop %s` must exit 0", forms[i]);
    char *text = zp_test_read_file(path);
    cr_assert_not_null(text);
    assert_mentions_every_key(text);
    free(text);
  }
  zp_test_remove_dir(dir);
}

Test(cli_usage, version) {
  char dir[64], path[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/version.txt", dir);
  cr_assert_eq(run("--version >%s", path), 0);
  char *text = zp_test_read_file(path);
  cr_assert_not_null(strstr(text, ZP_VERSION), "--version printed [%s]", text);
  free(text);
  zp_test_remove_dir(dir);
}

Test(cli_usage, unknown_subcommand) {
  cr_assert_eq(run("frobnicate"), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "frobnicate"), "[%s]", errbuf);
}

Test(cli_usage, missing_subcommand) {
  cr_assert_eq(zp_test_run_cli("", errbuf, sizeof errbuf), 2); /* no arguments at all */
  assert_one_line();
}

/* ----------------------------------------------------------- bad input */

Test(cli_bad_input, out_of_range_exact_line) {
  char out[64];
  zp_test_new_dir(out, sizeof out);
  cr_assert_eq(run("spectrum gamma=7 output=%s/x.tsv", out), 2);
  cr_assert_str_eq(errbuf, "zprop: gamma = 7: out of range, allowed [1, 4]\n");
  cr_assert_eq(zp_test_dir_entries(out), 0);
  zp_test_remove_dir(out);
}

Test(cli_bad_input, unknown_key) { expect_bad("mzpp", "", "mzpp=13"); }
Test(cli_bad_input, malformed_number) { expect_bad("gzp = 1e-3x", "", "gzp=1e-3x"); }
Test(cli_bad_input, hex_number) { expect_bad("bins_per_decade", "", "bins_per_decade=0x10"); }
Test(cli_bad_input, empty_value) { expect_bad("mzp", "", "mzp="); }
Test(cli_bad_input, nan) { expect_bad("mzp = nan", "", "mzp=nan"); }
Test(cli_bad_input, inf) { expect_bad("norm = inf", "", "norm=inf"); }
Test(cli_bad_input, overflow) { expect_bad("emax", "", "emax=1e999"); }
Test(cli_bad_input, out_of_range_low) { expect_bad("mzp", "", "mzp=0.01"); }
Test(cli_bad_input, unknown_word) { expect_bad("ordering = XO", "", "ordering=XO"); }
Test(cli_bad_input, unknown_source) { expect_bad("source", "", "source=agn"); }
Test(cli_bad_input, not_an_integer) { expect_bad("shells_per_bin", "", "shells_per_bin=2.5"); }
Test(cli_bad_input, integer_out_of_range) { expect_bad("shells_per_bin", "", "shells_per_bin=17"); }
Test(cli_bad_input, bad_flavor_ratio) { expect_bad("flavor_ratio", "", "flavor_ratio=1:2"); }
Test(cli_bad_input, negative_flavor_ratio) {
  expect_bad("flavor_ratio", "", "flavor_ratio=1:-1:0");
}
Test(cli_bad_input, zero_flavor_ratio) { expect_bad("flavor_ratio", "", "flavor_ratio=0:0:0"); }
Test(cli_bad_input, sum_below_minimum_no) { expect_bad("sum_mnu", "", "sum_mnu=0.05"); }
/* 0.08 eV is allowed for NO but below the IO minimum (about 0.099). */
Test(cli_bad_input, sum_below_minimum_io) { expect_bad("sum_mnu", "", "ordering=IO sum_mnu=0.08"); }
Test(cli_bad_input, sum_above_maximum) { expect_bad("sum_mnu", "", "sum_mnu=1.5"); }
Test(cli_bad_input, theta_out_of_range) { expect_bad("theta12", "", "theta12=95"); }
Test(cli_bad_input, dm3l_sign_for_ordering) { expect_bad("dm3l", "", "dm3l=-2.5e-3"); }
Test(cli_bad_input, zmax_below_z0) { expect_bad("zmax", "", "z0=3 zmax=2"); }
/* The default zmax = 6 is below z0 = 10: still an error, for every source. */
Test(cli_bad_input, default_zmax_below_z0) { expect_bad("zmax", "", "source=sfr z0=10"); }
Test(cli_bad_input, empty_grid) { expect_bad("emax", "", "emin=1e6 emax=1e6"); }
Test(cli_bad_input, emax_below_emin) { expect_bad("emax", "", "emin=1e6 emax=1e5"); }
Test(cli_bad_input, table_not_given) { expect_bad("source_table", "", "source=table"); }
Test(cli_bad_input, table_missing) {
  expect_bad("source_table", "", "source=table source_table=/nonexistent/zp_rho.txt");
}
Test(cli_bad_input, table_malformed) {
  char fix[64];
  fixture(fix, sizeof fix, "rho.txt", "0 1\n1 x\n2 3\n");
  expect_bad("source_table", fix, "source=table source_table=%s/rho.txt");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, table_not_increasing) {
  char fix[64];
  fixture(fix, sizeof fix, "rho.txt", "0 1\n2 1\n1 1\n");
  expect_bad("source_table", fix, "source=table source_table=%s/rho.txt");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, missing_ini) {
  expect_bad("/nonexistent/zp_run.ini", "", "/nonexistent/zp_run.ini");
}
Test(cli_bad_input, ini_is_directory) { expect_bad("/tmp", "", "/tmp"); }
Test(cli_bad_input, argument_without_equals) { expect_bad("mzp", "", "mzp 13"); }
Test(cli_bad_input, argument_without_equals_after_file) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "mzp = 20\n");
  expect_bad("gamma", fix, "%s/run.ini gamma");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, empty_key) { expect_bad("=3", "", "=3"); }
Test(cli_bad_input, duplicate_positional) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "mzp = 20\n");
  expect_bad("second.ini", fix, "%s/run.ini %s/second.ini");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, duplicate_argument) { expect_bad("mzp", "", "mzp=12 mzp=14"); }
Test(cli_bad_input, unknown_option) { expect_bad("--frobnicate", "", "--frobnicate"); }
Test(cli_bad_input, ini_unknown_key) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "# a run\nmzp = 20\ngama = 2.2\n");
  expect_bad("gama", fix, "%s/run.ini");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, ini_bad_value) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "gamma = 9   # too soft\n");
  expect_bad("gamma = 9: out of range, allowed [1, 4]", fix, "%s/run.ini");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, ini_section) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "[model]\nmzp = 20\n");
  expect_bad("mzp", fix, "%s/run.ini");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, ini_malformed_line) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "mzp = 20\nthis is not a key\n");
  expect_bad("run.ini:2", fix, "%s/run.ini");
  zp_test_remove_dir(fix);
}
Test(cli_bad_input, ini_duplicate_key) {
  char fix[64];
  fixture(fix, sizeof fix, "run.ini", "mzp = 20\nmzp = 21\n");
  expect_bad("mzp", fix, "%s/run.ini");
  zp_test_remove_dir(fix);
}

Test(cli_bad_input, output_directory_missing) {
  cr_assert_eq(run("spectrum output=/nonexistent/zp_x.tsv"), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "output"), "[%s]", errbuf);
}

Test(cli_bad_input, output_is_a_directory) {
  char out[64];
  zp_test_new_dir(out, sizeof out);
  cr_assert_eq(run("spectrum output=%s", out), 2);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "output"), "[%s]", errbuf);
  cr_assert_eq(zp_test_dir_entries(out), 0);
  zp_test_remove_dir(out);
}

/* A failed run must not touch an existing table of the same name. */
Test(cli_bad_input, existing_output_untouched) {
  char out[64], path[128];
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/x.tsv", out);
  zp_test_write_file(path, "old\n");
  cr_assert_eq(run("spectrum gamma=0.5 output=%s", path), 2);
  char *text = zp_test_read_file(path);
  cr_assert_str_eq(text, "old\n");
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1);
  zp_test_remove_dir(out);
}

/* ---------------------------------------------------------------- runs */

static const char small_grid[] = "emin=1e4 emax=1e6 bins_per_decade=10";
enum { SMALL_NBINS = 20 }; /* 2 decades x 10 */

/** Checks a table: comment lines first, the last of them the column
 *  line, then @p nbins rows of 13 finite numbers with E inside the grid. */
static void assert_table(const char *text, size_t nbins) {
  const char *line = text, *last_comment = NULL;
  while (*line == '#') {
    last_comment = line;
    line = strchr(line, '\n');
    cr_assert_not_null(line);
    line++;
  }
  cr_assert_not_null(last_comment, "no header");
  cr_assert(strncmp(last_comment, column_line, strlen(column_line)) == 0 &&
                last_comment[strlen(column_line)] == '\n',
            "last comment line is not the column line");
  size_t rows = 0;
  double prev_e = 0.0;
  while (*line != '\0') {
    char *end;
    const char *p = line;
    for (int c = 0; c < 13; c++) {
      double x = strtod(p, &end);
      cr_assert(end != p && isfinite(x), "row %zu column %d is not a number", rows, c);
      if (c == 0) {
        cr_assert(x > prev_e && x > 1e4 && x < 1e6, "row %zu: E = %g", rows, x);
        prev_e = x;
      }
      cr_assert(*end == (c < 12 ? '\t' : '\n'), "row %zu: bad separator after column %d", rows, c);
      p = end + 1;
    }
    line = p;
    rows++;
  }
  cr_assert_eq(rows, nbins);
}

Test(cli_run, small_grid_writes_table) {
  char out[64], path[128], expect[256];
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/x.tsv", out);
  int rc = run("spectrum %s output=%s", small_grid, path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  assert_one_line();
  snprintf(expect, sizeof expect, "zprop: wrote %d bins to %s (backend ", SMALL_NBINS, path);
  cr_assert(strncmp(errbuf, expect, strlen(expect)) == 0, "[%s]", errbuf);
  char *text = zp_test_read_file(path);
  cr_assert_not_null(text);
  assert_table(text, SMALL_NBINS);
  char value[128];
  cr_assert(header_value(text, "## ", "backend", value, sizeof value));
  cr_assert(header_value(text, "## ", "energy_final", value, sizeof value));
  for (int k = 0; k < NKEYS; k++)
    cr_assert(header_value(text, "# ", all_keys[k], value, sizeof value), "header lacks %s",
              all_keys[k]);
  cr_assert(strstr(text, ZP_VERSION) != NULL);
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1, "a temporary file was left behind");
  /* A second run replaces the table, again without leftovers. */
  cr_assert_eq(run("spectrum %s gamma=2.2 output=%s", small_grid, path), 0, "[%s]", errbuf);
  text = zp_test_read_file(path);
  cr_assert(header_value(text, "# ", "gamma", value, sizeof value) && strcmp(value, "2.2") == 0);
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1);
  zp_test_remove_dir(out);
}

Test(cli_run, argument_overrides_ini) {
  char fix[64], out[64], path[128], value[64];
  fixture(fix, sizeof fix, "run.ini",
          "# model\nmzp = 20   # MeV\ngamma = 2.2\n; grid\nemin = 1e4\n");
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/x.tsv", out);
  /* The override comes before the file on the line: it still wins. */
  int rc = run("spectrum gamma=2.7 %s/run.ini emax=1e6 bins_per_decade=10 output=%s", fix, path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  char *text = zp_test_read_file(path);
  cr_assert_not_null(text);
  cr_assert(header_value(text, "# ", "gamma", value, sizeof value));
  cr_assert_str_eq(value, "2.7");
  cr_assert(header_value(text, "# ", "mzp", value, sizeof value));
  cr_assert_str_eq(value, "20");
  cr_assert(header_value(text, "# ", "emin", value, sizeof value));
  cr_assert_str_eq(value, "1e4");
  assert_table(text, SMALL_NBINS);
  free(text);
  zp_test_remove_dir(fix);
  zp_test_remove_dir(out);
}

Test(cli_run, stdout_output) {
  char out[64], path[128];
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/stdout.txt", out);
  int rc = run("spectrum %s output=- >%s", small_grid, path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  assert_one_line();
  cr_assert_not_null(strstr(errbuf, "to stdout"), "[%s]", errbuf);
  char *text = zp_test_read_file(path);
  assert_table(text, SMALL_NBINS);
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1);
  zp_test_remove_dir(out);
}

Test(cli_run, table_source) {
  char fix[64], out[64], path[128], value[256], expect[256];
  fixture(fix, sizeof fix, "rho.txt", "# z rho\n0 1\n2 3\n6 0.5\n");
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/x.tsv", out);
  int rc = run("spectrum %s source=table source_table=%s/rho.txt zmax=5 output=%s", small_grid, fix,
               path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  char *text = zp_test_read_file(path);
  assert_table(text, SMALL_NBINS);
  snprintf(expect, sizeof expect, "%s/rho.txt", fix);
  cr_assert(header_value(text, "# ", "source_table", value, sizeof value));
  cr_assert_str_eq(value, expect);
  free(text);
  zp_test_remove_dir(fix);
  zp_test_remove_dir(out);
}

/* The header's "# key = value" lines, with "# " stripped, are a parameter
 * file that reproduces the run: --dry-run prints the same lines back. */
Test(cli_run, header_reruns) {
  char out[64], path[192], ini[192], again[192];
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/x.tsv", out);
  snprintf(ini, sizeof ini, "%s/rerun.ini", out);
  snprintf(again, sizeof again, "%s/again.ini", out);
  int rc = run("spectrum %s ordering=IO sum_mnu=0.15 theta12=34.1 flavor_ratio=equal "
               "source=sfr zmax=4.5 output=%s",
               small_grid, path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  char cmd[640];
  snprintf(cmd, sizeof cmd, "grep '^# [a-z_0-9]* = ' %s | cut -c3- > %s", path, ini);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(run("spectrum %s --dry-run >%s", ini, again), 0, "[%s]", errbuf);
  char *a = zp_test_read_file(ini), *b = zp_test_read_file(again);
  cr_assert_str_eq(a, b);
  char value[64];
  cr_assert(header_value(a, "", "theta12", value, sizeof value));
  cr_assert_str_eq(value, "34.1");
  cr_assert(header_value(a, "", "ordering", value, sizeof value));
  cr_assert_str_eq(value, "IO");
  free(a);
  free(b);
  zp_test_remove_dir(out);
}

/* The CLI's defaults (its key table) and the library's (zp_config_default)
 * are written in two places; this keeps them equal. */
Test(cli_run, defaults_match_library) {
  char out[64], path[128], value[64];
  zp_test_new_dir(out, sizeof out);
  snprintf(path, sizeof path, "%s/defaults.ini", out);
  cr_assert_eq(run("spectrum --dry-run >%s", path), 0, "[%s]", errbuf);
  char *text = zp_test_read_file(path);
  zp_config cfg;
  zp_config_default(&cfg);
  struct {
    const char *key;
    double lib;
  } reals[] = {{"mzp", cfg.zprime.mzp_mev},
               {"gzp", cfg.zprime.gzp},
               {"gchi", cfg.zprime.gchi},
               {"mchi", cfg.zprime.mchi_mev},
               {"theta12", cfg.osc.theta12},
               {"theta13", cfg.osc.theta13},
               {"theta23", cfg.osc.theta23},
               {"delta_cp", cfg.osc.delta_cp},
               {"dm21", cfg.osc.dm21},
               {"dm3l", cfg.osc.dm3l},
               {"sum_mnu", cfg.sum_mnu_ev},
               {"z0", cfg.source.z0},
               {"zmax", cfg.source.zmax},
               {"density_power", cfg.source.density_power},
               {"gamma", cfg.source.gamma},
               {"norm", cfg.norm},
               {"emin", cfg.grid.emin_gev},
               {"emax", cfg.grid.emax_gev},
               {"bins_per_decade", cfg.grid.bins_per_decade},
               {"thermal_kappa", cfg.transport.thermal_kappa},
               {"shells_per_bin", (double)cfg.transport.shells_per_bin}};
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
    cr_assert(header_value(text, "", reals[i].key, value, sizeof value), "no %s", reals[i].key);
    cr_assert_eq(strtod(value, NULL), reals[i].lib, "%s: CLI default %s, library %g", reals[i].key,
                 value, reals[i].lib);
  }
  cr_assert(header_value(text, "", "ordering", value, sizeof value));
  cr_assert_str_eq(value, cfg.ordering == ZP_ORDERING_NO ? "NO" : "IO");
  cr_assert(header_value(text, "", "source", value, sizeof value));
  cr_assert_str_eq(value, "delta");
  cr_assert_eq(cfg.source.kind, ZP_SOURCE_DELTA);
  cr_assert(header_value(text, "", "flavor_ratio", value, sizeof value));
  cr_assert_str_eq(value, "1:2:0");
  cr_assert(!cfg.flavor_equal && cfg.flavor_ratio[0] == 1.0 && cfg.flavor_ratio[1] == 2.0 &&
            cfg.flavor_ratio[2] == 0.0);
  cr_assert(header_value(text, "", "regeneration", value, sizeof value));
  cr_assert_str_eq(value, cfg.transport.regeneration ? "on" : "off");
  cr_assert(header_value(text, "", "thermal", value, sizeof value));
  cr_assert_str_eq(value, "auto");
  cr_assert_eq(cfg.transport.thermal, ZP_THERMAL_AUTO);
  cr_assert(header_value(text, "", "backend", value, sizeof value));
  cr_assert_str_eq(value, "auto");
  cr_assert_eq(cfg.backend, ZP_BACKEND_AUTO);
  free(text);
  zp_test_remove_dir(out);
}

/* Values the issue names as allowed must pass, including both ends of
 * closed ranges and the rounded-up minimum sum the error message quotes. */
Test(cli_run, boundaries_accepted) {
  const char *ok[] = {
      "gzp=0 gchi=10 mchi=1e4 mzp=1000",
      "gamma=1 density_power=-10 z0=20 zmax=20",
      "gamma=4 density_power=10 norm=1e-10 thermal_kappa=1e6 shells_per_bin=16",
      "emin=1 emax=1e13 bins_per_decade=1",
      "ordering=io mixing=NUFIT60 regeneration=off thermal=always backend=cpu",
      "sum_mnu=1 flavor_ratio=1:0:0",
      "source=bllac theta12=preset dm3l=2.6e-3 dm21=7.5e-5 delta_cp=360",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    int rc = run("spectrum %s --dry-run >/dev/null", ok[i]);
    cr_assert_eq(rc, 0, "`%s` rejected: [%s]", ok[i], errbuf);
  }
  /* The quoted minimum itself must be accepted. */
  cr_assert_eq(run("spectrum ordering=IO sum_mnu=0.05 --dry-run"), 2);
  const char *q = strstr(errbuf, "sum_min = ");
  cr_assert_not_null(q, "[%s]", errbuf);
  double smin = strtod(q + strlen("sum_min = "), NULL);
  cr_assert(smin > 0.09 && smin < 0.11, "IO minimum %g", smin);
  cr_assert_eq(run("spectrum ordering=IO sum_mnu=%.17g --dry-run >/dev/null", smin), 0, "[%s]",
               errbuf);
}
