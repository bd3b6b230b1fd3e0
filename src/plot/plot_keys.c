/* zprop CLI: the keys of `zprop plot` and their checks.
 *
 * Like `zprop gm2`, plot has its own small X-macro table: none of its keys
 * is a physics parameter, and it takes input tables instead of a
 * parameter file.  Messages follow params.c: `key = value: problem,
 * allowed ...`.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plot/plot.h"
#include "plot/plot_keys.h"
#include "core/excerpt.h" /* zp_first_control */
#include "zprop/gm2.h"

/* X(name, kind, default, allowed, help) */
#define PLOT_KEY_LIST(X)                                                                           \
  X(output, PATH, "auto", "a path", "the figure; auto: the first input, format's extension")      \
  X(format, ENUM, "png", "png|pdf|svg", "file format (pdf: width, height in 1/100 inch)")          \
  X(title, TEXT, "auto", "auto, or any text (empty: none)", "title; auto: from the headers")       \
  X(xrange, RANGE, "auto", "auto|lo:hi", "x axis: E in GeV, M in MeV, z")                         \
  X(yrange, RANGE, "auto", "auto|lo:hi", "y axis: E^2 Phi, g")                                    \
  X(zrange, RANGE, "auto", "auto|lo:hi", "colour range of a scan map")                            \
  X(width, INT, "900", "[100, 10000]", "pixels")                                                  \
  X(height, INT, "650", "[100, 10000]", "pixels")                                                 \
  X(label, TEXT, "auto", "auto, or one per curve, comma-separated",                              \
    "legend entries (flux = mass: one per spectrum)")                                             \
  X(data, TEXT, "cascades6yr", "cascades6yr|tracks9yr|hese7yr|v2024|none|PATH.dat, comma list",   \
    "IceCube points on spectra; v2024 = cascades6yr,tracks9yr")                                   \
  X(flux, ENUM, "flavour_average", "flavour_average|e|mu|tau|all_flavours|mass",                  \
    "spectra: (e+mu+tau)/3, one flavour, the sum, or the mass states")                            \
  X(z, ENUM, "delta_chi2", "delta_chi2|R|chi2|gamma|norm|gm2_pull", "scan column coloured")       \
  X(contours, TEXT, "auto", "auto|none|numbers, comma list",                                      \
    "scan contour levels; auto: delta_chi2 -2.3,4; R 1")                                          \
  X(gm2, ENUM, "scan", "scan|none|wp2020|wp2020_2023|bmw2025|wp2025",                             \
    "g-2 bands on a scan map: the scan's gm2_ref, none, or this one")                             \
  X(kind, ENUM, "auto", "auto|sources",                                                           \
    "auto: from the tables' columns; sources: redshift distributions")

typedef enum {
#define PLOT_KEY_(name, ...) K_##name,
  PLOT_KEY_LIST(PLOT_KEY_)
#undef PLOT_KEY_
      K_COUNT
} plot_key;

typedef enum { KIND_PATH, KIND_ENUM, KIND_TEXT, KIND_RANGE, KIND_INT } key_kind;

static const struct {
  const char *name;
  key_kind kind;
  const char *def, *allowed, *help;
} info[K_COUNT] = {
#define PLOT_INFO_(name, kind, def, allowed, help) {#name, KIND_##kind, def, allowed, help},
    PLOT_KEY_LIST(PLOT_INFO_)
#undef PLOT_INFO_
};

_Static_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2025 == 3, "gm2 words follow zp_gm2_ref");

void zp_plot_print_keys(FILE *f) {
  size_t wn = 3, wd = 7;
  for (int k = 0; k < K_COUNT; k++) {
    if (strlen(info[k].name) > wn) wn = strlen(info[k].name);
    if (strlen(info[k].def) > wd) wd = strlen(info[k].def);
  }
  fprintf(f, "  %-*s  %-*s  %s\n", (int)wn, "key", (int)wd, "default", "allowed; meaning");
  for (int k = 0; k < K_COUNT; k++)
    fprintf(f, "  %-*s  %-*s  %s\n  %-*s  %-*s    %s\n", (int)wn, info[k].name, (int)wd,
            info[k].def, info[k].allowed, (int)wn, "", (int)wd, "", info[k].help);
}

