/* zprop tests: `zprop scan`, run as a separate process.
 *
 * The table (one finite row per grid point, in index order), the one-line
 * errors, progress on a non-terminal stderr, and resuming: a scan killed
 * with SIGKILL or SIGTERM while it runs, continued by the same command,
 * must write the same bytes as an uninterrupted run in another directory,
 * with no table before it is complete; a journal of other parameters is
 * refused unless resume=restart.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fork, kill, nanosleep, setenv, waitpid */

#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"
#include "support_scan.h"

/* Small and quick: the whole scan takes well under a second. */
static const char small[] = "mzp=1:20:3 gzp=1e-5:1e-1:4 emin=1e3 emax=1e8 bins_per_decade=20 "
                            "gamma_step=0.1 chunk=5 output=scan.tsv";
/* Large enough to be killed while it runs (about a second here, 400
 * batches of 4 points), small enough for the test suite. */
static const char killable[] = "mzp=1:20:40 gzp=1e-5:1e-1:40 chunk=4 emin=1e3 emax=1e8 "
                               "bins_per_decade=20 gamma_step=0.1 output=scan.tsv";

static const char column_line[] =
    "# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n";

/* --------------------------------------------------------------- table */

Test(cli_scan, one_finite_row_per_point) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  cr_assert_eq(run_scan(dir, small), 0);
  char *t = read_in(dir, "scan.tsv");
  cr_assert_not_null(t);
  cr_expect(strstr(t, "# mzp = 1:20:3\n# gzp = 1e-5:0.1:4\n") != NULL, "ranges in the header");
  cr_expect(strstr(t, "\n# data = cascades6yr\n") != NULL);
  cr_expect(strstr(t, "\n# chunk = 5\n") != NULL);
  cr_expect(strstr(t, "\n## chi2_0 = ") != NULL);
  cr_expect(strstr(t, "\n## gamma_0 = ") != NULL);
  cr_expect(strstr(t, "\n## norm_0 = ") != NULL);
  cr_expect(strstr(t, "\n## npoints = 13\n") != NULL);
  cr_expect(strstr(t, "resume") == NULL, "resume is how to run, not a parameter");
  const char *rows = strstr(t, column_line);
  cr_assert_not_null(rows, "no column line");
  rows += strlen(column_line);
  static const double mzp[3] = {1.0, 10.5, 20.0};
  int n = 0;
  for (const char *line = rows; *line != '\0'; n++) {
    double v[9];
    char *end = (char *)line;
    for (int c = 0; c < 9; c++) {
      v[c] = strtod(end, &end);
      cr_expect(isfinite(v[c]), "row %d column %d not finite", n, c);
      cr_expect_eq(*end, c < 8 ? '\t' : '\n', "row %d: bad separator after column %d", n, c);
      end++;
    }
    cr_expect(fabs(v[0] - mzp[n / 4]) < 1e-9, "row %d: mzp %g", n, v[0]);
    cr_expect(fabs(v[1] / (1e-5 * pow(1e4, (n % 4) / 3.0)) - 1.0) < 1e-9, "row %d: gzp %g", n,
              v[1]);
    cr_expect(v[5] >= 1.8 && v[5] <= 3.5, "row %d: gamma %g", n, v[5]);
    line = end;
  }
  cr_expect_eq(n, 12, "%d rows for 3 x 4 points", n);
  cr_expect(!exists_in(dir, "scan.tsv.journal"), "the journal outlived the scan");
  /* stderr is a file here: plain progress lines, at least the last one */
  char *err = read_in(dir, "err.txt");
  cr_assert_not_null(err);
  cr_expect(strstr(err, "zprop scan: 12/12 points") != NULL, "progress: %s", err);
  cr_expect(strstr(err, "points/s") != NULL, "progress: %s", err);
  cr_expect(strchr(err, '\r') == NULL, "a redrawn line on a non-terminal");
  free(err);
  free(t);
  zp_test_remove_dir(dir);
}

