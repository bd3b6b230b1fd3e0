/* zprop: profiles of scan tables (zprop/profile.h).
 *
 * The table is read whole (file_io.h), cut into header lines, the column
 * line and rows of tab-separated cells; every cell must be a finite
 * decimal, the rows exactly the grid's and in its order (each axis column
 * constant along the other axes).  The kept rows are written back as their
 * text, so a profile's columns are the scan's own digits.
 * SPDX-License-Identifier: MIT */
#include "zprop/profile.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/table_writer.h"
#include "core/decimal.h"
#include "core/file_io.h"

/* ------------------------------------------------------------ the grid */

static const char *const axis_columns[][2] = {
    {"mzp", "mzp_MeV"}, {"mchi", "mchi_MeV"}, {"sum_mnu", "sum_mnu_eV"},
    {"gzp", "gzp"},     {"gchi", "gchi"},     {"z0", "z0"},
    {"zmax", "zmax"},   {"gamma", "gamma"},   {"density_power", "density_power"},
    {"norm", "norm"},
};

const char *zp_grid_axis_column(const char *key) {
  for (size_t i = 0; i < sizeof axis_columns / sizeof axis_columns[0]; i++)
    if (strcmp(key, axis_columns[i][0]) == 0) return axis_columns[i][1];
  return key;
}

/** A positive decimal integer at *s (no sign, no blank), advancing *s. */
static int read_count(const char **s, size_t *n) {
  if (!isdigit((unsigned char)**s)) return 0;
  size_t v = 0;
  for (; isdigit((unsigned char)**s); (*s)++) {
    if (v > ((size_t)-1 - 9) / 10) return 0;
    v = 10 * v + (size_t)(**s - '0');
  }
  *n = v;
  return v > 0;
}

zp_status zp_grid_parse(const char *text, zp_grid_axes *g, zp_error *err) {
  memset(g, 0, sizeof *g);
  const char *s = text;
  g->rows = 1;
  for (;;) {
    size_t n, len = 0;
    if (!read_count(&s, &n) || *s++ != ' ')
      return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: expected 'N KEY' pairs", text);
    while (islower((unsigned char)s[len]) || isdigit((unsigned char)s[len]) || s[len] == '_') len++;
    if (len == 0 || len >= sizeof g->keys[0] || g->naxes == ZP_GRID_MAX_AXES)
      return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: bad axis %zu", text, g->naxes + 1);
    snprintf(g->keys[g->naxes], sizeof g->keys[0], "%.*s", (int)len, s);
    for (size_t k = 0; k < g->naxes; k++)
      if (strcmp(g->keys[k], g->keys[g->naxes]) == 0)
        return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: axis %s twice", text, g->keys[k]);
    if (g->rows > (size_t)1e9 / n)
      return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: too many rows", text);
    g->n[g->naxes++] = n;
    g->rows *= n;
    s += len;
    if (strncmp(s, " x ", 3) == 0) s += 3;
    else break;
  }
  size_t rows;
  if (strncmp(s, " = ", 3) != 0 || (s += 3, !read_count(&s, &rows)) || strncmp(s, " rows", 5) != 0)
    return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: expected '= R rows' after the axes", text);
  if (rows != g->rows)
    return zp_error_set(err, ZP_EFORMAT, "grid = %.200s: %zu rows, but the axes make %zu", text,
                        rows, g->rows);
  return ZP_OK;
}

double zp_profile_level(double cl, int dof) {
  if (!(cl > 0.0 && cl < 100.0) || dof < 1) return NAN;
  return gsl_cdf_chisq_Pinv(cl / 100.0, (double)dof);
}

/* ----------------------------------------------------------- the table */

typedef struct {
  const char *path;
  char *buf;
  char **head; /* header lines before the column line */
  size_t nhead, grid_line;
  char **cols;
  size_t ncols;
  char **cells; /* nrows * ncols */
  double *num;  /* the same as numbers */
  size_t *line; /* per row, 1-based */
  size_t nrows;
  zp_grid_axes g;
  int axcol[ZP_GRID_MAX_AXES];
  int chi2col, dmincol;
  const char *profiled; /* a previous profile's axes, or NULL */
} table;

static void table_free(table *t) {
  free(t->buf);
  free(t->head);
  free(t->cols);
  free(t->cells);
  free(t->num);
  free(t->line);
}

