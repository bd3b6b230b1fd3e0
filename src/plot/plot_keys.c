/* zprop CLI: the keys of `zprop plot` and their checks.
 *
 * The keys are rows of the library's table (ZP_PLOT_PARAM_LIST in
 * config/param_table.h), read here: none is a parameter of a computation,
 * and plot takes input tables instead of a parameter file.  Messages have
 * the table's format, `key = value: problem, allowed ...`.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plot/plot.h"
#include "plot/plot_keys.h"
#include "core/excerpt.h"  /* zp_first_control */
#include "config/params.h" /* the key rows, their words */
#include "zprop/gm2.h"

/* The keys are rows of the library's one table (ZP_PLOT_PARAM_LIST). */
#define INFO(k) zp_params_plot_info((zp_plot_key)(k))
enum { K_COUNT = ZP_PLOT_KEY_COUNT };

_Static_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2025 == 3 && ZP_GM2_BMW2021 == 4 &&
                   ZP_GM2_REF_COUNT == 5,
               "gm2 words follow zp_gm2_ref");

void zp_plot_print_keys(FILE *f) {
  size_t wn = 3, wd = 7;
  for (int k = 0; k < K_COUNT; k++) {
    if (strlen(INFO(k)->name) > wn) wn = strlen(INFO(k)->name);
    if (strlen(INFO(k)->def) > wd) wd = strlen(INFO(k)->def);
  }
  fprintf(f, "  %-*s  %-*s  %s\n", (int)wn, "key", (int)wd, "default", "allowed; meaning");
  for (int k = 0; k < K_COUNT; k++)
    fprintf(f, "  %-*s  %-*s  %s\n  %-*s  %-*s    %s\n", (int)wn, INFO(k)->name, (int)wd,
            INFO(k)->def, INFO(k)->allowed, (int)wn, "", (int)wd, "", INFO(k)->help);
}

/** Word @p pos of the list, copied into @p buf. */
static const char *word_at(char *buf, size_t size, const char *list, int pos) {
  int len;
  const char *w = zp_params_word_at(list, pos, &len);
  snprintf(buf, size, "%.*s", len, w);
  return buf;
}

