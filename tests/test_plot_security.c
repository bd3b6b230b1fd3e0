/* zprop tests: `zprop plot` never runs what a user typed or a file held,
 * and never destroys a file it was not asked to write.
 *
 * Every attempt names a file PWNED that the injected command would
 * create; the test checks it was not, that the run ended with exit 2 and
 * one line (or drew the figure safely), and that the victims are
 * unchanged.  The CLI runs inside the test's directory (`cd DIR && ...`),
 * where gnuplot's own commands would run too.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mkstemp, symlink, mkfifo */

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "zprop/config.h"

static char dir[64];
static char errbuf[8192];

static void setup(void) { zp_test_new_dir(dir, sizeof dir); }
static void teardown(void) { zp_test_remove_dir(dir); }

static const char *in_dir(const char *name) {
  static char path[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
  return path[k];
}

static int exists(const char *name) {
  struct stat sb;
  return lstat(in_dir(name), &sb) == 0;
}

static void write_file(const char *name, const char *text) {
  zp_test_write_file(in_dir(name), text);
}

/** Runs `cd DIR && ENV zprop plot ARGS` (ARGS: printf of @p fmt, shell
 *  syntax) under a timeout, stderr in errbuf; @return the exit status. */
static int run(const char *env, const char *fmt, ...) {
  char args[2048], cmd[4096], errpath[] = "/tmp/zp_test_err_XXXXXX";
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  int fd = mkstemp(errpath);
  cr_assert(fd >= 0);
  close(fd);
  snprintf(cmd, sizeof cmd, "cd '%s' && %s timeout 60 %s plot %s 2>%s", dir, env, ZP_TEST_CLI, args,
           errpath);
  int status = system(cmd);
  char *text = zp_test_read_file_or_fail(errpath);
  snprintf(errbuf, sizeof errbuf, "%s", text);
  free(text);
  unlink(errpath);
  cr_assert(WIFEXITED(status), "%s", cmd);
  return WEXITSTATUS(status);
}

#define plot(...) run("", __VA_ARGS__)

static int have_gnuplot(void) { return system("command -v gnuplot >/dev/null 2>&1") == 0; }

#define NEED_GNUPLOT()                                                                             \
  do {                                                                                             \
    if (!have_gnuplot()) cr_skip_test("gnuplot is not installed on PATH");                         \
  } while (0)

/** Exit 2, exactly one "zprop: " line holding @p needle, no PWNED. */
static void assert_refused(int status, const char *needle) {
  size_t n = strlen(errbuf);
  cr_assert_eq(status, 2, "exit %d: [%s]", status, errbuf);
  cr_assert(n > 0 && strchr(errbuf, '\n') == errbuf + n - 1, "one line: [%s]", errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0 && strstr(errbuf, needle) != NULL,
            "[%s] should mention '%s'", errbuf, needle);
  cr_assert(!exists("PWNED"), "an injected command ran");
}

static void assert_file_is(const char *name, const char *text) {
  char *got = zp_test_read_file_or_fail(in_dir(name));
  cr_assert_str_eq(got, text, "%s was changed", name);
  free(got);
}

TestSuite(plot_security, .init = setup, .fini = teardown);

/* ------------------------------------------------ 1. newlines, control bytes */

Test(plot_security, a_newline_in_a_key_or_table_name_runs_nothing) {
  write_file("band.tsv", zp_test_band_table);
  /* No blank in the value: the old header echoed it raw into a comment. */
  assert_refused(plot("band.tsv 'label=x\n!>PWNED'"), "label = x");
  assert_refused(plot("band.tsv 'title=x\n!>PWNED'"), "title = x");
  assert_refused(plot("band.tsv 'output=x\n!>PWNED.png'"), "output = x");
  assert_refused(plot("band.tsv 'title=a\tb'"), "control character 0x09");
  write_file("b\n!>PWNED.tsv", zp_test_band_table);
  assert_refused(plot("'b\n!>PWNED.tsv' output=b.png"), "control character 0x0a");
  cr_assert(!exists("b.png") && !exists("band.png") && !exists("band.gp"));
}

Test(plot_security, a_backslash_cannot_continue_the_header_comment) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  /* A comment ending in '\' would swallow the script's next line (the
   * header's command line ends with the last argument). */
  cr_assert_eq(plot("band.tsv output=fig.png 'title=a\\'"), 0, "%s", errbuf);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "cd '%s' && rm fig.png && gnuplot fig.gp 2>/dev/null", dir);
  cr_assert_eq(system(cmd), 0, "the kept script no longer runs");
  cr_assert(exists("fig.png"));
}

