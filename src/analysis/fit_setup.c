/* zprop: from the fit keys to data sets and zp_fit_opts (fit_setup.h).
 *
 * `data`, `channel` and `bins` need the data files to be checked (how many
 * sets, how many rows), so they are TEXT keys of the table and are checked
 * here, after the table's own checks, with messages in the table's format
 * (zp_params_value_error).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include "analysis/fit_setup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/row_select.h"
#include "config/param_lists.h" /* zp_split_commas */

/* data = v2024: the second paper's combination (V-Sec. 4): the cascades as
 * nu_e + nu_tau, the three measured pieces of the tracks, limits only
 * penalising an excess, E^-2 bin averages as the collaborations fitted. */
static const char v2024_data[] = "cascades6yr,tracks9yr";
static const struct {
  zp_param_key key;
  const char *value;
} v2024_defaults[] = {{ZP_KEY_channel, "nue_nutau_average,auto"},
                      {ZP_KEY_bins, "0-12,14-16"},
                      {ZP_KEY_upper_limits, "excess"},
                      {ZP_KEY_flux, "average"}};

zp_status zp_fit_apply_preset(zp_params *p, zp_error *err) {
  if (strcasecmp(p->text[ZP_KEY_data], "v2024") != 0) return ZP_OK;
  zp_status st = zp_params_set_text(p, ZP_KEY_data, v2024_data, err);
  for (size_t i = 0; i < sizeof v2024_defaults / sizeof v2024_defaults[0] && st == ZP_OK; i++)
    if (p->origin[v2024_defaults[i].key] == ZP_FROM_DEFAULT)
      st = zp_params_set_text(p, v2024_defaults[i].key, v2024_defaults[i].value, err);
  return st;
}

/* ------------------------------------------------------------ lists */

/** zp_split_commas() of a copy of @p text, *buf, which the caller frees
 *  (NULL, with 0 returned, when out of memory). */
static size_t split_list(const char *text, char **buf, const char **elem, size_t max) {
  *buf = strdup(text);
  return *buf == NULL ? 0 : zp_split_commas(*buf, elem, max);
}

/* ------------------------------------------------------------- data */

/** A name the loader takes as a path rather than a built-in name. */
static int is_path(const char *name) {
  size_t n = strlen(name);
  return strchr(name, '/') != NULL || (n >= 4 && strcmp(name + n - 4, ".dat") == 0);
}

