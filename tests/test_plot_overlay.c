/* zprop tests: the lines `zprop plot` draws over an (M, g) scan map besides
 * the g-2 bands: the g-2 exclusion line (gm2_line, gm2_nsigma) and limit
 * curves from files (limits=, docs/limits.md).
 *
 * The script and its .dat are checked with a stand-in gnuplot on PATH (a
 * shell script that draws nothing), so these tests need no gnuplot; one
 * test draws the figure with the real one when it is installed.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "zprop/gm2.h"
#include "physics/physics.h"

static char dir[64];
static char errbuf[8192];

static void setup(void) {
  zp_test_new_dir(dir, sizeof dir);
  char path[256];
  snprintf(path, sizeof path, "%s/bin", dir);
  cr_assert_eq(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/bin/gnuplot", dir);
  /* Called as `gnuplot -d -e "outfile='./NAME'" SCRIPT`: writes a stand-in figure. */
  zp_test_write_file(path, "#!/bin/sh\nf=$(printf '%s' \"$3\" | sed \"s/^outfile='//; s/'$//\")\n"
                           "printf 'figure' > \"$f\"\n");
  cr_assert_eq(chmod(path, 0700), 0);
}
static void teardown(void) { zp_test_remove_dir(dir); }

TestSuite(plot_overlay, .init = setup, .fini = teardown);

static const char *in_dir(const char *name) {
  static char path[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
  return path[k];
}

/** `cd DIR && zprop plot ARGS`, with the stand-in gnuplot first on PATH
 *  unless @p real; stderr in errbuf; @return the exit status. */
static int run(int real, const char *fmt, ...) {
  char args[2048], cmd[4096], errpath[] = "/tmp/zp_test_err_XXXXXX";
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  int fd = mkstemp(errpath);
  cr_assert(fd >= 0);
  close(fd);
  snprintf(cmd, sizeof cmd, "cd '%s' && %s timeout 60 %s plot %s 2>%s", dir,
           real ? "" : "PATH=\"$PWD/bin:$PATH\"", ZP_TEST_CLI, args, errpath);
  int status = system(cmd);
  char *text = zp_test_read_file_or_fail(errpath);
  snprintf(errbuf, sizeof errbuf, "%s", text);
  free(text);
  unlink(errpath);
  cr_assert(WIFEXITED(status), "%s", cmd);
  return WEXITSTATUS(status);
}

static void write_scan_table(const char *name, const char *ref) {
  char text[2048];
  snprintf(text, sizeof text,
           "# gm2_ref = %s\n"
           "# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n",
           ref);
  const double m[3] = {2, 10, 20}, g[3] = {1e-5, 1e-3, 1e-1};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      size_t u = strlen(text);
      snprintf(text + u, sizeof text - u, "%g\t%g\t25\t%g\t1\t2.6\t1e-18\t1e-9\t-1\n", m[i], g[j],
               0.5 * i - 0.3 * j);
    }
  zp_test_write_file(in_dir(name), text);
}

/** The rows of .dat block @p index ("# index N: ..."), as (m, g) pairs. */
static size_t dat_block(const char *dat, int index, double *m, double *g, size_t max) {
  char tag[32];
  snprintf(tag, sizeof tag, "# index %d: ", index);
  const char *p = strstr(dat, tag);
  cr_assert_not_null(p, "no block %d", index);
  p = strchr(p, '\n') + 1;
  size_t n = 0;
  while (n < max && sscanf(p, "%lf %lf", &m[n], &g[n]) == 2) {
    n++;
    p = strchr(p, '\n');
    if (p == NULL) break;
    p++;
  }
  return n;
}

/** The index of the .dat block whose comment holds @p what, or -1. */
static int block_of(const char *dat, const char *what) {
  const char *hit = strstr(dat, what);
  if (hit == NULL) return -1;
  while (hit > dat && strncmp(hit, "# index ", 8) != 0) hit--;
  return atoi(hit + 8);
}