/* --------------------------------------------------------------- kills */

/* SIGKILL twice at different points, a torn line and a malformed one in
 * the journal, then the same command: the table is byte-identical. */
Test(cli_scan, sigkill_then_resume_is_identical, .timeout = 300) {
  char *want = uninterrupted(killable);
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  kill_when(start_scan(dir, killable), dir, 200, SIGKILL);
  cr_expect(!exists_in(dir, "scan.tsv"), "a table before the scan finished");
  cr_assert(exists_in(dir, "scan.tsv.journal"), "no journal after the kill");
  long first = size_in(dir, "scan.tsv.journal");
  kill_when(start_scan(dir, killable), dir, first + 4000, SIGKILL);
  cr_expect(!exists_in(dir, "scan.tsv"), "a table before the scan finished");
  cr_assert_gt(size_in(dir, "scan.tsv.journal"), first, "the resumed run added nothing");
  /* what a kill inside a write, or a damaged disk block, would leave */
  append_in(dir, "scan.tsv.journal", "not a point\n5 1 2 3");
  cr_assert_eq(run_scan(dir, killable), 0);
  char *got = read_in(dir, "scan.tsv");
  cr_assert_not_null(got);
  cr_expect(strcmp(got, want) == 0, "the resumed table differs from the uninterrupted one");
  cr_expect(!exists_in(dir, "scan.tsv.journal"), "the journal outlived the scan");
  char *err = read_in(dir, "err.txt");
  cr_expect(strstr(err, "resuming") != NULL, "no resume message: %s", err);
  free(err);
  free(got);
  free(want);
  zp_test_remove_dir(dir);
}

Test(cli_scan, sigterm_then_resume_is_identical, .timeout = 300) {
  char *want = uninterrupted(killable);
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  kill_when(start_scan(dir, killable), dir, 2000, SIGTERM);
  cr_expect(!exists_in(dir, "scan.tsv"), "a table before the scan finished");
  cr_assert(exists_in(dir, "scan.tsv.journal"), "no journal after SIGTERM");
  cr_assert_eq(run_scan(dir, killable), 0);
  char *got = read_in(dir, "scan.tsv");
  cr_assert_not_null(got);
  cr_expect(strcmp(got, want) == 0, "the resumed table differs from the uninterrupted one");
  cr_expect(!exists_in(dir, "scan.tsv.journal"));
  free(got);
  free(want);
  zp_test_remove_dir(dir);
}

/* ------------------------------------------------------------- journal */

Test(cli_scan, other_parameters_journal_refused) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  static const char other[] =
      "# zprop scan journal 1: zprop 0.0.0, parameters fnv1a64 0123456789abcdef\n"
      "0 1 1.0000000000000001e-05 20 -4 1 2.7 1e-18 1e-12 -4\n";
  append_in(dir, "scan.tsv.journal", other);
  cr_expect_eq(run_scan(dir, small), 2);
  char *err = read_in(dir, "err.txt");
  cr_assert_not_null(err);
  cr_expect(strstr(err, "scan.tsv.journal") != NULL && strstr(err, "resume=restart") != NULL, "%s",
            err);
  cr_expect_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
  free(err);
  cr_expect(!exists_in(dir, "scan.tsv"));
  char *kept = read_in(dir, "scan.tsv.journal");
  cr_expect(kept != NULL && strcmp(kept, other) == 0, "the refused journal was changed");
  free(kept);
  char args[512];
  snprintf(args, sizeof args, "%s resume=restart", small);
  cr_expect_eq(run_scan(dir, args), 0);
  cr_expect(exists_in(dir, "scan.tsv"));
  cr_expect(!exists_in(dir, "scan.tsv.journal"));
  /* the table is that of resume=auto: resume is not a parameter */
  char *restarted = read_in(dir, "scan.tsv");
  cr_assert_eq(run_scan(dir, small), 0);
  char *plain = read_in(dir, "scan.tsv");
  cr_expect(restarted && plain && strcmp(restarted, plain) == 0);
  free(restarted);
  free(plain);
  zp_test_remove_dir(dir);
}

