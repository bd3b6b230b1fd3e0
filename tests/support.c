/* zprop tests: shared helpers. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int zp_test_close(double a, double b, double tol) {
  double scale = fmax(fmax(fabs(a), fabs(b)), 1e-300);
  return fabs(a - b) <= tol * scale;
}

int zp_test_run_cli(const char *args, char *errbuf, size_t errcap) {
  char errpath[] = "/tmp/zp_test_err_XXXXXX";
  int fd = mkstemp(errpath);
  if (fd < 0) return -1;
  close(fd);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s 2>%s", ZP_TEST_CLI, args, errpath);
  int status = system(cmd);
  if (errbuf != NULL && errcap > 0) {
    errbuf[0] = '\0';
    FILE *f = fopen(errpath, "r");
    if (f != NULL) {
      size_t n = fread(errbuf, 1, errcap - 1, f);
      errbuf[n] = '\0';
      fclose(f);
    }
  }
  unlink(errpath);
  if (status == -1) return -1;
  return WEXITSTATUS(status);
}

int zp_test_run_cli_fmt(char *errbuf, size_t errcap, const char *fmt, ...) {
  char args[3072];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  return zp_test_run_cli(args, errbuf, errcap);
}

const char *zp_test_tmpdir(void) {
  static char path[64];
  strcpy(path, "/tmp/zp_test_XXXXXX");
  if (mkdtemp(path) == NULL) return "/tmp";
  return path;
}

void zp_test_new_dir(char *out, size_t size) { snprintf(out, size, "%s", zp_test_tmpdir()); }

void zp_test_remove_dir(const char *dir) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

int zp_test_dir_entries(const char *dir) {
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "cannot open %s", dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  closedir(d);
  return n;
}

void zp_test_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

char *zp_test_read_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  size_t got;
  while ((got = fread(buf + n, 1, cap - 1 - n, f)) > 0) {
    n += got;
    if (n + 1 == cap) {
      cap *= 2;
      char *grown = realloc(buf, cap);
      cr_assert_not_null(grown);
      buf = grown;
    }
  }
  buf[n] = '\0';
  fclose(f);
  return buf;
}

char *zp_test_read_file_or_fail(const char *path) {
  char *text = zp_test_read_file(path);
  cr_assert_not_null(text, "cannot read %s", path);
  return text;
}

int zp_test_count_lines(const char *text) {
  int n = 0;
  for (const char *c = text; *c != '\0'; c++) n += *c == '\n';
  return n;
}

const char zp_test_band_table[] = "# band = 1\n# gm2_ref = wp2020\n"
                                  "# mzp_MeV\tg_low\tg_high\tdelta_amu_per_g2\n"
                                  "1\t3.9e-4\t5.0e-4\t1.2e-2\n"
                                  "31.6\t5.4e-4\t6.8e-4\t6.6e-3\n"
                                  "1000\t4.7e-3\t6.0e-3\t8.6e-5\n";

zp_point zp_test_point(double mzp, double g, double gchi, double sum, zp_ordering ord) {
  zp_point p = {.zprime = {.mzp_mev = mzp, .gzp = g, .gchi = gchi, .mchi_mev = 0.0},
                .sum_mnu_ev = sum,
                .ordering = ord};
  cr_assert_eq(zp_oscillation_preset(ZP_MIXING_NUFIT50, ord, &p.osc, NULL), ZP_OK);
  return p;
}
