/* zprop tests: IceCube data files (the .dat files in data/) and their loader.
 * The shipped files must match physics.md section 3, and every malformed
 * input must be rejected with a message that points at the file and line.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file_io.h" /* zp_next_line */
#include "support.h"
#include "zprop/config.h"
#include "zprop/data.h"

static zp_dataset *builtin(const char *name) {
  zp_error err;
  zp_dataset *d = NULL;
  zp_status st = zp_dataset_builtin(name, &d, &err);
  cr_assert_eq(st, ZP_OK, "builtin %s failed: %s", name, err.msg);
  cr_assert_not_null(d);
  return d;
}

static size_t count_ul(const zp_dataset *d) {
  size_t n = 0;
  for (size_t i = 0; i < d->nbins; ++i) n += d->bins[i].is_ul != 0;
  return n;
}

/* Writes @p text to a fresh file in its own temporary directory. */
static const char *write_tmp(const char *text) {
  static char path[256];
  snprintf(path, sizeof path, "%s/case.dat", zp_test_tmpdir());
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "cannot create %s", path);
  fputs(text, f);
  fclose(f);
  return path;
}

/* ------------------------------------------------------- shipped files */

Test(data, cascades_builtin) {
  zp_dataset *d = builtin("cascades6yr");
  cr_assert_eq(d->nbins, 13);
  cr_assert_eq(count_ul(d), 6);
  cr_assert_eq(d->channel, ZP_CHANNEL_FLAVOUR_AVERAGE);
  cr_assert_str_eq(d->name, "cascades6yr");
  cr_assert(strstr(d->reference, "121104") != NULL, "reference: %s", d->reference);
  for (size_t k = 0; k < d->nbins; ++k) {
    double lo = pow(10.0, 11.0 / 3.0 + (double)k / 3.0);
    double hi = pow(10.0, 11.0 / 3.0 + (double)(k + 1) / 3.0);
    cr_assert(zp_test_close(d->bins[k].emin, lo, 1e-9), "emin[%zu] = %.12g", k, d->bins[k].emin);
    cr_assert(zp_test_close(d->bins[k].emax, hi, 1e-9), "emax[%zu] = %.12g", k, d->bins[k].emax);
    cr_assert_eq(d->bins[k].cl, 68.0);
  }
  /* Spot values from the physics.md table, first, a UL and the odd low point. */
  cr_assert_eq(d->bins[0].value, 3.17936e-8);
  cr_assert_eq(d->bins[0].lower, 1.05460e-8);
  cr_assert_eq(d->bins[0].upper, 5.43374e-8);
  cr_assert(d->bins[5].is_ul);
  cr_assert_eq(d->bins[5].value, 1.72801e-9);
  cr_assert_eq(d->bins[5].lower, 0.0);
  cr_assert_eq(d->bins[5].upper, 1.72801e-9);
  cr_assert(!d->bins[6].is_ul);
  cr_assert_eq(d->bins[6].lower, 8.01516e-11);
  cr_assert_eq(d->bins[12].upper, 2.63183e-8);
  const int ul[13] = {0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1};
  for (size_t k = 0; k < 13; ++k) cr_assert_eq(d->bins[k].is_ul, ul[k], "row %zu", k);
  zp_dataset_free(d);
}

Test(data, tracks_builtin) {
  zp_dataset *d = builtin("tracks9yr");
  cr_assert_eq(d->nbins, 5);
  cr_assert_eq(count_ul(d), 2);
  cr_assert_eq(d->channel, ZP_CHANNEL_NUMU);
  const double edges[6] = {1e2, 1.5e4, 1.04e5, 7.21e5, 5e6, 1e8};
  for (size_t k = 0; k < 5; ++k) {
    cr_assert_eq(d->bins[k].emin, edges[k]);
    cr_assert_eq(d->bins[k].emax, edges[k + 1]);
  }
  cr_assert(d->bins[0].is_ul && d->bins[4].is_ul);
  cr_assert_eq(d->bins[0].value, 3.1e-8);
  cr_assert_eq(d->bins[0].cl, 90.0);
  cr_assert_eq(d->bins[4].value, 4.1e-9);
  cr_assert_eq(d->bins[4].cl, 90.0);
  cr_assert_eq(d->bins[1].value, 2.22e-8);
  cr_assert_eq(d->bins[1].lower, 1.42e-8);
  cr_assert_eq(d->bins[1].upper, 3.02e-8);
  cr_assert_eq(d->bins[1].cl, 68.0);
  cr_assert_eq(d->bins[2].lower, 0.90e-8);
  cr_assert_eq(d->bins[3].upper, 5.5e-9);
  zp_dataset_free(d);
}

