/* zprop: loader for two-column (z, rho) source density files.
 * Every rejection names the file and the line so a user can fix it; the
 * file is read whole through zp_read_input (no FIFO hang, no unbounded
 * read) and parsed in memory.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/excerpt.h"
#include "core/file_io.h"
#include "zprop/source.h"

typedef struct {
  size_t size, cap;
  double *z, *rho;
} table_buf;

static int table_push(table_buf *t, double z, double rho) {
  if (t->size == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    double *nz = realloc(t->z, cap * sizeof *nz);
    if (nz == NULL) return -1;
    t->z = nz;
    double *nr = realloc(t->rho, cap * sizeof *nr);
    if (nr == NULL) return -1;
    t->rho = nr;
    t->cap = cap;
  }
  t->z[t->size] = z;
  t->rho[t->size] = rho;
  ++t->size;
  return 0;
}

/* Parses one line into @p v; returns the number of columns found (up to
 * 3, enough to tell "wrong count"), or -1 with @p bad set to a token that
 * is not a number. */
static int parse_line(char *line, double v[2], char **bad) {
  char *hash = strchr(line, '#');
  if (hash != NULL) *hash = '\0';
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(line, " \t\r\n\v\f", &save); tok != NULL;
       tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
    if (n == 2) return 3;
    char *end = NULL;
    double x = strtod(tok, &end);
    if (end == tok || *end != '\0') {
      *bad = tok;
      return -1;
    }
    v[n++] = x;
  }
  return n;
}

/* One row's checks; the message quotes a bad token escaped (excerpt.h). */
static zp_status check_row(char *line, const char *path, size_t lineno, const table_buf *t,
                           double v[2], int *blank, zp_error *err) {
  char *bad = NULL, q[ZP_EXCERPT_SIZE];
  int n = parse_line(line, v, &bad);
  *blank = n == 0;
  if (n == 0) return ZP_OK;
  if (n < 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: '%s' is not a number", path, lineno,
                        zp_excerpt(q, bad));
  if (n != 2)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: expected 2 columns (z rho), found %s", path,
                        lineno, n == 1 ? "1" : "more");
  if (!isfinite(v[0]) || !isfinite(v[1]))
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: non-finite value", path, lineno);
  /* No sources in the future: z < 0 would be interpolated but never used,
   * so a table starting there is a mistake (a sign, a column swap). */
  if (v[0] < 0.0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: z = %g is negative; allowed z >= 0", path, lineno,
                        v[0]);
  if (v[1] < 0.0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: rho = %g is negative", path, lineno, v[1]);
  if (t->size > 0 && !(v[0] > t->z[t->size - 1]))
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: z = %g does not increase (previous z = %g)", path,
                        lineno, v[0], t->z[t->size - 1]);
  return ZP_OK;
}

/* Parses @p text (NUL-terminated, modified in place) line by line. */
static zp_status load_rows(char *text, const char *path, table_buf *t, zp_error *err) {
  size_t lineno = 0;
  zp_status st = ZP_OK;
  char *cursor = text;
  for (char *line; st == ZP_OK && (line = zp_next_line(&cursor)) != NULL;) {
    ++lineno;
    double v[2] = {0.0, 0.0};
    int blank = 0;
    st = check_row(line, path, lineno, t, v, &blank, err);
    if (st == ZP_OK && !blank && table_push(t, v[0], v[1]) != 0)
      st = zp_error_set(err, ZP_ENOMEM, "%s:%zu: out of memory", path, lineno);
  }
  if (st == ZP_OK && t->size < 2)
    st = zp_error_set(err, ZP_EFORMAT, "%s: needs at least 2 data rows (z rho), found %zu", path,
                      t->size);
  if (st != ZP_OK) return st;
  /* rho's scale cancels against norm (the flux at 100 TeV), but the shell
   * sums multiply it by c/H0 in cm: rescaled to a largest value of 1, any
   * finite scale works, as for the built-in densities with rho(0) = 1. */
  double peak = 0.0;
  for (size_t k = 0; k < t->size; ++k) peak = fmax(peak, t->rho[k]);
  if (!(peak > 0.0))
    return zp_error_set(err, ZP_EFORMAT, "%s: rho is 0 on every row (no sources)", path);
  for (size_t k = 0; k < t->size; ++k) t->rho[k] /= peak;
  return ZP_OK;
}

zp_status zp_source_table_load(const char *path, zp_source_table **out, zp_error *err) {
  if (path == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_source_table_load: path or out is NULL");
  *out = NULL;
  char label[1100], *text = NULL;
  size_t len = 0;
  snprintf(label, sizeof label, "source_table '%s'", path);
  zp_status st = zp_read_input(path, label, &text, &len, err);
  if (st != ZP_OK) return st;
  table_buf t = {0, 0, NULL, NULL};
  st = load_rows(text, path, &t, err);
  free(text);
  zp_source_table *tab = NULL;
  if (st == ZP_OK) {
    tab = malloc(sizeof *tab);
    if (tab == NULL) st = zp_error_set(err, ZP_ENOMEM, "%s: out of memory", path);
  }
  if (st != ZP_OK) {
    free(t.z);
    free(t.rho);
    return st;
  }
  *tab = (zp_source_table){t.size, t.z, t.rho};
  *out = tab;
  return ZP_OK;
}

void zp_source_table_free(zp_source_table *table) {
  if (table == NULL) return;
  free(table->z);
  free(table->rho);
  free(table);
}
