/* zprop: reading row selections (row_select.h).
 * SPDX-License-Identifier: MIT */
#include "analysis/row_select.h"

#include <stdlib.h>
#include <string.h>

/* Reads a run of decimal digits; no sign, so "-1" cannot slip through. */
static int parse_index(const char **p, size_t *out) {
  const char *s = *p;
  if (*s < '0' || *s > '9') return -1;
  size_t v = 0;
  for (; *s >= '0' && *s <= '9'; ++s) {
    if (v > ((size_t)-1 - 9) / 10) return -1;
    v = 10 * v + (size_t)(*s - '0');
  }
  *p = s;
  *out = v;
  return 0;
}

/** One item at *p, "i" or "lo-hi", into keep[]; *p moves past it. */
static zp_status parse_item(const char *spec, const char *name, const char **p,
                            zp_row_selection *sel, zp_error *err) {
  size_t lo, hi;
  *p += strspn(*p, " \t");
  const char *item = *p;
  if (parse_index(p, &lo) != 0)
    return zp_error_set(err, ZP_EINVAL,
                        "selection '%s' for %s: expected a row index at '%s' (use 'all' or "
                        "e.g. '0-4,6')",
                        spec, name, item);
  hi = lo;
  *p += strspn(*p, " \t");
  if (**p == '-') {
    ++*p;
    *p += strspn(*p, " \t");
    if (parse_index(p, &hi) != 0)
      return zp_error_set(err, ZP_EINVAL, "selection '%s' for %s: range at '%s' has no end", spec,
                          name, item);
    *p += strspn(*p, " \t");
  }
  if (hi < lo)
    return zp_error_set(err, ZP_EINVAL, "selection '%s' for %s: range %zu-%zu is reversed", spec,
                        name, lo, hi);
  if (hi >= sel->nrows)
    return zp_error_set(err, ZP_EINVAL,
                        "selection '%s' for %s: row %zu is out of range (rows 0-%zu)", spec, name,
                        hi, sel->nrows - 1);
  for (size_t i = lo; i <= hi; ++i) {
    /* A row named twice is almost always a typo such as "0-4,4-8". */
    if (sel->keep[i])
      return zp_error_set(err, ZP_EINVAL, "selection '%s' for %s: row %zu is selected twice", spec,
                          name, i);
    sel->keep[i] = 1;
  }
  return ZP_OK;
}

zp_status zp_row_selection_parse(const char *spec, const char *name, size_t nrows,
                                 zp_row_selection *sel, zp_error *err) {
  memset(sel, 0, sizeof *sel);
  const char *s = spec + strspn(spec, " \t");
  int all = strncmp(s, "all", 3) == 0 && s[3 + strspn(s + 3, " \t")] == '\0';
  if (!all && nrows == 0) return zp_error_set(err, ZP_EINVAL, "%s: no rows to select", name);
  sel->nrows = nrows;
  sel->keep = calloc(nrows > 0 ? nrows : 1, 1);
  if (sel->keep == NULL) return zp_error_set(err, ZP_ENOMEM, "row selection: out of memory");
  if (all) {
    memset(sel->keep, 1, nrows);
    return ZP_OK;
  }
  for (const char *p = spec;; ++p) {
    zp_status st = parse_item(spec, name, &p, sel, err);
    if (st != ZP_OK) return st;
    if (*p == '\0') return ZP_OK;
    if (*p != ',')
      return zp_error_set(err, ZP_EINVAL,
                          "selection '%s' for %s: unexpected '%s' (items are separated by ',')",
                          spec, name, p);
  }
}

void zp_row_selection_free(zp_row_selection *sel) {
  if (sel == NULL) return;
  free(sel->keep);
  memset(sel, 0, sizeof *sel);
}

size_t zp_dataset_keep_rows(zp_dataset *d, const unsigned char *keep) {
  size_t m = 0;
  for (size_t i = 0; i < d->nbins; ++i)
    if (keep[i]) d->bins[m++] = d->bins[i];
  d->nbins = m;
  return m;
}