Test(data, hese_builtin) {
  zp_dataset *d = builtin("hese7yr");
  cr_assert_eq(d->nbins, 7);
  cr_assert_eq(count_ul(d), 1);
  cr_assert_eq(d->channel, ZP_CHANNEL_FLAVOUR_AVERAGE);
  cr_assert(d->bins[6].is_ul);
  cr_assert_eq(d->bins[6].value, 6.0e-10);
  cr_assert_eq(d->bins[6].emin, 3.64e6);
  cr_assert_eq(d->bins[6].emax, 7.67e6);
  /* value -err +err from physics.md, as lower = value - err, upper = value + err. */
  const double val[6] = {7.0e-9, 2.13e-8, 1.7e-9, 9.0e-10, 6.2e-9, 1.6e-9};
  const double dn[6] = {7.0e-9, 4.8e-9, 1.7e-9, 9.0e-10, 3.0e-9, 1.6e-9};
  const double up[6] = {1.17e-8, 5.4e-9, 3.4e-9, 3.0e-9, 4.1e-9, 3.6e-9};
  for (size_t k = 0; k < 6; ++k) {
    cr_assert(!d->bins[k].is_ul, "row %zu", k);
    cr_assert_eq(d->bins[k].value, val[k]);
    cr_assert(fabs(d->bins[k].lower - (val[k] - dn[k])) <= 1e-12 * val[k], "lower[%zu]", k);
    cr_assert(zp_test_close(d->bins[k].upper, val[k] + up[k], 1e-12), "upper[%zu]", k);
  }
  zp_dataset_free(d);
}

Test(data, builtin_rows_are_consistent) {
  const char *names[] = {"cascades6yr", "tracks9yr", "hese7yr"};
  for (size_t n = 0; n < 3; ++n) {
    zp_dataset *d = builtin(names[n]);
    cr_assert_str_eq(d->name, names[n]);
    cr_assert(d->title[0] != '\0' && d->reference[0] != '\0', "%s header", names[n]);
    for (size_t k = 0; k < d->nbins; ++k) {
      const zp_data_bin *b = &d->bins[k];
      cr_assert(b->emin < b->emax);
      if (k > 0) cr_assert(b->emin >= d->bins[k - 1].emax, "%s row %zu", names[n], k);
      cr_assert(b->lower <= b->value && b->value <= b->upper);
    }
    zp_dataset_free(d);
  }
}

Test(data, builtin_by_path) {
  zp_dataset *d = builtin(ZP_DATA_DIR "/tracks9yr.dat");
  cr_assert_eq(d->nbins, 5);
  cr_assert_str_eq(d->path, ZP_DATA_DIR "/tracks9yr.dat");
  zp_dataset_free(d);
}

Test(data, channel_names_round_trip) {
  for (int c = ZP_CHANNEL_FLAVOUR_AVERAGE; c <= ZP_CHANNEL_NUE_NUTAU_AVERAGE; ++c) {
    zp_channel back;
    cr_assert_eq(zp_channel_parse(zp_channel_name((zp_channel)c), &back, NULL), ZP_OK);
    cr_assert_eq((int)back, c);
  }
  zp_error err;
  zp_channel ch;
  cr_assert_eq(zp_channel_parse("nue", &ch, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "nue_nutau_average") != NULL, "%s", err.msg);
}

/* --------------------------------------------------------- rejections */

#define HDR "# channel: numu\n# interval: 68%\n# ul_level: 90%\n"

