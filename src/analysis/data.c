/* zprop: loader, built-in lookup and row selection for IceCube data files.
 *
 * The format (data/README.md) is small, so the loader is strict: every row
 * is checked for the invariants the chi-squared code relies on (finite,
 * ordered, non-overlapping bins; intervals that contain their value; limits
 * that are positive) and every rejection names the file and line.  Files
 * are read whole through zp_read_input and parsed in memory; file content
 * quoted in a message is escaped (excerpt.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "zprop/data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/row_select.h"
#include "core/data_dir.h"
#include "core/excerpt.h"
#include "core/file_io.h"

static const char *const BUILTIN_NAMES[] = {"cascades6yr", "tracks9yr", "hese7yr"};
#define N_BUILTIN (sizeof BUILTIN_NAMES / sizeof BUILTIN_NAMES[0])
#define ALLOWED_BUILTINS "cascades6yr, tracks9yr, hese7yr"
#define WS " \t\r\n\v\f"

static const char *const CHANNEL_NAMES[] = {"flavour_average", "numu", "nue_nutau_average"};

const char *zp_channel_name(zp_channel ch) {
  if ((int)ch < 0 || (size_t)ch >= sizeof CHANNEL_NAMES / sizeof CHANNEL_NAMES[0]) return "unknown";
  return CHANNEL_NAMES[ch];
}

zp_status zp_channel_parse(const char *s, zp_channel *out, zp_error *err) {
  if (s == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_channel_parse: s or out is NULL");
  for (size_t i = 0; i < sizeof CHANNEL_NAMES / sizeof CHANNEL_NAMES[0]; ++i)
    if (strcmp(s, CHANNEL_NAMES[i]) == 0) {
      *out = (zp_channel)i;
      return ZP_OK;
    }
  return zp_error_set(err, ZP_EINVAL,
                      "channel '%s' is unknown (allowed: flavour_average, numu, "
                      "nue_nutau_average)",
                      s);
}

/* ---------------------------------------------------------------- parsing */

/* Header state while reading; the *_set flags catch duplicate keys, which
 * would otherwise let a later line silently win. */
typedef struct {
  int name_set, title_set, reference_set, channel_set, quantity_set, interval_set, ul_set;
  double interval_cl, ul_cl;
} header_state;

typedef struct {
  size_t size, cap;
  zp_data_bin *bins;
} bin_buf;

static int bin_push(bin_buf *b, const zp_data_bin *row) {
  if (b->size == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    zp_data_bin *nb = realloc(b->bins, cap * sizeof *nb);
    if (nb == NULL) return -1;
    b->bins = nb;
    b->cap = cap;
  }
  b->bins[b->size++] = *row;
  return 0;
}

/* Trims blanks at both ends in place; returns the new start. */
static char *trim(char *s) {
  while (*s != '\0' && strchr(WS, *s) != NULL) ++s;
  size_t n = strlen(s);
  while (n > 0 && strchr(WS, s[n - 1]) != NULL) s[--n] = '\0';
  return s;
}

/* Whole-token strtod; non-finite results are reported separately so the
 * message can say which problem it is. */
static int parse_number(const char *tok, double *x) {
  char *end = NULL;
  double v = strtod(tok, &end);
  if (end == tok || *end != '\0') return -1;
  *x = v;
  return 0;
}

/* "68%" or "68" -> 68; must lie strictly between 0 and 100. */
static int parse_percent(const char *s, double *cl) {
  char buf[64];
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, s, n + 1);
  if (buf[n - 1] == '%') buf[--n] = '\0';
  char *t = trim(buf);
  double v;
  if (parse_number(t, &v) != 0 || !isfinite(v) || !(v > 0.0) || !(v < 100.0)) return -1;
  *cl = v;
  return 0;
}

/* Header text is printed back (output headers, plots): a control byte
 * there, an escape sequence say, is refused rather than copied. */
