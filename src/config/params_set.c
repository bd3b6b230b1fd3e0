/* zprop: parameter sets, the text of their keys and the one message format.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strncasecmp */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"

/* ---------------------------------------------------------------- text */

/** The value as written, quoted when empty so the message still reads. */
static const char *shown(const char *text) { return text[0] == '\0' ? "\"\"" : text; }

void zp_params_quote(char *buf, size_t size, const char *text) {
  /* A list of thousands of values would push the rest of the message out
   * of the fixed-size zp_error: its start is enough to recognise it. */
  enum { KEEP = 60 };
  if (strlen(text) > KEEP + 20) snprintf(buf, size, "%.*s...", (int)KEEP, text);
  else snprintf(buf, size, "%s", shown(text));
}

char *zp_params_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

zp_status zp_params_value_error_as(const zp_params *p, zp_param_key k, const char *problem,
                                   const char *allowed, const char *note, zp_error *err) {
  /* Checking one element of a list (or one end of a range): quote the whole
   * text as written, then the element, so the user sees both what to find
   * and what to fix. */
  char element[128] = "";
  const char *v = p->value[k];
  if (v != NULL && v != p->text[k] && strpbrk(p->text[k], ",:") != NULL && v[0] != '\0')
    snprintf(element, sizeof element, "element %.100s ", v);
  char where[256] = "";
  if (p->origin[k] == ZP_FROM_FILE) snprintf(where, sizeof where, "from %s", p->ini_path);
  else if (p->origin[k] == ZP_FROM_DEFAULT) snprintf(where, sizeof where, "default value");
  int have_note = note != NULL && note[0] != '\0';
  char text[96];
  zp_params_quote(text, sizeof text, p->text[k]);
  return zp_error_set(err, ZP_EINVAL, "%s = %s: %s%s, allowed %s%s%s%s%s%s", zp_params_key_name(k),
                      text, element, problem, allowed, have_note || where[0] ? " (" : "",
                      have_note ? note : "", have_note && where[0] ? "; " : "", where,
                      have_note || where[0] ? ")" : "");
}

zp_status zp_params_value_error(const zp_params *p, zp_param_key k, const char *problem,
                                const char *note, zp_error *err) {
  return zp_params_value_error_as(p, k, problem, zp_params_row(p->mode, k)->allowed, note, err);
}

/* ---------------------------------------------------------------- keys */

/** Case-insensitive edit distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b) {
  enum { MAXLEN = 40 };
  size_t na = strlen(a), nb = strlen(b);
  if (na >= MAXLEN || nb >= MAXLEN) return (size_t)-1;
  size_t row[MAXLEN + 1];
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t cost = (strncasecmp(a + i - 1, b + j - 1, 1) != 0);
      size_t best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

/** The key of this command closest to @p name within two edits, or NULL. */
static const char *suggest_key(const zp_params *p, const char *name) {
  const char *best = NULL;
  size_t best_d = 3;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    if (!zp_params_accepts(p->mode, (zp_param_key)k)) continue;
    size_t d = edit_distance(name, zp_params_key_name((zp_param_key)k));
    if (d < best_d) {
      best_d = d;
      best = zp_params_key_name((zp_param_key)k);
    }
  }
  return best;
}

/** The message for a key the table has but this command does not take. */
static zp_status foreign_key(const zp_params *p, int k, const char *name, const char *value,
                             const char *in, const char *where, zp_error *err) {
  /* A fit key in a spectrum file is a mistake worth naming exactly. */
  unsigned cmds = zp_params_info((zp_param_key)k)->commands;
  return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s for zprop %s (a key of zprop %s)",
                      name, shown(value), in, where, p->mode->command,
                      (cmds & ZP_CMD_FIT) && (cmds & ZP_CMD_SCAN) ? "fit and scan"
                      : (cmds & ZP_CMD_FIT)                       ? "fit"
                                                                  : "scan");
}