static size_t split_tabs(char *s, char **cells, size_t cap) {
  size_t n = 0;
  for (char *c = s;; n++) {
    char *tab = strchr(c, '\t');
    if (n < cap) cells[n] = c;
    if (tab == NULL) return n + 1;
    if (n < cap) *tab = '\0';
    c = tab + 1;
  }
}

static int finite_number(const char *s, double *x) {
  if (strpbrk(s, "nNiI") != NULL) return 0;
  zp_num_result r = zp_parse_decimal(s, x);
  return r == ZP_NUM_OK || r == ZP_NUM_UNDERFLOW;
}

static zp_status cut(table *t, char ***lines, size_t *nlines, zp_error *err) {
  size_t cap = 1;
  for (const char *c = t->buf; *c != '\0'; c++) cap += *c == '\n';
  *lines = malloc(cap * sizeof **lines);
  if (*lines == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  *nlines = 0;
  char *cursor = t->buf;
  for (char *l; (l = zp_next_line(&cursor)) != NULL;) {
    size_t n = strlen(l);
    if (n > 0 && l[n - 1] == '\r') l[n - 1] = '\0';
    (*lines)[(*nlines)++] = l;
  }
  return ZP_OK;
}

static zp_status header(table *t, char **lines, size_t nlines, size_t *first, zp_error *err) {
  size_t colline = (size_t)-1;
  *first = nlines;
  for (size_t i = 0; i < nlines; i++) {
    if (lines[i][0] == '#') colline = i;
    else if (lines[i][0] != '\0') {
      *first = i;
      break;
    }
  }
  if (colline == (size_t)-1 || *first == nlines)
    return zp_error_set(err, ZP_EFORMAT, "%s: not a zprop table (%s)", t->path,
                        colline == (size_t)-1 ? "no '#' column line" : "no data rows");
  t->head = malloc((colline + 1) * sizeof *t->head);
  if (t->head == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  t->grid_line = (size_t)-1;
  for (size_t i = 0; i < colline; i++) {
    if (strncmp(lines[i], "## grid = ", 10) == 0) {
      zp_error why;
      if (zp_grid_parse(lines[i] + 10, &t->g, &why) != ZP_OK)
        return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %s", t->path, i + 1, why.msg);
      t->grid_line = t->nhead;
    }
    if (strncmp(lines[i], "## profiled = min over ", 23) == 0) t->profiled = lines[i] + 23;
    t->head[t->nhead++] = lines[i];
  }
  if (t->grid_line == (size_t)-1)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s: no '## grid = ...' line, allowed a table of zprop scan or profile",
                        t->path);
  char *c = lines[colline] + 1;
  while (*c == ' ') c++;
  t->ncols = 1;
  for (const char *k = c; *k != '\0'; k++) t->ncols += *k == '\t';
  t->cols = malloc(t->ncols * sizeof *t->cols);
  if (t->cols == NULL) return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  split_tabs(c, t->cols, t->ncols);
  return ZP_OK;
}

static int column(const table *t, const char *name) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c], name) == 0) return (int)c;
  return -1;
}

static zp_status columns(table *t, size_t colline, zp_error *err) {
  t->chi2col = column(t, "chi2");
  t->dmincol = column(t, "dchi2_min");
  if (t->chi2col < 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: no chi2 column, allowed a table of zprop scan",
                        t->path, colline);
  for (size_t k = 0; k < t->g.naxes; k++) {
    const char *name = zp_grid_axis_column(t->g.keys[k]);
    t->axcol[k] = column(t, name);
    if (t->axcol[k] < 0)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: no column %s for the grid's axis %s", t->path,
                          colline, name, t->g.keys[k]);
  }
  return ZP_OK;
}