static zp_status copy_field(char *dst, size_t cap, const char *val, const char *path, size_t lineno,
                            const char *key, zp_error *err) {
  size_t n = strlen(val);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)val[i];
    if (zp_is_control(c) && c != '\t')
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: '%s' value has a control character (byte "
                          "0x%02X)",
                          path, lineno, key, c);
  }
  if (n >= cap)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: '%s' value is %zu characters, at most %zu allowed", path, lineno,
                        key, n, cap - 1);
  memcpy(dst, val, n + 1);
  return ZP_OK;
}

/* A '#' line whose text is "key: value" with a known key sets that header
 * field; anything else is a free comment.  Keys are only recognised before the
 * first data row (@p nrows == 0): a row's confidence level is resolved from the
 * header as the row is read, so a later key could not apply consistently. */
static zp_status parse_header_line(char *text, const char *path, size_t lineno, size_t nrows,
                                   zp_dataset *d, header_state *h, zp_error *err) {
  char *s = text + strspn(text, " \t");
  size_t klen = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
  if (klen == 0 || s[klen] != ':') return ZP_OK;
  s[klen] = '\0';
  const char *key = s;
  char *val = trim(s + klen + 1);
  static const char *const keys[] = {"name",     "title",    "reference", "channel",
                                     "quantity", "interval", "ul_level"};
  int *flags[] = {&h->name_set,     &h->title_set,    &h->reference_set, &h->channel_set,
                  &h->quantity_set, &h->interval_set, &h->ul_set};
  size_t k = 0;
  while (k < sizeof keys / sizeof keys[0] && strcmp(key, keys[k]) != 0) ++k;
  if (k == sizeof keys / sizeof keys[0]) return ZP_OK; /* a comment that happens to hold ':' */
  if (nrows > 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: header key '%s' after the first data row", path,
                        lineno, key);
  if (*flags[k])
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: header key '%s' given twice", path, lineno, key);
  *flags[k] = 1;
  char q[ZP_EXCERPT_SIZE];
  if (*val == '\0' && strcmp(key, "title") != 0 && strcmp(key, "reference") != 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: header key '%s' has no value", path, lineno, key);
  switch (k) {
    case 0:
      if (val[strcspn(val, WS)] != '\0')
        return zp_error_set(err, ZP_EFORMAT, "%s:%zu: name '%s' contains blanks", path, lineno,
                            zp_excerpt(q, val));
      return copy_field(d->name, sizeof d->name, val, path, lineno, key, err);
    case 1: return copy_field(d->title, sizeof d->title, val, path, lineno, key, err);
    case 2: return copy_field(d->reference, sizeof d->reference, val, path, lineno, key, err);
    case 3:
      if (zp_channel_parse(val, &d->channel, NULL) != ZP_OK)
        return zp_error_set(err, ZP_EFORMAT,
                            "%s:%zu: channel '%s' is unknown (allowed: flavour_average, numu, "
                            "nue_nutau_average)",
                            path, lineno, zp_excerpt(q, val));
      return ZP_OK;
    case 4:
      /* The loader only knows E^2 Phi; units may follow the word. */
      if (strncmp(val, "E2Phi", 5) != 0 || (val[5] != '\0' && strchr(WS, val[5]) == NULL))
        return zp_error_set(err, ZP_EFORMAT, "%s:%zu: quantity '%s' is not supported (only E2Phi)",
                            path, lineno, zp_excerpt(q, val));
      return ZP_OK;
    case 5:
    case 6: {
      double *cl = k == 5 ? &h->interval_cl : &h->ul_cl;
      if (parse_percent(val, cl) != 0)
        return zp_error_set(err, ZP_EFORMAT,
                            "%s:%zu: %s '%s' is not a percentage in (0, 100) such as 68%%", path,
                            lineno, key, zp_excerpt(q, val));
      return ZP_OK;
    }
    default: return ZP_OK;
  }
}

static const char *const COLUMN_NAMES[] = {"emin", "emax", "value", "lower", "upper", "kind", "cl"};

/* Parses and validates one data row against the previous one (@p prev, may
 * be NULL). */
static zp_status parse_row(char *text, const char *path, size_t lineno, const header_state *h,
                           const zp_data_bin *prev, zp_data_bin *row, zp_error *err) {
  char *tok[8];
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(text, WS, &save); t != NULL; t = strtok_r(NULL, WS, &save)) {
    if (n == 8) break; /* enough to know the count is wrong */
    tok[n++] = t;
  }
  if (n != 6 && n != 7)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: expected 6 or 7 columns (emin emax value lower upper kind "
                        "[cl]), found %s%d",
                        path, lineno, n == 8 ? "at least " : "", n);
  double v[7] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, NAN};
  char q[ZP_EXCERPT_SIZE];
  for (int i = 0; i < n; ++i) {
    if (i == 5) continue;
    if (parse_number(tok[i], &v[i]) != 0)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s '%s' is not a number", path, lineno,
                          COLUMN_NAMES[i], zp_excerpt(q, tok[i]));
    if (!isfinite(v[i]))
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s '%s' is not finite", path, lineno,
                          COLUMN_NAMES[i], zp_excerpt(q, tok[i]));
  }
  int is_ul;
  if (strcmp(tok[5], "point") == 0) is_ul = 0;
  else if (strcmp(tok[5], "ul") == 0) is_ul = 1;
  else
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: kind '%s' is unknown (allowed: point, ul)", path,
                        lineno, zp_excerpt(q, tok[5]));

  double cl;
  if (n == 7) {
    if (!(v[6] > 0.0 && v[6] < 100.0))
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: cl = %g is not a percentage in (0, 100)", path,
                          lineno, v[6]);
    cl = v[6];
  } else if (is_ul) {
    if (!h->ul_set)
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: upper limit without a confidence level (no '# ul_level:' "
                          "header and no cl column)",
                          path, lineno);
    cl = h->ul_cl;
  } else {
    if (!h->interval_set)
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: point without a confidence level (no '# interval:' header "
                          "and no cl column)",
                          path, lineno);
    cl = h->interval_cl;
  }

  double emin = v[0], emax = v[1], value = v[2], lower = v[3], upper = v[4];
  if (!(emin > 0.0))
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: emin = %g GeV is not positive", path, lineno,
                        emin);
  for (int i = 2; i < 5; ++i)
    if (v[i] < 0.0)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s = %g is negative", path, lineno,
                          COLUMN_NAMES[i], v[i]);
  if (!(emin < emax))
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: emin = %g GeV is not below emax = %g GeV", path,
                        lineno, emin, emax);
  if (prev != NULL && emin < prev->emax)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: bin [%g, %g] GeV overlaps or precedes the previous row's "
                        "[%g, %g] GeV (rows must increase in energy)",
                        path, lineno, emin, emax, prev->emin, prev->emax);
  if (is_ul) {
    if (!(value > 0.0))
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: upper limit value = %g is not positive", path,
                          lineno, value);
    if (lower != 0.0 || upper != value)
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: upper limit must have lower = 0 and upper = value "
                          "(got %g, %g for value %g)",
                          path, lineno, lower, upper, value);
  } else {
    if (!(upper > lower))
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: interval [%g, %g] is empty (upper <= lower)",
                          path, lineno, lower, upper);
    if (lower > value || upper < value)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: value = %g lies outside its interval [%g, %g]",
                          path, lineno, value, lower, upper);
  }
  *row = (zp_data_bin){emin, emax, value, lower, upper, cl, is_ul};
  return ZP_OK;
}