static zp_status load_sets(zp_params *p, zp_fit_setup *s, zp_error *err) {
  const char *elem[ZP_FIT_MAX_DATA];
  char *buf;
  size_t n = split_list(p->fit.data, &buf, elem, ZP_FIT_MAX_DATA);
  zp_status st = ZP_OK;
  char problem[64];
  if (buf == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  if (n > ZP_FIT_MAX_DATA) {
    snprintf(problem, sizeof problem, "more than %d data sets", ZP_FIT_MAX_DATA);
    st = zp_params_value_error(p, ZP_KEY_data, problem, NULL, err);
  }
  for (size_t i = 0; i < n && st == ZP_OK; i++) {
    p->value[ZP_KEY_data] = elem[i]; /* so that a message names the element */
    if (elem[i][0] == '\0') {
      st = zp_params_value_error(p, ZP_KEY_data, "empty element", NULL, err);
      break;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(elem[j], elem[i]) == 0)
        st = zp_params_value_error(p, ZP_KEY_data, "named twice (its rows would count twice)", NULL,
                                   err);
    if (st != ZP_OK) break;
    zp_error lerr;
    zp_error_clear(&lerr);
    st = zp_dataset_builtin(elem[i], &s->sets[i], &lerr);
    if (st == ZP_EINVAL && !is_path(elem[i]))
      st = zp_params_value_error(p, ZP_KEY_data, "unknown data set", NULL, err);
    else if (st != ZP_OK) /* a file problem: the loader names file and line */
      st = zp_error_set(err, st, "data = %s: %s", p->text[ZP_KEY_data], lerr.msg);
    if (st == ZP_OK) s->nsets = i + 1;
  }
  p->value[ZP_KEY_data] = p->text[ZP_KEY_data];
  free(buf);
  return st;
}

/** `channel`: one word for every set, or one per set; auto keeps the file's. */
static zp_status set_channels(zp_params *p, zp_fit_setup *s, zp_error *err) {
  const char *elem[ZP_FIT_MAX_DATA];
  char *buf;
  size_t n = split_list(p->fit.channel, &buf, elem, ZP_FIT_MAX_DATA);
  if (buf == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = ZP_OK;
  if (n != 1 && n != s->nsets) {
    char problem[96];
    snprintf(problem, sizeof problem, "%s%zu values for %zu data set%s",
             n > ZP_FIT_MAX_DATA ? "more than " : "", n > ZP_FIT_MAX_DATA ? n - 1 : n, s->nsets,
             s->nsets == 1 ? "" : "s");
    st = zp_params_value_error(p, ZP_KEY_channel, problem, NULL, err);
  }
  for (size_t i = 0; i < n && st == ZP_OK; i++) {
    p->value[ZP_KEY_channel] = elem[i];
    zp_channel ch;
    if (strcasecmp(elem[i], "auto") == 0) continue;
    if (zp_channel_parse(elem[i], &ch, NULL) != ZP_OK) {
      st = zp_params_value_error(p, ZP_KEY_channel, "unknown word", NULL, err);
      break;
    }
    for (size_t k = 0; k < s->nsets; k++)
      if (n == 1 || k == i) s->sets[k]->channel = ch;
  }
  p->value[ZP_KEY_channel] = p->text[ZP_KEY_channel];
  free(buf);
  return st;
}

/* ------------------------------------------------------------- rows */

/** The sets' names joined by ',' (for messages). */
static void set_names(const zp_fit_setup *s, char *buf, size_t size) {
  buf[0] = '\0';
  for (size_t k = 0; k < s->nsets; k++) {
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s%s %zu-%zu", k > 0 ? ", " : "rows: ", s->sets[k]->name,
             s->first_row[k], s->first_row[k] + s->sets[k]->nbins - 1);
  }
}

/** Which rows of the concatenation `bins` keeps, counted over all sets. */
static zp_status parse_rows(zp_params *p, const zp_fit_setup *s, zp_row_selection *sel,
                            zp_error *err) {
  zp_error lerr;
  zp_error_clear(&lerr);
  zp_status st = zp_row_selection_parse(p->fit.bins, "data", s->total_rows, sel, &lerr);
  if (st == ZP_EINVAL) {
    char note[256];
    set_names(s, note, sizeof note);
    return zp_params_value_error(p, ZP_KEY_bins, lerr.msg, note, err);
  }
  return st != ZP_OK ? zp_error_set(err, st, "bins = %s: %s", p->text[ZP_KEY_bins], lerr.msg)
                     : ZP_OK;
}

/** Applies `bins` to each set: the rows of the selection that fall in it. */
static zp_status select_rows(zp_params *p, zp_fit_setup *s, zp_error *err) {
  if (strcasecmp(p->fit.bins, "all") == 0) return ZP_OK;
  zp_row_selection sel;
  zp_status st = parse_rows(p, s, &sel, err);
  for (size_t k = 0; k < s->nsets && st == ZP_OK; k++) {
    size_t first = s->first_row[k], n = s->sets[k]->nbins;
    if (zp_dataset_keep_rows(s->sets[k], sel.keep + first) > 0) continue;
    char problem[160];
    snprintf(problem, sizeof problem, "no row of %s (rows %zu-%zu) is selected", s->sets[k]->name,
             first, first + n - 1);
    st = zp_params_value_error(p, ZP_KEY_bins, problem, "drop the set from data instead", err);
  }
  zp_row_selection_free(&sel);
  return st;
}

/* ------------------------------------------------------------ build */

/** Every kept data bin inside [emin, emax] (the tolerance of chi2.c), said
 *  before anything is computed or a backend is chosen. */
static zp_status check_coverage(const zp_params *p, const zp_fit_setup *s, zp_error *err) {
  double lo = p->cfg.grid.emin_gev, hi = p->cfg.grid.emax_gev;
  double need_lo = lo, need_hi = hi;
  for (size_t k = 0; k < s->nsets; k++)
    for (size_t i = 0; i < s->sets[k]->nbins; i++) {
      need_lo = fmin(need_lo, s->sets[k]->bins[i].emin);
      need_hi = fmax(need_hi, s->sets[k]->bins[i].emax);
    }
  if (need_lo < lo * (1.0 - 1e-12) || need_hi > hi * (1.0 + 1e-12))
    return zp_error_set(err, ZP_EINVAL,
                        "emin = %g, emax = %g GeV: the data bins used span [%g, %g] GeV, "
                        "allowed emin <= %g and emax >= %g",
                        lo, hi, need_lo, need_hi, need_lo, need_hi);
  return ZP_OK;
}

zp_status zp_fit_setup_build(zp_params *p, zp_fit_setup *s, zp_error *err) {
  memset(s, 0, sizeof *s);
  zp_status st = load_sets(p, s, err);
  if (st == ZP_OK) {
    for (size_t k = 0; k < s->nsets; k++) {
      s->first_row[k] = s->total_rows;
      s->total_rows += s->sets[k]->nbins;
    }
    st = set_channels(p, s, err);
  }
  if (st == ZP_OK) st = select_rows(p, s, err);
  if (st == ZP_OK) st = check_coverage(p, s, err);
  if (st != ZP_OK) return st;

  zp_fit_opts *o = &s->opts;
  zp_fit_opts_default(o);
  o->ndata = s->nsets;
  o->data = s->sets;
  o->errors = (zp_error_mode)p->fit.errors;
  o->upper_limits = (zp_ul_mode)p->fit.upper_limits;
  o->flux = (zp_flux_mode)p->fit.flux;
  o->gamma_min = p->fit.gamma_min;
  o->gamma_max = p->fit.gamma_max;
  o->gamma_step = p->fit.gamma_step;
  o->profile_gamma = p->fit.profile == ZP_PROFILE_GAMMA_NORM;
  o->profile_norm = p->fit.profile != ZP_PROFILE_NONE;
  if (zp_params_accepts(p->mode, ZP_KEY_zp) && p->fit.zp == ZP_ZP_OFF) p->cfg.zprime.gzp = 0.0;
  if (zp_fit_npoints(o) == 0)
    return zp_error_set(err, ZP_EINVAL, "bins = %s, upper_limits = skip: no data point left",
                        p->text[ZP_KEY_bins]);
  return ZP_OK;
}

void zp_fit_setup_free(zp_fit_setup *s) {
  if (s == NULL) return;
  for (size_t k = 0; k < s->nsets; k++) zp_dataset_free(s->sets[k]);
  memset(s, 0, sizeof *s);
}

void zp_fit_setup_print(FILE *f, const char *prefix, const zp_fit_setup *s) {
  fprintf(f, "%sdatasets = ", prefix);
  for (size_t k = 0; k < s->nsets; k++) fprintf(f, "%s%s", k > 0 ? "," : "", s->sets[k]->name);
  fprintf(f, "\n%schannels = ", prefix);
  for (size_t k = 0; k < s->nsets; k++)
    fprintf(f, "%s%s", k > 0 ? "," : "", zp_channel_name(s->sets[k]->channel));
  fprintf(f, "\n%sdata_rows = ", prefix);
  for (size_t k = 0; k < s->nsets; k++) fprintf(f, "%s%zu", k > 0 ? "," : "", s->sets[k]->nbins);
  fprintf(f, "\n");
}