/* Loads @p text and expects ZP_EFORMAT with "path:line" in the message. */
static void expect_format_error(const char *text, size_t line, const char *what) {
  const char *path = write_tmp(text);
  zp_error err;
  zp_dataset *d = (zp_dataset *)&err; /* must be reset to NULL on failure */
  zp_status st = zp_dataset_load(path, &d, &err);
  cr_assert_eq(st, ZP_EFORMAT, "%s: status %d (%s)", what, st, err.msg);
  cr_assert_null(d, "%s: out not reset", what);
  char where[300];
  snprintf(where, sizeof where, "%s:%zu:", path, line);
  cr_assert(strstr(err.msg, where) != NULL, "%s: message '%s' lacks '%s'", what, err.msg, where);
}

Test(data, rejects_missing_channel) {
  expect_format_error("# interval: 68%\n1 2 3 2 4 point\n", 2, "missing channel");
}

Test(data, rejects_unknown_channel) {
  expect_format_error("# channel: numubar\n# interval: 68%\n1 2 3 2 4 point\n", 1,
                      "unknown channel");
}

Test(data, rejects_unknown_kind) {
  expect_format_error(HDR "1 2 3 2 4 point\n2 3 3 2 4 limit\n", 5, "unknown kind");
}

Test(data, rejects_non_numeric) {
  expect_format_error(HDR "1 2 3 2 4 point\n2 3 3x 2 4 point\n", 5, "non-numeric");
}

Test(data, rejects_non_finite) {
  expect_format_error(HDR "1 2 nan 2 4 point\n", 4, "nan");
  expect_format_error(HDR "1 inf 3 2 4 point\n", 4, "inf");
  expect_format_error(HDR "1 2 3 2 1e999 point\n", 4, "overflow");
}

Test(data, rejects_wrong_column_count) {
  expect_format_error(HDR "1 2 3 2 4\n", 4, "5 columns");
  expect_format_error(HDR "1 2 3 2 4 point 68 extra\n", 4, "8 columns");
}

Test(data, rejects_bad_cl_column) {
  expect_format_error(HDR "1 2 3 2 4 point 100\n", 4, "cl 100");
  expect_format_error(HDR "1 2 3 2 4 point x\n", 4, "cl not numeric");
}

Test(data, rejects_empty_energy_bin) {
  expect_format_error(HDR "2 2 3 2 4 point\n", 4, "emin == emax");
  expect_format_error(HDR "3 2 3 2 4 point\n", 4, "emin > emax");
}

Test(data, rejects_unordered_or_overlapping_bins) {
  expect_format_error(HDR "1 2 3 2 4 point\n1.5 3 3 2 4 point\n", 5, "overlap");
  expect_format_error(HDR "5 6 3 2 4 point\n1 2 3 2 4 point\n", 5, "decreasing");
}

Test(data, rejects_bad_point_interval) {
  expect_format_error(HDR "1 2 3 3.5 4 point\n", 4, "lower > value");
  expect_format_error(HDR "1 2 3 2 2.5 point\n", 4, "upper < value");
  expect_format_error(HDR "1 2 3 3 3 point\n", 4, "upper == lower");
}

Test(data, rejects_negative_values) {
  expect_format_error(HDR "1 2 -3 -4 4 point\n", 4, "negative value");
  expect_format_error(HDR "1 2 3 -1 4 point\n", 4, "negative lower");
  expect_format_error(HDR "-1 2 3 2 4 point\n", 4, "negative emin");
}

Test(data, rejects_bad_upper_limit) {
  expect_format_error(HDR "1 2 0 0 0 ul\n", 4, "zero UL");
  expect_format_error(HDR "1 2 3 1 3 ul\n", 4, "UL lower != 0");
  expect_format_error(HDR "1 2 3 0 4 ul\n", 4, "UL upper != value");
}

Test(data, rejects_missing_confidence_level) {
  expect_format_error("# channel: numu\n# interval: 68%\n1 2 3 0 3 ul\n", 3, "no ul_level");
}

Test(data, rejects_header_problems) {
  expect_format_error("# channel: numu\n# channel: numu\n", 2, "duplicate key");
  expect_format_error(HDR "# quantity: Phi\n", 4, "quantity");
  expect_format_error("# channel: numu\n# interval: 68\n1 2 3 2 4 point\n# name: late\n", 4,
                      "key after data");
  expect_format_error("# channel: numu\n# ul_level: 190%\n", 2, "bad ul_level");
}

