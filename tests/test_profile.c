/* zprop tests: profiles of scan tables (zp_profile_table, `zprop profile`).
 *
 * A synthetic 4-axis table (3 mzp x 4 gzp x 3 gamma x 4 norm) written here
 * in the format of `zprop scan` has chi2 = 10 + (m - m*(gamma))^2/4 +
 * (log10 g - l*(norm))^2 + 4 (gamma - 2.5)^2 + 2 (i_norm - 1)^2, where the
 * best mass m*(gamma) and log coupling l*(norm) are grid points: the minimum
 * over (mzp, gzp) is then known in closed form, with its argmin, and the
 * global minimum is 10 at gamma = 2.5, the second norm.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"
#include "zprop/profile.h"

static const double M[3] = {6, 10, 14}, LG[4] = {-4, -3, -2, -1}, GAMMA[3] = {2.0, 2.5, 3.0},
                    NORM[4] = {1e-18, 2e-18, 3e-18, 4e-18};

static double chi2_of(int im, int ig, int ia, int in) {
  double mbest = M[ia], lbest = LG[in];
  double dm = M[im] - mbest, dl = LG[ig] - lbest, da = GAMMA[ia] - 2.5;
  return 10.0 + dm * dm / 4.0 + dl * dl + 4.0 * da * da + 2.0 * (in - 1) * (in - 1);
}

static char dir[64], scan[128], out[160], errbuf[4096];

static void write_scan(const char *path) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("## zprop 0.1.0: scan\n# mzp = 6:14:3\n# gzp = 1e-4:1e-1:4\n# source = delta\n"
        "## chi2_0 = 2.0000000000e+01\n"
        "## grid = 3 mzp x 4 gzp x 3 gamma x 4 norm = 144 rows, mzp outer, gzp, gamma, norm "
        "inner\n"
        "# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n",
        f);
  for (int im = 0; im < 3; im++)
    for (int ig = 0; ig < 4; ig++)
      for (int ia = 0; ia < 3; ia++)
        for (int in = 0; in < 4; in++) {
          double c = chi2_of(im, ig, ia, in);
          fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\t1.0e+00\t%.10e\t%.10e\t1.0e-09\t-1.0e+00\n",
                  M[im], pow(10.0, LG[ig]), c, c - 20.0, GAMMA[ia], NORM[in]);
        }
  fclose(f);
}

static void setup(void) {
  zp_test_new_dir(dir, sizeof dir);
  snprintf(scan, sizeof scan, "%s/scan.tsv", dir);
  snprintf(out, sizeof out, "%s/prof.tsv", dir);
  write_scan(scan);
}

static void teardown(void) { zp_test_remove_dir(dir); }

TestSuite(profile, .init = setup, .fini = teardown);

/** The data rows of @p text as numbers: *nrows rows of *ncols. */
static double *rows_of(const char *text, size_t *nrows, size_t *ncols) {
  double *v = malloc(100000 * sizeof *v);
  cr_assert_not_null(v);
  *nrows = *ncols = 0;
  size_t n = 0;
  for (const char *l = text; *l != '\0';) {
    const char *e = strchr(l, '\n');
    if (e == NULL) e = l + strlen(l);
    if (*l != '#' && e > l) {
      size_t c = 1;
      for (const char *s = l; s < e; s++) c += *s == '\t';
      for (const char *s = l; s < e;) {
        char *end;
        v[n++] = strtod(s, &end);
        s = end + 1;
      }
      if (*nrows == 0) *ncols = c;
      cr_assert_eq(c, *ncols, "row %zu: %zu cells", *nrows, c);
      (*nrows)++;
    }
    l = *e == '\n' ? e + 1 : e;
  }
  return v;
}

static void assert_one_line(const char *needle) {
  size_t n = strlen(errbuf);
  cr_assert(n > 0 && errbuf[n - 1] == '\n' && strchr(errbuf, '\n') == errbuf + n - 1,
            "stderr must be exactly one line: [%s]", errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0, "[%s]", errbuf);
  cr_assert(strstr(errbuf, needle) != NULL, "[%s] should mention '%s'", errbuf, needle);
}

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