/* ------------------------------------------------------ 2, 3. pipes */

Test(plot_security, a_table_starting_with_lt_is_no_command) {
  write_file("band.tsv", zp_test_band_table);
  write_file("<touch PWNED;cat band.tsv", zp_test_band_table);
  assert_refused(plot("'<touch PWNED;cat band.tsv' output=a.png"), "starting with '<'");
  cr_assert(!exists("a.png"));
}

Test(plot_security, a_table_named_lt_is_read_as_a_file) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  write_file("<touch PWNED;cat band.tsv", zp_test_band_table);
  /* Typed as ./NAME it is allowed, and the script names it ./NAME too. */
  cr_assert_eq(plot("'./<touch PWNED;cat band.tsv' output=ok.png"), 0, "%s", errbuf);
  cr_assert(!exists("PWNED"), "gnuplot ran the table's name");
  char *gp = zp_test_read_file_or_fail(in_dir("ok.gp"));
  cr_assert(strstr(gp, "'./<touch PWNED;cat band.tsv'") != NULL, "%s", gp);
  cr_assert(strstr(gp, "outfile = './ok.png'") != NULL, "%s", gp);
  free(gp);
}

Test(plot_security, an_output_starting_with_lt_or_pipe_is_refused) {
  write_file("band.tsv", zp_test_band_table);
  assert_refused(plot("band.tsv 'output=<touch PWNED;x.png'"), "starting with '<'");
  assert_refused(plot("band.tsv 'output=|touch PWNED;cat>g.png'"), "starting with '|'");
  cr_assert_eq(mkdir(in_dir("sub"), 0700), 0);
  assert_refused(plot("band.tsv 'output=sub/|touch PWNED;cat>g.png'"), "starting with '|'");
  cr_assert(zp_test_dir_entries(in_dir("sub")) == 0);
  cr_assert_eq(zp_test_dir_entries(dir), 2, "only band.tsv and sub");
}

/* ------------------------------------------------------ 5. PATH */

Test(plot_security, a_relative_path_entry_finds_the_gnuplot_that_runs) {
  NEED_GNUPLOT();
  FILE *p = popen("command -v gnuplot", "r");
  char real[512] = "";
  cr_assert(p != NULL && fgets(real, sizeof real, p) != NULL);
  pclose(p);
  real[strcspn(real, "\n")] = '\0';
  write_file("band.tsv", zp_test_band_table);
  cr_assert(mkdir(in_dir("work"), 0700) == 0 && mkdir(in_dir("work/bin"), 0700) == 0);
  cr_assert(mkdir(in_dir("out"), 0700) == 0 && mkdir(in_dir("out/bin"), 0700) == 0);
  char script[1024];
  snprintf(script, sizeof script, "#!/bin/sh\n: > '%s'\nexec '%s' \"$@\"\n", in_dir("RIGHT"), real);
  write_file("work/bin/gnuplot", script);
  /* The one in the figure's directory is what the old chdir-then-exec ran. */
  write_file("out/bin/gnuplot", "#!/bin/sh\n: > ../PWNED\nexit 0\n");
  cr_assert(chmod(in_dir("work/bin/gnuplot"), 0700) == 0 &&
            chmod(in_dir("out/bin/gnuplot"), 0700) == 0);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cd work && PATH=bin:$PATH");
  int st = run(cmd, "../band.tsv output=../out/fig.png");
  cr_assert_eq(st, 0, "%s", errbuf);
  cr_assert(!exists("PWNED"), "ran out/bin/gnuplot");
  cr_assert(exists("RIGHT") && exists("out/fig.png"));
}

/* ------------------------------------------ 7. outputs against inputs */

Test(plot_security, an_output_that_is_an_input_or_its_own_script_is_refused) {
  write_file("band.tsv", zp_test_band_table);
  assert_refused(plot("band.tsv output=band.tsv"), "the figure band.tsv would overwrite the "
                                                   "input band.tsv");
  assert_refused(plot("band.tsv output=./band.tsv"), "input band.tsv");
  write_file("fig.gp", "victim\n");
  assert_refused(plot("band.tsv output=fig.gp"), "the script fig.gp would be the figure fig.gp");
  assert_refused(plot("band.tsv output=fig.dat"), "the data file fig.dat would be the figure");
  write_file("t.dat", zp_test_band_table);
  assert_refused(plot("t.dat output=t.png"), "the data file t.dat would overwrite the input t.dat");
  assert_refused(plot("t.dat"), "input t.dat");
  assert_file_is("band.tsv", zp_test_band_table);
  assert_file_is("fig.gp", "victim\n");
  assert_file_is("t.dat", zp_test_band_table);
  cr_assert_eq(zp_test_dir_entries(dir), 3, "nothing else written");
}

