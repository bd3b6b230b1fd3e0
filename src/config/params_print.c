/* zprop: writing parameter sets (the effective parameter file, the table
 * header) and the key table for --help.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"

#define INFO(k) zp_params_info((zp_param_key)(k))

/* ------------------------------------------------------------ numbers */

/** Removes '+' and leading zeros from the exponent: 1e9, not 1e+09. */
static void tidy_exponent(char *s) {
  char *e = strchr(s, 'e');
  if (e == NULL) return;
  char *src = e + 1, *dst = e + 1;
  if (*src == '+') src++;
  else if (*src == '-') *dst++ = *src++;
  while (*src == '0' && src[1] != '\0') src++;
  memmove(dst, src, strlen(src) + 1);
}

/* Fixed or exponent notation, whichever is shorter (fixed on a tie): 60,
 * 5e-4, 0.12, 1e9.  Exact, so a printed header reruns the same numbers. */
void zp_params_format_real(char *buf, size_t size, double x) {
  char sci[40], fixed[64] = "";
  for (int prec = 0; prec <= 17; prec++) {
    snprintf(sci, sizeof sci, "%.*e", prec, x);
    if (strtod(sci, NULL) == x) break;
  }
  tidy_exponent(sci);
  if (x == 0.0 || (fabs(x) >= 1e-5 && fabs(x) < 1e16))
    for (int dec = 0; dec <= 22; dec++) {
      snprintf(fixed, sizeof fixed, "%.*f", dec, x);
      if (strtod(fixed, NULL) == x) break;
      fixed[0] = '\0';
    }
  snprintf(buf, size, "%s", fixed[0] != '\0' && strlen(fixed) <= strlen(sci) ? fixed : sci);
}

void zp_params_format_real_up(char *buf, size_t size, double x) {
  snprintf(buf, size, "%.4g", x);
  if (strtod(buf, NULL) < x) {
    double scale = pow(10.0, floor(log10(fabs(x))) - 3.0);
    snprintf(buf, size, "%.4g", ceil(x / scale) * scale);
    if (strtod(buf, NULL) < x) zp_params_format_real(buf, size, x);
  }
}

/* ------------------------------------------------------------- values */

static void print_real(FILE *f, double x) {
  char buf[40];
  zp_params_format_real(buf, sizeof buf, x);
  fputs(buf, f);
}

static void print_word(FILE *f, const char *list, int pos) {
  int len;
  const char *w = zp_params_word_at(list, pos, &len);
  fprintf(f, "%.*s", len, w);
}

/** A list as given, less its blanks ("10, 13" -> "10,13"): it reads back
 *  the same, and the elements themselves hold no blanks once checked. */
static void print_list(FILE *f, const char *text) {
  for (const char *c = text; *c != '\0'; c++)
    if (*c != ' ' && *c != '\t') fputc(*c, f);
}

static void print_ratio(FILE *f, const double *r, int equal) {
  if (equal) {
    fputs("equal", f);
    return;
  }
  for (int i = 0; i < 3; i++) {
    if (i > 0) fputc(':', f);
    print_real(f, r[i]);
  }
}

#define PRINT_REAL(f, field, k) print_real(f, field)
#define PRINT_OSC(f, field, k) print_real(f, field)
#define PRINT_INT(f, field, k) fprintf(f, "%d", field)
#define PRINT_ENUM(f, field, k) print_word(f, zp_params_row(p->mode, k)->allowed, (int)(field))
#define PRINT_RATIO(f, field, k) print_ratio(f, field, p->cfg.flavor_equal)
#define PRINT_PATH(f, field, k) fputs(field, f)
#define PRINT_TEXT(f, field, k) fputs(field, f)

/** Whether key @p k must be printed as written rather than from p->cfg,
 *  which holds only the last element checked: a list, or a preset
 *  oscillation value that differs between the orderings of a list. */
