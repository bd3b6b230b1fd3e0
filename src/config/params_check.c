/* zprop: converting and checking the keys of a parameter set, and the
 * library's own defaults and checks of a zp_config, from the same table.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/decimal.h"
#include "core/excerpt.h" /* zp_first_control */
#include "config/params.h"
#include "zprop/mixing.h"

/** A key's value after conversion; which members mean something depends
 *  on the kind. */
typedef struct {
  double real;     /* REAL, OSC */
  long integer;    /* INT */
  int word;        /* ENUM: position in the allowed list */
  int set;         /* OSC: 0 when the text is "preset" */
  double ratio[3]; /* RATIO */
  int equal;       /* RATIO: the word "equal" */
} param_value;

#define INFO(k) zp_params_info((zp_param_key)(k))
/* The key as this command reads it (its own range or default, if any). */
#define ROW(p, k) zp_params_row((p)->mode, (zp_param_key)(k))
#define FAIL(p, k, problem, note, err)                                                             \
  zp_params_value_error(p, (zp_param_key)(k), problem, note, err)

/* ----------------------------------------------------------- convert */

/** zp_parse_decimal(), keeping *out unchanged unless the number is taken:
 *  1e-400 (underflow) is out of range, not 0. */
static zp_num_result parse_real(const char *s, double *out) {
  double x;
  zp_num_result r = zp_parse_decimal(s, &x);
  if (r == ZP_NUM_OK) *out = x;
  return r;
}

static zp_status convert_real(const zp_params *p, int k, double *out, zp_error *err) {
  zp_num_result r = parse_real(p->value[k], out);
  if (r != ZP_NUM_OK && (p->mode->flags & ZP_MODE_PLAIN_NUMBERS)) r = ZP_NUM_MALFORMED;
  switch (r) {
    case ZP_NUM_OK: return ZP_OK;
    case ZP_NUM_NONFINITE: return FAIL(p, k, "not a finite number", NULL, err);
    case ZP_NUM_UNDERFLOW: return FAIL(p, k, "beyond the range of a double", NULL, err);
    case ZP_NUM_MALFORMED: break;
  }
  return FAIL(p, k, "not a number", NULL, err);
}

/** Whether key @p k, as written, is a list of several values that this
 *  command accepts (then p->value[k] is one element of it). */
static int is_list(const zp_params *p, int k) {
  return p->mode != NULL && p->mode->lists != NULL && p->mode->lists[k] &&
         strchr(p->text[k], ',') != NULL;
}

/** Three numbers >= 0, not all 0: the rule of a ratio, read or stored. */
static zp_status check_ratio(const zp_params *p, int k, const double *r, zp_error *err) {
  double sum = 0.0;
  for (int i = 0; i < 3; i++) {
    if (!(r[i] >= 0.0) || !isfinite(r[i])) return FAIL(p, k, "not a ratio", NULL, err);
    sum += r[i];
  }
  return sum > 0.0 ? ZP_OK : FAIL(p, k, "all zero", NULL, err);
}

static zp_status convert_ratio(const zp_params *p, int k, param_value *v, zp_error *err) {
  const char *t = p->value[k];
  if (strcasecmp(t, "equal") == 0) {
    v->equal = 1;
    v->ratio[0] = v->ratio[1] = v->ratio[2] = 1.0;
    return ZP_OK;
  }
  char buf[256];
  if (strlen(t) >= sizeof buf) return FAIL(p, k, "not a ratio", NULL, err);
  memcpy(buf, t, strlen(t) + 1);
  char *part = buf;
  for (int i = 0; i < 3; i++) {
    char *colon = strchr(part, ':');
    if ((i < 2) != (colon != NULL)) return FAIL(p, k, "not a ratio", NULL, err);
    if (colon != NULL) *colon = '\0';
    if (parse_real(zp_params_trim(part), &v->ratio[i]) != ZP_NUM_OK)
      return FAIL(p, k, "not a ratio", NULL, err);
    part = colon + 1;
  }
  return check_ratio(p, k, v->ratio, err);
}