Test(profile, levels_are_the_chi2_quantiles) {
  cr_assert(fabs(zp_profile_level(90, 2) - 4.61) < 1e-2);
  cr_assert(fabs(zp_profile_level(95, 2) - 5.99) < 1e-2);
  cr_assert(fabs(zp_profile_level(68.27, 1) - 1.0) < 1e-3);
  cr_assert(isnan(zp_profile_level(100, 2)) && isnan(zp_profile_level(90, 0)));
}

Test(profile, grid_line_parses) {
  zp_grid_axes g;
  zp_error err;
  cr_assert_eq(zp_grid_parse("96 mzp x 81 gzp = 7776 rows, mzp outer, gzp inner", &g, &err), ZP_OK);
  cr_assert(g.naxes == 2 && g.n[0] == 96 && g.n[1] == 81 && g.rows == 7776);
  cr_assert_str_eq(g.keys[1], "gzp");
  cr_assert_eq(zp_grid_parse("3 sum_mnu x 20 mzp x 10 gzp x 7 gamma x 5 norm = 21000 rows, "
                             "sum_mnu outer, mzp, gzp, gamma, norm inner",
                             &g, &err),
               ZP_OK);
  cr_assert(g.naxes == 5 && g.rows == 21000);
  cr_assert_str_eq(g.keys[0], "sum_mnu");
  cr_assert_eq(zp_grid_parse("3 mzp x 4 gzp = 13 rows", &g, &err), ZP_EFORMAT);
  cr_assert_eq(zp_grid_parse("0 mzp = 0 rows", &g, &err), ZP_EFORMAT);
  cr_assert_eq(zp_grid_parse("3 mzp x 3 mzp = 9 rows", &g, &err), ZP_EFORMAT);
  cr_assert_str_eq(zp_grid_axis_column("mzp"), "mzp_MeV");
  cr_assert_str_eq(zp_grid_axis_column("sum_mnu"), "sum_mnu_eV");
  cr_assert_str_eq(zp_grid_axis_column("norm"), "norm");
}

Test(profile, min_over_mzp_gzp_is_the_closed_form) {
  double cl[2] = {90, 95};
  zp_profile_info info;
  zp_error err = {ZP_OK, ""};
  cr_assert_eq(zp_profile_table(scan, "mzp,gzp", cl, 2, 2, out, &info, &err), ZP_OK, "%s", err.msg);
  cr_assert(info.rows_in == 144 && info.rows_out == 12);
  cr_assert(fabs(info.chi2_min - 10.0) < 1e-9);
  cr_assert(fabs(info.levels[0] - 4.61) < 1e-2 && fabs(info.levels[1] - 5.99) < 1e-2);
  cr_assert(info.kept.naxes == 2 && info.kept.n[0] == 3 && info.kept.n[1] == 4);
  char *text = zp_test_read_file_or_fail(out);
  cr_assert(strstr(text, "\n## grid = 3 gamma x 4 norm = 12 rows, gamma outer, norm inner\n"));
  cr_assert(strstr(text, "\n## profiled = min over mzp, gzp\n"));
  cr_assert(strstr(text, "\n## chi2_min = 1.0000000000e+01\n"));
  cr_assert(strstr(text, "\n## contours = dchi2_min 4.60517 (90% CL), 5.99146 (95% CL), "
                         "dof = 2\n"));
  cr_assert(strstr(text, "\n## chi2_0 = 2.0000000000e+01\n# mzp = 6:14:3\n") == NULL);
  cr_assert(strstr(text, "\n# mzp = 6:14:3\n") && strstr(text, "\n## chi2_0 = "));
  cr_assert(strstr(text, "\n# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\t"
                         "gm2_pull\tdchi2_min\n"));
  size_t nr, nc;
  double *v = rows_of(text, &nr, &nc);
  cr_assert(nr == 12 && nc == 10, "%zu x %zu", nr, nc);
  for (int ia = 0; ia < 3; ia++)
    for (int in = 0; in < 4; in++) {
      const double *row = v + (size_t)(ia * 4 + in) * nc;
      double chi2 = 10.0 + 4.0 * (GAMMA[ia] - 2.5) * (GAMMA[ia] - 2.5) + 2.0 * (in - 1) * (in - 1);
      cr_assert(fabs(row[0] - M[ia]) < 1e-9, "mzp of the best point");
      cr_assert(fabs(log10(row[1]) - LG[in]) < 1e-9, "gzp of the best point");
      cr_assert(fabs(row[2] - chi2) < 1e-8, "chi2 %g, expected %g", row[2], chi2);
      cr_assert(fabs(row[3] - (chi2 - 20.0)) < 1e-8, "delta_chi2 stays chi2 - chi2_0");
      cr_assert(fabs(row[5] - GAMMA[ia]) < 1e-12 && fabs(row[6] / NORM[in] - 1) < 1e-9);
      cr_assert(fabs(row[9] - (chi2 - 10.0)) < 1e-8, "dchi2_min");
    }
  free(v);
  free(text);
}

