/* zprop CLI: helpers every figure of `zprop plot` uses: text buffers,
 * the script preamble, titles, ranges and labels.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "core/excerpt.h" /* zp_is_control */
#include "zprop/config.h"

void zp_buf_printf(zp_buf *b, const char *fmt, ...) {
  if (b->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->s != NULL ? b->s + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->oom = 1;
      return;
    }
    if ((size_t)n < room) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap == 0 ? 4096 : b->cap;
    while (cap - b->len <= (size_t)n) cap *= 2;
    char *s = realloc(b->s, cap);
    if (s == NULL) {
      b->oom = 1;
      return;
    }
    b->s = s;
    b->cap = cap;
  }
}

/* The script's rule: nothing a user typed or a file held reaches the script
 * except as data.  Text goes inside gnuplot single quotes (no backquote,
 * macro or escape substitution there), names of files additionally start
 * with '/' or "./" (never read as a pipe '<cmd', '|cmd', or the special
 * '-', '+', ''), and comments are escaped (a trailing backslash would make
 * the next line part of the comment). */

/** 1 for the bytes no name, title or comment may hold raw. */

void zp_buf_quote(zp_buf *b, const char *s) {
  /* Single-quoted strings take everything literally except a doubled
   * quote; a control byte (only a table's header can still hold one: typed
   * text is refused) becomes a blank, so the string stays on its line. */
  zp_buf_printf(b, "'");
  for (const char *c = s; *c != '\0'; c++) {
    if (*c == '\'') zp_buf_printf(b, "''");
    else zp_buf_printf(b, "%c", zp_is_control((unsigned char)*c) ? ' ' : *c);
  }
  zp_buf_printf(b, "'");
}

void zp_buf_quote_path(zp_buf *b, const char *path) {
  if (path[0] == '/' || strncmp(path, "./", 2) == 0) {
    zp_buf_quote(b, path);
    return;
  }
  zp_buf *tmp = &(zp_buf){0};
  zp_buf_printf(tmp, "./%s", path);
  if (tmp->oom) b->oom = 1;
  else zp_buf_quote(b, tmp->s);
  zp_buf_free(tmp);
}

void zp_buf_comment(zp_buf *b, const char *s) {
  /* Control bytes and backslashes as \xHH: the comment stays one line and
   * never ends in the continuation backslash. */
  for (const char *c = s; *c != '\0'; c++) {
    unsigned char u = (unsigned char)*c;
    if (zp_is_control(u) || u == '\\') zp_buf_printf(b, "\\x%02x", u);
    else zp_buf_printf(b, "%c", *c);
  }
}

