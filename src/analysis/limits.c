/* zprop: limit curves on the (M, g) plane from text files (see zprop/limits.h
 * and docs/limits.md for the format).
 *
 * The file is read whole through the no-follow input reader (core/file_io.c),
 * then line by line: '#' lines are the header (`# key = value` for the four
 * keys, anything else a free comment), blank lines are skipped, every other
 * line is one row of two numbers.  Every error is one line naming the file
 * and the line, with the offending text quoted through zp_excerpt.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r */

#include "zprop/limits.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/excerpt.h"
#include "core/file_io.h"

enum { KEY_LABEL, KEY_CONFIDENCE, KEY_REFERENCE, KEY_METHOD, KEY_COUNT };
static const char *const key_names[KEY_COUNT] = {"label", "confidence", "reference", "method"};

/** The longest header value kept, in bytes. */
enum { MAX_VALUE = 200 };

static const char *const WS = " \t";

static char *trim(char *s) {
  while (*s != '\0' && strchr(WS, *s) != NULL) s++;
  size_t n = strlen(s);
  while (n > 0 && strchr(WS, s[n - 1]) != NULL) s[--n] = '\0';
  return s;
}

void zp_limit_curve_free(zp_limit_curve *c) {
  if (c == NULL) return;
  free(c->label);
  free(c->confidence);
  free(c->reference);
  free(c->method);
  free(c->mass_mev);
  free(c->coupling);
  free(c);
}

/** "90%", "95%" (a number in (0, 100) then '%') or "2sigma" (a number in
 *  (0, 10] then "sigma"): 1 when @p s is one of these. */
static int confidence_ok(const char *s) {
  char num[32];
  size_t n = strlen(s), tail;
  if (n > 0 && s[n - 1] == '%') tail = 1;
  else if (n > 5 && strcmp(s + n - 5, "sigma") == 0) tail = 5;
  else return 0;
  if (n - tail == 0 || n - tail >= sizeof num) return 0;
  memcpy(num, s, n - tail);
  num[n - tail] = '\0';
  double v;
  if (zp_parse_decimal(num, &v) != ZP_NUM_OK) return 0;
  return tail == 1 ? v > 0.0 && v < 100.0 : v > 0.0 && v <= 10.0;
}

/** A header line (after '#'): a key line sets @p value[k], else a comment. */
static zp_status header_line(char *text, const char *path, size_t line, char *value[KEY_COUNT],
                             int data_seen, zp_error *err) {
  char *eq = strchr(text, '=');
  if (eq == NULL) return ZP_OK;
  *eq = '\0';
  char *key = trim(text), *val = trim(eq + 1);
  int k = 0;
  while (k < KEY_COUNT && strcmp(key, key_names[k]) != 0) k++;
  if (k == KEY_COUNT) return ZP_OK; /* a comment that holds '=' */
  char ex[ZP_EXCERPT_SIZE];
  if (data_seen)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: '# %s = ...' after the data rows; allowed in "
                        "the header only",
                        path, line, key);
  if (value[k] != NULL)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: '# %s' given twice", path, line, key);
  if (val[0] == '\0')
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: '# %s' is empty", path, line, key);
  if (strlen(val) > MAX_VALUE)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: '# %s' is longer than %d bytes", path, line, key,
                        MAX_VALUE);
  if (k == KEY_CONFIDENCE && !confidence_ok(val))
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: confidence = '%s': allowed a percentage (90%%, 95%%) or "
                        "Nsigma (2sigma)",
                        path, line, zp_excerpt(ex, val));
  value[k] = strdup(val);
  if (value[k] == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", path);
  return ZP_OK;
}

/** One number of a row, checked positive and finite. */
static zp_status row_number(const char *tok, const char *what, const char *path, size_t line,
                            double *x, zp_error *err) {
  char ex[ZP_EXCERPT_SIZE];
  zp_num_result r = zp_parse_decimal(tok, x);
  if (r == ZP_NUM_MALFORMED)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s '%s' is not a number", path, line, what,
                        zp_excerpt(ex, tok));
  if (r != ZP_NUM_OK)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s '%s' is not finite (or underflows)", path,
                        line, what, zp_excerpt(ex, tok));
  if (!(*x > 0.0))
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s %s; allowed > 0", path, line, what,
                        zp_excerpt(ex, tok));
  return ZP_OK;
}

