/* zprop tests: `zprop plot`, run as a separate process.
 *
 * Every kind of table is drawn from a small fixture written here (so the
 * tests need no computation) into a PNG whose size is read from its IHDR
 * chunk; the script and data stay beside it and remake the figure with
 * gnuplot alone.  Bad tables and keys give exit 2 and one line, and leave
 * no figure and no temporary file.  Tests that draw skip when gnuplot is
 * not installed.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* opendir */

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support.h"

/* ------------------------------------------------------------ fixtures */

static const char spectrum_table[] =
    "## zprop 0.1.0: spectrum at Earth\n"
    "# mzp = 13\n# gzp = 5e-4\n# gchi = 0\n# sum_mnu = 0.12\n# ordering = NO\n"
    "# source = delta\n# z0 = 1\n# zmax = 6\n# gamma = 2.5\n"
    "# E_GeV\tphi_1\tphi_2\tphi_3\tphi_e\tphi_mu\tphi_tau\tphi0_1\tphi0_2\tphi0_3\tphi0_e\t"
    "phi0_mu\tphi0_tau\n"
    "1e4\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\n"
    "1e5\t3e-21\t3e-21\t2e-21\t3e-21\t3e-21\t2e-21\t3e-21\t3e-21\t3e-21\t3e-21\t3e-21\t3e-21\n"
    "1e6\t1e-23\t1e-24\t1e-23\t1e-23\t1e-24\t1e-23\t1e-23\t1e-23\t1e-23\t1e-23\t1e-23\t1e-23\n"
    "1e7\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\t3e-26\n";

static const char batch_table[] =
    "# mzp = 10,13\n"
    "# point\tmzp\tgzp\tgchi\tmchi\tsum_mnu\tordering\tsource\tz0\tzmax\tgamma\tE_GeV\t"
    "phi_e\tphi_mu\tphi_tau\tphi0_e\tphi0_mu\tphi0_tau\n"
    "0\t10\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e4\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\n"
    "0\t10\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e5\t2e-21\t3e-21\t3e-21\t3e-21\t3e-21\t3e-21\n"
    "0\t10\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e6\t1e-23\t1e-23\t1e-23\t1e-23\t1e-23\t1e-23\n"
    "1\t13\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e4\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\t1e-18\n"
    "1\t13\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e5\t3e-21\t3e-21\t3e-21\t3e-21\t3e-21\t3e-21\n"
    "1\t13\t5e-4\t0\t0\t0.12\tNO\tdelta\t1\t6\t2.5\t1e6\t1e-24\t1e-24\t1e-24\t1e-23\t1e-23\t"
    "1e-23\n";

/** A 3 x 4 scan grid in the format of `zprop scan`. */
static void write_scan(const char *path) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("## chi2_0 = 2.49e+01\n# source = delta\n# z0 = 1\n# sum_mnu = 0.12\n"
        "# ordering = NO\n# data = cascades6yr\n# gm2_ref = wp2020\n"
        "# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n",
        f);
  const double m[3] = {1, 10, 20}, g[4] = {1e-5, 1e-4, 1e-3, 1e-2};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) {
      double d = (i == 1 && j == 2) ? -6.0 : 0.5 * i - 0.3 * j;
      fprintf(f, "%g\t%g\t%g\t%g\t%g\t2.6\t1e-18\t1e-9\t-1\n", m[i], g[j], 24.9 + d, d,
              (24.9 + d) / 24.9);
    }
  fclose(f);
}

/* ------------------------------------------------------------- helpers */

static char errbuf[8192];
static char dir[64];

static void setup(void) { zp_test_new_dir(dir, sizeof dir); }

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static void write_file(const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  zp_test_write_file(path, text);
}

/** Runs `zprop plot <printf(fmt, ...)>` in the shell, stderr in errbuf
 *  (fmt must be a string literal: "plot " is pasted in front of it). */
#define plot(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, "plot " __VA_ARGS__)

static int have_gnuplot(void) { return system("command -v gnuplot >/dev/null 2>&1") == 0; }

#define NEED_GNUPLOT()                                                                             \
  do {                                                                                             \
    if (!have_gnuplot()) cr_skip_test("gnuplot is not installed on PATH");                         \
  } while (0)

static int exists(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f != NULL) fclose(f);
  return f != NULL;
}