Test(plot_overlay, exclusion_line_follows_zp_gm2_exclusion) {
  write_scan_table("scan.tsv", "wp2020");
  cr_assert_eq(run(0, "scan.tsv gm2_line=bmw2021 output=fig.png"), 0, "%s", errbuf);
  char *gp = zp_test_read_file_or_fail(in_dir("fig.gp"));
  char *dat = zp_test_read_file_or_fail(in_dir("fig.dat"));
  cr_assert_not_null(strstr(gp, "title 'g−2 exclusion, BMW 2021, 2σ' noenhanced"), "%s", gp);
  int k = block_of(dat, "muon g-2 exclusion (bmw2021");
  cr_assert(k >= 0, "%s", dat);
  double m[256], g[256];
  size_t n = dat_block(dat, k, m, g, 256);
  cr_assert_eq(n, 200);
  cr_assert(m[0] == 2.0 && m[n - 1] == 20.0, "over the map's masses: %g..%g", m[0], m[n - 1]);
  for (size_t i = 0; i < n; i += 37) {
    double want;
    cr_assert_eq(zp_gm2_exclusion(m[i] * ZP_MEV_GEV, ZP_GM2_BMW2021, 2.0, &want, NULL), ZP_OK);
    cr_assert(zp_test_close(g[i], want, 1e-9), "M = %g: %g vs %g", m[i], g[i], want);
    /* Delta a_mu on the line is central + 2 sigma of V-Eq. 7. */
    double a;
    cr_assert_eq(zp_gm2_delta_amu(m[i] * ZP_MEV_GEV, g[i], &a, NULL), ZP_OK);
    cr_assert(zp_test_close(a, 247e-11, 1e-8), "Delta a_mu %g", a);
  }
  free(gp);
  free(dat);
  /* gm2_line=scan: the scan's own reference; gm2_nsigma in the legend. */
  write_scan_table("s2.tsv", "bmw2025");
  cr_assert_eq(run(0, "s2.tsv gm2_line=scan gm2_nsigma=1.5 gm2=none output=f2.png"), 0, "%s",
               errbuf);
  gp = zp_test_read_file_or_fail(in_dir("f2.gp"));
  dat = zp_test_read_file_or_fail(in_dir("f2.dat"));
  cr_assert_not_null(strstr(gp, "'g−2 exclusion, BMW 2025, 1.5σ'"), "%s", gp);
  cr_assert_null(strstr(gp, "g−2 1σ"), "gm2=none draws no band");
  k = block_of(dat, "muon g-2 exclusion (bmw2025");
  cr_assert(k >= 0, "%s", dat);
  n = dat_block(dat, k, m, g, 256);
  double want;
  cr_assert_eq(zp_gm2_exclusion(m[0] * ZP_MEV_GEV, ZP_GM2_BMW2025, 1.5, &want, NULL), ZP_OK);
  cr_assert(zp_test_close(g[0], want, 1e-9));
  free(gp);
  free(dat);
  /* The default draws no exclusion line. */
  cr_assert_eq(run(0, "scan.tsv output=f3.png"), 0, "%s", errbuf);
  gp = zp_test_read_file_or_fail(in_dir("f3.gp"));
  cr_assert_null(strstr(gp, "exclusion"), "%s", gp);
  free(gp);
}

static const char limit_a[] = "# label = NA64-mu 2024 (test)\n# confidence = 90%\n"
                              "# reference = a test\n# method = typed in for the test\n"
                              "1 2e-4\n5 4e-4\n30 1e-3\n";
static const char limit_b[] = "# label = kaon decays (test)\n# confidence = 2sigma\n"
                              "# reference = b test\n# method = typed in\n3 1e-2\n7 2e-2\n";

Test(plot_overlay, limit_files_are_lines_with_their_legends) {
  write_scan_table("scan.tsv", "wp2020");
  zp_test_write_file(in_dir("a.txt"), limit_a);
  zp_test_write_file(in_dir("b.txt"), limit_b);
  cr_assert_eq(run(0, "scan.tsv limits=a.txt,b.txt gm2_line=bmw2021 output=fig.png"), 0, "%s",
               errbuf);
  char *gp = zp_test_read_file_or_fail(in_dir("fig.gp"));
  char *dat = zp_test_read_file_or_fail(in_dir("fig.dat"));
  cr_assert_not_null(strstr(gp, "title 'NA64-mu 2024 (test), 90%' noenhanced"), "%s", gp);
  cr_assert_not_null(strstr(gp, "title 'kaon decays (test), 2sigma' noenhanced"), "%s", gp);
  cr_assert_not_null(strstr(gp, "'g−2 exclusion, BMW 2021, 2σ'"), "%s", gp);
  int ka = block_of(dat, "limit curve a.txt: NA64-mu 2024 (test) (reference: a test; method: "
                         "typed in for the test)");
  int kb = block_of(dat, "limit curve b.txt");
  cr_assert(ka >= 0 && kb > ka, "%s", dat);
  double m[8], g[8];
  cr_assert_eq(dat_block(dat, ka, m, g, 8), 3);
  cr_assert(m[0] == 1 && g[0] == 2e-4 && m[2] == 30 && g[2] == 1e-3);
  cr_assert_eq(dat_block(dat, kb, m, g, 8), 2);
  /* Each line is drawn from its block. */
  char use[64];
  snprintf(use, sizeof use, "index %d using 1:2:", ka);
  cr_assert_not_null(strstr(gp, use), "%s", gp);
  snprintf(use, sizeof use, "index %d using 1:2:", kb);
  cr_assert_not_null(strstr(gp, use), "%s", gp);
  free(gp);
  free(dat);
}