Test(profile, min_over_gamma_norm_keeps_the_argmin_row) {
  double cl[1] = {68.27};
  zp_error err = {ZP_OK, ""};
  cr_assert_eq(zp_profile_table(scan, "norm, gamma", cl, 1, 1, out, NULL, &err), ZP_OK, "%s",
               err.msg);
  char *text = zp_test_read_file_or_fail(out);
  cr_assert(strstr(text, "\n## grid = 3 mzp x 4 gzp = 12 rows, mzp outer, gzp inner\n"));
  cr_assert(strstr(text, "\n## contours = dchi2_min ") && strstr(text, " (68.27% CL), dof = 1\n"));
  size_t nr, nc;
  double *v = rows_of(text, &nr, &nc);
  cr_assert_eq(nr, 12);
  for (int im = 0; im < 3; im++)
    for (int ig = 0; ig < 4; ig++) {
      double best = INFINITY;
      int ba = 0, bn = 0;
      for (int ia = 0; ia < 3; ia++)
        for (int in = 0; in < 4; in++)
          if (chi2_of(im, ig, ia, in) < best) best = chi2_of(im, ig, ia, in), ba = ia, bn = in;
      const double *row = v + (size_t)(im * 4 + ig) * nc;
      cr_assert(fabs(row[0] - M[im]) < 1e-9 && fabs(log10(row[1]) - LG[ig]) < 1e-9);
      cr_assert(fabs(row[2] - best) < 1e-8 && fabs(row[5] - GAMMA[ba]) < 1e-12 &&
                fabs(row[6] / NORM[bn] - 1) < 1e-9);
    }
  free(v);
  free(text);
}

Test(profile, cli_writes_and_a_profile_profiles_again) {
  char out2[200];
  snprintf(out2, sizeof out2, "%s/prof2.tsv", dir);
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile '%s' over=mzp,gzp", scan), 0,
               "%s", errbuf);
  cr_assert(strstr(errbuf, "wrote 12 rows (3 gamma x 4 norm"), "%s", errbuf);
  char auto_out[200];
  snprintf(auto_out, sizeof auto_out, "%s/scan_profile.tsv", dir);
  cr_assert(exists(auto_out), "default output beside the table");
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile '%s' over=gamma output='%s'",
                                   auto_out, out2),
               0, "%s", errbuf);
  char *text = zp_test_read_file_or_fail(out2);
  cr_assert(strstr(text, "\n## profiled = min over mzp, gzp, gamma\n"), "%s", text);
  cr_assert(strstr(text, "\n## grid = 4 norm = 4 rows\n"));
  size_t nr, nc;
  double *v = rows_of(text, &nr, &nc);
  cr_assert(nr == 4 && nc == 10, "the dchi2_min column is recomputed, not added twice");
  cr_assert(fabs(v[1 * nc + 2] - 10.0) < 1e-9 && fabs(v[1 * nc + 9]) < 1e-12);
  free(v);
  free(text);
  cr_assert_eq(zp_test_run_cli("profile --help", errbuf, sizeof errbuf), 0);
}