/** Width and height from the PNG's IHDR chunk; fails unless a PNG. */
static void png_size(const char *name, unsigned *w, unsigned *h) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s missing", path);
  unsigned char b[24];
  size_t n = fread(b, 1, sizeof b, f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  cr_assert(n == 24 && size > 1000, "%s: %ld bytes", path, size);
  cr_assert(memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(b + 12, "IHDR", 4) == 0,
            "%s is not a PNG", path);
  *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
  *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

static void assert_png(const char *name, unsigned width, unsigned height) {
  unsigned w, h;
  png_size(name, &w, &h);
  cr_assert(w == width && h == height, "%s: %ux%u, expected %ux%u", name, w, h, width, height);
}

/** Nothing but @p allowed names (and no hidden temporary) in dir. */
static void assert_no_temporaries(void) {
  DIR *d = opendir(dir);
  cr_assert_not_null(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    cr_assert(e->d_name[0] != '.' || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0,
              "temporary left behind: %s", e->d_name);
  closedir(d);
}

static void assert_one_line(const char *needle) {
  size_t n = strlen(errbuf);
  cr_assert(n > 0 && errbuf[n - 1] == '\n' && strchr(errbuf, '\n') == errbuf + n - 1,
            "stderr must be exactly one line: [%s]", errbuf);
  cr_assert(strncmp(errbuf, "zprop: ", 7) == 0, "[%s]", errbuf);
  cr_assert(strstr(errbuf, needle) != NULL, "[%s] should mention '%s'", errbuf, needle);
}

/* ------------------------------------------------------- figure kinds */

TestSuite(plot, .init = setup, .fini = teardown);

Test(plot, spectrum_png_with_script_and_data_beside_it) {
  NEED_GNUPLOT();
  write_file("s.tsv", spectrum_table);
  cr_assert_eq(plot("%s/s.tsv", dir), 0, "%s", errbuf);
  assert_png("s.png", 900, 650);
  cr_assert(exists("s.gp") && exists("s.dat"), "script and IceCube points kept beside the PNG");
  assert_no_temporaries();
}

Test(plot, spectra_overlaid_at_a_chosen_size_and_flux) {
  NEED_GNUPLOT();
  write_file("a.tsv", spectrum_table);
  write_file("b.tsv", spectrum_table);
  cr_assert_eq(plot("%s/a.tsv %s/b.tsv output=%s/ab.png width=640 height=480 flux=mass "
                    "label=one,two data=v2024 xrange=1e3:1e8 yrange=1e-12:1e-6",
                    dir, dir, dir),
               0, "%s", errbuf);
  assert_png("ab.png", 640, 480);
}

Test(plot, batch_table) {
  NEED_GNUPLOT();
  write_file("b.tsv", batch_table);
  cr_assert_eq(plot("%s/b.tsv data=none", dir), 0, "%s", errbuf);
  assert_png("b.png", 900, 650);
}

Test(plot, scan_map) {
  NEED_GNUPLOT();
  char path[256];
  snprintf(path, sizeof path, "%s/scan.tsv", dir);
  write_scan(path);
  cr_assert_eq(plot("%s", path), 0, "%s", errbuf);
  assert_png("scan.png", 900, 650);
  cr_assert_eq(plot("%s z=R output=%s/r.png contours=0.9,1 gm2=bmw2025", path, dir), 0, "%s",
               errbuf);
  assert_png("r.png", 900, 650);
}

Test(plot, gm2_band_and_sources) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  cr_assert_eq(plot("%s/band.tsv", dir), 0, "%s", errbuf);
  assert_png("band.png", 900, 650);
  cr_assert_eq(plot("kind=sources output=%s/src.png width=300 height=200", dir), 0, "%s", errbuf);
  assert_png("src.png", 300, 200);
}

Test(plot, svg_and_pdf) {
  NEED_GNUPLOT();
  write_file("band.tsv", zp_test_band_table);
  cr_assert_eq(plot("%s/band.tsv format=svg", dir), 0, "%s", errbuf);
  cr_assert_eq(plot("%s/band.tsv format=pdf", dir), 0, "%s", errbuf);
  cr_assert(exists("band.svg") && exists("band.pdf") && !exists("band.png"));
}

Test(plot, the_kept_script_remakes_the_figure) {
  NEED_GNUPLOT();
  write_file("s.tsv", spectrum_table);
  cr_assert_eq(plot("%s/s.tsv output=%s/fig.png", dir, dir), 0, "%s", errbuf);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cd '%s' && rm fig.png && gnuplot fig.gp 2>/dev/null", dir);
  cr_assert_eq(system(cmd), 0, "gnuplot fig.gp failed in %s", dir);
  assert_png("fig.png", 900, 650);
}

/* ---------------------------------------------------------------- errors */

Test(plot, malformed_number_names_file_and_line) {
  char bad[sizeof spectrum_table + 8];
  snprintf(bad, sizeof bad, "%s", spectrum_table);
  char *cell = strstr(bad, "3e-26");
  memcpy(cell, "3x-26", 5);
  write_file("bad.tsv", bad);
  cr_assert_eq(plot("%s/bad.tsv", dir), 2);
  assert_one_line("bad.tsv:15: column phi_1: '3x-26' is not a number");
  cr_assert(!exists("bad.png") && !exists("bad.gp"));
  assert_no_temporaries();
}

Test(plot, unknown_table_and_short_row) {
  write_file("u.tsv", "# a\tb\n1\t2\n");
  cr_assert_eq(plot("%s/u.tsv", dir), 2);
  assert_one_line("unrecognised table");
  write_file("r.tsv", "# mzp_MeV\tg_low\tg_high\n1\t2\n");
  cr_assert_eq(plot("%s/r.tsv", dir), 2);
  assert_one_line("r.tsv:2: 2 cells, expected 3");
  cr_assert_eq(plot("%s/missing.tsv", dir), 2);
  assert_one_line("missing.tsv: cannot open");
  cr_assert(!exists("u.png") && !exists("r.png"));
}

Test(plot, bad_keys) {
  write_file("band.tsv", zp_test_band_table);
  cr_assert_eq(plot("%s/band.tsv colour=red", dir), 2);
  assert_one_line("colour = red: unknown key");
  cr_assert_eq(plot("%s/band.tsv xrange=5:1", dir), 2);
  assert_one_line("xrange = 5:1: bad range");
  cr_assert_eq(plot("%s/band.tsv yrange=-1:1", dir), 2);
  assert_one_line("yrange");
  cr_assert_eq(plot("%s/band.tsv width=12", dir), 2);
  assert_one_line("width = 12: out of range");
  cr_assert_eq(plot("%s/band.tsv format=gif", dir), 2);
  assert_one_line("format = gif: unknown word");
  cr_assert_eq(plot("%s/band.tsv label=a,b", dir), 2);
  assert_one_line("label = a,b: 2 labels for 1 curves");
  cr_assert_eq(plot("kind=sources %s/band.tsv", dir), 2);
  assert_one_line("kind = sources");
  cr_assert_eq(plot(""), 2);
  assert_one_line("missing input table");
  assert_no_temporaries();
}

Test(plot, kinds_that_cannot_share_a_figure) {
  write_file("band.tsv", zp_test_band_table);
  write_file("s.tsv", spectrum_table);
  cr_assert_eq(plot("%s/s.tsv %s/band.tsv", dir, dir), 2);
  assert_one_line("cannot share a figure");
  write_file("b.tsv", batch_table);
  cr_assert_eq(plot("%s/b.tsv flux=mass", dir), 2);
  assert_one_line("flux = mass");
}

Test(plot, missing_gnuplot_is_one_clear_line) {
  write_file("band.tsv", zp_test_band_table);
  char cmd[1024], path[128];
  snprintf(path, sizeof path, "%s/err.txt", dir);
  snprintf(cmd, sizeof cmd, "env PATH=/nonexistent %s plot %s/band.tsv 2>%s", ZP_TEST_CLI, dir,
           path);
  int status = system(cmd);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  size_t n = fread(errbuf, 1, sizeof errbuf - 1, f);
  errbuf[n] = '\0';
  fclose(f);
  remove(path);
  assert_one_line("zprop: plot needs the program 'gnuplot' (Debian package gnuplot-nox); not "
                  "found on PATH");
  cr_assert(!exists("band.png") && !exists("band.gp"));
}

/* ------------------------------------------- grids of any axes, profiles */

/** A 3 mzp x 4 gzp x 3 gamma x 4 norm scan with its '## grid' line; chi2
 *  lowest at mzp = 10, gzp = 1e-3, gamma = 2.5, norm = 2e-18. */
static void write_scan4(const char *path) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("## chi2_0 = 2.0e+01\n# source = delta\n# z0 = 1\n"
        "## grid = 3 mzp x 4 gzp x 3 gamma x 4 norm = 144 rows, mzp outer, gzp, gamma, norm "
        "inner\n# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n",
        f);
  const double m[3] = {6, 10, 14}, lg[4] = {-4, -3, -2, -1}, a[3] = {2.0, 2.5, 3.0};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 3; k++)
        for (int l = 0; l < 4; l++) {
          double c = 10 + (m[i] - 10) * (m[i] - 10) / 4 + (lg[j] + 3) * (lg[j] + 3) +
                     4 * (a[k] - 2.5) * (a[k] - 2.5) + (l - 1) * (l - 1);
          fprintf(f, "%g\t%g\t%g\t%g\t1\t%g\t%g\t1e-9\t-1\n", m[i], pow(10, lg[j]), c, c - 20, a[k],
                  1e-18 * (l + 1));
        }
  fclose(f);
}

