/* zprop: splitting, sizing and checking the lists of `zprop batch`.
 *
 * The elements are checked by running the one pipeline of params_check.c once
 * per point, per source and per gamma, with p->value pointing at the
 * elements of that combination: no second copy of any rule.  Points,
 * sources and gammas do not constrain each other, so while one set is
 * walked the others stay at their first element.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "config/param_lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The nesting order of the point product, outermost first. */
static const zp_param_key point_keys[] = {ZP_KEY_mzp,  ZP_KEY_gzp,     ZP_KEY_gchi,
                                          ZP_KEY_mchi, ZP_KEY_sum_mnu, ZP_KEY_ordering};
enum { NPOINT_KEYS = sizeof point_keys / sizeof point_keys[0] };
/* Paired element by element with source. */
static const zp_param_key pair_keys[] = {ZP_KEY_z0, ZP_KEY_zmax};
enum { NPAIR_KEYS = sizeof pair_keys / sizeof pair_keys[0] };

size_t zp_split_commas(char *buf, const char **elem, size_t max) {
  size_t n = 0;
  for (char *s = buf;;) {
    char *comma = strchr(s, ',');
    if (comma != NULL) *comma = '\0';
    while (*s == ' ' || *s == '\t') s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
    if (n == max) return max + 1;
    elem[n++] = s;
    if (comma == NULL) return n;
    s = comma + 1;
  }
}

/** Cuts a copy of p->text[k] at its commas into trimmed elements.  An
 *  empty element stays, as "", for zp_params_check() to reject by name. */
static zp_status split(const zp_params *p, int k, zp_param_lists *l, zp_error *err) {
  size_t n = 1;
  for (const char *c = p->text[k]; *c != '\0'; c++) n += *c == ',';
  l->split[k] = strdup(p->text[k]);
  l->element[k] = malloc(n * sizeof *l->element[k]);
  if (l->split[k] == NULL || l->element[k] == NULL)
    return zp_error_set(err, ZP_ENOMEM, "out of memory");
  l->count[k] = zp_split_commas(l->split[k], l->element[k], n);
  return ZP_OK;
}

/** The sizes of the three sets, each against its limit, and z0 and zmax
 *  against the number of sources. */
static zp_status check_sizes(const zp_params *p, const zp_param_lists *l, zp_error *err) {
  double product = 1.0; /* a double cannot overflow on a product of long lists */
  char keys[96] = "", counts[160] = "";
  for (int j = 0; j < NPOINT_KEYS; j++) {
    size_t used = strlen(keys), cused = strlen(counts);
    snprintf(keys + used, sizeof keys - used, "%s%s", j > 0 ? " x " : "",
             zp_params_key_name(point_keys[j]));
    snprintf(counts + cused, sizeof counts - cused, "%s%zu", j > 0 ? " x " : "",
             l->count[point_keys[j]]);
    product *= (double)l->count[point_keys[j]];
  }
  if (product > ZP_BATCH_MAX_POINTS)
    return zp_error_set(err, ZP_EINVAL, "%s: %s = %.0f points, allowed at most %d", keys, counts,
                        product, ZP_BATCH_MAX_POINTS);
  size_t ns = l->count[ZP_KEY_source];
  if (ns > ZP_BATCH_MAX_SOURCES)
    return zp_error_set(err, ZP_EINVAL, "source: %zu sources, allowed at most %d", ns,
                        ZP_BATCH_MAX_SOURCES);
  if (l->count[ZP_KEY_gamma] > ZP_BATCH_MAX_GAMMAS)
    return zp_error_set(err, ZP_EINVAL, "gamma: %zu values, allowed at most %d",
                        l->count[ZP_KEY_gamma], ZP_BATCH_MAX_GAMMAS);
  for (int j = 0; j < NPAIR_KEYS; j++) {
    size_t n = l->count[pair_keys[j]];
    if (n == 1 || n == ns) continue;
    char allowed[48], text[96];
    if (ns == 1) snprintf(allowed, sizeof allowed, "1 (as many as source has)");
    else snprintf(allowed, sizeof allowed, "1 or %zu (one per source)", ns);
    zp_params_quote(text, sizeof text, p->text[pair_keys[j]]);
    return zp_error_set(err, ZP_EINVAL, "%s = %s: %zu values for %zu source%s, allowed %s",
                        zp_params_key_name(pair_keys[j]), text, n, ns, ns == 1 ? "" : "s", allowed);
  }
  return ZP_OK;
}