void zp_buf_free(zp_buf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

void zp_plot_num(char *buf, size_t size, double x) {
  for (int prec = 1; prec <= 6; prec++) {
    snprintf(buf, size, "%.*g", prec, x);
    if (fabs(strtod(buf, NULL) - x) <= 1e-6 * fabs(x)) return;
  }
}

void zp_plot_short(char *buf, size_t size, double x) {
  double a = fabs(x);
  if (a != 0.0 && (a < 1e-3 || a >= 1e5)) {
    /* 1.778e-4, not 0.0001778 or 1.778e-04 */
    char m[32];
    int e = (int)floor(log10(a));
    double mant = x / pow(10.0, e);
    if (fabs(mant) >= 9.9995) mant /= 10.0, e++;
    snprintf(m, sizeof m, "%.4g", mant);
    snprintf(buf, size, "%se%d", m, e);
  } else snprintf(buf, size, "%.4g", x);
}

static const char *const terminals[] = {
    /* png: pixels; pdf: inches at 100 pixels per inch, so the two agree */
    "pngcairo size %ld,%ld enhanced font 'Sans,12' background rgb 'white'",
    "pdfcairo size %g in,%g in enhanced font 'Sans,12'",
    "svg size %ld,%ld enhanced font 'Sans,12' background rgb 'white'"};

void zp_plot_preamble(zp_plot_fig *f) {
  const zp_plot_opts *o = f->o;
  zp_buf *s = &f->script;
  zp_buf_printf(s,
                "# zprop %s: figure script written by `zprop plot`; edit it and rerun\n"
                "#   gnuplot ",
                ZP_VERSION);
  zp_buf_comment(s, f->script_base);
  zp_buf_printf(s, "\n# in this directory (it writes ");
  zp_buf_comment(s, f->out_base);
  zp_buf_printf(s, ").  Made by:\n#   ");
  zp_buf_comment(s, f->cmdline != NULL ? f->cmdline : "zprop plot");
  zp_buf_printf(s, "\nif (!exists('outfile')) outfile = ");
  zp_buf_quote_path(s, f->out_base);
  zp_buf_printf(s, "\nset terminal ");
  if (o->format == ZP_PLOT_PDF)
    zp_buf_printf(s, terminals[1], (double)o->width / 100.0, (double)o->height / 100.0);
  else zp_buf_printf(s, terminals[o->format], o->width, o->height);
  zp_buf_printf(s, "\nset output outfile\nset encoding utf8\n");
  /* Okabe-Ito colours: told apart with the common colour-vision deficiencies. */
  static const char *const colours[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                        "#e69f00", "#56b4e9", "#000000", "#f0e442"};
  for (int i = 0; i < 8; i++)
    zp_buf_printf(s, "set linetype %d lc rgb '%s' lw 2 pt 7 ps 1\n", i + 1, colours[i]);
  zp_buf_printf(s, "set linetype cycle 8\nset grid lc rgb '#dddddd' lw 1\n");
}

int zp_plot_dat_block(zp_plot_fig *f, const char *what) {
  /* Two blank lines end a block: gnuplot's `index` counts those. */
  if (f->dat_blocks > 0) zp_buf_printf(&f->dat, "\n\n");
  zp_buf_printf(&f->dat, "# index %d: ", f->dat_blocks);
  zp_buf_comment(&f->dat, what); /* it names files: one line whatever they hold */
  zp_buf_printf(&f->dat, "\n");
  return f->dat_blocks++;
}

void zp_plot_title(zp_plot_fig *f, const char *automatic) {
  const char *t = f->o->title != NULL ? f->o->title : automatic;
  if (t == NULL || t[0] == '\0') return;
  zp_buf_printf(&f->script, "set title ");
  zp_buf_quote(&f->script, t);
  zp_buf_printf(&f->script, " noenhanced\n");
}

void zp_plot_range_line(zp_plot_fig *f, const char *axis, const zp_plot_range *r, double lo,
                        double hi) {
  if (r->set) lo = r->lo, hi = r->hi;
  zp_buf_printf(&f->script, "set %srange [%.10g:%.10g]\n", axis, lo, hi);
}

zp_status zp_plot_check_log_range(const zp_plot_range *r, const char *key, zp_error *err) {
  if (!r->set || r->lo > 0.0) return ZP_OK;
  return zp_error_set(err, ZP_EINVAL,
                      "%s = %.10g:%.10g: bad range, allowed lo:hi with 0 < lo < hi "
                      "(log axis)",
                      key, r->lo, r->hi);
}

void zp_plot_labels_free(char **labels, size_t n) {
  if (labels == NULL) return;
  for (size_t i = 0; i < n; i++) free(labels[i]);
  free(labels);
}

zp_status zp_plot_labels(const zp_plot_opts *o, size_t n, char ***labels, zp_error *err) {
  *labels = calloc(n > 0 ? n : 1, sizeof **labels);
  if (*labels == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  if (o->label == NULL) return ZP_OK;
  size_t count = 1;
  for (const char *c = o->label; *c != '\0'; c++) count += *c == ',';
  if (count != n) {
    zp_plot_labels_free(*labels, n);
    *labels = NULL;
    return zp_error_set(err, ZP_EINVAL,
                        "label = %s: %zu labels for %zu curves, allowed one per "
                        "curve, comma-separated",
                        o->label, count, n);
  }
  const char *c = o->label;
  for (size_t i = 0; i < n; i++) {
    size_t len = strcspn(c, ",");
    (*labels)[i] = malloc(len + 1);
    if ((*labels)[i] == NULL) {
      zp_plot_labels_free(*labels, n);
      *labels = NULL;
      return zp_error_set(err, ZP_ENOMEM, "out of memory");
    }
    memcpy((*labels)[i], c, len);
    (*labels)[i][len] = '\0';
    c += len + (c[len] == ',');
  }
  return ZP_OK;
}