/* ------------------------------------------- 11. FIFO and device tables */

Test(plot_security, a_fifo_or_device_table_is_refused_at_once) {
  cr_assert_eq(mkfifo(in_dir("pipe.tsv"), 0600), 0);
  /* The old reader blocked in open() until timeout 60 killed it (124). */
  assert_refused(plot("pipe.tsv output=a.png"), "pipe.tsv: a FIFO; allowed a regular file");
  assert_refused(plot("/dev/zero output=a.png"), "allowed a regular file");
  cr_assert(!exists("a.png") && !exists("a.gp"));
}

/* -------------------------------------------- the figure's own file */

Test(plot_security, a_non_regular_or_linked_output_is_not_replaced) {
  write_file("band.tsv", zp_test_band_table);
  write_file("victim.txt", "victim\n");
  cr_assert_eq(mkfifo(in_dir("f.png"), 0600), 0);
  assert_refused(plot("band.tsv output=f.png"), "f.png exists and is not a regular file");
  struct stat sb;
  cr_assert(lstat(in_dir("f.png"), &sb) == 0 && S_ISFIFO(sb.st_mode), "the FIFO was replaced");
  cr_assert_eq(symlink("victim.txt", in_dir("l.png")), 0);
  assert_refused(plot("band.tsv output=l.png"), "l.png exists and is a symbolic link");
  cr_assert_eq(symlink("victim.txt", in_dir("m.gp")), 0);
  assert_refused(plot("band.tsv output=m.png"), "the script m.gp exists and is a symbolic link");
  cr_assert(lstat(in_dir("l.png"), &sb) == 0 && S_ISLNK(sb.st_mode));
  assert_file_is("victim.txt", "victim\n");
  assert_refused(plot("band.tsv output=/dev/zero"), "is not a regular file");
  cr_assert(!exists("f.gp") && !exists("l.gp") && !exists("m.png"));
}

Test(plot_security, a_killed_runs_figure_temporary_is_removed) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  write_file(".fig.png.zptmp-0", "left by a killed run\n");
  cr_assert_eq(plot("band.tsv output=fig.png"), 0, "%s", errbuf);
  cr_assert(exists("fig.png"));
  cr_assert(!exists(".fig.png.zptmp-0"), "the stale temporary stayed");
}

/* The built-in data sets are inputs too: a figure whose .dat would land
 * on the data directory's cascades6yr.dat is refused. */
Test(plot_security, a_figure_cannot_overwrite_builtin_data) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "mkdir '%s/dd' && cp '%s/cascades6yr.dat' '%s/dd/'", dir, ZP_DATA_DIR,
           dir);
  cr_assert_eq(system(cmd), 0);
  char *before = zp_test_read_file_or_fail(in_dir("dd/cascades6yr.dat"));
  assert_refused(run("ZPROP_DATA_DIR=dd", "band.tsv data=cascades6yr output=dd/cascades6yr.png"),
                 "cascades6yr");
  char *after = zp_test_read_file_or_fail(in_dir("dd/cascades6yr.dat"));
  cr_expect(strcmp(before, after) == 0, "the built-in data file was overwritten");
  free(before);
  free(after);
}

/* gnuplot runs with -d: an init file in HOME (a shared account's, or one
 * planted there) runs nothing inside zprop's run. */
Test(plot_security, a_gnuplot_init_file_is_not_loaded) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  write_file(".gnuplot", "system \"touch PWNED\"\n");
  cr_assert_eq(run("HOME=.", "band.tsv output=fig.png"), 0, "%s", errbuf);
  cr_expect(exists("fig.png"));
  cr_expect(!exists("PWNED"), "~/.gnuplot was run");
}

/* ------------------------------------------------- limit-curve files */

/** A 3 x 3 (M, g) scan table in the format of `zprop scan`. */
static void write_scan_table(const char *name) {
  char text[2048] = "# gm2_ref = wp2020\n"
                    "# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n";
  const double m[3] = {1, 10, 20}, g[3] = {1e-5, 1e-3, 1e-1};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      size_t u = strlen(text);
      snprintf(text + u, sizeof text - u, "%g\t%g\t25\t%g\t1\t2.6\t1e-18\t1e-9\t-1\n", m[i], g[j],
               0.5 * i - 0.3 * j);
    }
  write_file(name, text);
}