static int print_as_written(const zp_params *p, int k) {
  const zp_params_mode *m = p->mode;
  int list = m->lists != NULL && m->lists[k] && strchr(p->text[k], ',') != NULL;
  int ordering_list = m->lists != NULL && m->lists[ZP_KEY_ordering] &&
                      strchr(p->text[ZP_KEY_ordering], ',') != NULL;
  if (list || (m->ranges != NULL && m->ranges[k])) return 1;
  return INFO(k)->kind == ZP_PARAM_OSC && ordering_list && strcasecmp(p->text[k], "preset") == 0;
}

/** The value key @p k holds in p (p->cfg, p->fit, p->gm2), as it reads back. */
static void print_value(FILE *f, const zp_params *p, zp_param_key k) {
  switch (k) {
#define ZP_PARAM_PRINT_(name, kind, def, unit, allowed, field, ...)                                \
  case ZP_KEY_##name: PRINT_##kind(f, p->field, ZP_KEY_##name); break;
    ZP_PARAM_LIST(ZP_PARAM_PRINT_)
#undef ZP_PARAM_PRINT_
    case ZP_KEY_COUNT: break;
  }
}

void zp_params_print(FILE *f, const char *prefix, const zp_params *p) {
  zp_param_key keys[ZP_KEY_COUNT];
  size_t n = zp_params_mode_keys(p->mode, keys);
  for (size_t i = 0; i < n; i++) {
    zp_param_key k = keys[i];
    if (INFO(k)->commands & ZP_CMD_RUNTIME) continue;
    fprintf(f, "%s%s = ", prefix, INFO(k)->name);
    if (print_as_written(p, (int)k)) print_list(f, p->text[k]);
    else print_value(f, p, k);
    fputc('\n', f);
  }
}

zp_status zp_params_write(const zp_params *p, FILE *f, zp_error *err) {
  if (!p->checked)
    return zp_error_set(err, ZP_EINVAL, "parameters not checked: call zp_params_config() first");
  zp_params_print(f, "", p);
  return ferror(f) ? zp_error_set(err, ZP_EIO, "writing the parameters failed") : ZP_OK;
}

/* --------------------------------------------------------------- help */

void zp_params_print_help_mode(FILE *f, const zp_params_mode *mode) {
  zp_param_key keys[ZP_KEY_COUNT];
  size_t n = zp_params_mode_keys(mode, keys);
  const zp_param_info *rows[ZP_KEY_COUNT];
  const char *defs[ZP_KEY_COUNT];
  /* Column widths from the table itself, so the help lines up whatever it holds. */
  size_t wn = strlen("key"), wd = strlen("default"), wa = strlen("allowed");
  for (size_t i = 0; i < n; i++) {
    zp_param_key k = keys[i];
    rows[i] = zp_params_row(mode, k);
    defs[i] = mode->defaults && mode->defaults[k] ? mode->defaults[k]
              : rows[i]->def[0]                   ? rows[i]->def
                                                  : "\"\"";
    if (strlen(rows[i]->name) > wn) wn = strlen(rows[i]->name);
    if (strlen(defs[i]) > wd) wd = strlen(defs[i]);
    if (strlen(rows[i]->allowed) > wa) wa = strlen(rows[i]->allowed);
  }
  const char *list_col = mode->lists != NULL ? "list  " : "";
  fprintf(f, "  %-*s  %s%-*s  %-*s  %s\n", (int)wn, "key", list_col, (int)wd, "default", (int)wa,
          "allowed", "unit; meaning");
  for (size_t i = 0; i < n; i++) {
    const zp_param_info *in = rows[i];
    if (mode->lists != NULL) list_col = mode->lists[keys[i]] ? "yes   " : "      ";
    fprintf(f, "  %-*s  %s%-*s  %-*s  %s%s%s\n", (int)wn, in->name, list_col, (int)wd, defs[i],
            (int)wa, in->allowed, in->unit, in->unit[0] ? "; " : "", in->help);
  }
}