static char *read_in_dir(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return zp_test_read_file_or_fail(path);
}

Test(plot, grid_line_of_mzp_gzp_draws_the_same_script) {
  NEED_GNUPLOT();
  char path[256];
  snprintf(path, sizeof path, "%s/scan.tsv", dir);
  write_scan(path);
  cr_assert_eq(plot("%s", path), 0, "%s", errbuf);
  char *gp = read_in_dir("scan.gp"), *dat = read_in_dir("scan.dat");
  char *text = zp_test_read_file_or_fail(path);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fprintf(f, "## grid = 3 mzp x 4 gzp = 12 rows, mzp outer, gzp inner\n%s", text);
  fclose(f);
  cr_assert_eq(plot("%s", path), 0, "%s", errbuf);
  char *gp2 = read_in_dir("scan.gp"), *dat2 = read_in_dir("scan.dat");
  cr_assert_str_eq(gp2, gp);
  cr_assert_str_eq(dat2, dat);
  free(gp), free(dat), free(gp2), free(dat2), free(text);
}

Test(plot, profile_map_with_confidence_levels) {
  NEED_GNUPLOT();
  char path[256];
  snprintf(path, sizeof path, "%s/s4.tsv", dir);
  write_scan4(path);
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf, "profile %s over=mzp,gzp", path), 0, "%s",
               errbuf);
  cr_assert_eq(plot("%s/s4_profile.tsv", dir), 0, "%s", errbuf);
  assert_png("s4_profile.png", 900, 650);
  char *gp = read_in_dir("s4_profile.gp");
  cr_assert(strstr(gp, "set xlabel 'γ'\n") != NULL, "%s", gp);
  cr_assert(strstr(gp, "set ylabel 'A = norm (GeV^{") != NULL);
  cr_assert(strstr(gp, "set cntrparam levels discrete 4.60517\n") != NULL);
  cr_assert(strstr(gp, "title '90% CL (Δχ² = 4.61)'") != NULL);
  cr_assert(strstr(gp, "title '95% CL (Δχ² = 5.99)'") != NULL);
  cr_assert(strstr(gp, "set logscale") == NULL, "gamma and norm are linear");
  cr_assert(strstr(gp, "g−2") == NULL, "no g-2 bands off the (M, g) plane");
  free(gp);
  /* The other profile, drawn with the axes swapped: gzp (log) along x. */
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf,
                                   "profile %s over=gamma,norm output=%s/mg.tsv", path, dir),
               0, "%s", errbuf);
  cr_assert_eq(plot("%s/mg.tsv x=gzp y=mzp contours=1,2", dir), 0, "%s", errbuf);
  gp = read_in_dir("mg.gp");
  cr_assert(strstr(gp, "set logscale x\n") != NULL && strstr(gp, "set logscale y") == NULL);
  cr_assert(strstr(gp, "set xlabel 'g_{Z′}'\nset ylabel 'M_{Z′} (MeV)'\n") != NULL, "%s", gp);
  cr_assert(strstr(gp, "title 'χ² − χ²_min = 1'") != NULL, "%s", gp);
  free(gp);
}

Test(plot, grids_that_are_no_map) {
  NEED_GNUPLOT();
  char path[256];
  snprintf(path, sizeof path, "%s/s4.tsv", dir);
  write_scan4(path);
  cr_assert_eq(plot("%s", path), 2);
  assert_one_line("the axis gamma (3 points) is neither x (mzp) nor y (gzp)");
  cr_assert(strstr(errbuf, "zprop profile") != NULL);
  cr_assert_eq(plot("%s x=foo y=gzp", path), 2);
  assert_one_line("x = foo: not an axis of");
  cr_assert(strstr(errbuf, "allowed mzp|gzp|gamma|norm") != NULL, "%s", errbuf);
  cr_assert_eq(plot("%s x=gzp y=gzp", path), 2);
  assert_one_line("the same axis");
  cr_assert_eq(plot("%s x=Gamma", path), 2);
  assert_one_line("x = Gamma: not a key");
  snprintf(path, sizeof path, "%s/scan.tsv", dir);
  write_scan(path);
  cr_assert_eq(plot("%s x=gamma", path), 2);
  assert_one_line("no '## grid' line");
  assert_no_temporaries();
}
