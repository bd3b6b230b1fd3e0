/* zprop: the key table, lookup by name and the commands' views of it.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strncasecmp */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "zprop/fit.h"
#include "zprop/gm2.h"
#include "zprop/mixing.h"

static const zp_param_info info[ZP_KEY_COUNT] = {
#define ZP_PARAM_INFO_(name, kind, def, unit, allowed, field, help, cmds)                          \
  {#name, ZP_PARAM_##kind, def, unit, allowed, help, cmds},
    ZP_PARAM_LIST(ZP_PARAM_INFO_)
#undef ZP_PARAM_INFO_
};

static const zp_param_info plot_info[ZP_PLOT_KEY_COUNT] = {
#define ZP_PLOT_INFO_(name, kind, def, allowed, help)                                              \
  {#name, ZP_PARAM_##kind, def, "", allowed, help, ZP_CMD_PLOT},
    ZP_PLOT_PARAM_LIST(ZP_PLOT_INFO_)
#undef ZP_PLOT_INFO_
};

/* The views: a command's own default, range and help of a key. */
static const struct {
  unsigned cmd;
  zp_param_key key;
  zp_param_info row;
} views[] = {
#define ZP_PARAM_VIEW_(cmd, name, kind, def, unit, allowed, help)                                  \
  {cmd, ZP_KEY_##name, {#name, ZP_PARAM_##kind, def, unit, allowed, help, cmd}},
    ZP_PARAM_VIEWS(ZP_PARAM_VIEW_)
#undef ZP_PARAM_VIEW_
};

/* An ENUM key stores the position of its word in the "allowed" column, so
 * the library's enum values must be those positions. */
_Static_assert(ZP_ORDERING_NO == 0 && ZP_ORDERING_IO == 1, "ordering words: NO|IO");
_Static_assert(ZP_MIXING_NUFIT50 == 0 && ZP_MIXING_NUFIT52 == 1 && ZP_MIXING_NUFIT60 == 2,
               "mixing words: nufit50|nufit52|nufit60");
_Static_assert(ZP_SOURCE_DELTA == 0 && ZP_SOURCE_SFR == 1 && ZP_SOURCE_SFR_SMOOTH == 2 &&
                   ZP_SOURCE_BLLAC == 3 && ZP_SOURCE_TABLE == 4,
               "source words: delta|sfr|sfr_smooth|bllac|table");
_Static_assert(ZP_THERMAL_AUTO == 0 && ZP_THERMAL_OFF == 1 && ZP_THERMAL_ALWAYS == 2,
               "thermal words: auto|off|always");
_Static_assert(ZP_BACKEND_AUTO == 0 && ZP_BACKEND_CPU == 1 && ZP_BACKEND_CUDA == 2 &&
                   ZP_BACKEND_CPU_FAST == 3,
               "backend words: auto|cpu|cuda|cpu_fast");
_Static_assert(ZP_ERRORS_SYMMETRIC == 0 && ZP_ERRORS_ASYMMETRIC == 1,
               "errors words: symmetric|asymmetric");
_Static_assert(ZP_UL_ZERO == 0 && ZP_UL_EXCESS == 1 && ZP_UL_HALF == 2 && ZP_UL_SKIP == 3,
               "upper_limits words: zero|excess|half|skip");
_Static_assert(ZP_FLUX_CENTRE == 0 && ZP_FLUX_AVERAGE == 1, "flux words: centre|average");
_Static_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2020_2023 == 1 && ZP_GM2_BMW2025 == 2 &&
                   ZP_GM2_WP2025 == 3 && ZP_GM2_BMW2021 == 4 && ZP_GM2_REF_COUNT == 5,
               "gm2_ref words: wp2020|wp2020_2023|bmw2025|wp2025|bmw2021");

/* ------------------------------------------------------------- modes */

const zp_params_mode zp_mode_spectrum = {.command = "spectrum", .cmd = ZP_CMD_SPECTRUM};

static const char *const batch_defaults[ZP_KEY_COUNT] = {[ZP_KEY_output] = "zprop_batch.tsv"};
const unsigned char zp_batch_list_keys[ZP_KEY_COUNT] = {
    [ZP_KEY_mzp] = 1,     [ZP_KEY_gzp] = 1,      [ZP_KEY_gchi] = 1,   [ZP_KEY_mchi] = 1,
    [ZP_KEY_sum_mnu] = 1, [ZP_KEY_ordering] = 1, [ZP_KEY_source] = 1, [ZP_KEY_z0] = 1,
    [ZP_KEY_zmax] = 1,    [ZP_KEY_gamma] = 1};
const zp_params_mode zp_mode_batch = {.command = "batch",
                                      .defaults = batch_defaults,
                                      .lists = zp_batch_list_keys,
                                      .cmd = ZP_CMD_BATCH};

/* output = none (the default) writes no table: the fit is the lines on stdout. */
static const char *const fit_defaults[ZP_KEY_COUNT] = {[ZP_KEY_output] = "none"};
const zp_params_mode zp_mode_fit = {.command = "fit", .defaults = fit_defaults, .cmd = ZP_CMD_FIT};

static const char *const scan_defaults[ZP_KEY_COUNT] = {
    [ZP_KEY_mzp] = "1:20:96", [ZP_KEY_gzp] = "1e-5:1e-1:81", [ZP_KEY_output] = "zprop_scan.tsv"};
/* The keys a scan may run over (src/analysis/scan_axes.c): the model
 * point's, the source's, and the fitted gamma and norm. */
static const unsigned char scan_ranges[ZP_KEY_COUNT] = {
    [ZP_KEY_mzp] = 1,     [ZP_KEY_gzp] = 1, [ZP_KEY_gchi] = 1, [ZP_KEY_mchi] = 1,
    [ZP_KEY_sum_mnu] = 1, [ZP_KEY_z0] = 1,  [ZP_KEY_zmax] = 1, [ZP_KEY_density_power] = 1,
    [ZP_KEY_gamma] = 1,   [ZP_KEY_norm] = 1};
const zp_params_mode zp_mode_scan = {
    .command = "scan", .defaults = scan_defaults, .cmd = ZP_CMD_SCAN, .ranges = scan_ranges};

/* gm2: its keys in the order it always listed them; no parameter file. */
static const zp_param_key gm2_order[] = {ZP_KEY_mzp,     ZP_KEY_gzp,     ZP_KEY_gm2_ref,
                                         ZP_KEY_band,    ZP_KEY_mzp_min, ZP_KEY_mzp_max,
                                         ZP_KEY_npoints, ZP_KEY_scale,   ZP_KEY_output};
const zp_params_mode zp_mode_gm2 = {.command = "gm2",
                                    .cmd = ZP_CMD_GM2,
                                    .order = gm2_order,
                                    .norder = sizeof gm2_order / sizeof gm2_order[0],
                                    .flags = ZP_MODE_IN_ORDER | ZP_MODE_PLAIN_NUMBERS};

static const zp_params_mode *const modes[] = {&zp_mode_spectrum, &zp_mode_batch, &zp_mode_fit,
                                              &zp_mode_scan, &zp_mode_gm2};

const zp_params_mode *zp_params_mode_find(const char *command) {
  for (size_t i = 0; command != NULL && i < sizeof modes / sizeof modes[0]; i++)
    if (strcmp(modes[i]->command, command) == 0) return modes[i];
  return NULL;
}

unsigned zp_param_command(const char *command) {
  const zp_params_mode *m = zp_params_mode_find(command);
  if (m == NULL && command != NULL && strcmp(command, "plot") == 0) return ZP_CMD_PLOT;
  return m != NULL ? m->cmd : 0;
}

/* ------------------------------------------------------------- lookup */

/** A key of zprop plot by name, or NULL. */
static const zp_param_info *find_plot_key(const char *name) {
  for (int k = 0; name != NULL && k < ZP_PLOT_KEY_COUNT; k++)
    if (strcmp(plot_info[k].name, name) == 0) return &plot_info[k];
  return NULL;
}

const zp_param_info *zp_params_info(zp_param_key k) { return &info[k]; }

const zp_param_info *zp_params_row(const zp_params_mode *mode, zp_param_key k) {
  for (size_t i = 0; mode != NULL && i < sizeof views / sizeof views[0]; i++)
    if (views[i].key == k && (views[i].cmd & mode->cmd) != 0) return &views[i].row;
  return &info[k];
}

size_t zp_params_mode_keys(const zp_params_mode *mode, zp_param_key keys[ZP_KEY_COUNT]) {
  if (mode->order != NULL) {
    memcpy(keys, mode->order, mode->norder * sizeof *keys);
    return mode->norder;
  }
  size_t n = 0;
  for (int k = 0; k < ZP_KEY_COUNT; k++)
    if (zp_params_accepts(mode, (zp_param_key)k)) keys[n++] = (zp_param_key)k;
  return n;
}

const zp_param_info *zp_param_find_in(const char *name, unsigned command) {
  if (command & ZP_CMD_PLOT) return find_plot_key(name);
  int k = name != NULL ? zp_params_find_key(name) : -1;
  if (k < 0 || (info[k].commands & command) == 0) return NULL;
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
    if (views[i].key == (zp_param_key)k && (views[i].cmd & command) != 0) return &views[i].row;
  return &info[k];
}

const char *zp_params_key_name(zp_param_key k) { return info[k].name; }

int zp_params_find_key(const char *name) {
  for (int k = 0; k < ZP_KEY_COUNT; k++)
    if (strcmp(info[k].name, name) == 0) return k;
  return -1;
}

int zp_params_accepts(const zp_params_mode *mode, zp_param_key k) {
  return mode != NULL && (info[k].commands & mode->cmd) != 0;
}

const zp_param_info *zp_params_plot_info(zp_plot_key k) { return &plot_info[k]; }

size_t zp_param_count(void) { return ZP_KEY_COUNT + ZP_PLOT_KEY_COUNT; }

const zp_param_info *zp_param_at(size_t i) {
  if (i < ZP_KEY_COUNT) return &info[i];
  return i < ZP_KEY_COUNT + ZP_PLOT_KEY_COUNT ? &plot_info[i - ZP_KEY_COUNT] : NULL;
}

const zp_param_info *zp_param_find(const char *name) {
  int k = name != NULL ? zp_params_find_key(name) : -1;
  return k >= 0 ? &info[k] : find_plot_key(name);
}

/* -------------------------------------------------------------- words */

int zp_params_find_word(const char *list, const char *word) {
  size_t n = strlen(word);
  int pos = 0;
  for (const char *s = list;; pos++) {
    size_t len = strcspn(s, "|");
    if (len == n && n > 0 && strncasecmp(s, word, n) == 0) return pos;
    if (s[len] == '\0') return -1;
    s += len + 1;
  }
}

const char *zp_params_word_at(const char *list, int pos, int *len) {
  for (; pos > 0 && list != NULL; pos--) {
    list = strchr(list, '|');
    if (list != NULL) list++;
  }
  *len = list == NULL ? 0 : (int)strcspn(list, "|");
  return list == NULL ? "" : list;
}

void zp_params_format_word(char *buf, size_t size, zp_param_key k, int pos) {
  int len;
  const char *w = zp_params_word_at(info[k].allowed, pos, &len);
  snprintf(buf, size, "%.*s", len, w);
}
