/* zprop CLI: spectrum figures of `zprop plot`: E^2 Phi against E on log
 * axes from spectrum, fit and batch tables, the free-streaming curve of
 * the first input (dashed) and the IceCube points.
 *
 * A spectrum table is named by path in the script, with the flux as a
 * `using` expression, so a user can change the flux or the style without
 * rerunning zprop; a batch table holds many spectra in one block, so its
 * curves are copied (as E, E^2 Phi, E^2 Phi0) into the .dat file.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"

enum { MAX_CURVES = 64 };

/* The parameters a legend entry may show, in that order. */
enum { F_M, F_G, F_GCHI, F_MCHI, F_SUM, F_ORD, F_SRC, F_GAMMA, NF };
static const char *const field_format[NF] = {"M = %.40s MeV",  "g = %.40s",      "gχ = %.40s",
                                             "mχ = %.40s MeV", "Σmν = %.40s eV", "%.40s",
                                             "%.40s",          "γ = %.40s"};
static const char *const field_keys[NF] = {"mzp",     "gzp",      "gchi",   "mchi",
                                           "sum_mnu", "ordering", "source", "gamma"};

/* Columns, [free streaming][e, mu, tau, 1, 2, 3]; mass states -1 in a batch. */
static const char *const flux_names[2][6] = {
    {"phi_e", "phi_mu", "phi_tau", "phi_1", "phi_2", "phi_3"},
    {"phi0_e", "phi0_mu", "phi0_tau", "phi0_1", "phi0_2", "phi0_3"}};

static const char *const state_names[] = {"", "ν₁", "ν₂", "ν₃"};

/** One input's numbers. */
typedef struct {
  size_t n;
  double *e, *v[2][6]; /* v NULL where the table has no such column */
  int col_e, col[2][6];
} spec_data;

typedef struct {
  const zp_plot_input *in;
  const spec_data *d;
  size_t row0, row1;
  int state; /* flux = mass: 1..3, else 0 */
  char field[NF][128];
} curve;

static void spec_data_free(spec_data *d) {
  free(d->e);
  for (int f = 0; f < 2; f++)
    for (int k = 0; k < 6; k++) free(d->v[f][k]);
}