/** Rewrites token @p tok (0 = the index) of journal line @p line (1 = the
 *  first point) of dir/scan.tsv.journal: to @p text, or, when @p text is
 *  NULL, with its first digit changed, as a flipped bit on disk would. */
static void tamper(const char *dir, int line, int tok, const char *text) {
  char *j = read_in(dir, "scan.tsv.journal");
  cr_assert_not_null(j);
  char *p = j;
  for (int l = 0; l < line; l++) {
    p = strchr(p, '\n');
    cr_assert_not_null(p, "the journal has fewer than %d points", line);
    p++;
  }
  for (int t = 0; t < tok; t++) p = strchr(p, ' ') + 1;
  size_t len = strcspn(p, " \n");
  char out[1 << 16];
  int pre = (int)(p - j);
  if (text == NULL) {
    size_t d = strcspn(p, "123456789");
    cr_assert_lt(d, len);
    p[d] = p[d] == '9' ? '1' : (char)(p[d] + 1);
    snprintf(out, sizeof out, "%s", j);
  } else {
    snprintf(out, sizeof out, "%.*s%s%s", pre, j, text, p + len);
  }
  char path[256];
  snprintf(path, sizeof path, "%s/scan.tsv.journal", dir);
  zp_test_write_file(path, out);
  free(j);
}

/* Journal values are input like any other: a changed digit, NaN, infinity
 * or a hex float make a line unreadable, and its point is computed again,
 * never copied into the table. */
Test(cli_scan, tampered_journal_points_are_recomputed, .timeout = 300) {
  char *want = uninterrupted(killable);
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  kill_when(start_scan(dir, killable), dir, 2000, SIGTERM);
  tamper(dir, 1, 3, NULL);       /* chi2, one digit */
  tamper(dir, 2, 6, "nan");      /* gamma */
  tamper(dir, 3, 7, "inf");      /* norm */
  tamper(dir, 4, 3, "0x1.8p+4"); /* chi2 as a hex float */
  tamper(dir, 5, 4, "-1e-400");  /* delta_chi2 underflowing */
  cr_assert_eq(run_scan(dir, killable), 0);
  char *got = read_in(dir, "scan.tsv");
  cr_assert_not_null(got);
  cr_expect(strcmp(got, want) == 0, "a tampered journal value reached the table");
  free(got);
  free(want);
  zp_test_remove_dir(dir);
}

/* The journal is never opened through a symbolic link: one pointing at a
 * victim leaves it intact, a dangling one creates nothing; a FIFO there
 * does not hang the scan. */
Test(cli_scan, journal_link_or_fifo_refused, .timeout = 60) {
  char dir[128], path[256], victim[256];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(victim, sizeof victim, "%s/victim.txt", dir);
  zp_test_write_file(victim, "precious\n");
  snprintf(path, sizeof path, "%s/scan.tsv.journal", dir);
  cr_assert_eq(symlink(victim, path), 0);
  char args[512];
  snprintf(args, sizeof args, "%s resume=restart", small);
  cr_expect_eq(run_scan(dir, args), 2);
  char *kept = zp_test_read_file(victim);
  cr_expect(kept != NULL && strcmp(kept, "precious\n") == 0, "the link's target was changed");
  free(kept);
  unlink(path);
  char gone[256];
  snprintf(gone, sizeof gone, "%s/created-through-link", dir);
  cr_assert_eq(symlink(gone, path), 0);
  cr_expect_eq(run_scan(dir, small), 2);
  cr_expect(!exists_in(dir, "created-through-link"), "a dangling link's target was created");
  unlink(path);
  cr_assert_eq(mkfifo(path, 0600), 0);
  cr_expect_eq(run_scan(dir, small), 2);
  char *err = read_in(dir, "err.txt");
  cr_expect(err != NULL && strstr(err, "regular file") != NULL, "%s", err ? err : "");
  free(err);
  cr_expect(!exists_in(dir, "scan.tsv"));
  zp_test_remove_dir(dir);
}

