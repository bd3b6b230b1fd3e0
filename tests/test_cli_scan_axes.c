/* zprop tests: `zprop scan` over more keys than (mzp, gzp), run as a
 * separate process.
 *
 * A scan over up to four ranged keys (model keys, source keys, a fixed
 * gamma or norm) writes one row per grid point in C order, outer dimension
 * first, with a column per axis; every row equals `zprop fit` at its point
 * (the reference fit, computed without the scan's shared depth tables and
 * gamma search); tables do not depend on the chunk size or the number of
 * threads; a scan killed while it runs resumes to the same bytes; bad axes
 * are refused in one line.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* kill, setenv */

#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "support_scan.h"

/* Four ranged keys, one of each role a key can have: a model key outer
 * (its own transfer matrices), mzp and gzp, and a source key inner (rows of
 * one model point, which share its matrices).  24 points, under a second. */
static const char four[] = "sum_mnu=0.06:0.2:2 mzp=5:15:3 gzp=1e-3:1e-2:2 z0=0.5:1:2 "
                           "output=scan.tsv";
/* gamma and norm held fixed per row, under a second. */
static const char fixed[] = "mzp=5:15:2 gzp=1e-3:1e-2:2 gamma=2.3:2.9:2 norm=0.8e-18:1.6e-18:2 "
                            "output=scan.tsv";
/* About a second here: 1600 model points of 10 rows each, in chunks of 4. */
static const char killable[] = "mzp=1:20:40 gzp=1e-5:1e-1:40 z0=0.5:1:2 gamma=2.2:3:5 chunk=4 "
                               "emin=1e3 emax=1e8 bins_per_decade=20 output=scan.tsv";

enum { NCOLS_MAX = 16, NROWS_MAX = 64 };

typedef struct {
  size_t nrows, ncols;
  char columns[512];
  double v[NROWS_MAX][NCOLS_MAX];
} table;

/** The column line and the data rows of a scan table. */
static void parse_table(const char *text, table *t) {
  memset(t, 0, sizeof *t);
  for (const char *line = text; *line != '\0';) {
    const char *end = strchr(line, '\n');
    size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
    if (strncmp(line, "# ", 2) == 0 && memchr(line, '\t', len) != NULL)
      snprintf(t->columns, sizeof t->columns, "%.*s", (int)len, line);
    else if (line[0] != '#' && len > 0) {
      cr_assert_lt(t->nrows, NROWS_MAX);
      char *p = (char *)line;
      size_t c = 0;
      while (c < NCOLS_MAX && p < line + len) t->v[t->nrows][c++] = strtod(p, &p);
      t->ncols = c;
      t->nrows++;
    }
    line += len + (end != NULL);
  }
}

/** The table of `zprop scan ARGS` on @p threads OpenMP threads (NULL: the
 *  default), run in a new directory. */
static char *scan_in_new_dir(const char *args, const char *threads) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  /* the scan process inherits it */
  if (threads != NULL) setenv("OMP_NUM_THREADS", threads, 1);
  cr_assert_eq(run_scan(dir, args), 0, "scan %s failed", args);
  if (threads != NULL) unsetenv("OMP_NUM_THREADS");
  char *text = read_in(dir, "scan.tsv");
  cr_assert_not_null(text);
  zp_test_remove_dir(dir);
  return text;
}

/** chi2 of `zprop fit ARGS` (its "chi2 = " line). */
static double fit_chi2(const char *args) {
  char dir[128], cmd[1536];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(cmd, sizeof cmd, "fit %s > %s/fit.ini", args, dir);
  cr_assert_eq(zp_test_run_cli(cmd, NULL, 0), 0, "zprop %s failed", cmd);
  char *out = read_in(dir, "fit.ini");
  cr_assert_not_null(out);
  const char *c = strstr(out, "\nchi2 = ");
  cr_assert_not_null(c, "no chi2 line in: %s", out);
  double chi2 = strtod(c + 8, NULL);
  free(out);
  zp_test_remove_dir(dir);
  return chi2;
}

