/* zprop: loader for two-column (z, rho) source density files.
 * Every rejection names the file and the line so a user can fix it.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static zp_status load_rows(FILE *f, const char *path, table_buf *t, zp_error *err) {
  char *line = NULL;
  size_t len = 0;
  size_t lineno = 0;
  zp_status st = ZP_OK;
  while (st == ZP_OK && getline(&line, &len, f) != -1) {
    ++lineno;
    double v[2] = {0.0, 0.0};
    char *bad = NULL;
    int n = parse_line(line, v, &bad);
    if (n == 0) continue;
    if (n < 0)
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: '%s' is not a number", path, lineno, bad);
    else if (n != 2)
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: expected 2 columns (z rho), found %s", path,
                        lineno, n == 1 ? "1" : "more");
    else if (!isfinite(v[0]) || !isfinite(v[1]))
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: non-finite value", path, lineno);
    else if (v[1] < 0.0)
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: rho = %g is negative", path, lineno, v[1]);
    else if (t->size > 0 && !(v[0] > t->z[t->size - 1]))
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: z = %g does not increase (previous z = %g)",
                        path, lineno, v[0], t->z[t->size - 1]);
    else if (table_push(t, v[0], v[1]) != 0)
      st = zp_error_set(err, ZP_ENOMEM, "%s:%zu: out of memory", path, lineno);
  }
  if (st == ZP_OK && ferror(f))
    st = zp_error_set(err, ZP_EIO, "%s: read error after line %zu", path, lineno);
  free(line);
  if (st == ZP_OK && t->size < 2)
    st = zp_error_set(err, ZP_EFORMAT, "%s: needs at least 2 data rows (z rho), found %zu", path,
                      t->size);
  return st;
}

zp_status zp_source_table_load(const char *path, zp_source_table **out, zp_error *err) {
  if (path == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_source_table_load: path or out is NULL");
  *out = NULL;
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return zp_error_set(err, ZP_EIO, "source_table '%s' cannot be opened: %s", path,
                        strerror(errno));
  table_buf t = {0, 0, NULL, NULL};
  zp_status st = load_rows(f, path, &t, err);
  fclose(f);
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