static zp_status grow(zp_limit_curve *c, size_t *cap, const char *path, zp_error *err) {
  if (c->n < *cap) return ZP_OK;
  size_t nc = *cap == 0 ? 64 : 2 * *cap;
  double *m = realloc(c->mass_mev, nc * sizeof *m);
  if (m != NULL) c->mass_mev = m;
  double *g = m != NULL ? realloc(c->coupling, nc * sizeof *g) : NULL;
  if (g == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", path);
  c->coupling = g;
  *cap = nc;
  return ZP_OK;
}

static zp_status parse(char *text, const char *path, zp_limit_curve *c, zp_error *err) {
  char *value[KEY_COUNT] = {NULL};
  char *cursor = text, *raw;
  size_t line = 0, cap = 0;
  zp_status st = ZP_OK;
  char ex[ZP_EXCERPT_SIZE];
  while (st == ZP_OK && (raw = zp_next_line(&cursor)) != NULL) {
    line++;
    size_t len = strlen(raw);
    if (len > 0 && raw[len - 1] == '\r') raw[--len] = '\0';
    if (len > ZP_LIMIT_MAX_LINE) {
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: line of %zu bytes; allowed at most %d", path,
                        line, len, ZP_LIMIT_MAX_LINE);
      break;
    }
    for (const unsigned char *b = (const unsigned char *)raw; *b != '\0' && st == ZP_OK; b++)
      if (zp_is_control(*b) && *b != '\t')
        st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: the control character 0x%02x; allowed text",
                          path, line, *b);
    if (st != ZP_OK) break;
    char *s = trim(raw);
    if (s[0] == '\0') continue;
    if (s[0] == '#') {
      st = header_line(s + 1, path, line, value, c->n > 0, err);
      continue;
    }
    char *tok[3] = {NULL};
    int nt = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, WS, &save); t != NULL; t = strtok_r(NULL, WS, &save)) {
      if (nt == 3) break;
      tok[nt++] = t;
    }
    if (nt != 2) {
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s; allowed a row 'mass_MeV coupling'", path,
                        line, nt < 2 ? "one column" : "more than two columns");
      break;
    }
    double m, g;
    st = row_number(tok[0], "mass", path, line, &m, err);
    if (st == ZP_OK) st = row_number(tok[1], "coupling", path, line, &g, err);
    if (st == ZP_OK && c->n > 0 && !(m > c->mass_mev[c->n - 1]))
      st = zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: mass %s after %.10g; allowed strictly increasing masses", path,
                        line, zp_excerpt(ex, tok[0]), c->mass_mev[c->n - 1]);
    if (st == ZP_OK) st = grow(c, &cap, path, err);
    if (st == ZP_OK) {
      c->mass_mev[c->n] = m;
      c->coupling[c->n] = g;
      c->n++;
    }
  }
  for (int k = 0; st == ZP_OK && k < KEY_COUNT; k++)
    if (value[k] == NULL)
      st = zp_error_set(err, ZP_EFORMAT,
                        "%s: no '# %s = ...' header line (required: label, "
                        "confidence, reference, method)",
                        path, key_names[k]);
  if (st == ZP_OK && c->n < 2)
    st = zp_error_set(err, ZP_EFORMAT, "%s: %zu data rows; allowed at least 2", path, c->n);
  c->label = value[KEY_LABEL];
  c->confidence = value[KEY_CONFIDENCE];
  c->reference = value[KEY_REFERENCE];
  c->method = value[KEY_METHOD];
  return st;
}

zp_status zp_limit_curve_load(const char *path, zp_limit_curve **out, zp_error *err) {
  if (out == NULL || path == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_limit_curve_load: path or out is NULL");
  *out = NULL;
  /* The name as given when it is plain text (a message names it whole),
   * else quoted with \xNN escapes. */
  char ex[ZP_EXCERPT_SIZE];
  char label[512];
  snprintf(label, sizeof label, "limit file %s",
           zp_first_control(path) == 0 && strlen(path) < 400 ? path : zp_excerpt(ex, path));
  char *text = NULL;
  size_t len = 0;
  zp_status st = zp_read_input_nofollow(path, label, ZP_LIMIT_MAX_BYTES, &text, &len, err);
  if (st != ZP_OK) return st;
  zp_limit_curve *c = calloc(1, sizeof *c);
  if (c == NULL) st = zp_error_set(err, ZP_ENOMEM, "%s: out of memory", label);
  if (st == ZP_OK && len == 0) st = zp_error_set(err, ZP_EFORMAT, "%s: empty file", label);
  if (st == ZP_OK) st = parse(text, label, c, err);
  free(text);
  if (st != ZP_OK) {
    zp_limit_curve_free(c);
    return st;
  }
  *out = c;
  return ZP_OK;
}