Test(profile, bad_arguments_are_one_line_and_write_nothing) {
  static const struct {
    const char *args, *needle;
  } cases[] = {
      {"over=foo", "foo is not an axis of"},
      {"over=mzp,mzp", "given twice"},
      {"over=mzp,gzp,gamma,norm", "one must remain"},
      {"over=", "over = \"\": empty"},
      {"over=mzp cl=90,101", "cl = 90,101: out of range"},
      {"over=mzp cl=x", "not a number"},
      {"over=mzp dof=0", "dof = 0: out of range"},
      {"over=mzp bogus=1", "bogus = 1: unknown key, allowed over, output, cl, dof"},
      {"", "missing over="},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile '%s' %s output='%s'", scan,
                                 cases[i].args, out);
    cr_assert_eq(rc, 2, "%s: status %d", cases[i].args, rc);
    assert_one_line(cases[i].needle);
    cr_assert(strstr(errbuf, "allowed") != NULL, "%s", errbuf);
    cr_assert(!exists(out), "%s: no output on error", cases[i].args);
  }
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile '%s' over=mzp output='%s'", scan,
                                   scan),
               2);
  assert_one_line("the same file as TABLE");
  cr_assert_eq(zp_test_run_cli("profile over=mzp", errbuf, sizeof errbuf), 2);
  assert_one_line("missing TABLE");
}

/** Rewrites the scan with line @p lineno (1-based) replaced by @p text
 *  (NULL: removed), then profiles it expecting an error naming @p needle. */
static void broken(int lineno, const char *text, const char *needle) {
  char *orig = zp_test_read_file_or_fail(scan);
  FILE *f = fopen(scan, "w");
  cr_assert_not_null(f);
  int n = 1;
  for (char *l = orig; *l != '\0'; n++) {
    char *e = strchr(l, '\n');
    size_t len = e != NULL ? (size_t)(e - l + 1) : strlen(l);
    if (n != lineno) fwrite(l, 1, len, f);
    else if (text != NULL) fputs(text, f);
    l += len;
  }
  fclose(f);
  free(orig);
  int rc = zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile '%s' over=mzp,gzp output='%s'", scan,
                               out);
  cr_assert_eq(rc, 2, "status %d: %s", rc, errbuf);
  assert_one_line(needle);
  cr_assert(!exists(out));
  write_scan(scan);
}

Test(profile, broken_tables_name_file_and_line) {
  /* Lines: 6 header lines, the column line 7, rows from line 8. */
  broken(20, NULL, "scan.tsv:150: 143 rows, but the grid line (line 6) makes 144");
  broken(20, "6.0e+00\t1.0e-04\tnan\t0\t1\t2.0e+00\t1.0e-18\t1e-9\t-1\n",
         "scan.tsv:20: column chi2: 'nan' is not a finite number");
  broken(9, "6.0e+00\t1.0e-04\t10\n", "scan.tsv:9: 3 cells, expected 9");
  broken(8, "7.0e+00\t1.0e-04\t10\t0\t1\t2.0e+00\t1.0e-18\t1e-9\t-1\n",
         "rows not in the order of the grid");
  broken(6, "## grid = 3 mzp x 4 gzp = 12 rows\n", "scan.tsv:151: 144 rows, but the grid line");
  broken(6, "## nothing\n", "no '## grid = ...' line");
  broken(6, "## grid = 3 mzp x 4 gzp x 3 gamma x 4 norm = 145 rows\n", "scan.tsv:6: grid = ");
}