Test(data, rejects_no_rows) { expect_format_error(HDR "# only comments\n\n", 5, "no rows"); }

Test(data, accepts_comments_overrides_and_defaults) {
  const char *path = write_tmp("# a free comment: with a colon\n"
                               "# channel: nue_nutau_average\n"
                               "# quantity: E2Phi GeV cm^-2 s^-1 sr^-1\n"
                               "# interval: 68%\n"
                               "# ul_level: 90%\n"
                               "\n"
                               "1 2 3 2 4 point  # trailing comment\n"
                               "2 4 3 0 3 ul 95\n"
                               "4 8 1 0 1.5 point\n");
  zp_error err;
  zp_dataset *d = NULL;
  cr_assert_eq(zp_dataset_load(path, &d, &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(d->nbins, 3);
  cr_assert_eq(d->channel, ZP_CHANNEL_NUE_NUTAU_AVERAGE);
  cr_assert_str_eq(d->name, "case"); /* no name key: file name without .dat */
  cr_assert_str_eq(d->path, path);
  cr_assert_eq(d->bins[0].cl, 68.0);
  cr_assert_eq(d->bins[1].cl, 95.0); /* per-row override */
  cr_assert(d->bins[1].is_ul);
  cr_assert(!d->bins[2].is_ul); /* lower = 0 is still a point */
  zp_dataset_free(d);
}

Test(data, missing_file_is_eio) {
  zp_error err;
  zp_dataset *d = NULL;
  const char *path = "/nonexistent/zprop/none.dat";
  cr_assert_eq(zp_dataset_load(path, &d, &err), ZP_EIO);
  cr_assert_null(d);
  cr_assert(strstr(err.msg, path) != NULL, "%s", err.msg);
}

Test(data, unknown_builtin_is_einval) {
  zp_error err;
  zp_dataset *d = NULL;
  cr_assert_eq(zp_dataset_builtin("cascades7yr", &d, &err), ZP_EINVAL);
  cr_assert_null(d);
  cr_assert(strstr(err.msg, "cascades7yr") != NULL, "%s", err.msg);
  cr_assert(strstr(err.msg, "cascades6yr") != NULL && strstr(err.msg, "tracks9yr") != NULL &&
                strstr(err.msg, "hese7yr") != NULL,
            "%s", err.msg);
}

Test(data, env_overrides_data_dir) {
  const char *dir = zp_test_tmpdir();
  char path[256];
  snprintf(path, sizeof path, "%s/hese7yr.dat", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("# name: hese7yr\n# channel: numu\n# interval: 68%\n1 2 3 2 4 point\n", f);
  fclose(f);
  cr_assert_eq(setenv("ZPROP_DATA_DIR", dir, 1), 0);
  zp_dataset *d = builtin("hese7yr");
  cr_assert_eq(d->nbins, 1);
  cr_assert_eq(d->channel, ZP_CHANNEL_NUMU);
  cr_assert_str_eq(d->path, path);
  zp_dataset_free(d);
  /* A directory without the file: the error is ZP_EIO naming the path. */
  zp_error err;
  d = NULL;
  cr_assert_eq(zp_dataset_builtin("tracks9yr", &d, &err), ZP_EIO);
  cr_assert(strstr(err.msg, dir) != NULL, "%s", err.msg);
  /* Empty means unset: back to the compiled-in directory. */
  cr_assert_eq(setenv("ZPROP_DATA_DIR", "", 1), 0);
  d = builtin("tracks9yr");
  cr_assert_eq(d->nbins, 5);
  zp_dataset_free(d);
  unsetenv("ZPROP_DATA_DIR");
}

/* ---------------------------------------------------------- selection */

Test(data, select_keeps_rows_in_order) {
  zp_dataset *d = builtin("cascades6yr");
  double e6 = d->bins[6].emin, e12 = d->bins[12].emin;
  zp_error err;
  cr_assert_eq(zp_dataset_select(d, "all", &err), ZP_OK);
  cr_assert_eq(d->nbins, 13);
  cr_assert_eq(zp_dataset_select(d, "0-4, 6,7-12", &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(d->nbins, 12);
  cr_assert_eq(d->bins[5].emin, e6);
  cr_assert_eq(d->bins[11].emin, e12);
  cr_assert_eq(count_ul(d), 5);
  /* Indices refer to the current rows; listed out of order, file order stays. */
  cr_assert_eq(zp_dataset_select(d, "11,0", &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(d->nbins, 2);
  cr_assert(d->bins[0].emin < d->bins[1].emin);
  cr_assert_eq(d->bins[1].emin, e12);
  zp_dataset_free(d);
}

Test(data, select_rejects_bad_specs) {
  zp_dataset *d = builtin("tracks9yr");
  const char *bad[] = {"",   "5",  "0-5",   "3-1", "1,,2", "1,", "a",
                       "-1", "1-", "0-2,2", "1 2", "1;2",  "al"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    zp_error err;
    cr_assert_eq(zp_dataset_select(d, bad[i], &err), ZP_EINVAL, "spec '%s' accepted", bad[i]);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
    cr_assert(strstr(err.msg, quoted) != NULL, "spec '%s': %s", bad[i], err.msg);
    cr_assert_eq(d->nbins, 5, "spec '%s' changed the data set", bad[i]);
  }
  zp_dataset_free(d);
}

/* ------------------------------------------------ input hardening */

/* A FIFO with no writer used to hang the open, /dev/zero to be read until
 * memory ran out: both must fail at once (timeout 10 s). */
Test(data, refuses_fifo_and_devices, .timeout = 10) {
  char path[512];
  snprintf(path, sizeof path, "%s/fifo.dat", zp_test_tmpdir());
  cr_assert_eq(mkfifo(path, 0600), 0);
  const char *paths[] = {path, "/dev/zero", "/dev/urandom"};
  for (size_t k = 0; k < 3; ++k) {
    zp_dataset *d = (zp_dataset *)paths;
    zp_error err;
    cr_expect_eq(zp_dataset_load(paths[k], &d, &err), ZP_EIO, "%s accepted", paths[k]);
    cr_expect_null(d);
    char want[600];
    snprintf(want, sizeof want, "data file '%s'", paths[k]);
    cr_expect(strstr(err.msg, want) != NULL, "%s", err.msg);
  }
  remove(path);
}

static void expect_escaped(const char *text, const char *want) {
  const char *path = write_tmp(text);
  zp_dataset *d = NULL;
  zp_error err;
  cr_assert_eq(zp_dataset_load(path, &d, &err), ZP_EFORMAT, "%s", err.msg);
  cr_expect(strstr(err.msg, want) != NULL, "'%s' not in '%s'", want, err.msg);
  for (const char *c = err.msg; *c != '\0'; ++c)
    cr_expect((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f, "raw byte 0x%02X in '%s'",
              (unsigned char)*c, err.msg);
}

/* File content quoted in a message is escaped, and header text that is
 * printed back later may not hold control characters. */
Test(data, messages_escape_file_content) {
  expect_escaped(HDR "1 2 \x1b[2J 2 4 point\n", "value '\\x1b[2J' is not a number");
  expect_escaped(HDR "1 2 3 2 4 p\xc3\xa9\n", "kind 'p\\xc3\\xa9' is unknown");
  expect_escaped("# channel: numu\x07\n", "channel 'numu\\x07' is unknown");
  expect_escaped("# title: a\x1b]0;owned\x07\n" HDR "1 2 3 2 4 point\n",
                 "'title' value has a control character (byte 0x1B)");
}

/* The one line splitter of the file readers: each '\n' ends a line, a
 * last line without one is a line too, and nothing else is touched. */
Test(data, next_line_cuts_at_each_newline) {
  char text[] = "a\nb\r\n\nlast";
  const char *want[] = {"a", "b\r", "", "last"};
  char *cursor = text, *line;
  size_t n = 0;
  while ((line = zp_next_line(&cursor)) != NULL) {
    cr_assert_lt(n, 4, "more lines than the text holds");
    cr_expect_str_eq(line, want[n], "line %zu", n);
    ++n;
  }
  cr_expect_eq(n, 4);
  cr_expect_eq(zp_next_line(&cursor), NULL, "the end stays the end");
  char empty[] = "";
  cursor = empty;
  cr_expect_eq(zp_next_line(&cursor), NULL);
}
