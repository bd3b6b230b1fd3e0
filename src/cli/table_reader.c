/* zprop CLI: the table reader of `zprop plot` (format: table_reader.h).
 * SPDX-License-Identifier: MIT */
#include "cli/table_reader.h"

#include "core/decimal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file_io.h"

void zp_tsv_free(zp_tsv *t) {
  if (t == NULL) return;
  free(t->path);
  free(t->buf);
  free(t->cols);
  free(t->keys);
  free(t->vals);
  free(t->info);
  free(t->cells);
  free(t->line);
  free(t);
}

/** "key = value" with key of [a-z0-9_]: splits @p s in place. */
static int split_pair(char *s, char **key, char **val) {
  size_t n = 0;
  while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_') n++;
  if (n == 0 || strncmp(s + n, " = ", 3) != 0) {
    /* `# key =` with an empty value is written as "key = " or "key =". */
    if (n == 0 || strcmp(s + n, " =") != 0) return 0;
  }
  s[n] = '\0';
  *key = s;
  *val = s[n + 1] == '=' && s[n + 2] == ' ' ? s + n + 3 : s + n + 2;
  return 1;
}

/** Splits @p s on tabs into at most @p cap cells; returns the count
 *  (all of them: beyond @p cap they are counted, not split). */
static size_t split_tabs(char *s, char **cells, size_t cap) {
  size_t n = 0;
  for (char *c = s;; n++) {
    char *tab = strchr(c, '\t');
    if (n < cap) cells[n] = c;
    if (tab == NULL) return n + 1;
    if (n < cap) *tab = '\0';
    c = tab + 1;
  }
}

/* The parts of the file once cut into lines: header lines before the
 * first data line, data lines after it. */
typedef struct {
  char **lines;
  size_t nlines, first_data, column_line;
} line_index;