static zp_status convert(const zp_params *p, int k, param_value *v, zp_error *err) {
  const char *t = p->value[k];
  zp_param_kind kind = INFO(k)->kind;
  if (is_list(p, k) && t[0] == '\0') return FAIL(p, k, "empty element", NULL, err);
  /* Where lists exist, a comma in a key without one would otherwise read
   * as a malformed number; say what is really wrong.  Paths and ratios
   * may hold commas of their own. */
  if (p->mode->lists != NULL && !p->mode->lists[k] && kind != ZP_PARAM_PATH &&
      kind != ZP_PARAM_RATIO && kind != ZP_PARAM_TEXT && strchr(t, ',') != NULL)
    return FAIL(p, k, "lists not accepted for this key", NULL, err);
  switch (kind) {
    case ZP_PARAM_REAL: return convert_real(p, k, &v->real, err);
    case ZP_PARAM_OSC:
      v->set = strcasecmp(t, "preset") != 0;
      return v->set ? convert_real(p, k, &v->real, err) : ZP_OK;
    case ZP_PARAM_INT: {
      char *end;
      errno = 0;
      v->integer = strtol(t, &end, 10);
      if (end != t && *end == '\0') return ZP_OK; /* ERANGE: clamped, fails the range */
      double x;
      return FAIL(p, k, parse_real(t, &x) == ZP_NUM_OK ? "not an integer" : "not a number", NULL,
                  err);
    }
    case ZP_PARAM_ENUM:
      v->word = zp_params_find_word(ROW(p, k)->allowed, t);
      return v->word >= 0 ? ZP_OK : FAIL(p, k, "unknown word", NULL, err);
    case ZP_PARAM_RATIO: return convert_ratio(p, k, v, err);
    case ZP_PARAM_PATH:
    case ZP_PARAM_TEXT:
      /* A name goes into messages and the table header: a newline there
       * would forge a header line, an escape would drive the terminal. */
      if (zp_first_control(t) != 0)
        return zp_params_value_error_as(p, (zp_param_key)k, "holds a control character",
                                        "printable characters", NULL, err);
      return ZP_OK;
  }
  return ZP_OK;
}

/* ------------------------------------------------------------- check */

/** The oscillation parameters the run will use: the preset of `mixing`
 *  and `ordering` with every set override on top. */
static zp_status effective_osc(const param_value *v, zp_oscillation *osc, zp_error *err) {
  zp_status st = zp_oscillation_preset((zp_mixing_preset)v[ZP_KEY_mixing].word,
                                       (zp_ordering)v[ZP_KEY_ordering].word, osc, err);
  if (st != ZP_OK) return st;
  if (v[ZP_KEY_theta12].set) osc->theta12 = v[ZP_KEY_theta12].real;
  if (v[ZP_KEY_theta13].set) osc->theta13 = v[ZP_KEY_theta13].real;
  if (v[ZP_KEY_theta23].set) osc->theta23 = v[ZP_KEY_theta23].real;
  if (v[ZP_KEY_delta_cp].set) osc->delta_cp = v[ZP_KEY_delta_cp].real;
  if (v[ZP_KEY_dm21].set) osc->dm21 = v[ZP_KEY_dm21].real;
  if (v[ZP_KEY_dm3l].set) osc->dm3l = v[ZP_KEY_dm3l].real;
  return ZP_OK;
}

/** One end of a range: a number, a key's value or sum_min. */
static zp_status resolve_bound(const char *token, const param_value *v, double *out, char *note,
                               size_t note_size, zp_error *err) {
  if (parse_real(token, out) == ZP_NUM_OK) return ZP_OK;
  char num[32];
  if (strcmp(token, "sum_min") == 0) {
    zp_oscillation osc;
    zp_status st = effective_osc(v, &osc, err);
    if (st != ZP_OK) return st;
    zp_ordering ord = (zp_ordering)v[ZP_KEY_ordering].word;
    *out = zp_min_sum_mnu(&osc, ord);
    zp_params_format_real_up(num, sizeof num, *out);
    snprintf(note, note_size, "sum_min = %s for %s", num, ord == ZP_ORDERING_IO ? "IO" : "NO");
    return ZP_OK;
  }
  int k = zp_params_find_key(token);
  if (k < 0 || INFO(k)->kind != ZP_PARAM_REAL)
    return zp_error_set(err, ZP_EINVAL, "internal error: bad bound '%s' in the key table", token);
  *out = v[k].real;
  zp_params_format_real(num, sizeof num, *out);
  snprintf(note, note_size, "%s = %s", token, num);
  return ZP_OK;
}