static zp_status rows(table *t, char **lines, size_t nlines, size_t first, zp_error *err) {
  size_t cap = nlines - first, nc = t->ncols;
  t->cells = malloc(cap * nc * sizeof *t->cells);
  t->num = malloc(cap * nc * sizeof *t->num);
  t->line = malloc(cap * sizeof *t->line);
  if (t->cells == NULL || t->num == NULL || t->line == NULL)
    return zp_error_set(err, ZP_ENOMEM, "%s: out of memory", t->path);
  for (size_t i = first; i < nlines; i++) {
    char *s = lines[i];
    if (s[0] == '\0') continue;
    if (s[0] == '#')
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: a '#' line among the rows", t->path, i + 1);
    char **cells = t->cells + t->nrows * nc;
    size_t n = split_tabs(s, cells, nc);
    if (n != nc)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %zu cells, expected %zu (one per column)",
                          t->path, i + 1, n, nc);
    for (size_t c = 0; c < nc; c++)
      if (!finite_number(cells[c], &t->num[t->nrows * nc + c]))
        return zp_error_set(err, ZP_EFORMAT, "%s:%zu: column %s: '%.40s' is not a finite number",
                            t->path, i + 1, t->cols[c], cells[c]);
    t->line[t->nrows++] = i + 1;
  }
  return ZP_OK;
}

/** Index of row @p r along axis @p k (rows in C order). */
static size_t axis_index(const zp_grid_axes *g, size_t r, size_t k) {
  size_t stride = 1;
  for (size_t j = k + 1; j < g->naxes; j++) stride *= g->n[j];
  return (r / stride) % g->n[k];
}

static zp_status check_grid(const table *t, size_t grid_lineno, zp_error *err) {
  const zp_grid_axes *g = &t->g;
  if (t->nrows != g->rows)
    return zp_error_set(err, ZP_EFORMAT,
                        "%s:%zu: %zu rows, but the grid line (line %zu) makes %zu: an "
                        "incomplete or edited table",
                        t->path, t->nrows > 0 ? t->line[t->nrows - 1] : grid_lineno, t->nrows,
                        grid_lineno, g->rows);
  for (size_t k = 0; k < g->naxes; k++) {
    size_t stride = 1;
    for (size_t j = k + 1; j < g->naxes; j++) stride *= g->n[j];
    size_t c = (size_t)t->axcol[k];
    for (size_t r = 0; r < t->nrows; r++) {
      size_t r0 = axis_index(g, r, k) * stride; /* the same index along k, 0 elsewhere */
      if (t->num[r * t->ncols + c] != t->num[r0 * t->ncols + c])
        return zp_error_set(err, ZP_EFORMAT,
                            "%s:%zu: column %s = %s, but line %zu has %s at the same %s: rows "
                            "not in the order of the grid",
                            t->path, t->line[r], t->cols[c], t->cells[r * t->ncols + c],
                            t->line[r0], t->cells[r0 * t->ncols + c], g->keys[k]);
    }
  }
  return ZP_OK;
}

static zp_status table_read(const char *path, table *t, zp_error *err) {
  memset(t, 0, sizeof *t);
  t->path = path;
  size_t len = 0, nlines = 0, first = 0;
  char **lines = NULL;
  zp_status st = zp_read_input(path, path, &t->buf, &len, err);
  if (st == ZP_OK) st = cut(t, &lines, &nlines, err);
  if (st == ZP_OK) st = header(t, lines, nlines, &first, err);
  if (st == ZP_OK) st = columns(t, first, err);
  if (st == ZP_OK) st = rows(t, lines, nlines, first, err);
  size_t grid_lineno = 0;
  for (size_t i = 0; st == ZP_OK && i < nlines && grid_lineno == 0; i++)
    if (lines[i] == t->head[t->grid_line]) grid_lineno = i + 1;
  if (st == ZP_OK) st = check_grid(t, grid_lineno, err);
  free(lines);
  return st;
}

/* ------------------------------------------------------------ profile */

typedef struct {
  const table *t;
  int over[ZP_GRID_MAX_AXES]; /* per input axis: 1 when minimised */
  const char *over_text;
  const size_t *best; /* per output row: the input row */
  size_t nout;
  double chi2_min;
  const double *cl, *lv;
  size_t ncl;
  int dof;
} profile;

static void write_grid_line(FILE *f, const profile *p) {
  const zp_grid_axes *g = &p->t->g;
  size_t kept[ZP_GRID_MAX_AXES], nk = 0;
  for (size_t k = 0; k < g->naxes; k++)
    if (!p->over[k]) kept[nk++] = k;
  fputs("## grid = ", f);
  for (size_t i = 0; i < nk; i++)
    fprintf(f, "%s%zu %s", i ? " x " : "", g->n[kept[i]], g->keys[kept[i]]);
  fprintf(f, " = %zu rows", p->nout);
  if (nk > 1) {
    for (size_t i = 0; i < nk; i++)
      fprintf(f, "%s%s%s", i == 0 ? ", " : ", ", g->keys[kept[i]],
              i == 0 ? " outer" : (i + 1 == nk ? " inner" : ""));
  }
  fputc('\n', f);
}