/* Parses @p text (NUL-terminated, modified in place) line by line. */
static zp_status read_text(char *text, const char *path, zp_dataset *d, bin_buf *b, zp_error *err) {
  header_state h = {0};
  size_t lineno = 0;
  zp_status st = ZP_OK;
  char *cursor = text;
  for (char *line; st == ZP_OK && (line = zp_next_line(&cursor)) != NULL;) {
    ++lineno;
    char *s = line + strspn(line, WS);
    if (*s == '\0') continue;
    if (*s == '#') {
      st = parse_header_line(s + 1, path, lineno, b->size, d, &h, err);
      continue;
    }
    char *hash = strchr(s, '#'); /* trailing comment on a data row */
    if (hash != NULL) *hash = '\0';
    zp_data_bin row;
    st = parse_row(s, path, lineno, &h, b->size ? &b->bins[b->size - 1] : NULL, &row, err);
    if (st == ZP_OK && bin_push(b, &row) != 0)
      st = zp_error_set(err, ZP_ENOMEM, "%s:%zu: out of memory", path, lineno);
  }
  if (st != ZP_OK) return st;
  if (!h.channel_set)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: end of file without a '# channel:' header (flavour_average, "
                        "numu or nue_nutau_average)",
                        path, lineno);
  if (b->size == 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: end of file without any data row", path, lineno);
  if (!h.name_set) {
    /* Default id: the file name without directory and ".dat". */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".dat") == 0) n -= 4;
    if (n >= sizeof d->name) n = sizeof d->name - 1;
    memcpy(d->name, base, n);
    d->name[n] = '\0';
  }
  return ZP_OK;
}