/** Checks a REAL, INT or OSC value against its "(lo, hi]" range text. */
static zp_status check_range(const zp_params *p, int k, double x, const param_value *v,
                             zp_error *err) {
  const char *r = ROW(p, k)->allowed;
  char lo_tok[32], hi_tok[32], lo_note[96] = "", hi_note[96] = "", note[200];
  char open_c, close_c;
  /* The table is ours: a malformed range is a bug, reported as one. */
  if (sscanf(r, "%c%31[^,], %31[^])]%c", &open_c, lo_tok, hi_tok, &close_c) != 4 ||
      (open_c != '(' && open_c != '[') || (close_c != ')' && close_c != ']'))
    return zp_error_set(err, ZP_EINVAL, "internal error: bad range '%s' for %s", r, INFO(k)->name);
  double lo = 0.0, hi = 0.0;
  zp_status st = resolve_bound(lo_tok, v, &lo, lo_note, sizeof lo_note, err);
  if (st == ZP_OK) st = resolve_bound(hi_tok, v, &hi, hi_note, sizeof hi_note, err);
  if (st != ZP_OK) return st;
  int ok = (open_c == '[' ? x >= lo : x > lo) && (close_c == ']' ? x <= hi : x < hi);
  if (ok) return ZP_OK;
  snprintf(note, sizeof note, "%s%s%s", lo_note, lo_note[0] && hi_note[0] ? "; " : "", hi_note);
  return FAIL(p, k, "out of range", note, err);
}

/** m1 < m2 < m3 (NO) needs dm31 > dm21; m3 < m1 < m2 (IO) needs
 *  -dm32 > dm21, or the lightest mass has no solution. */
static zp_status check_dm3l(const zp_params *p, const param_value *v, zp_error *err) {
  zp_oscillation osc;
  zp_status st = effective_osc(v, &osc, err);
  if (st != ZP_OK) return st;
  int io = v[ZP_KEY_ordering].word == ZP_ORDERING_IO;
  if (io ? -osc.dm3l > osc.dm21 : osc.dm3l > osc.dm21) return ZP_OK;
  char num[32], note[64];
  zp_params_format_real(num, sizeof num, osc.dm21);
  snprintf(note, sizeof note, "dm21 = %s", num);
  return zp_params_value_error_as(p, ZP_KEY_dm3l, "does not fit the ordering",
                                  io ? "[-1, -dm21) for IO" : "(dm21, 1] for NO", note, err);
}

/** The source table, loaded here so that a bad file is an input error;
 *  zp_params_check() runs once per element of a list: loaded once. */
static zp_status load_table(zp_params *p, zp_error *err) {
  const char *path = p->text[ZP_KEY_source_table];
  if (path[0] == '\0') return FAIL(p, ZP_KEY_source_table, "needed by source = table", NULL, err);
  zp_error lerr;
  zp_error_clear(&lerr);
  zp_status st = zp_source_table_load(path, &p->table, &lerr);
  /* A message that names the key already (the file could not be read)
   * stands as it is; one about its content gets the key in front. */
  if (st != ZP_OK && strncmp(lerr.msg, "source_table '", 14) == 0)
    return zp_error_set(err, st, "%s", lerr.msg);
  if (st != ZP_OK)
    return zp_error_set(err, st, "source_table = %s: %s", path,
                        lerr.msg[0] ? lerr.msg : zp_strerror(st));
  return ZP_OK;
}

/** Key @p k's range and the rules that span keys; @p files: the text
 *  holds names to check (not a stored config). */
static zp_status check_value(zp_params *p, int k, const param_value *v, int files, zp_error *err) {
  zp_param_kind kind = INFO(k)->kind;
  zp_status st = ZP_OK;
  if (kind == ZP_PARAM_REAL || (kind == ZP_PARAM_OSC && v[k].set))
    st = check_range(p, k, v[k].real, v, err);
  else if (kind == ZP_PARAM_INT) st = check_range(p, k, (double)v[k].integer, v, err);
  else if (kind == ZP_PARAM_RATIO && !v[k].equal) st = check_ratio(p, k, v[k].ratio, err);
  else if (kind == ZP_PARAM_ENUM) {
    /* Read words are valid; a stored number may not be one. */
    int len = 0;
    if (v[k].word >= 0) zp_params_word_at(ROW(p, k)->allowed, v[k].word, &len);
    if (len == 0) st = FAIL(p, k, "unknown word", NULL, err);
  }
  if (st != ZP_OK) return st;
  if (k == ZP_KEY_dm3l) return check_dm3l(p, v, err);
  if (!files) return ZP_OK;
  if (k == ZP_KEY_source_table && v[ZP_KEY_source].word == ZP_SOURCE_TABLE && p->table == NULL)
    return load_table(p, err);
  if (k == ZP_KEY_output && p->text[k][0] == '\0') return FAIL(p, k, "empty", NULL, err);
  return ZP_OK;
}