static void write_profile(FILE *f, const void *ctx) {
  const profile *p = ctx;
  const table *t = p->t;
  for (size_t i = 0; i < t->nhead; i++) {
    const char *h = t->head[i];
    if (strncmp(h, "## profiled = ", 14) == 0 || strncmp(h, "## chi2_min = ", 14) == 0 ||
        strncmp(h, "## contours = ", 14) == 0 || strncmp(h, "## dchi2_min: ", 14) == 0)
      continue;
    if (i != t->grid_line) {
      fprintf(f, "%s\n", h);
      continue;
    }
    fputs("## profiled = min over ", f);
    if (t->profiled != NULL) fprintf(f, "%s, ", t->profiled);
    int first = 1;
    for (size_t k = 0; k < t->g.naxes; k++)
      if (p->over[k]) fprintf(f, "%s%s", first ? "" : ", ", t->g.keys[k]), first = 0;
    fprintf(f, "\n## chi2_min = %.10e\n## contours = dchi2_min", p->chi2_min);
    for (size_t l = 0; l < p->ncl; l++)
      fprintf(f, "%s %.6g (%.6g%% CL)", l ? "," : "", p->lv[l], p->cl[l]);
    fprintf(f, ", dof = %d\n", p->dof);
    fputs("## dchi2_min: chi2 - chi2_min; each row is the scanned row of the lowest chi2 over "
          "the profiled axes (their columns give its point)\n",
          f);
    write_grid_line(f, p);
  }
  fputs("# ", f);
  for (size_t c = 0; c < t->ncols; c++) fprintf(f, "%s%s", c ? "\t" : "", t->cols[c]);
  fputs(t->dmincol < 0 ? "\tdchi2_min\n" : "\n", f);
  for (size_t o = 0; o < p->nout; o++) {
    size_t r = p->best[o];
    double d = t->num[r * t->ncols + (size_t)t->chi2col] - p->chi2_min;
    for (size_t c = 0; c < t->ncols; c++) {
      if (c) fputc('\t', f);
      if ((int)c == t->dmincol) fprintf(f, "%.10e", d);
      else fputs(t->cells[r * t->ncols + c], f);
    }
    if (t->dmincol < 0) fprintf(f, "\t%.10e", d);
    fputc('\n', f);
  }
}

/** Marks the axes named in @p over (comma list) in @p mark. */
static zp_status parse_over(const table *t, const char *over, int *mark, zp_error *err) {
  const zp_grid_axes *g = &t->g;
  char allowed[ZP_GRID_MAX_AXES * 33] = "";
  for (size_t k = 0; k < g->naxes; k++) {
    size_t u = strlen(allowed);
    snprintf(allowed + u, sizeof allowed - u, "%s%s", k ? "," : "", g->keys[k]);
  }
  size_t nover = 0;
  for (const char *s = over;;) {
    while (*s == ' ') s++;
    size_t len = strcspn(s, ",");
    size_t end = len;
    while (end > 0 && s[end - 1] == ' ') end--;
    size_t k = 0;
    while (k < g->naxes && (strlen(g->keys[k]) != end || strncmp(g->keys[k], s, end) != 0)) k++;
    if (end == 0)
      return zp_error_set(err, ZP_EINVAL, "over = %s: empty element, allowed axes of %s: %s", over,
                          t->path, allowed);
    if (k == g->naxes)
      return zp_error_set(err, ZP_EINVAL, "over = %s: %.*s is not an axis of %s, allowed %s", over,
                          (int)end, s, t->path, allowed);
    if (mark[k])
      return zp_error_set(err, ZP_EINVAL, "over = %s: %s given twice, allowed each axis once", over,
                          g->keys[k]);
    mark[k] = 1;
    nover++;
    if (s[len] == '\0') break;
    s += len + 1;
  }
  if (nover == g->naxes)
    return zp_error_set(err, ZP_EINVAL,
                        "over = %s: every axis of %s, allowed at most %zu of %s (one must remain)",
                        over, t->path, g->naxes - 1, allowed);
  return ZP_OK;
}