/* --------------------------------------------------------------- table */

Test(cli_scan_axes, one_row_per_grid_point_in_c_order) {
  char *text = scan_in_new_dir(four, NULL);
  cr_expect(strstr(text, "\n## grid = 2 sum_mnu x 3 mzp x 2 gzp x 2 z0 = 24 rows, sum_mnu outer, "
                         "mzp, gzp, z0 inner\n") != NULL,
            "%s", text);
  table t;
  parse_table(text, &t);
  cr_expect_str_eq(t.columns, "# sum_mnu_eV\tmzp_MeV\tgzp\tz0\tchi2\tdelta_chi2\tR\tgamma\tnorm\t"
                              "delta_amu\tgm2_pull");
  cr_assert_eq(t.nrows, 24);
  cr_assert_eq(t.ncols, 11);
  static const double sum[] = {0.06, 0.2}, mzp[] = {5, 10, 15}, gzp[] = {1e-3, 1e-2},
                      z0[] = {0.5, 1};
  for (size_t r = 0; r < 24; r++) {
    const double want[4] = {sum[r / 12], mzp[r / 4 % 3], gzp[r / 2 % 2], z0[r % 2]};
    for (size_t c = 0; c < 4; c++)
      cr_expect(zp_test_close(t.v[r][c], want[c], 1e-10), "row %zu column %zu: %g, want %g", r, c,
                t.v[r][c], want[c]);
    for (size_t c = 4; c < 11; c++) cr_expect(isfinite(t.v[r][c]), "row %zu column %zu", r, c);
  }
  /* The source's redshift is a real dimension: the rows of one model
   * point differ. */
  cr_expect(fabs(t.v[0][4] - t.v[1][4]) > 1e-3, "z0 changed nothing: %g %g", t.v[0][4], t.v[1][4]);
  free(text);
}

/* The scan's chi2 is the fit's at every point to 0.02, the accuracy of its
 * gamma search and shared depth tables (docs/fast_scans.md; the fast-scans
 * issue's criterion).  Four rows: each end of every axis appears. */
Test(cli_scan_axes, rows_equal_the_fit_at_their_point, .timeout = 120) {
  char *text = scan_in_new_dir(four, NULL);
  table t;
  parse_table(text, &t);
  cr_assert_eq(t.nrows, 24);
  static const size_t rows[] = {0, 7, 16, 23};
  for (size_t i = 0; i < 4; i++) {
    const double *v = t.v[rows[i]];
    char args[512];
    snprintf(args, sizeof args, "sum_mnu=%.17g mzp=%.17g gzp=%.17g z0=%.17g", v[0], v[1], v[2],
             v[3]);
    double chi2 = fit_chi2(args);
    cr_expect(fabs(v[4] - chi2) < 0.02, "row %zu (%s): scan %.6f, fit %.6f", rows[i], args, v[4],
              chi2);
  }
  free(text);
}

Test(cli_scan_axes, fixed_gamma_and_norm_rows_equal_the_fit, .timeout = 120) {
  char *text = scan_in_new_dir(fixed, NULL);
  cr_expect(strstr(text, "\n## grid = 2 mzp x 2 gzp x 2 gamma x 2 norm = 16 rows") != NULL, "%s",
            text);
  table t;
  parse_table(text, &t);
  cr_assert_eq(t.nrows, 16);
  cr_assert_eq(t.ncols, 9, "no columns of their own for gamma and norm: %s", t.columns);
  for (size_t r = 0; r < 16; r++) {
    const double *v = t.v[r];
    cr_expect(zp_test_close(v[5], r / 2 % 2 ? 2.9 : 2.3, 1e-12), "row %zu gamma %g", r, v[5]);
    cr_expect(zp_test_close(v[6], r % 2 ? 1.6e-18 : 0.8e-18, 1e-12), "row %zu norm %g", r, v[6]);
    if (r % 5 != 0) continue; /* rows 0, 5, 10, 15: each value of each axis */
    char args[512];
    snprintf(args, sizeof args, "mzp=%.17g gzp=%.17g profile=none gamma=%.17g norm=%.17g", v[0],
             v[1], v[5], v[6]);
    double chi2 = fit_chi2(args);
    /* nothing is profiled: the same spectrum and data, 1e-6 relative */
    cr_expect(zp_test_close(v[2], chi2, 1e-6), "row %zu (%s): scan %.9g, fit %.9g", r, args, v[2],
              chi2);
  }
  free(text);
}