/** Position of @p word in the '|' list (any case), or -1. */
static int find_word(const char *list, const char *word) {
  size_t n = strlen(word);
  int pos = 0;
  for (const char *s = list;; pos++) {
    size_t len = strcspn(s, "|");
    if (len == n && n > 0 && strncasecmp(s, word, n) == 0) return pos;
    if (s[len] == '\0') return -1;
    s += len + 1;
  }
}

/** Word @p pos of the list, copied into @p buf. */
static const char *word_at(char *buf, size_t size, const char *list, int pos) {
  for (; pos > 0; pos--) list += strcspn(list, "|") + 1;
  snprintf(buf, size, "%.*s", (int)strcspn(list, "|"), list);
  return buf;
}

static zp_status bad(const char *key, const char *text, const char *problem, zp_error *err) {
  for (int k = 0; k < K_COUNT; k++)
    if (strcmp(info[k].name, key) == 0)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: %s, allowed %s", key,
                          text[0] != '\0' ? text : "\"\"", problem, info[k].allowed);
  return zp_error_set(err, ZP_EINVAL, "%s = %s: %s", key, text, problem);
}

static zp_status parse_range(const char *key, const char *t, zp_plot_range *r, zp_error *err) {
  r->set = 0;
  if (strcasecmp(t, "auto") == 0) return ZP_OK;
  const char *colon = strchr(t, ':');
  char lo[64], hi[64];
  if (colon == NULL || (size_t)(colon - t) >= sizeof lo || strlen(colon + 1) >= sizeof hi)
    return bad(key, t, "bad range", err);
  snprintf(lo, sizeof lo, "%.*s", (int)(colon - t), t);
  snprintf(hi, sizeof hi, "%s", colon + 1);
  if (!zp_tsv_parse_real(lo, &r->lo) || !zp_tsv_parse_real(hi, &r->hi))
    return bad(key, t, "bad range (not a number)", err);
  if (!(r->lo < r->hi)) return bad(key, t, "bad range (lo >= hi)", err);
  r->set = 1;
  return ZP_OK;
}

/** Converts and checks the text of key @p k into @p a. */
static zp_status convert(zp_plot_args *a, int k, const char *t, zp_error *err) {
  zp_plot_opts *o = &a->o;
  int w = info[k].kind == KIND_ENUM ? find_word(info[k].allowed, t) : 0;
  if (w < 0) return bad(info[k].name, t, "unknown word", err);
  switch ((plot_key)k) {
    case K_output:
      if (t[0] == '\0') return bad("output", t, "empty", err);
      o->output = strcmp(t, "auto") == 0 ? NULL : t;
      break;
    case K_format: o->format = (zp_plot_format)w; break;
    case K_title: o->title = strcmp(t, "auto") == 0 ? NULL : t; break;
    case K_xrange: return parse_range("xrange", t, &o->xr, err);
    case K_yrange: return parse_range("yrange", t, &o->yr, err);
    case K_zrange: return parse_range("zrange", t, &o->zr, err);
    case K_width:
    case K_height: {
      char *end;
      long v = strtol(t, &end, 10);
      if (end == t || *end != '\0') return bad(info[k].name, t, "not an integer", err);
      if (v < 100 || v > 10000) return bad(info[k].name, t, "out of range", err);
      *(k == K_width ? &o->width : &o->height) = v;
      break;
    }
    case K_label: o->label = strcmp(t, "auto") == 0 ? NULL : t; break;
    case K_data:
      if (t[0] == '\0') return bad("data", t, "empty", err);
      o->data = t;
      break;
    case K_flux: o->flux = (zp_plot_flux)w; break;
    case K_z: o->z = word_at(a->zword, sizeof a->zword, info[k].allowed, w); break;
    case K_contours:
      if (t[0] == '\0') return bad("contours", t, "empty", err);
      o->contours = t;
      break;
    case K_gm2: o->gm2 = w == 0 ? -2 : (w == 1 ? -1 : w - 2); break;
    case K_kind: a->sources = w == 1; break;
    default: break;
  }
  return ZP_OK;
}

