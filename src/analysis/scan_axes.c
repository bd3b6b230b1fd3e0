/* zprop: parsing and checking the scan axes (scan_axes.h).
 *
 * Each end of a range goes through the library's parameter engine
 * (src/config/params_check.c), as a list element of `zprop batch` does,
 * so a range end meets exactly the range of the single key and the message
 * names the element.
 * SPDX-License-Identifier: MIT */
#include "analysis/scan_axes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One key as written, split. */
typedef struct {
  zp_param_key key;
  char lo[64], hi[64]; /* the ends as written, trimmed */
  size_t n;
  int log;                   /* the spacing */
  int log_default;           /* the key's spacing when none is written */
  double lo_value, hi_value; /* after the check */
} axis_text;

static void trim_copy(char *dst, size_t size, const char *s, size_t len) {
  while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  snprintf(dst, size, "%.*s", (int)(len < size ? len : size - 1), s);
}

static zp_status split_axis(const zp_params *p, axis_text *a, zp_error *err) {
  static const char note[] =
      "for each end of lo:hi:n[:log|linear], n an integer in [2, 10000]; or one value";
  const char *t = p->text[a->key];
  const char *c1 = strchr(t, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
  const char *c3 = c2 != NULL ? strchr(c2 + 1, ':') : NULL;
  a->log = a->log_default;
  if (c1 == NULL) {
    trim_copy(a->lo, sizeof a->lo, t, strlen(t));
    memcpy(a->hi, a->lo, sizeof a->hi);
    a->n = 1;
    return ZP_OK;
  }
  if (c2 == NULL || (c3 != NULL && strchr(c3 + 1, ':') != NULL))
    return zp_params_value_error(p, a->key, "not a range", note, err);
  if (c3 != NULL) {
    char spacing[16];
    trim_copy(spacing, sizeof spacing, c3 + 1, strlen(c3 + 1));
    if (strcasecmp(spacing, "log") == 0) a->log = 1;
    else if (strcasecmp(spacing, "linear") == 0) a->log = 0;
    else return zp_params_value_error(p, a->key, "bad spacing (log or linear)", note, err);
  }
  trim_copy(a->lo, sizeof a->lo, t, (size_t)(c1 - t));
  trim_copy(a->hi, sizeof a->hi, c1 + 1, (size_t)(c2 - c1 - 1));
  char count[32], *end;
  trim_copy(count, sizeof count, c2 + 1,
            (size_t)((c3 != NULL ? c3 : c2 + 1 + strlen(c2 + 1)) - c2 - 1));
  unsigned long n = strtoul(count, &end, 10);
  if (count[0] < '0' || count[0] > '9' || *end != '\0' || n < 2 || n > ZP_SCAN_MAX_AXIS)
    return zp_params_value_error(p, a->key, "bad number of points", note, err);
  a->n = (size_t)n;
  return ZP_OK;
}

/** Checks every corner of the ranges (2^k sets for k ranged keys, each end
 *  of each range met with each end of the others, single values as they
 *  are), then the order of the ends. */
static zp_status check_corners(zp_params *p, axis_text *ax, size_t nax, zp_error *err) {
  zp_status st = ZP_OK;
  size_t ranged[ZP_SCAN_MAX_RANGED], nr = 0;
  for (size_t i = 0; i < nax; i++) {
    p->value[ax[i].key] = ax[i].lo;
    if (ax[i].n > 1) ranged[nr++] = i; /* at most ZP_SCAN_MAX_RANGED: the caller checked */
  }
  for (unsigned long c = 0; c < (1ul << nr) && st == ZP_OK; c++) {
    for (size_t k = 0; k < nr; k++)
      p->value[ax[ranged[k]].key] = (c >> k) & 1 ? ax[ranged[k]].hi : ax[ranged[k]].lo;
    st = zp_params_check(p, err);
    for (size_t i = 0; i < nax && st == ZP_OK; i++) {
      double v = *zp_scan_key_field(&p->cfg, ax[i].key);
      int high = 0;
      for (size_t k = 0; k < nr; k++) high |= ranged[k] == i && ((c >> k) & 1);
      *(high ? &ax[i].hi_value : &ax[i].lo_value) = v;
      if (ax[i].n == 1) ax[i].hi_value = v;
    }
  }
  for (size_t i = 0; i < nax && st == ZP_OK; i++) {
    if (ax[i].n == 1) continue;
    p->value[ax[i].key] = ax[i].hi; /* the element the message names */
    if (!(ax[i].hi_value > ax[i].lo_value))
      st = zp_params_value_error(p, ax[i].key, "not above the low end", "lo:hi:n needs hi > lo",
                                 err);
    else if (ax[i].log && !(ax[i].lo_value > 0.0)) {
      p->value[ax[i].key] = ax[i].lo;
      st = zp_params_value_error(p, ax[i].key, "not positive", "a log-spaced lo:hi:n needs lo > 0",
                                 err);
    }
  }
  return st;
}

/** The canonical text of an axis: the checked numbers, shortest exact,
 *  and the spacing only where it is not the key's own. */
static zp_status canonical(zp_params *p, const axis_text *a, zp_error *err) {
  char lo[40], hi[40], text[112];
  zp_params_format_real(lo, sizeof lo, a->lo_value);
  zp_params_format_real(hi, sizeof hi, a->hi_value);
  if (a->n == 1) snprintf(text, sizeof text, "%s", lo);
  else if (a->log == a->log_default) snprintf(text, sizeof text, "%s:%s:%zu", lo, hi, a->n);
  else snprintf(text, sizeof text, "%s:%s:%zu:%s", lo, hi, a->n, a->log ? "log" : "linear");
  return zp_params_set_text(p, a->key, text, err);
}

zp_status zp_scan_axes_build(zp_params *p, zp_scan_grid *g, zp_error *err) {
  axis_text ax[ZP_KEY_COUNT];
  size_t nax = 0, nranged = 0;
  zp_status st = ZP_OK;
  memset(ax, 0, sizeof ax);
  for (int k = 0; k < ZP_KEY_COUNT && st == ZP_OK; k++) {
    if (p->mode->ranges == NULL || !p->mode->ranges[k]) continue;
    axis_text *a = &ax[nax++];
    a->key = (zp_param_key)k;
    a->log_default = k == ZP_KEY_gzp || (k == ZP_KEY_mzp && p->fit.mzp_scale == ZP_MZP_SCALE_LOG);
    st = split_axis(p, a, err);
    if (st == ZP_OK && a->n > 1 && ++nranged > ZP_SCAN_MAX_RANGED)
      st = zp_params_value_error(p, a->key, "one range too many",
                                 "a scan runs over at most 4 keys given as lo:hi:n", err);
  }
  if (st == ZP_OK) st = check_corners(p, ax, nax, err);
  double rows = 1.0;
  for (size_t i = 0; i < nax; i++) rows *= (double)ax[i].n;
  if (st == ZP_OK && rows > ZP_SCAN_MAX_POINTS)
    st = zp_error_set(err, ZP_EINVAL,
                      "scan of %.0f rows (the product of the axes), allowed at most %d", rows,
                      ZP_SCAN_MAX_POINTS);
  for (size_t i = 0; i < nax && st == ZP_OK; i++) st = canonical(p, &ax[i], err);
  if (st == ZP_OK) {
    /* The final check, which leaves p->cfg and p->fit at the low ends. */
    for (size_t i = 0; i < nax; i++) p->value[ax[i].key] = ax[i].lo;
    st = zp_params_check(p, err);
  }
  for (size_t i = 0; i < nax; i++) p->value[ax[i].key] = p->text[ax[i].key];
  if (st != ZP_OK) return st;
  memset(g, 0, sizeof *g);
  for (size_t i = 0; i < nax; i++) {
    if (ax[i].n == 1 && ax[i].key != ZP_KEY_mzp && ax[i].key != ZP_KEY_gzp) continue;
    zp_axis a = {ax[i].lo_value, ax[i].hi_value, ax[i].n, ax[i].log};
    zp_scan_grid_add(g, ax[i].key, &a);
  }
  return ZP_OK;
}
