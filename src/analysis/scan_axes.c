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

/* One axis as written, split. */
typedef struct {
  zp_param_key key;
  char lo[64], hi[64]; /* the ends as written, trimmed */
  size_t n;
  double lo_value, hi_value; /* after the check */
} axis_text;

static void trim_copy(char *dst, size_t size, const char *s, size_t len) {
  while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  snprintf(dst, size, "%.*s", (int)(len < size ? len : size - 1), s);
}

static zp_status split_axis(const zp_params *p, axis_text *a, zp_error *err) {
  static const char note[] = "for each end of lo:hi:n, n an integer in [2, 10000]; or one value";
  const char *t = p->text[a->key];
  const char *c1 = strchr(t, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
  if (c1 == NULL) {
    trim_copy(a->lo, sizeof a->lo, t, strlen(t));
    memcpy(a->hi, a->lo, sizeof a->hi);
    a->n = 1;
    return ZP_OK;
  }
  if (c2 == NULL || strchr(c2 + 1, ':') != NULL)
    return zp_params_value_error(p, a->key, "not a range", note, err);
  trim_copy(a->lo, sizeof a->lo, t, (size_t)(c1 - t));
  trim_copy(a->hi, sizeof a->hi, c1 + 1, (size_t)(c2 - c1 - 1));
  char count[32], *end;
  trim_copy(count, sizeof count, c2 + 1, strlen(c2 + 1));
  unsigned long n = strtoul(count, &end, 10);
  if (count[0] < '0' || count[0] > '9' || *end != '\0' || n < 2 || n > ZP_SCAN_MAX_AXIS)
    return zp_params_value_error(p, a->key, "bad number of points", note, err);
  a->n = (size_t)n;
  return ZP_OK;
}

/** Checks one end of each axis at a time, the other axis at its low end. */
static zp_status check_ends(zp_params *p, axis_text *ax, zp_error *err) {
  p->value[ax[0].key] = ax[0].lo;
  p->value[ax[1].key] = ax[1].lo;
  zp_status st = zp_params_check(p, err);
  for (int i = 0; i < 2 && st == ZP_OK; i++) {
    ax[i].lo_value = i == 0 ? p->cfg.zprime.mzp_mev : p->cfg.zprime.gzp;
    p->value[ax[i].key] = ax[i].hi;
    st = zp_params_check(p, err);
    if (st == ZP_OK) ax[i].hi_value = i == 0 ? p->cfg.zprime.mzp_mev : p->cfg.zprime.gzp;
    p->value[ax[i].key] = ax[i].lo;
  }
  for (int i = 0; i < 2 && st == ZP_OK; i++) {
    if (ax[i].n == 1) continue;
    p->value[ax[i].key] = ax[i].hi; /* the element the message names */
    if (!(ax[i].hi_value > ax[i].lo_value))
      st = zp_params_value_error(p, ax[i].key, "not above the low end", "lo:hi:n needs hi > lo",
                                 err);
    else if (ax[i].key == ZP_KEY_gzp && !(ax[i].lo_value > 0.0)) {
      p->value[ax[i].key] = ax[i].lo;
      st = zp_params_value_error(p, ax[i].key, "not positive",
                                 "gzp is log-spaced, so lo:hi:n needs lo > 0", err);
    }
    p->value[ax[i].key] = ax[i].lo;
  }
  return st;
}

/** The canonical text of an axis: the checked numbers, shortest exact. */
static zp_status canonical(zp_params *p, const axis_text *a, zp_error *err) {
  char lo[40], hi[40], text[96];
  zp_params_format_real(lo, sizeof lo, a->lo_value);
  zp_params_format_real(hi, sizeof hi, a->hi_value);
  if (a->n == 1) snprintf(text, sizeof text, "%s", lo);
  else snprintf(text, sizeof text, "%s:%s:%zu", lo, hi, a->n);
  return zp_params_set_text(p, a->key, text, err);
}

zp_status zp_scan_axes_build(zp_params *p, zp_axis *mzp, zp_axis *gzp, zp_error *err) {
  axis_text ax[2];
  memset(ax, 0, sizeof ax);
  ax[0].key = ZP_KEY_mzp;
  ax[1].key = ZP_KEY_gzp;
  zp_status st = split_axis(p, &ax[0], err);
  if (st == ZP_OK) st = split_axis(p, &ax[1], err);
  if (st == ZP_OK) st = check_ends(p, ax, err);
  if (st == ZP_OK && (double)ax[0].n * (double)ax[1].n > ZP_SCAN_MAX_POINTS)
    st = zp_error_set(err, ZP_EINVAL, "mzp x gzp: %zu x %zu = %zu points, allowed at most %d",
                      ax[0].n, ax[1].n, ax[0].n * ax[1].n, ZP_SCAN_MAX_POINTS);
  for (int i = 0; i < 2 && st == ZP_OK; i++) st = canonical(p, &ax[i], err);
  if (st == ZP_OK) {
    /* The final check, which leaves p->cfg and p->fit at the low ends. */
    p->value[ZP_KEY_mzp] = ax[0].lo;
    p->value[ZP_KEY_gzp] = ax[1].lo;
    st = zp_params_check(p, err);
  }
  p->value[ZP_KEY_mzp] = p->text[ZP_KEY_mzp];
  p->value[ZP_KEY_gzp] = p->text[ZP_KEY_gzp];
  if (st != ZP_OK) return st;
  *mzp = (zp_axis){ax[0].lo_value, ax[0].hi_value, ax[0].n, p->fit.mzp_scale == ZP_MZP_SCALE_LOG};
  *gzp = (zp_axis){ax[1].lo_value, ax[1].hi_value, ax[1].n, 1};
  return ZP_OK;
}
