/* zprop tests: `zprop batch`, run as a separate process.
 *
 * The batch reads the keys of `zprop spectrum` with lists on top, so the
 * tests check what lists add: row counts and order, agreement with
 * `zprop spectrum` through the text of both tables, and the one-line,
 * exit-2, no-file contract for every kind of bad element.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char column_line[] =
    "# point\tmzp\tgzp\tgchi\tmchi\tsum_mnu\tordering\tsource\tz0\tzmax\tgamma\tE_GeV\t"
    "phi_e\tphi_mu\tphi_tau\tphi0_e\tphi0_mu\tphi0_tau\n";
enum { NCOLS = 18, FIRST_VALUE = 11 }; /* E_GeV is column 11 */

/* The sample of the issue: 4 points x 2 sources x 2 gammas x 20 bins. */
static const char sample[] = "emin=1e4 emax=1e6 bins_per_decade=10 mzp=10,13 gzp=3e-4,5e-4 "
                             "gamma=2.2,2.8 source=sfr,delta z0=1,2 zmax=4";
enum { SAMPLE_BINS = 20, SAMPLE_ROWS = 4 * 2 * 2 * SAMPLE_BINS };

/* ------------------------------------------------------------ helpers */

static char errbuf[8192];

/** Runs `zprop <printf(fmt, ...)>` through the shell, stderr into errbuf. */
#define run(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, __VA_ARGS__)

static void assert_one_line(void) {
  size_t n = strlen(errbuf);
  cr_assert(n > 0 && errbuf[n - 1] == '\n' && strchr(errbuf, '\n') == errbuf + n - 1,
            "stderr must be exactly one line: [%s]", errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0, "[%s]", errbuf);
}

/** Runs `zprop batch <args> output=<tmp>/x.tsv` and checks the bad-input
 *  contract: exit 2, one line naming each of the |-separated @p words, and
 *  an output directory left empty (no table, no temporary). */
static void expect_bad(const char *words, const char *args) {
  char out[64];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  int rc = run("batch %s output=%s/x.tsv", args, out);
  cr_assert_eq(rc, 2, "`zprop batch %s`: exit %d, expected 2; stderr [%s]", args, rc, errbuf);
  assert_one_line();
  char *list = strdup(words), *save = NULL;
  for (char *w = strtok_r(list, "|", &save); w != NULL; w = strtok_r(NULL, "|", &save))
    cr_assert_not_null(strstr(errbuf, w), "`%s`: message must name '%s': [%s]", args, w, errbuf);
  free(list);
  cr_assert_eq(zp_test_dir_entries(out), 0, "`%s` left a file in the output directory", args);
  zp_test_remove_dir(out);
}

/** One data row of a batch table. */
typedef struct {
  long point;
  double mzp, gzp, gamma;
  char ordering[8], source[16];
  double v[7]; /* E_GeV, phi_e..phi_tau, phi0_e..phi0_tau */
} batch_row;

/** Parses the rows after the column line (which must close the header);
 *  @return the number of rows, at most @p cap stored. */
static size_t parse_batch(const char *text, batch_row *rows, size_t cap) {
  const char *col = strstr(text, column_line);
  cr_assert_not_null(col, "no column line");
  cr_assert(col == text || col[-1] == '\n');
  size_t n = 0;
  for (const char *line = col + strlen(column_line); *line != '\0'; n++) {
    cr_assert(*line != '#', "comment line after the column line");
    batch_row r;
    const char *p = line;
    for (int c = 0; c < NCOLS; c++) {
      size_t len = strcspn(p, "\t\n");
      char field[64];
      cr_assert(len > 0 && len < sizeof field, "row %zu column %d", n, c);
      memcpy(field, p, len);
      field[len] = '\0';
      char *end;
      double x = strtod(field, &end);
      if (c == 0) r.point = strtol(field, NULL, 10);
      if (c == 1) r.mzp = x;
      if (c == 2) r.gzp = x;
      if (c == 6) snprintf(r.ordering, sizeof r.ordering, "%.7s", field);
      if (c == 7) snprintf(r.source, sizeof r.source, "%.15s", field);
      if (c == 10) r.gamma = x;
      if (c >= FIRST_VALUE) {
        cr_assert(*end == '\0' && isfinite(x), "row %zu column %d: %s", n, c, field);
        r.v[c - FIRST_VALUE] = x;
      }
      cr_assert(p[len] == (c < NCOLS - 1 ? '\t' : '\n'), "row %zu: separator after %d", n, c);
      p += len + 1;
    }
    if (n < cap) rows[n] = r;
    line = p;
  }
  return n;
}