/* Point @p index of the product, decomposed with ordering innermost. */
static void select_point(zp_params *p, const zp_param_lists *l, size_t index) {
  for (int j = NPOINT_KEYS - 1; j >= 0; j--) {
    zp_param_key k = point_keys[j];
    p->value[k] = l->element[k][index % l->count[k]];
    index /= l->count[k];
  }
}

static void select_source(zp_params *p, const zp_param_lists *l, size_t s) {
  p->value[ZP_KEY_source] = l->element[ZP_KEY_source][s];
  for (int j = 0; j < NPAIR_KEYS; j++) {
    zp_param_key k = pair_keys[j];
    p->value[k] = l->element[k][l->count[k] == 1 ? 0 : s];
  }
}

static zp_status check_points(zp_params *p, zp_param_lists *l, zp_error *err) {
  for (size_t i = 0; i < l->spec.npoints; i++) {
    select_point(p, l, i);
    zp_status st = zp_params_check(p, err);
    if (st != ZP_OK) return st;
    /* The preset of this point's ordering with the overrides on top:
     * zp_params_check() stored exactly that into p->cfg.osc. */
    l->points[i] = (zp_point){.zprime = p->cfg.zprime,
                              .sum_mnu_ev = p->cfg.sum_mnu_ev,
                              .ordering = p->cfg.ordering,
                              .osc = p->cfg.osc};
    if (i == 0) l->spec.base = p->cfg;
  }
  select_point(p, l, 0);
  return ZP_OK;
}

static zp_status check_sources_and_gammas(zp_params *p, zp_param_lists *l, zp_error *err) {
  zp_status st = ZP_OK;
  for (size_t s = 0; s < l->spec.nsources && st == ZP_OK; s++) {
    select_source(p, l, s);
    st = zp_params_check(p, err);
    l->sources[s] = p->cfg.source;
  }
  select_source(p, l, 0);
  for (size_t g = 0; g < l->spec.ngamma && st == ZP_OK; g++) {
    p->value[ZP_KEY_gamma] = l->element[ZP_KEY_gamma][g];
    st = zp_params_check(p, err);
    l->gammas[g] = p->cfg.source.gamma;
  }
  p->value[ZP_KEY_gamma] = l->element[ZP_KEY_gamma][0];
  /* Leave p->cfg as the first point, source and gamma, as documented. */
  return st == ZP_OK ? zp_params_check(p, err) : st;
}

zp_status zp_param_lists_build(zp_params *p, zp_param_lists *l, zp_error *err) {
  memset(l, 0, sizeof *l);
  zp_status st = ZP_OK;
  for (int k = 0; k < ZP_KEY_COUNT && st == ZP_OK; k++)
    if (zp_batch_list_keys[k]) st = split(p, k, l, err);
  if (st == ZP_OK) st = check_sizes(p, l, err);
  if (st != ZP_OK) return st;
  size_t np = 1;
  for (int j = 0; j < NPOINT_KEYS; j++) np *= l->count[point_keys[j]];
  l->spec.npoints = np;
  l->spec.nsources = l->count[ZP_KEY_source];
  l->spec.ngamma = l->count[ZP_KEY_gamma];
  l->points = malloc(np * sizeof *l->points);
  l->sources = malloc(l->spec.nsources * sizeof *l->sources);
  l->gammas = malloc(l->spec.ngamma * sizeof *l->gammas);
  if (l->points == NULL || l->sources == NULL || l->gammas == NULL)
    return zp_error_set(err, ZP_ENOMEM, "out of memory for %zu points", np);
  /* Every list key at its first element; each walk below moves its own. */
  for (int k = 0; k < ZP_KEY_COUNT; k++)
    if (zp_batch_list_keys[k]) p->value[k] = l->element[k][0];
  l->spec.points = l->points;
  l->spec.sources = l->sources;
  l->spec.gammas = l->gammas;
  st = check_points(p, l, err);
  if (st == ZP_OK) st = check_sources_and_gammas(p, l, err);
  return st;
}

void zp_param_lists_free(zp_param_lists *l) {
  if (l == NULL) return;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    free(l->split[k]);
    free((void *)l->element[k]);
  }
  free(l->points);
  free(l->sources);
  free(l->gammas);
  memset(l, 0, sizeof *l);
}