/* One scan per journal: the same command started twice is refused. */
Test(cli_scan, busy_journal_refused, .timeout = 300) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  pid_t pid = start_scan(dir, killable);
  while (size_in(dir, "scan.tsv.journal") <= 200) {
    int st;
    cr_assert_eq(waitpid(pid, &st, WNOHANG), 0, "the scan ended too early");
    sleep_ms(1);
  }
  cr_expect_eq(run_scan(dir, killable), 2);
  char args[512];
  snprintf(args, sizeof args, "%s resume=restart", killable);
  cr_expect_eq(run_scan(dir, args), 2, "restart emptied a journal in use");
  char *err = read_in(dir, "err.txt");
  cr_expect(err != NULL && strstr(err, "scan.tsv.journal: in use by another zprop scan") != NULL,
            "%s", err);
  free(err);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  zp_test_remove_dir(dir);
}

/* ------------------------------------------------------------- errors */

Test(cli_scan_bad, malformed_range) {
  expect_bad("mzp = 1:20: not a range", "mzp=1:20 output=out.tsv");
}
Test(cli_scan_bad, range_end_out_of_range) {
  expect_bad("mzp = 1:2000:5: element 2000 out of range, allowed (0.01, 1000]",
             "mzp=1:2000:5 output=out.tsv");
}
Test(cli_scan_bad, reversed_range) {
  expect_bad("gzp = 1e-2:1e-4:3: element 1e-4", "gzp=1e-2:1e-4:3 output=out.tsv");
}
Test(cli_scan_bad, log_axis_from_zero) {
  expect_bad("gzp = 0:1e-2:3: element 0 not positive", "gzp=0:1e-2:3 output=out.tsv");
}
Test(cli_scan_bad, bad_count) {
  expect_bad("mzp = 1:20:x: bad number of points", "mzp=1:20:x output=out.tsv");
}
Test(cli_scan_bad, fit_only_key) { expect_bad("zp = off: unknown key", "zp=off output=out.tsv"); }
Test(cli_scan_bad, unknown_data) {
  expect_bad("data = nope: unknown data set", "data=nope output=out.tsv");
}
Test(cli_scan_bad, bad_chunk) { expect_bad("chunk = 0: out of range", "chunk=0 output=out.tsv"); }

Test(cli_scan, help_lists_the_scan_keys) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  cr_assert_eq(run_scan(dir, "--help > help.txt"), 0);
  char *out = read_in(dir, "help.txt");
  cr_assert_not_null(out);
  static const char *const keys[] = {"\n  mzp ",   "\n  gzp ",    "\n  data ",    "\n  bins ",
                                     "\n  chunk ", "\n  resume ", "\n  gm2_ref ", "\n  mzp_scale "};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_expect(strstr(out, keys[i]) != NULL, "no key line '%s' in the help", keys[i] + 1);
  cr_expect(strstr(out, "\n  zp ") == NULL, "a fit-only key in the scan help");
  free(out);
  zp_test_remove_dir(dir);
}

Test(cli_scan, dry_run_prints_canonical_ranges) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  cr_assert_eq(run_scan(dir, "mzp=' 1.0 : 20.00 : 5' gzp=1E-3 --dry-run > dry.ini"), 0);
  char *out = read_in(dir, "dry.ini");
  cr_assert_not_null(out);
  cr_expect(strncmp(out, "mzp = 1:20:5\ngzp = 1e-3\n", 24) == 0, "%s", out);
  cr_expect(strstr(out, "\nmzp_scale = linear\n") != NULL);
  cr_expect(!exists_in(dir, "scan.tsv.journal"), "a dry run touched the journal");
  free(out);
  zp_test_remove_dir(dir);
}