/* A gamma axis alone: the norm is fitted at each fixed gamma, as
 * `zprop fit profile=norm` does; the norm's fit is closed-form in both, so
 * 1e-6 relative. */
Test(cli_scan_axes, gamma_axis_rows_equal_the_norm_fit, .timeout = 120) {
  char *text = scan_in_new_dir("mzp=6:12:2 gzp=3e-4:3e-3:2 gamma=2.3:2.9:2 output=scan.tsv", NULL);
  table t;
  parse_table(text, &t);
  cr_assert_eq(t.nrows, 8);
  for (size_t r = 0; r < 8; r += 3) {
    const double *v = t.v[r];
    char args[512];
    snprintf(args, sizeof args, "mzp=%.17g gzp=%.17g profile=norm gamma=%.17g", v[0], v[1], v[5]);
    double chi2 = fit_chi2(args);
    cr_expect(zp_test_close(v[2], chi2, 1e-6), "row %zu (%s): scan %.9g, fit %.9g", r, args, v[2],
              chi2);
  }
  free(text);
}

/* A norm axis with gamma profiled: each row is the minimum over gamma at
 * its fixed norm (the profile's grid, step 0.01, searched, with a parabola
 * through the lowest three).  Against the same scan with gamma an axis of
 * step 0.001 on [2.2, 3.0] (the minima lie at 2.55-2.78): within 1e-3, the
 * fast-scans issue's tolerance for the profile against a fine grid (the
 * 0.001 grid's own error is below curvature x 0.0005^2 / 2, 3e-4 for the
 * curvature near 2000 of chi2 in gamma at a fixed norm). */
Test(cli_scan_axes, norm_axis_profiles_gamma_at_each_norm, .timeout = 120) {
  static const char base[] = "mzp=6:12:2 gzp=3e-4:3e-3:2 norm=0.8e-18:1.6e-18:3 output=scan.tsv";
  char *text = scan_in_new_dir(base, NULL);
  char args[512];
  snprintf(args, sizeof args, "%s gamma=2.2:3.0:801", base);
  char *grid = scan_in_new_dir(args, NULL);
  table t;
  parse_table(text, &t);
  cr_assert_eq(t.nrows, 12);
  cr_expect(strstr(grid, "\n## grid = 2 mzp x 2 gzp x 801 gamma x 3 norm = 9612 rows") != NULL);
  /* 9612 rows, more than parse_table holds: the lowest chi2 of each
   * (point, norm) read straight from the text */
  double lowest[12];
  for (size_t r = 0; r < 12; r++) lowest[r] = INFINITY;
  const char *line = strstr(grid, "\n# mzp_MeV");
  cr_assert_not_null(line);
  line = strchr(line + 1, '\n') + 1;
  for (size_t row = 0; row < 9612; row++) {
    char *p = (char *)line;
    double mzp = strtod(p, &p), gzp = strtod(p, &p), chi2 = strtod(p, &p);
    size_t r = row / 2403 * 3 + row % 3; /* (point, gamma, norm): the norm fastest */
    cr_assert(zp_test_close(mzp, t.v[r][0], 1e-12) && zp_test_close(gzp, t.v[r][1], 1e-12),
              "row %zu", row);
    if (chi2 < lowest[r]) lowest[r] = chi2;
    line = strchr(line, '\n');
    cr_assert_not_null(line, "the table ends at row %zu", row);
    line++;
  }
  for (size_t r = 0; r < 12; r++) {
    cr_expect(fabs(t.v[r][2] - lowest[r]) < 1e-3, "row %zu: profiled %.9g, the 0.001 grid's %.9g",
              r, t.v[r][2], lowest[r]);
    cr_expect(zp_test_close(t.v[r][6], (r % 3 == 0 ? 0.8 : r % 3 == 1 ? 1.2 : 1.6) * 1e-18, 1e-12));
  }
  free(text), free(grid);
}