static const char limit_tail[] = "# confidence = 90%\n# reference = r\n# method = digitised\n"
                                 "1 1e-3\n20 5e-3\n";

Test(plot_security, a_limit_label_is_data_in_the_script) {
  NEED_GNUPLOT();
  write_scan_table("scan.tsv");
  /* Quotes, backticks, a gnuplot system() call, a trailing backslash:
   * all one quoted string in the script, and nothing runs. */
  char text[512];
  snprintf(text, sizeof text,
           "# label = it's `touch PWNED` \"x\" '; system('touch PWNED'); print ' \\\n%s",
           limit_tail);
  write_file("lim.txt", text);
  cr_assert_eq(plot("scan.tsv limits=lim.txt output=fig.png"), 0, "%s", errbuf);
  cr_assert(!exists("PWNED"), "an injected command ran");
  char *gp = zp_test_read_file_or_fail(in_dir("fig.gp"));
  cr_assert_not_null(strstr(gp, "title 'it''s `touch PWNED` \"x\" ''; system(''touch PWNED''); "
                                "print '' \\, 90%' noenhanced"),
                     "%s", gp);
  free(gp);
  /* The kept script, rerun by gnuplot alone, runs nothing either. */
  char cmd[256];
  snprintf(cmd, sizeof cmd, "cd '%s' && rm fig.png && gnuplot fig.gp 2>/dev/null", dir);
  cr_assert_eq(system(cmd), 0, "the kept script no longer runs");
  cr_assert(exists("fig.png") && !exists("PWNED"));
  /* The reference and method go to a .dat comment: one line, the
   * backslash escaped so it cannot continue onto the next. */
  snprintf(text, sizeof text,
           "# label = x\n# confidence = 90%%\n# reference = a \\\n# method = b `touch PWNED`\n"
           "1 1e-3\n20 5e-3\n");
  write_file("lim2.txt", text);
  cr_assert_eq(plot("scan.tsv limits=lim2.txt output=fig2.png"), 0, "%s", errbuf);
  char *dat = zp_test_read_file_or_fail(in_dir("fig2.dat"));
  cr_assert_not_null(strstr(dat, "(reference: a \\x5c; method: b `touch PWNED`)"), "%s", dat);
  free(dat);
  cr_assert(!exists("PWNED"));
}

Test(plot_security, a_limit_file_with_a_newline_or_control_byte_is_refused) {
  write_scan_table("scan.tsv");
  /* A "label" that tries to go on to a script line is two lines of the
   * file: the second is no row. */
  char text[512];
  snprintf(text, sizeof text, "# label = x'\nset output '|touch PWNED'\n%s", limit_tail);
  write_file("nl.txt", text);
  assert_refused(plot("scan.tsv limits=nl.txt"), "nl.txt:2: more than two columns");
  snprintf(text, sizeof text, "# label = x\r'; system('touch PWNED')\n%s", limit_tail);
  write_file("cr.txt", text);
  assert_refused(plot("scan.tsv limits=cr.txt"), "cr.txt:1: the control character 0x0d");
  snprintf(text, sizeof text, "# label = x\033]0;title\007\n%s", limit_tail);
  write_file("esc.txt", text);
  assert_refused(plot("scan.tsv limits=esc.txt"), "esc.txt:1: the control character 0x1b");
  cr_assert(!exists("scan.png") && !exists("scan.gp"));
}

Test(plot_security, a_limit_file_is_no_link_and_never_overwritten) {
  write_scan_table("scan.tsv");
  char text[512];
  snprintf(text, sizeof text, "# label = x\n%s", limit_tail);
  write_file("lim.txt", text);
  cr_assert_eq(symlink("lim.txt", in_dir("link.txt")), 0);
  assert_refused(plot("scan.tsv limits=link.txt"), "link.txt: a symbolic link");
  cr_assert_eq(symlink("/dev/zero", in_dir("zero.txt")), 0);
  assert_refused(plot("scan.tsv limits=zero.txt"), "zero.txt: a symbolic link");
  cr_assert_eq(mkfifo(in_dir("fifo.txt"), 0600), 0);
  assert_refused(plot("scan.tsv limits=fifo.txt"), "fifo.txt: a FIFO");
  /* The figure's .dat would be the limit file. */
  write_file("fig.dat", text);
  assert_refused(plot("scan.tsv limits=fig.dat output=fig.png"), "would overwrite the limits");
  assert_file_is("fig.dat", text);
  cr_assert(!exists("fig.png") && !exists("fig.gp"));
}