/** Runs `zprop spectrum <args>` and compares its rows with the batch rows
 *  of (point, source, gamma): E_GeV, then the flavour columns phi_e..tau
 *  (4-6) and phi0_e..tau (10-12), to 1e-9 through the text of both. */
static void assert_matches_spectrum(const batch_row *rows, size_t nrows, long point,
                                    const char *source, double gamma, const char *args) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/s.tsv", dir);
  int rc = run("spectrum emin=1e4 emax=1e6 bins_per_decade=10 %s output=%s", args, path);
  cr_assert_eq(rc, 0, "spectrum %s: [%s]", args, errbuf);
  char *text = zp_test_read_file_or_fail(path);
  size_t b = 0, r = 0;
  for (const char *line = text; *line != '\0'; line += strcspn(line, "\n") + 1) {
    if (*line == '#') continue;
    double x[13];
    char *p = (char *)line;
    for (int c = 0; c < 13; c++) x[c] = strtod(p, &p);
    const int cols[7] = {0, 4, 5, 6, 10, 11, 12};
    while (r < nrows && !(rows[r].point == point && strcmp(rows[r].source, source) == 0 &&
                          rows[r].gamma == gamma))
      r++;
    cr_assert(r < nrows, "%s: batch has no row %zu for point %ld %s gamma %g", args, b, point,
              source, gamma);
    for (int c = 0; c < 7; c++)
      cr_assert(zp_test_close(rows[r].v[c], x[cols[c]], 1e-9),
                "%s: bin %zu column %d: batch %.10e, spectrum %.10e", args, b, cols[c],
                rows[r].v[c], x[cols[c]]);
    r++;
    b++;
  }
  cr_assert_eq(b, SAMPLE_BINS, "%s: %zu bins compared", args, b);
  free(text);
  zp_test_remove_dir(dir);
}

/* ---------------------------------------------------------------- runs */

Test(cli_batch, sample_writes_every_row) {
  char out[64], path[128], expect[256];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/b.tsv", out);
  int rc = run("batch %s output=%s", sample, path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  assert_one_line();
  snprintf(expect, sizeof expect,
           "zprop: wrote 4 points x 2 sources x 2 gammas (%d bins) to %s (backend ", SAMPLE_BINS,
           path);
  cr_assert(strncmp(errbuf, expect, strlen(expect)) == 0, "[%s]", errbuf);
  cr_log_info("sample batch: %s", errbuf);
  char *text = zp_test_read_file_or_fail(path);
  const char *header[] = {"# mzp = 10,13\n",        "# gzp = 3e-4,5e-4\n", "# gamma = 2.2,2.8\n",
                          "# source = sfr,delta\n", "# z0 = 1,2\n",        "# zmax = 4\n",
                          "# mixing = nufit50\n",   "## points = 4\n",     "## sources = 2\n",
                          "## gammas = 2\n",        "## backend = ",       "## zprop "};
  for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
    cr_assert_not_null(strstr(text, header[i]), "header lacks [%s]", header[i]);
  static batch_row rows[SAMPLE_ROWS];
  cr_assert_eq(parse_batch(text, rows, SAMPLE_ROWS), SAMPLE_ROWS);
  /* Row order: point (mzp outer, gzp inner), source, gamma, then energy. */
  for (size_t i = 0; i < SAMPLE_ROWS; i++) {
    size_t bin = i % SAMPLE_BINS, g = i / SAMPLE_BINS % 2, s = i / (2 * SAMPLE_BINS) % 2;
    long pt = (long)(i / (4 * SAMPLE_BINS));
    cr_assert_eq(rows[i].point, pt, "row %zu", i);
    cr_assert_eq(rows[i].mzp, pt / 2 == 0 ? 10.0 : 13.0, "row %zu", i);
    cr_assert_eq(rows[i].gzp, pt % 2 == 0 ? 3e-4 : 5e-4, "row %zu", i);
    cr_assert_str_eq(rows[i].source, s == 0 ? "sfr" : "delta");
    cr_assert_eq(rows[i].gamma, g == 0 ? 2.2 : 2.8);
    cr_assert_str_eq(rows[i].ordering, "NO");
    if (bin > 0) cr_assert(rows[i].v[0] > rows[i - 1].v[0], "row %zu: E not increasing", i);
  }
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1, "a temporary file was left behind");
  zp_test_remove_dir(out);
}