static zp_status bad(const char *key, const char *text, const char *problem, zp_error *err) {
  for (int k = 0; k < K_COUNT; k++)
    if (strcmp(INFO(k)->name, key) == 0)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: %s, allowed %s", key,
                          text[0] != '\0' ? text : "\"\"", problem, INFO(k)->allowed);
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
  int w = INFO(k)->kind == ZP_PARAM_ENUM ? zp_params_find_word(INFO(k)->allowed, t) : 0;
  if (w < 0) return bad(INFO(k)->name, t, "unknown word", err);
  switch ((zp_plot_key)k) {
    case ZP_PLOT_KEY_output:
      if (t[0] == '\0') return bad("output", t, "empty", err);
      o->output = strcmp(t, "auto") == 0 ? NULL : t;
      break;
    case ZP_PLOT_KEY_format: o->format = (zp_plot_format)w; break;
    case ZP_PLOT_KEY_title: o->title = strcmp(t, "auto") == 0 ? NULL : t; break;
    case ZP_PLOT_KEY_xrange: return parse_range("xrange", t, &o->xr, err);
    case ZP_PLOT_KEY_yrange: return parse_range("yrange", t, &o->yr, err);
    case ZP_PLOT_KEY_zrange: return parse_range("zrange", t, &o->zr, err);
    case ZP_PLOT_KEY_width:
    case ZP_PLOT_KEY_height: {
      char *end;
      long v = strtol(t, &end, 10);
      if (end == t || *end != '\0') return bad(INFO(k)->name, t, "not an integer", err);
      if (v < 100 || v > 10000) return bad(INFO(k)->name, t, "out of range", err);
      *(k == ZP_PLOT_KEY_width ? &o->width : &o->height) = v;
      break;
    }
    case ZP_PLOT_KEY_label: o->label = strcmp(t, "auto") == 0 ? NULL : t; break;
    case ZP_PLOT_KEY_data:
      if (t[0] == '\0') return bad("data", t, "empty", err);
      o->data = t;
      break;
    case ZP_PLOT_KEY_flux: o->flux = (zp_plot_flux)w; break;
    case ZP_PLOT_KEY_z: o->z = word_at(a->zword, sizeof a->zword, INFO(k)->allowed, w); break;
    case ZP_PLOT_KEY_contours:
      if (t[0] == '\0') return bad("contours", t, "empty", err);
      o->contours = t;
      break;
    case ZP_PLOT_KEY_x:
    case ZP_PLOT_KEY_y: {
      size_t n = 0;
      while (islower((unsigned char)t[n]) || isdigit((unsigned char)t[n]) || t[n] == '_') n++;
      if (n == 0 || t[n] != '\0') return bad(INFO(k)->name, t, "not a key", err);
      *(k == ZP_PLOT_KEY_x ? &o->x : &o->y) = strcmp(t, "auto") == 0 ? NULL : t;
      break;
    }
    case ZP_PLOT_KEY_gm2: o->gm2 = w == 0 ? -2 : (w == 1 ? -1 : w - 2); break;
    case ZP_PLOT_KEY_gm2_line: o->gm2_line = w == 0 ? -1 : (w == 1 ? -2 : w - 2); break;
    case ZP_PLOT_KEY_gm2_nsigma:
      if (!zp_tsv_parse_real(t, &o->gm2_nsigma)) return bad("gm2_nsigma", t, "not a number", err);
      if (!(o->gm2_nsigma > 0.0 && o->gm2_nsigma <= 10.0))
        return bad("gm2_nsigma", t, "out of range", err);
      break;
    case ZP_PLOT_KEY_limits:
      if (t[0] == '\0') return bad("limits", t, "empty", err);
      o->limits = strcmp(t, "none") == 0 ? NULL : t;
      break;
    case ZP_PLOT_KEY_kind: a->sources = w == 1; break;
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
    return zp_error_set(err, ZP_EINVAL,
                        "%s %s: the name holds the control character 0x%02x, "
                        "allowed printable characters only",
                        what, name, c);
  const char *slash = strrchr(name, '/'), *base = slash != NULL ? slash + 1 : name;
  if (level < 1) return ZP_OK;
  if (level < 2) base = name;
  if (name[0] == '<' || name[0] == '|' || base[0] == '<' || base[0] == '|')
    return zp_error_set(err, ZP_EINVAL,
                        "%s %s: a name starting with '%c' is a command to "
                        "gnuplot, allowed a name starting otherwise",
                        what, name, name[0] == '<' || name[0] == '|' ? name[0] : base[0]);
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
  for (int k = 0; k < K_COUNT; k++) text[k] = INFO(k)->def;
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
    while (k < K_COUNT && (strlen(INFO(k)->name) != len || strncmp(INFO(k)->name, s, len) != 0))
      k++;
    if (k == K_COUNT) {
      char keys[400] = "";
      for (int j = 0; j < K_COUNT; j++) {
        size_t u = strlen(keys);
        snprintf(keys + u, sizeof keys - u, "%s%s", j ? ", " : "", INFO(j)->name);
      }
      return zp_error_set(err, ZP_EINVAL, "%.*s = %s: unknown key, allowed %s", (int)len, s,
                          s + len + 1, keys);
    }
    if (given[k])
      return zp_error_set(err, ZP_EINVAL, "%s = %s: given twice, allowed once (first %s = %s)",
                          INFO(k)->name, s + len + 1, INFO(k)->name, text[k]);
    int c = zp_first_control(s + len + 1);
    if (c != 0)
      return zp_error_set(err, ZP_EINVAL,
                          "%s = %s: holds the control character 0x%02x, allowed "
                          "printable characters only",
                          INFO(k)->name, s + len + 1, c);
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