/* -------------------------------------------------------------- store */

#define STORE_REAL(field, v, text) ((field) = (v)->real)
#define STORE_INT(field, v, text) ((field) = (int)(v)->integer)
#define STORE_ENUM(field, v, text) ((field) = (v)->word)
#define STORE_OSC(field, v, text)                                                                  \
  do {                                                                                             \
    if ((v)->set) (field) = (v)->real;                                                             \
  } while (0)
#define STORE_PATH(field, v, text) ((field) = (text))
#define STORE_TEXT(field, v, text) ((field) = (text))
/* RATIO is flavor_ratio's kind, and "equal" lives in a sibling field. */
#define STORE_RATIO(field, v, text)                                                                \
  do {                                                                                             \
    memcpy((field), (v)->ratio, sizeof(v)->ratio);                                                 \
    p->cfg.flavor_equal = (v)->equal;                                                              \
  } while (0)

/** Moves every value into p: p->cfg from zero, the oscillation preset,
 *  then the keys; keys the command does not take stay zero. */
static zp_status store(zp_params *p, const param_value *values, zp_error *err) {
  memset(&p->cfg, 0, sizeof p->cfg);
  zp_status st = zp_oscillation_preset((zp_mixing_preset)values[ZP_KEY_mixing].word,
                                       (zp_ordering)values[ZP_KEY_ordering].word, &p->cfg.osc, err);
  if (st != ZP_OK) return st;
#define ZP_PARAM_STORE_(name, kind, def, unit, allowed, field, ...)                                \
  if (zp_params_accepts(p->mode, ZP_KEY_##name))                                                   \
    STORE_##kind(p->field, &values[ZP_KEY_##name], p->text[ZP_KEY_##name]);
  ZP_PARAM_LIST(ZP_PARAM_STORE_)
#undef ZP_PARAM_STORE_
  p->cfg.source.table = p->table;
  return ZP_OK;
}

/* ------------------------------------------------------------- checks */

static zp_status convert_all(const zp_params *p, param_value *values, zp_error *err) {
  memset(values, 0, ZP_KEY_COUNT * sizeof *values);
  zp_status st = ZP_OK;
  for (int k = 0; k < ZP_KEY_COUNT && st == ZP_OK; k++)
    if (zp_params_accepts(p->mode, (zp_param_key)k)) st = convert(p, k, &values[k], err);
  return st;
}

zp_status zp_params_check(zp_params *p, zp_error *err) {
  param_value values[ZP_KEY_COUNT];
  zp_param_key keys[ZP_KEY_COUNT];
  size_t n = zp_params_mode_keys(p->mode, keys);
  int in_order = (p->mode->flags & ZP_MODE_IN_ORDER) != 0;
  p->checked = 0;
  memset(values, 0, sizeof values);
  zp_status st = ZP_OK;
  for (size_t i = 0; i < n && st == ZP_OK && !in_order; i++)
    st = convert(p, (int)keys[i], &values[keys[i]], err);
  for (size_t i = 0; i < n && st == ZP_OK; i++) {
    if (in_order) st = convert(p, (int)keys[i], &values[keys[i]], err);
    if (st == ZP_OK) st = check_value(p, (int)keys[i], values, 1, err);
  }
  if (st == ZP_OK) st = store(p, values, err);
  /* The table's rules are zp_config_check()'s, just applied: checked once.
   * What is left is the source's own (its table's rows, the BL Lac data). */
  if (st == ZP_OK && (p->mode->cmd & ZP_CMD_MODEL) != 0) st = zp_source_check(&p->cfg.source, err);
  p->checked = st == ZP_OK;
  return st;
}

zp_status zp_params_check_key(zp_params *p, zp_param_key k, zp_error *err) {
  param_value values[ZP_KEY_COUNT];
  memset(values, 0, sizeof values);
  p->checked = 0;
  /* The others as far as they read (a scan's default mzp is a range). */
  zp_error ignore;
  for (int j = 0; j < ZP_KEY_COUNT; j++)
    if (j != (int)k && zp_params_accepts(p->mode, (zp_param_key)j))
      convert(p, j, &values[j], &ignore);
  zp_status st = convert(p, (int)k, &values[k], err);
  return st == ZP_OK ? check_value(p, (int)k, values, 1, err) : st;
}

zp_status zp_params_config(zp_params *p, zp_config *cfg, zp_error *err) {
  zp_status st = zp_params_check(p, err);
  if (st == ZP_OK) *cfg = p->cfg;
  return st;
}

/* ------------------------------------------------ the library's config */

void zp_config_default(zp_config *cfg) {
  zp_params p;
  memset(&p, 0, sizeof p);
  p.mode = &zp_mode_spectrum;
  /* The table's texts as they stand (not copied: p is never cleared). */
  for (int k = 0; k < ZP_KEY_COUNT; k++) p.text[k] = (char *)INFO(k)->def;
  for (int k = 0; k < ZP_KEY_COUNT; k++) p.value[k] = p.text[k];
  param_value values[ZP_KEY_COUNT];
  zp_error err;
  /* The defaults pass their own table (tests/test_params.c checks it). */
  if (convert_all(&p, values, &err) != ZP_OK || store(&p, values, &err) != ZP_OK)
    memset(&p.cfg, 0, sizeof p.cfg);
  *cfg = p.cfg;
}

/** The values of @p q->cfg as the converted keys of a spectrum. */
static void load(const zp_params *q, param_value *v) {
  memset(v, 0, ZP_KEY_COUNT * sizeof *v);
#define LOAD_REAL(field, v) ((v)->real = (field))
#define LOAD_INT(field, v) ((v)->integer = (field))
#define LOAD_ENUM(field, v) ((v)->word = (int)(field))
#define LOAD_OSC(field, v) ((v)->set = 1, (v)->real = (field))
#define LOAD_PATH(field, v) ((void)(field))
#define LOAD_TEXT(field, v) ((void)(field))
#define LOAD_RATIO(field, v) (memcpy((v)->ratio, (field), sizeof(v)->ratio))
#define ZP_PARAM_LOAD_(name, kind, def, unit, allowed, field, ...)                                 \
  LOAD_##kind(q->field, &v[ZP_KEY_##name]);
  ZP_PARAM_LIST(ZP_PARAM_LOAD_)
#undef ZP_PARAM_LOAD_
  v[ZP_KEY_flavor_ratio].equal = q->cfg.flavor_equal;
}

/** Key @p k of a stored config as text, for the message about it. */
static void format_value(const param_value *v, int k, char *buf, size_t size) {
  switch (INFO(k)->kind) {
    case ZP_PARAM_INT: snprintf(buf, size, "%ld", v[k].integer); break;
    case ZP_PARAM_ENUM: snprintf(buf, size, "%d", v[k].word); break;
    case ZP_PARAM_RATIO: {
      char r[3][40];
      for (int i = 0; i < 3; i++) zp_params_format_real(r[i], sizeof r[i], v[k].ratio[i]);
      snprintf(buf, size, "%s:%s:%s", r[0], r[1], r[2]);
      break;
    }
    case ZP_PARAM_PATH:
    case ZP_PARAM_TEXT: snprintf(buf, size, "%s", ""); break;
    default: zp_params_format_real(buf, size, v[k].real); break;
  }
}

zp_status zp_config_check(const zp_config *cfg, zp_error *err) {
  if (cfg == NULL) return zp_error_set(err, ZP_EINVAL, "config is NULL");
  /* The keys of a spectrum as if given so: the table's ranges and rules,
   * with messages in its format.  The text is written only for the key a
   * message names: a batch checks every one of its points. */
  static char empty[] = "";
  char shown[160];
  zp_params q;
  memset(&q, 0, sizeof q);
  q.mode = &zp_mode_spectrum;
  q.cfg = *cfg;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    q.text[k] = empty;
    q.value[k] = empty;
    q.origin[k] = ZP_FROM_API;
  }
  param_value values[ZP_KEY_COUNT];
  load(&q, values);
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    if (!zp_params_accepts(q.mode, (zp_param_key)k)) continue;
    zp_error ignore;
    if (check_value(&q, k, values, 0, &ignore) == ZP_OK) continue;
    format_value(values, k, shown, sizeof shown);
    q.text[k] = shown;
    q.value[k] = shown;
    return check_value(&q, k, values, 0, err);
  }
  return zp_source_check(&cfg->source, err);
}