Test(cli_scan_axes, same_table_for_any_chunk_or_thread_count, .timeout = 120) {
  char args[512];
  snprintf(args, sizeof args, "%s chunk=2", four);
  char *want = scan_in_new_dir(args, "1");
  snprintf(args, sizeof args, "%s chunk=1", four);
  char *one = scan_in_new_dir(args, "2");
  snprintf(args, sizeof args, "%s chunk=7", four);
  char *seven = scan_in_new_dir(args, "2");
  /* the tables name their chunk: compare from the grid line on */
  const char *w = strstr(want, "\n## grid"), *a = strstr(one, "\n## grid"),
             *b = strstr(seven, "\n## grid");
  cr_assert(w != NULL && a != NULL && b != NULL);
  cr_expect_str_eq(a, w, "chunk=1 on 2 threads differs from chunk=2 on 1");
  cr_expect_str_eq(b, w, "chunk=7 on 2 threads differs from chunk=2 on 1");
  free(want), free(one), free(seven);
}

/* --------------------------------------------------------------- kills */

Test(cli_scan_axes, sigkill_then_resume_is_identical, .timeout = 300) {
  char *want = uninterrupted(killable);
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  kill_when(start_scan(dir, killable), dir, 4000, SIGKILL);
  cr_assert(!exists_in(dir, "scan.tsv"), "a table before the scan finished");
  cr_assert_eq(run_scan(dir, killable), 0);
  char *got = read_in(dir, "scan.tsv");
  cr_assert_not_null(got);
  cr_expect(strcmp(got, want) == 0, "the resumed table differs from the uninterrupted one");
  char *err = read_in(dir, "err.txt");
  cr_expect(err != NULL && strstr(err, "resuming") != NULL, "no resume message: %s", err);
  cr_expect(err != NULL && strstr(err, "(40 mzp x 40 gzp x 2 z0 x 5 gamma)") != NULL, "%s", err);
  free(err), free(got), free(want);
  zp_test_remove_dir(dir);
}

/* ------------------------------------------------------------- errors */

Test(cli_scan_axes_bad, five_ranged_keys) {
  expect_bad("norm = 1e-18:2e-18:2: one range too many",
             "mzp=1:20:2 gzp=1e-5:1e-1:2 z0=0.5:1:2 gamma=2.2:3:2 norm=1e-18:2e-18:2 "
             "output=out.tsv");
}
/* A range's corners meet the ranges of the other keys: z0 = 7 with the
 * default zmax = 6 breaks zmax's range [z0, 20]. */
Test(cli_scan_axes_bad, corner_outside_another_keys_range) {
  expect_bad("zmax = 6: out of range, allowed [z0, 20] (z0 = 7", "z0=1:7:3 output=out.tsv");
}
Test(cli_scan_axes_bad, key_no_scan_runs_over) {
  expect_bad("bins_per_decade = 10:20:2", "bins_per_decade=10:20:2 output=out.tsv");
}
Test(cli_scan_axes_bad, bad_spacing) {
  expect_bad("z0 = 0.5:1:2:cubic: bad spacing (log or linear)", "z0=0.5:1:2:cubic output=out.tsv");
}