zp_status zp_dataset_load(const char *path, zp_dataset **out, zp_error *err) {
  if (out != NULL) *out = NULL;
  if (path == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_dataset_load: path or out is NULL");
  zp_dataset *d = calloc(1, sizeof *d);
  if (d == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", path);
  size_t plen = strlen(path);
  if (plen >= sizeof d->path) {
    free(d);
    return zp_error_set(err, ZP_EINVAL, "data file path is %zu characters, at most %zu allowed",
                        plen, sizeof d->path - 1);
  }
  memcpy(d->path, path, plen + 1);
  char label[sizeof d->path + 16], *text = NULL;
  size_t len = 0;
  snprintf(label, sizeof label, "data file '%s'", path);
  zp_status st = zp_read_input(path, label, &text, &len, err);
  if (st != ZP_OK) {
    free(d);
    return st;
  }
  bin_buf b = {0, 0, NULL};
  st = read_text(text, path, d, &b, err);
  free(text);
  if (st != ZP_OK) {
    free(b.bins);
    free(d);
    return st;
  }
  d->nbins = b.size;
  d->bins = b.bins;
  *out = d;
  return ZP_OK;
}

/* -------------------------------------------------------------- built-ins */

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

zp_status zp_dataset_builtin(const char *name, zp_dataset **out, zp_error *err) {
  if (out != NULL) *out = NULL;
  if (name == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_dataset_builtin: name or out is NULL");
  /* Paths are accepted here so that one option can name either kind. */
  if (strchr(name, '/') != NULL || ends_with(name, ".dat")) return zp_dataset_load(name, out, err);
  size_t i = 0;
  while (i < N_BUILTIN && strcmp(name, BUILTIN_NAMES[i]) != 0) ++i;
  if (i == N_BUILTIN)
    return zp_error_set(err, ZP_EINVAL,
                        "data set '%s' is unknown (built-in: " ALLOWED_BUILTINS
                        "; or give a path to a .dat file)",
                        name);
  /* $ZPROP_DATA_DIR, else the install beside the library or program, else
   * the source tree (core/data_dir.h). */
  char found[1024];
  const char *dir = zp_data_dir(found, sizeof found);
  char path[1024];
  int n = snprintf(path, sizeof path, "%s/%s.dat", dir, name);
  if (n < 0 || (size_t)n >= sizeof path)
    return zp_error_set(err, ZP_EINVAL,
                        "data directory '%s' gives a path longer than %zu characters", dir,
                        sizeof path - 1);
  return zp_dataset_load(path, out, err);
}

/* -------------------------------------------------------------- selection */

zp_status zp_dataset_select(zp_dataset *d, const char *spec, zp_error *err) {
  if (d == NULL || spec == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_dataset_select: dataset or spec is NULL");
  zp_row_selection sel;
  zp_status st = zp_row_selection_parse(spec, d->name, d->nbins, &sel, err);
  if (st == ZP_OK) zp_dataset_keep_rows(d, sel.keep);
  zp_row_selection_free(&sel);
  return st;
}

void zp_dataset_free(zp_dataset *d) {
  if (d == NULL) return;
  free(d->bins);
  free(d);
}