/* Past six legend entries the key has two columns hung below the map,
 * every entry in it (a centred key of more rows loses those that reach
 * the canvas edge), and the map is raised; up to six it is as before. */
Test(plot_overlay, many_limit_files_get_a_two_column_key) {
  write_scan_table("scan.tsv", "wp2020");
  zp_test_write_file(in_dir("a.txt"), limit_a);
  zp_test_write_file(in_dir("b.txt"), limit_b);
  cr_assert_eq(run(0, "scan.tsv limits=a.txt output=few.png"), 0, "%s", errbuf);
  char *gp = zp_test_read_file_or_fail(in_dir("few.gp"));
  cr_expect_not_null(strstr(gp, "set key at screen 0.455, screen 0.09 center center horizontal "
                                "maxrows 2 "),
                     "%s", gp);
  cr_expect_not_null(strstr(gp, "set bmargin at screen 0.24\n"), "%s", gp);
  free(gp);
  /* contours (2: -2.3 and 4), two g-2 bands, the lowest point, the
   * exclusion line and four curves: 10 entries, 5 rows of 2 */
  cr_assert_eq(run(0, "scan.tsv limits=a.txt,b.txt,a.txt,b.txt gm2_line=bmw2021 output=many.png"),
               0, "%s", errbuf);
  gp = zp_test_read_file_or_fail(in_dir("many.gp"));
  cr_expect_not_null(strstr(gp, "set key at screen 0.455, screen 0.17 center top maxcols 2 "
                                "horizontal maxrows 5 "),
                     "%s", gp);
  cr_expect_not_null(strstr(gp, "set bmargin at screen 0.27\n"), "%s", gp);
  cr_expect_not_null(strstr(gp, "screen 0.83, screen 0.27 size screen 0.025, screen 0.64\n"), "%s",
                     gp);
  free(gp);
}

Test(plot_overlay, bad_keys_and_files_are_one_line) {
  write_scan_table("scan.tsv", "wp2020");
  zp_test_write_file(in_dir("a.txt"), limit_a);
  zp_test_write_file(in_dir("bad.txt"), "# label = x\n# confidence = 90%\n# reference = r\n"
                                        "1 1e-3\n2 2e-3\n");
  zp_test_write_file(in_dir("dec.txt"), "# label = x\n# confidence = 90%\n# reference = r\n"
                                        "# method = m\n2 1e-3\n1 2e-3\n");
  const struct {
    const char *args, *says;
  } bad[] = {
      {"gm2_nsigma=0", "gm2_nsigma = 0: out of range, allowed (0, 10]"},
      {"gm2_nsigma=11", "gm2_nsigma = 11: out of range"},
      {"gm2_nsigma=two", "gm2_nsigma = two: not a number"},
      {"gm2_line=bmw2030", "gm2_line = bmw2030: unknown word, allowed none|scan|wp2020|"},
      {"limits=", "limits = \"\": empty"},
      {"limits=a.txt,", "limits = a.txt,: an empty file name"},
      {"limits=missing.txt", "limit file missing.txt: cannot open"},
      {"limits=bad.txt", "limit file bad.txt: no '# method = ...' header line"},
      {"limits=a.txt,dec.txt", "limit file dec.txt:6: mass 1 after 2"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = run(0, "scan.tsv output=x.png %s", bad[i].args);
    cr_assert_eq(rc, 2, "%s: exit %d [%s]", bad[i].args, rc, errbuf);
    cr_assert_eq(zp_test_count_lines(errbuf), 1, "%s: [%s]", bad[i].args, errbuf);
    cr_assert_not_null(strstr(errbuf, bad[i].says), "%s: [%s], expected [%s]", bad[i].args, errbuf,
                       bad[i].says);
    struct stat sb;
    cr_assert(stat(in_dir("x.png"), &sb) != 0, "%s left a figure", bad[i].args);
  }
}

Test(plot_overlay, draws_with_gnuplot) {
  if (system("command -v gnuplot >/dev/null 2>&1") != 0)
    cr_skip_test("gnuplot is not installed on PATH");
  write_scan_table("scan.tsv", "wp2020");
  zp_test_write_file(in_dir("a.txt"), limit_a);
  cr_assert_eq(run(1, "scan.tsv limits=a.txt gm2_line=bmw2021 output=fig.png"), 0, "%s", errbuf);
  struct stat sb;
  cr_assert(stat(in_dir("fig.png"), &sb) == 0 && sb.st_size > 1000, "no figure");
}