/* With z0 = 1,4 and zmax = 4 both sources reach the batch's top, z = 4,
 * so the batch grid is the one each spectrum builds alone. */
Test(cli_batch, rows_equal_spectrum_runs, .timeout = 120) {
  char out[64], path[128];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/b.tsv", out);
  int rc = run("batch emin=1e4 emax=1e6 bins_per_decade=10 mzp=10,13 gzp=3e-4,5e-4 "
               "gamma=2.2,2.8 source=sfr,delta z0=1,4 zmax=4 output=%s",
               path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  char *text = zp_test_read_file_or_fail(path);
  static batch_row rows[SAMPLE_ROWS];
  cr_assert_eq(parse_batch(text, rows, SAMPLE_ROWS), SAMPLE_ROWS);
  free(text);
  assert_matches_spectrum(rows, SAMPLE_ROWS, 0, "sfr", 2.2,
                          "mzp=10 gzp=3e-4 gamma=2.2 source=sfr z0=1 zmax=4");
  assert_matches_spectrum(rows, SAMPLE_ROWS, 1, "delta", 2.8,
                          "mzp=10 gzp=5e-4 gamma=2.8 source=delta z0=4 zmax=4");
  assert_matches_spectrum(rows, SAMPLE_ROWS, 2, "sfr", 2.8,
                          "mzp=13 gzp=3e-4 gamma=2.8 source=sfr z0=1 zmax=4");
  assert_matches_spectrum(rows, SAMPLE_ROWS, 3, "delta", 2.2,
                          "mzp=13 gzp=5e-4 gamma=2.2 source=delta z0=4 zmax=4");
  zp_test_remove_dir(out);
}

/* Each point takes the preset of its own ordering: the IO point of a
 * NO,IO batch equals `zprop spectrum ordering=IO`, sum_mnu per point. */
Test(cli_batch, ordering_list_uses_each_preset, .timeout = 120) {
  char out[64], path[128];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/b.tsv", out);
  int rc = run("batch emin=1e4 emax=1e6 bins_per_decade=10 ordering=NO,io sum_mnu=0.15 "
               "source=sfr zmax=3 output=%s",
               path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  char *text = zp_test_read_file_or_fail(path);
  /* The preset numbers differ between the points: the header keeps the word. */
  cr_assert_not_null(strstr(text, "# theta23 = preset\n"));
  cr_assert_not_null(strstr(text, "# ordering = NO,io\n"));
  static batch_row rows[2 * SAMPLE_BINS];
  cr_assert_eq(parse_batch(text, rows, 2 * SAMPLE_BINS), 2 * SAMPLE_BINS);
  cr_assert_str_eq(rows[SAMPLE_BINS].ordering, "IO");
  free(text);
  assert_matches_spectrum(rows, 2 * SAMPLE_BINS, 1, "sfr", 2.5,
                          "ordering=IO sum_mnu=0.15 source=sfr zmax=3");
  assert_matches_spectrum(rows, 2 * SAMPLE_BINS, 0, "sfr", 2.5,
                          "ordering=NO sum_mnu=0.15 source=sfr zmax=3");
  zp_test_remove_dir(out);
}

Test(cli_batch, stdout_output) {
  char out[64], path[128];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/stdout.txt", out);
  int rc = run("batch emin=1e4 emax=1e6 bins_per_decade=10 gamma=2,3 output=- >%s", path);
  cr_assert_eq(rc, 0, "exit %d: [%s]", rc, errbuf);
  cr_assert_not_null(strstr(errbuf, "1 points x 1 sources x 2 gammas (20 bins) to stdout"), "[%s]",
                     errbuf);
  char *text = zp_test_read_file_or_fail(path);
  static batch_row rows[2 * SAMPLE_BINS];
  cr_assert_eq(parse_batch(text, rows, 2 * SAMPLE_BINS), 2 * SAMPLE_BINS);
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1);
  zp_test_remove_dir(out);
}

/* Lists in the parameter file, blanks around the commas; the header
 * (through --dry-run) gives them back as a file that reads the same. */
Test(cli_batch, ini_lists_rerun) {
  char dir[64], ini[128], again[128], first[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(ini, sizeof ini, "%s/run.ini", dir);
  snprintf(again, sizeof again, "%s/again.ini", dir);
  FILE *f = fopen(ini, "w");
  cr_assert_not_null(f);
  fputs("mzp = 10, 13   # MeV\ngamma = 2.2 ,2.8\nsource = sfr, delta\nz0 = 1, 3\nzmax = 5\n", f);
  fclose(f);
  cr_assert_eq(run("batch %s --dry-run >%s/out1.ini", ini, dir), 0, "[%s]", errbuf);
  snprintf(first, sizeof first, "%s/out1.ini", dir);
  char *a = zp_test_read_file_or_fail(first);
  cr_assert(strncmp(a, "mzp = 10,13\n", 12) == 0, "[%s]", a);
  cr_assert_not_null(strstr(a, "\ngamma = 2.2,2.8\n"));
  cr_assert_not_null(strstr(a, "\nz0 = 1,3\n"));
  cr_assert_not_null(strstr(a, "\noutput = zprop_batch.tsv\n"));
  cr_assert_eq(run("batch %s/out1.ini --dry-run >%s", dir, again), 0, "[%s]", errbuf);
  char *b = zp_test_read_file_or_fail(again);
  cr_assert_str_eq(a, b);
  free(a);
  free(b);
  zp_test_remove_dir(dir);
}

/* ----------------------------------------------------------- bad input */

Test(cli_batch_bad, out_of_range_element_exact_line) {
  char out[64];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  cr_assert_eq(run("batch gamma=2.5,7 output=%s/x.tsv", out), 2);
  cr_assert_str_eq(errbuf, "zprop: gamma = 2.5,7: element 7 out of range, allowed [1, 4]\n");
  cr_assert_eq(zp_test_dir_entries(out), 0);
  zp_test_remove_dir(out);
}

Test(cli_batch_bad, malformed_element) {
  expect_bad("mzp = 10,1e-3x|element 1e-3x", "mzp=10,1e-3x");
}
Test(cli_batch_bad, nan_element) { expect_bad("gzp|element nan", "gzp=1e-4,nan"); }
Test(cli_batch_bad, empty_element) { expect_bad("gamma = 1,,2|empty element", "gamma=1,,2"); }
Test(cli_batch_bad, trailing_comma) { expect_bad("mchi|empty element", "mchi=0,1,"); }
Test(cli_batch_bad, unknown_ordering_word) {
  expect_bad("ordering = NO,XO|element XO|NO|IO", "ordering=NO,XO");
}
Test(cli_batch_bad, unknown_source_word) { expect_bad("source|element agn", "source=sfr,agn"); }
Test(cli_batch_bad, z0_element_out_of_range) {
  expect_bad("z0|element 0|(0, 20]", "source=sfr,delta z0=1,0");
}
/* 0.08 eV is allowed for the NO points, not for the IO ones. */
Test(cli_batch_bad, sum_below_io_minimum) {
  expect_bad("sum_mnu = 0.08|for IO", "ordering=NO,IO sum_mnu=0.08");
}
Test(cli_batch_bad, sum_element_below_io_minimum) {
  expect_bad("sum_mnu = 0.12,0.08|element 0.08|for IO", "sum_mnu=0.12,0.08 ordering=IO,NO");
}
Test(cli_batch_bad, dm3l_against_ordering_list) {
  expect_bad("dm3l|for IO", "dm3l=2.5e-3 ordering=NO,IO");
}
Test(cli_batch_bad, zmax_below_z0_pairwise) {
  expect_bad("zmax = 4,2|element 2|z0 = 3", "source=sfr,delta z0=3 zmax=4,2");
}
Test(cli_batch_bad, z0_length_mismatch) {
  expect_bad("z0 = 1,2,3|3 values|2 sources", "source=sfr,delta z0=1,2,3");
}
Test(cli_batch_bad, zmax_length_mismatch) {
  expect_bad("zmax = 4,5,6|3 values", "source=sfr,delta zmax=4,5,6");
}
Test(cli_batch_bad, z0_list_single_source) { expect_bad("z0 = 1,2|1 source", "source=sfr z0=1,2"); }
Test(cli_batch_bad, list_for_single_key) {
  expect_bad("mixing = nufit50,nufit52|lists not accepted", "mixing=nufit50,nufit52");
}
Test(cli_batch_bad, too_many_points) {
  expect_bad("mzp x gzp|100400 points|at most 100000",
             "mzp=$(seq -s, 1 400) gzp=$(printf '0,%.0s' $(seq 250))1");
}
Test(cli_batch_bad, too_many_sources) {
  expect_bad("source|17 sources|at most 16", "source=$(printf 'sfr,%.0s' $(seq 16))delta");
}
Test(cli_batch_bad, too_many_gammas) {
  expect_bad("gamma|4097 values|at most 4096", "gamma=$(printf '2,%.0s' $(seq 4096))3");
}
Test(cli_batch_bad, unknown_key_points_to_batch_help) {
  expect_bad("gama|did you mean gamma", "gama=2,3");
  expect_bad("frobnicate|zprop batch --help", "frobnicate=2,3");
}

/* A failed batch must not touch an existing table of the same name. */
Test(cli_batch_bad, existing_output_untouched) {
  char out[64], path[128];
  snprintf(out, sizeof out, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/x.tsv", out);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("old\n", f);
  fclose(f);
  cr_assert_eq(run("batch gamma=2,0.5 output=%s", path), 2);
  char *text = zp_test_read_file_or_fail(path);
  cr_assert_str_eq(text, "old\n");
  free(text);
  cr_assert_eq(zp_test_dir_entries(out), 1);
  zp_test_remove_dir(out);
}

/* --------------------------------------------------------------- usage */

Test(cli_batch_usage, help_lists_keys_and_lists) {
  char dir[64], path[128];
  snprintf(dir, sizeof dir, "%s", zp_test_tmpdir());
  snprintf(path, sizeof path, "%s/help.txt", dir);
  cr_assert_eq(run("batch --help >%s", path), 0);
  char *text = zp_test_read_file_or_fail(path);
  const char *table = strstr(text, "\n  key ");
  cr_assert_not_null(table, "no key table");
  const char *keys[] = {"mzp",      "gzp",    "gchi", "mchi", "sum_mnu",
                        "ordering", "source", "z0",   "zmax", "gamma"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char pat[64];
    snprintf(pat, sizeof pat, "\n  %s ", keys[i]);
    const char *row = strstr(table, pat);
    cr_assert_not_null(row, "help does not list %s", keys[i]);
    size_t len = strcspn(row + 1, "\n");
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)len, row + 1);
    cr_assert_not_null(strstr(line, " yes "), "%s is not marked as taking a list: [%s]", keys[i],
                       line);
  }
  const char *single = strstr(table, "\n  mixing ");
  cr_assert_not_null(single);
  cr_assert(strstr(single, " yes ") == NULL || strstr(single, " yes ") > strchr(single + 1, '\n'),
            "mixing must not take a list");
  cr_assert_not_null(strstr(text, "zprop_batch.tsv"));
  cr_assert_not_null(strstr(text, "usage: zprop batch"));
  free(text);
  cr_assert_eq(run("--help >%s", path), 0);
  text = zp_test_read_file_or_fail(path);
  cr_assert_not_null(strstr(text, "\n  batch "), "zprop --help does not list batch");
  free(text);
  zp_test_remove_dir(dir);
}