/* The rule for what a user types: no value and no table name holds a
 * control byte (a newline would end a script line, and no legitimate
 * name, title or label needs one), and no table name starts with '<' or
 * '|', which gnuplot reads as a command.  The script quotes everything
 * anyway (plot_common.c); this refuses the input with one line instead of
 * drawing something else. */

zp_status zp_plot_check_name(const char *what, const char *name, int level, zp_error *err) {
  int c = zp_first_control(name);
  if (c != 0)
    return zp_error_set(err, ZP_EINVAL, "%s %s: the name holds the control character 0x%02x, "
                        "allowed printable characters only", what, name, c);
  const char *slash = strrchr(name, '/'), *base = slash != NULL ? slash + 1 : name;
  if (level < 1) return ZP_OK;
  if (level < 2) base = name;
  if (name[0] == '<' || name[0] == '|' || base[0] == '<' || base[0] == '|')
    return zp_error_set(err, ZP_EINVAL, "%s %s: a name starting with '%c' is a command to "
                        "gnuplot, allowed a name starting otherwise", what, name,
                        name[0] == '<' || name[0] == '|' ? name[0] : base[0]);
  return ZP_OK;
}

/** "name=..." where name is a key's spelling: [a-z0-9_]+ before '='. */
static int looks_like_key(const char *a, size_t *len) {
  const char *eq = strchr(a, '=');
  if (eq == NULL || eq == a) return 0;
  for (const char *c = a; c < eq; c++)
    if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_') return 0;
  *len = (size_t)(eq - a);
  return 1;
}

zp_status zp_plot_parse_args(int argc, char **argv, zp_plot_args *a, zp_error *err) {
  memset(a, 0, sizeof *a);
  const char *text[K_COUNT];
  int given[K_COUNT] = {0};
  for (int k = 0; k < K_COUNT; k++) text[k] = info[k].def;
  a->inputs = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *a->inputs);
  if (a->inputs == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    size_t len;
    if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
      a->help = 1;
      return ZP_OK;
    }
    if (s[0] == '-' && s[1] != '\0')
      return zp_error_set(err, ZP_EINVAL, "%s: unknown option, allowed --help", s);
    if (!looks_like_key(s, &len)) {
      zp_status st = zp_plot_check_name("table", s, 1, err);
      if (st != ZP_OK) return st;
      a->inputs[a->ninputs++] = s;
      continue;
    }
    int k = 0;
    while (k < K_COUNT && (strlen(info[k].name) != len || strncmp(info[k].name, s, len) != 0)) k++;
    if (k == K_COUNT) {
      char keys[400] = "";
      for (int j = 0; j < K_COUNT; j++) {
        size_t u = strlen(keys);
        snprintf(keys + u, sizeof keys - u, "%s%s", j ? ", " : "", info[j].name);
      }
      return zp_error_set(err, ZP_EINVAL, "%.*s = %s: unknown key, allowed %s", (int)len, s,
                          s + len + 1, keys);
    }
    if (given[k])
      return zp_error_set(err, ZP_EINVAL, "%s = %s: given twice, allowed once (first %s = %s)",
                          info[k].name, s + len + 1, info[k].name, text[k]);
    int c = zp_first_control(s + len + 1);
    if (c != 0)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: holds the control character 0x%02x, allowed "
                          "printable characters only", info[k].name, s + len + 1, c);
    given[k] = 1;
    text[k] = s + len + 1;
  }
  a->o.gm2 = -2;
  for (int k = 0; k < K_COUNT; k++) {
    zp_status st = convert(a, k, text[k], err);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

void zp_plot_args_free(zp_plot_args *a) {
  free(a->inputs);
  a->inputs = NULL;
}