zp_status zp_params_set_from(zp_params *p, const char *name, const char *value,
                             zp_param_origin origin, const char *where, zp_error *err) {
  const char *in = origin == ZP_FROM_FILE ? " in " : "";
  int any = zp_params_find_key(name);
  int k = any >= 0 && zp_params_accepts(p->mode, (zp_param_key)any) ? any : -1;
  /* Only a key of fit or scan alone is named as theirs: any other is unknown here. */
  unsigned cmds = any >= 0 ? zp_params_info((zp_param_key)any)->commands : 0;
  if (k < 0 && (cmds & (ZP_CMD_FIT | ZP_CMD_SCAN)) != 0 && (cmds & ZP_CMD_SPECTRUM) == 0)
    return foreign_key(p, any, name, value, in, where, err);
  if (k < 0) {
    const char *near = suggest_key(p, name);
    if (near != NULL)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s, did you mean %s?", name,
                          shown(value), in, where, near);
    return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s, see 'zprop %s --help'", name,
                        shown(value), in, where, p->mode->command);
  }
  if (p->origin[k] == origin && origin != ZP_FROM_API) {
    if (origin == ZP_FROM_ARG)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: %s given twice on the command line", name,
                          shown(value), name);
    /* inih joins an indented line to the key above it; say so, since the
     * "second" value then looks like a whole key = value line. */
    return zp_error_set(err, ZP_EINVAL, "%s = %s: %s given twice in %s%s", name, shown(value), name,
                        where,
                        strchr(value, '=') ? " (an indented line continues the key above it)" : "");
  }
  zp_status st = zp_params_set_text(p, (zp_param_key)k, value, err);
  if (st == ZP_OK) p->origin[k] = origin;
  return st;
}

zp_status zp_params_set_text(zp_params *p, zp_param_key k, const char *text, zp_error *err) {
  char *copy = strdup(text);
  if (copy == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  free(p->text[k]);
  p->text[k] = copy;
  p->value[k] = copy;
  p->checked = 0;
  if (k == ZP_KEY_source_table) {
    /* Loaded by the next check from the new name. */
    zp_source_table_free(p->table);
    p->table = NULL;
    p->cfg.source.table = NULL;
  }
  return ZP_OK;
}

/* ---------------------------------------------------------------- sets */

zp_status zp_params_init(zp_params *p, const zp_params_mode *mode, zp_error *err) {
  memset(p, 0, sizeof *p);
  p->mode = mode;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    const char *def = mode->defaults && mode->defaults[k]
                          ? mode->defaults[k]
                          : zp_params_row(mode, (zp_param_key)k)->def;
    p->text[k] = strdup(def);
    if (p->text[k] == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
    p->value[k] = p->text[k];
  }
  return ZP_OK;
}

void zp_params_clear(zp_params *p) {
  if (p == NULL) return;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    free(p->text[k]);
    p->text[k] = NULL;
    p->value[k] = NULL;
  }
  zp_source_table_free(p->table);
  p->table = NULL;
  p->cfg.source.table = NULL;
  p->checked = 0;
}

zp_status zp_params_create(const char *command, zp_params **out, zp_error *err) {
  *out = NULL;
  const zp_params_mode *mode = zp_params_mode_find(command);
  if (mode == NULL)
    return zp_error_set(err, ZP_EINVAL,
                        "command = %s: unknown, allowed spectrum|batch|fit|scan|gm2",
                        command != NULL ? command : "(null)");
  zp_params *p = malloc(sizeof *p);
  if (p == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = zp_params_init(p, mode, err);
  if (st != ZP_OK) {
    zp_params_free(p);
    return st;
  }
  *out = p;
  return ZP_OK;
}

void zp_params_free(zp_params *p) {
  zp_params_clear(p);
  free(p);
}

zp_status zp_params_set(zp_params *p, const char *name, const char *text, zp_error *err) {
  int k = zp_params_find_key(name);
  char *old = k >= 0 && p->text[k] != NULL ? strdup(p->text[k]) : NULL;
  zp_param_origin old_origin = k >= 0 ? p->origin[k] : ZP_FROM_DEFAULT;
  if (k >= 0 && old == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = zp_params_set_from(p, name, text, ZP_FROM_API, "", err);
  /* A list or a range (batch, scan) is kept as written: its elements are
   * single values only for the caller that walks them. */
  const zp_params_mode *m = p->mode;
  int several = k >= 0 && ((m->lists != NULL && m->lists[k] && strchr(text, ',') != NULL) ||
                           (m->ranges != NULL && m->ranges[k] && strchr(text, ':') != NULL));
  if (st == ZP_OK && !several) st = zp_params_check_key(p, (zp_param_key)k, err);
  if (st == ZP_EINVAL && k >= 0 && zp_params_accepts(p->mode, (zp_param_key)k)) {
    /* A refused value leaves the key as it was. */
    zp_error ignore;
    zp_params_set_text(p, (zp_param_key)k, old, &ignore);
    p->origin[k] = old_origin;
  }
  free(old);
  return st;
}

const char *zp_params_get(const zp_params *p, const char *name) {
  int k = zp_params_find_key(name);
  return k >= 0 && zp_params_accepts(p->mode, (zp_param_key)k) ? p->text[k] : NULL;
}