static zp_status check_args(const char *input, const char *over, const double *cl, size_t ncl,
                            int dof, const char *output, zp_error *err) {
  if (input == NULL || output == NULL || over == NULL || (ncl > 0 && cl == NULL))
    return zp_error_set(err, ZP_EINVAL, "zp_profile_table: NULL argument");
  if (over[0] == '\0')
    return zp_error_set(err, ZP_EINVAL, "over = \"\": empty, allowed a comma list of axes");
  if (ncl < 1 || ncl > ZP_PROFILE_MAX_CL)
    return zp_error_set(err, ZP_EINVAL, "cl: %zu levels, allowed 1 to %d", ncl,
                        (int)ZP_PROFILE_MAX_CL);
  for (size_t i = 0; i < ncl; i++)
    if (!(cl[i] > 0.0 && cl[i] < 100.0))
      return zp_error_set(err, ZP_EINVAL, "cl = %g: out of range, allowed (0, 100) (percent)",
                          cl[i]);
  if (dof < 1 || dof > 100)
    return zp_error_set(err, ZP_EINVAL, "dof = %d: out of range, allowed [1, 100]", dof);
  return ZP_OK;
}

zp_status zp_profile_table(const char *input, const char *over, const double *cl, size_t ncl,
                           int dof, const char *output, zp_profile_info *info, zp_error *err) {
  zp_status st = check_args(input, over, cl, ncl, dof, output, err);
  if (st != ZP_OK) return st;
  if ((st = zp_table_check_path(output, err)) != ZP_OK) return st;
  const char *keys[1] = {"TABLE"}, *paths[1] = {input};
  if ((st = zp_table_check_distinct(output, keys, paths, 1, err)) != ZP_OK) return st;

  table t;
  st = table_read(input, &t, err);
  profile p;
  memset(&p, 0, sizeof p);
  p.t = &t;
  if (st == ZP_OK) st = parse_over(&t, over, p.over, err);
  size_t *best = NULL;
  double lv[ZP_PROFILE_MAX_CL];
  if (st == ZP_OK) {
    p.nout = 1;
    for (size_t k = 0; k < t.g.naxes; k++)
      if (!p.over[k]) p.nout *= t.g.n[k];
    best = malloc(p.nout * sizeof *best);
    if (best == NULL) st = zp_error_set(err, ZP_ENOMEM, "out of memory");
  }
  if (st == ZP_OK) {
    for (size_t o = 0; o < p.nout; o++) best[o] = (size_t)-1;
    size_t nc = t.ncols, c2 = (size_t)t.chi2col;
    p.chi2_min = t.num[c2];
    for (size_t r = 0; r < t.nrows; r++) {
      size_t o = 0;
      for (size_t k = 0; k < t.g.naxes; k++)
        if (!p.over[k]) o = o * t.g.n[k] + axis_index(&t.g, r, k);
      double chi2 = t.num[r * nc + c2];
      if (best[o] == (size_t)-1 || chi2 < t.num[best[o] * nc + c2]) best[o] = r;
      if (chi2 < p.chi2_min) p.chi2_min = chi2;
    }
    for (size_t l = 0; l < ncl; l++) lv[l] = zp_profile_level(cl[l], dof);
    p.best = best;
    p.over_text = over;
    p.cl = cl;
    p.lv = lv;
    p.ncl = ncl;
    p.dof = dof;
    st = zp_table_emit(output, write_profile, &p, err);
  }
  if (st == ZP_OK && info != NULL) {
    memset(info, 0, sizeof *info);
    info->rows_in = t.nrows;
    info->rows_out = p.nout;
    info->chi2_min = p.chi2_min;
    info->nlevels = ncl;
    for (size_t l = 0; l < ncl; l++) info->levels[l] = lv[l];
    for (size_t k = 0; k < t.g.naxes; k++)
      if (!p.over[k]) {
        snprintf(info->kept.keys[info->kept.naxes], sizeof info->kept.keys[0], "%s", t.g.keys[k]);
        info->kept.n[info->kept.naxes++] = t.g.n[k];
      }
    info->kept.rows = p.nout;
  }
  free(best);
  table_free(&t);
  return st;
}