static zp_status index_lines(zp_tsv *t, line_index *li, zp_error *err) {
  size_t cap = 1;
  for (const char *c = t->buf; *c != '\0'; c++) cap += *c == '\n';
  li->lines = malloc(cap * sizeof *li->lines);
  if (li->lines == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  li->nlines = 0;
  char *cursor = t->buf;
  for (char *line; (line = zp_next_line(&cursor)) != NULL;) {
    size_t n = strlen(line);
    int ended = line + n != cursor; /* a '\n' was cut: CRLF loses its CR */
    if (ended && n > 0 && line[n - 1] == '\r') line[n - 1] = '\0';
    li->lines[li->nlines++] = line;
  }
  li->first_data = li->nlines;
  li->column_line = (size_t)-1;
  for (size_t i = 0; i < li->nlines; i++) {
    if (li->lines[i][0] == '#') li->column_line = i;
    else if (li->lines[i][0] != '\0') {
      li->first_data = i;
      break;
    }
  }
  if (li->column_line == (size_t)-1 || li->first_data == li->nlines)
    return zp_error_set(err, ZP_EFORMAT, "%s: not a zprop table (%s)", t->path,
                        li->column_line == (size_t)-1 ? "no '#' column line" : "no data rows");
  return ZP_OK;
}

static zp_status read_header(zp_tsv *t, const line_index *li, zp_error *err) {
  size_t n = li->column_line;
  t->keys = malloc((n + 1) * sizeof *t->keys);
  t->vals = malloc((n + 1) * sizeof *t->vals);
  t->info = malloc(n + 1);
  if (t->keys == NULL || t->vals == NULL || t->info == NULL)
    return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  for (size_t i = 0; i < n; i++) {
    char *s = li->lines[i];
    int info = strncmp(s, "## ", 3) == 0;
    if (!info && strncmp(s, "# ", 2) != 0) continue;
    if (split_pair(s + (info ? 3 : 2), &t->keys[t->nkeys], &t->vals[t->nkeys]))
      t->info[t->nkeys++] = (unsigned char)info;
  }
  char *c = li->lines[li->column_line] + 1;
  while (*c == ' ') c++;
  t->ncols = 1;
  for (const char *k = c; *k != '\0'; k++) t->ncols += *k == '\t';
  t->cols = malloc(t->ncols * sizeof *t->cols);
  if (t->cols == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  split_tabs(c, t->cols, t->ncols);
  return ZP_OK;
}

static zp_status read_rows(zp_tsv *t, const line_index *li, zp_error *err) {
  size_t cap = li->nlines - li->first_data;
  t->cells = malloc(cap * t->ncols * sizeof *t->cells);
  t->line = malloc(cap * sizeof *t->line);
  if (t->cells == NULL || t->line == NULL)
    return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  for (size_t i = li->first_data; i < li->nlines; i++) {
    char *s = li->lines[i];
    /* Blank lines (gnuplot's block separators) and later comments are no rows. */
    if (s[0] == '\0' || s[0] == '#') continue;
    size_t n = split_tabs(s, t->cells + t->nrows * t->ncols, t->ncols);
    if (n != t->ncols)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %zu cells, expected %zu (one per column)",
                          t->path, i + 1, n, t->ncols);
    t->line[t->nrows++] = i + 1;
  }
  return ZP_OK;
}

zp_status zp_tsv_read(const char *path, zp_tsv **out, zp_error *err) {
  *out = NULL;
  zp_tsv *t = calloc(1, sizeof *t);
  if (t == NULL || (t->path = malloc(strlen(path) + 1)) == NULL) {
    free(t);
    return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", path);
  }
  strcpy(t->path, path);
  line_index li = {NULL, 0, 0, 0};
  /* Read whole like every input (file_io.h): a FIFO cannot hang the run,
   * /dev/zero cannot fill memory, a NUL byte is refused. */
  size_t len = 0;
  zp_status st = zp_read_input(path, path, &t->buf, &len, err);
  if (st == ZP_OK) st = index_lines(t, &li, err);
  if (st == ZP_OK) st = read_header(t, &li, err);
  if (st == ZP_OK) st = read_rows(t, &li, err);
  free(li.lines);
  if (st != ZP_OK) {
    zp_tsv_free(t);
    return st;
  }
  *out = t;
  return ZP_OK;
}

int zp_tsv_col(const zp_tsv *t, const char *name) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c], name) == 0) return (int)c;
  return -1;
}

const char *zp_tsv_key(const zp_tsv *t, const char *key) {
  /* Effective parameters first: they are what the run used. */
  for (int info = 0; info <= 1; info++)
    for (size_t i = 0; i < t->nkeys; i++)
      if (t->info[i] == info && strcmp(t->keys[i], key) == 0) return t->vals[i];
  return NULL;
}

int zp_tsv_parse_real(const char *s, double *x) {
  /* strtod reads "nan(...)" and "infinity" spelt many ways; a table cell
   * holding an n or i is none of zprop's numbers.  A denormal (a flux of
   * 1e-310 that zprop wrote) is a number here. */
  if (strpbrk(s, "nNiI") != NULL) return 0;
  zp_num_result r = zp_parse_decimal(s, x);
  return r == ZP_NUM_OK || r == ZP_NUM_UNDERFLOW;
}

zp_status zp_tsv_number(const zp_tsv *t, size_t row, size_t col, double *x, zp_error *err) {
  const char *s = t->cells[row * t->ncols + col];
  if (zp_tsv_parse_real(s, x)) return ZP_OK;
  return zp_error_set(err, ZP_EFORMAT, "%s:%zu: column %s: '%.40s' is not a number", t->path,
                      t->line[row], t->cols[col], s);
}

zp_status zp_tsv_column(const zp_tsv *t, size_t col, double *out, zp_error *err) {
  for (size_t r = 0; r < t->nrows; r++) {
    zp_status st = zp_tsv_number(t, r, col, &out[r], err);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}