static zp_status load(const zp_tsv *t, spec_data *d, zp_error *err) {
  d->n = t->nrows;
  d->col_e = zp_tsv_col(t, "E_GeV");
  d->e = malloc(d->n * sizeof *d->e);
  if (d->e == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = zp_tsv_column(t, (size_t)d->col_e, d->e, err);
  for (size_t r = 0; st == ZP_OK && r < d->n; r++)
    if (!(d->e[r] > 0.0))
      st = zp_error_set(err, ZP_EFORMAT, "%s:%zu: column E_GeV: %g, allowed > 0", t->path,
                        t->line[r], d->e[r]);
  for (int f = 0; f < 2 && st == ZP_OK; f++)
    for (int k = 0; k < 6 && st == ZP_OK; k++) {
      d->col[f][k] = zp_tsv_col(t, flux_names[f][k]);
      if (d->col[f][k] < 0) continue;
      d->v[f][k] = malloc(d->n * sizeof *d->v[f][k]);
      if (d->v[f][k] == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
      st = zp_tsv_column(t, (size_t)d->col[f][k], d->v[f][k], err);
    }
  return st;
}

/** E^2 Phi of @p c at row @p r, with (@p fr = 1) or without the Z'. */
static double value(const curve *c, zp_plot_flux fx, int fr, size_t r) {
  double *const *v = c->d->v[fr];
  double phi;
  switch (fx) {
    case ZP_PLOT_FLUX_E: phi = v[0][r]; break;
    case ZP_PLOT_FLUX_MU: phi = v[1][r]; break;
    case ZP_PLOT_FLUX_TAU: phi = v[2][r]; break;
    case ZP_PLOT_FLUX_ALL: phi = v[0][r] + v[1][r] + v[2][r]; break;
    case ZP_PLOT_FLUX_MASS: phi = v[2 + c->state][r]; break;
    default: phi = (v[0][r] + v[1][r] + v[2][r]) / 3.0; break;
  }
  return c->d->e[r] * c->d->e[r] * phi;
}

/** The same as a gnuplot `using` expression on the table's columns. */
static void expression(zp_buf *b, const curve *c, zp_plot_flux fx, int fr) {
  const int *col = c->d->col[fr];
  zp_buf_printf(b, "($%d**2*", c->d->col_e + 1);
  switch (fx) {
    case ZP_PLOT_FLUX_E: zp_buf_printf(b, "$%d)", col[0] + 1); break;
    case ZP_PLOT_FLUX_MU: zp_buf_printf(b, "$%d)", col[1] + 1); break;
    case ZP_PLOT_FLUX_TAU: zp_buf_printf(b, "$%d)", col[2] + 1); break;
    case ZP_PLOT_FLUX_MASS: zp_buf_printf(b, "$%d)", col[2 + c->state] + 1); break;
    default:
      zp_buf_printf(b, "($%d+$%d+$%d)%s)", col[0] + 1, col[1] + 1, col[2] + 1,
                    fx == ZP_PLOT_FLUX_ALL ? "" : "/3");
  }
}

/** The legend fields of a curve, from the header or the batch row. */
static void fields(curve *c) {
  const zp_tsv *t = c->in->t;
  char text[NF + 2][64];
  const char *names[NF + 2];
  for (int k = 0; k < NF; k++) names[k] = field_keys[k];
  names[NF] = "z0";
  names[NF + 1] = "zmax";
  for (int k = 0; k < NF + 2; k++) {
    const char *v = NULL;
    int col = zp_tsv_col(t, names[k]);
    if (c->in->kind == ZP_TABLE_BATCH && col >= 0) v = t->cells[c->row0 * t->ncols + (size_t)col];
    else if (c->in->kind == ZP_TABLE_SPECTRUM) v = zp_tsv_key(t, names[k]);
    snprintf(text[k], sizeof text[k], "%s", v != NULL ? v : "");
  }
  for (int k = 0; k < NF + 2; k++) {
    /* Long numbers (a fit's gamma) are rounded for the legend. */
    double x;
    if (strlen(text[k]) > 8 && zp_tsv_parse_real(text[k], &x))
      zp_plot_short(text[k], sizeof text[k], x);
  }
  /* Field texts are cut at 40 characters: they are legend entries. */
  for (int k = 0; k < NF; k++)
    if (text[k][0] != '\0') snprintf(c->field[k], sizeof c->field[k], field_format[k], text[k]);
  /* No Z' at all (a power-law fit): one field says so, not M and g. */
  if (strcmp(text[F_G], "0") == 0) {
    c->field[F_M][0] = '\0';
    snprintf(c->field[F_G], sizeof c->field[F_G], "no Z′");
  }
  /* The source as one field: a delta source is its redshift. */
  if (strcmp(text[F_SRC], "delta") == 0)
    snprintf(c->field[F_SRC], sizeof c->field[F_SRC], "z₀ = %.40s", text[NF]);
  else if (text[F_SRC][0] != '\0')
    snprintf(c->field[F_SRC], sizeof c->field[F_SRC], "%.40s, z ≤ %.40s", text[F_SRC],
             text[NF + 1]);
}

static int varies(const curve *c, size_t n, int k) {
  for (size_t i = 1; i < n; i++)
    if (strcmp(c[i].field[k], c[0].field[k]) != 0) return 1;
  return 0;
}

static void append_field(char *buf, size_t size, const curve *c, int k) {
  if (c->field[k][0] == '\0') return;
  size_t used = strlen(buf);
  if (used > 0) snprintf(buf + used, size - used, ", ");
  used = strlen(buf);
  snprintf(buf + used, size - used, "%s", c->field[k]);
}

/** Legend of curve @p i: the fields that vary, else the main ones. */
static void legend(char *buf, size_t size, const curve *c, size_t n, size_t i) {
  buf[0] = '\0';
  int any = 0;
  for (int k = 0; k < NF; k++)
    if (varies(c, n, k)) {
      append_field(buf, size, &c[i], k);
      any = 1;
    }
  if (!any) {
    append_field(buf, size, &c[i], F_M);
    append_field(buf, size, &c[i], F_G);
  }
  /* A fit's result: its best gamma (unless already shown) and chi2. */
  const char *chi2 = zp_tsv_key(c[i].in->t, "chi2");
  double x, gamma;
  size_t used = strlen(buf);
  if (chi2 != NULL && zp_tsv_parse_real(chi2, &x)) {
    const char *g = zp_tsv_key(c[i].in->t, "gamma"), *prof = zp_tsv_key(c[i].in->t, "profile");
    int fitted = prof == NULL || strcmp(prof, "gamma_norm") == 0; /* else gamma was fixed */
    if (fitted && !varies(c, n, F_GAMMA) && g != NULL && zp_tsv_parse_real(g, &gamma))
      snprintf(buf + used, size - used, "%sγ = %.2f", used ? ", " : "", gamma);
    used = strlen(buf);
    snprintf(buf + used, size - used, "%sχ² = %.1f", used ? ", " : "", x);
  }
  used = strlen(buf);
  if (c[i].state > 0)
    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", state_names[c[i].state]);
}

/** Title: the fields every curve shares (not already in the legend). */
static void common_title(char *buf, size_t size, const curve *c, size_t n) {
  buf[0] = '\0';
  int any = 0;
  for (int k = 0; k < NF; k++) any |= varies(c, n, k);
  int fit = zp_tsv_key(c[0].in->t, "chi2") != NULL;
  for (int k = 0; k < NF; k++) {
    if (varies(c, n, k) || (!any && (k == F_M || k == F_G)) || (fit && k == F_GAMMA)) continue;
    if ((k == F_GCHI || k == F_MCHI) && strcmp(c[0].field[F_GCHI], "gχ = 0") == 0) continue;
    append_field(buf, size, &c[0], k);
  }
}

/** Splits the inputs into curves: a batch table into its spectra. */
static zp_status collect(zp_plot_fig *f, zp_plot_input *in, const spec_data *d, size_t n, curve *c,
                         size_t *nc, zp_error *err) {
  *nc = 0;
  for (size_t i = 0; i < n; i++) {
    const zp_tsv *t = in[i].t;
    if (in[i].kind == ZP_TABLE_BATCH && f->o->flux == ZP_PLOT_FLUX_MASS)
      return zp_error_set(err, ZP_EINVAL,
                          "flux = mass: %s is a batch table, without mass states, "
                          "allowed flavour_average|e|mu|tau|all_flavours",
                          t->path);
    static const char *const keys[] = {"point", "source", "z0", "zmax", "gamma"};
    for (size_t r = 0; r < t->nrows;) {
      size_t end = r + 1;
      /* A batch spectrum ends where its parameters change. */
      while (in[i].kind == ZP_TABLE_BATCH && end < t->nrows && d[i].e[end] > d[i].e[end - 1]) {
        int same = 1;
        for (int k = 0; k < 5; k++) {
          size_t col = (size_t)zp_tsv_col(t, keys[k]);
          same &= strcmp(t->cells[end * t->ncols + col], t->cells[r * t->ncols + col]) == 0;
        }
        if (!same) break;
        end++;
      }
      if (in[i].kind == ZP_TABLE_SPECTRUM) end = t->nrows;
      int states = f->o->flux == ZP_PLOT_FLUX_MASS ? 3 : 1;
      for (int s = 0; s < states; s++) {
        if (*nc == MAX_CURVES)
          return zp_error_set(err, ZP_EINVAL,
                              "%s: more than %d curves, allowed at most %d in "
                              "one figure",
                              t->path, MAX_CURVES, MAX_CURVES);
        curve *cv = &c[(*nc)++];
        memset(cv, 0, sizeof *cv);
        cv->in = &in[i];
        cv->d = &d[i];
        cv->row0 = r;
        cv->row1 = end;
        cv->state = states == 3 ? s + 1 : 0;
        fields(cv);
      }
      r = end;
    }
  }
  return ZP_OK;
}

/** The batch curve's rows as one .dat block; @return its index. */
static int write_block(zp_plot_fig *f, const curve *c, const char *label) {
  char what[512];
  snprintf(what, sizeof what, "%s rows %zu-%zu (%s); columns: E_GeV E2Phi E2Phi0", c->in->t->path,
           c->row0, c->row1 - 1, label);
  int index = zp_plot_dat_block(f, what);
  for (size_t r = c->row0; r < c->row1; r++)
    zp_buf_printf(&f->dat, "%.10e\t%.10e\t%.10e\n", c->d->e[r], value(c, f->o->flux, 0, r),
                  value(c, f->o->flux, 1, r));
  return index;
}

/** The plot clause of curve @p c (free: its free-streaming twin). */
static void clause(zp_plot_fig *f, zp_buf *plot, const curve *c, int block, int lt, int fr,
                   const char *title) {
  if (block >= 0) {
    zp_buf_quote_path(plot, f->dat_base);
    zp_buf_printf(plot, " index %d using 1:%d", block, fr ? 3 : 2);
  } else {
    zp_buf_quote_path(plot, c->in->rel);
    zp_buf_printf(plot, " using %d:", c->d->col_e + 1);
    expression(plot, c, f->o->flux, fr);
  }
  zp_buf_printf(plot, " with lines lt %d%s ", lt, fr ? " dt 2 lw 1.5" : "");
  if (title == NULL) {
    zp_buf_printf(plot, "notitle");
    return;
  }
  zp_buf_printf(plot, "title ");
  zp_buf_quote(plot, title);
  zp_buf_printf(plot, " noenhanced");
}

static int same_as_free(const curve *c, zp_plot_flux fx) {
  for (size_t r = c->row0; r < c->row1; r++) {
    double a = value(c, fx, 0, r), b = value(c, fx, 1, r);
    if (fabs(a - b) > 1e-9 * fmax(fabs(a), fabs(b))) return 0;
  }
  return 1;
}

static const char *const flux_words[] = {"per flavour", "ν_e",          "ν_μ",
                                         "ν_τ",         "all flavours", "per mass state"};

static zp_status write_script(zp_plot_fig *f, const curve *c, size_t nc, char **labels,
                              zp_error *err) {
  const zp_plot_opts *o = f->o;
  double xlo = INFINITY, xhi = 0.0, ymax = 0.0, ymin = INFINITY;
  for (size_t i = 0; i < nc; i++)
    for (size_t r = c[i].row0; r < c[i].row1; r++) {
      double e = c[i].d->e[r];
      xlo = fmin(xlo, e);
      xhi = fmax(xhi, e);
      if (o->xr.set && (e < o->xr.lo || e > o->xr.hi)) continue;
      double y = fmax(value(&c[i], o->flux, 0, r), i == 0 ? value(&c[i], o->flux, 1, r) : 0.0);
      if (isfinite(y)) ymax = fmax(ymax, y);
    }
  zp_buf plot = {0};
  zp_buf_printf(&plot, "plot \\\n  ");
  for (size_t i = 0; i < nc; i++) {
    char auto_label[256];
    legend(auto_label, sizeof auto_label, c, nc, i);
    /* With flux = mass a given label names a spectrum, the state is added. */
    char given[300];
    int states = o->flux == ZP_PLOT_FLUX_MASS ? 3 : 1;
    const char *mine = labels[i / (size_t)states];
    if (mine != NULL && states == 3)
      snprintf(given, sizeof given, "%.200s, %s", mine, state_names[c[i].state]);
    else if (mine != NULL) snprintf(given, sizeof given, "%.200s", mine);
    const char *label = mine != NULL ? given : auto_label;
    int block = c[i].in->kind == ZP_TABLE_BATCH ? write_block(f, &c[i], label) : -1;
    if (i > 0) zp_buf_printf(&plot, ", \\\n  ");
    clause(f, &plot, &c[i], block, (int)i + 1, 0, label);
    /* The first input's free streaming: the reference for the dips. */
    if (c[i].in == c[0].in && c[i].row0 == 0 && !same_as_free(&c[i], o->flux)) {
      zp_buf_printf(&plot, ", \\\n  ");
      clause(f, &plot, &c[i], block, (int)i + 1, 1,
             c[i].state > 1 ? NULL : "no Z′ (free streaming)");
    }
  }
  zp_status st = zp_plot_icecube(f, &plot, &ymin, &ymax, err);
  if (st == ZP_OK) {
    zp_buf *s = &f->script;
    char title[512];
    common_title(title, sizeof title, c, nc);
    zp_plot_title(f, title);
    zp_buf_printf(s,
                  "set logscale xy\nset format x '10^{%%L}'\nset format y '10^{%%L}'\n"
                  "set xlabel 'E_ν (GeV)'\n"
                  "set ylabel 'E^2 Φ %s (GeV cm^{-2} s^{-1} sr^{-1})'\n"
                  /* Bottom left is empty: E^2 Phi falls with E. */
                  "set key bottom left box opaque samplen 2.5 spacing 1.1 font ',10'\n"
                  "set bars small\n",
                  flux_words[o->flux]);
    if (!(ymax > 0.0)) ymax = 1e-7;
    double ylo = fmin(ymax / 300.0, ymin / 2.0);
    zp_plot_range_line(f, "x", &o->xr, xlo, xhi > xlo ? xhi : 10.0 * xlo);
    zp_plot_range_line(f, "y", &o->yr, ylo, 2.0 * ymax);
    zp_buf_printf(s, "%s\n", plot.s != NULL ? plot.s : "");
    if (plot.oom) st = zp_error_set(err, ZP_ENOMEM, "out of memory");
  }
  zp_buf_free(&plot);
  return st;
}

zp_status zp_plot_spectra(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err) {
  zp_status st = zp_plot_check_log_range(&f->o->xr, "xrange", err);
  if (st == ZP_OK) st = zp_plot_check_log_range(&f->o->yr, "yrange", err);
  if (st != ZP_OK) return st;
  spec_data *d = calloc(n, sizeof *d);
  curve *c = malloc(MAX_CURVES * sizeof *c);
  char **labels = NULL;
  size_t nc = 0;
  if (d == NULL || c == NULL) st = zp_error_set(err, ZP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n && st == ZP_OK; i++) st = load(in[i].t, &d[i], err);
  if (st == ZP_OK) st = collect(f, in, d, n, c, &nc, err);
  size_t nl = f->o->flux == ZP_PLOT_FLUX_MASS ? nc / 3 : nc; /* one label per spectrum */
  if (st == ZP_OK) st = zp_plot_labels(f->o, nl, &labels, err);
  if (st == ZP_OK) {
    zp_plot_preamble(f);
    st = write_script(f, c, nc, labels, err);
  }
  zp_plot_labels_free(labels, nl);
  for (size_t i = 0; d != NULL && i < n; i++) spec_data_free(&d[i]);
  free(d);
  free(c);
  return st;
}
