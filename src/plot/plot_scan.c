/* zprop CLI: scan figures of `zprop plot`: a colour map of one column of a
 * `zprop scan` table over (M, g), contour lines, the muon g-2 bands
 * (computed here through the library for the scan's reference) and the
 * best grid point.
 *
 * pm3d needs the grid as blocks separated by blank lines, which the scan
 * table does not have, so the map's (M, g, z) go to the .dat file, and so
 * do the g-2 bands.  Contours are traced by gnuplot itself into datablocks
 * (one per level, so each level gets its own line style and legend entry).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "plot/plot_overlay.h"
#include "zprop/gm2.h"
#include "zprop/profile.h"
#include "physics/physics.h"

enum { MAX_LEVELS = 8, BAND_POINTS = 200 };

/** One scan table's map: nm values of the x axis (outer) by ng of the y
 *  axis (inner); x, y are mzp, gzp unless the grid line says otherwise. */
typedef struct {
  size_t nm, ng;
  double *m, *g, *z; /* nm * ng each, x outer */
  double zmin, zmax;
  size_t best;             /* index of the smallest z */
  char xkey[32], ykey[32]; /* grid keys of the axes */
  int logx, logy;
} scan_grid;

/** 1 when the map is over (M, g): the g-2 bands and overlays apply. */
static int is_mg(const scan_grid *s) {
  return strcmp(s->xkey, "mzp") == 0 && strcmp(s->ykey, "gzp") == 0;
}

static void grid_free(scan_grid *s) {
  free(s->m);
  free(s->g);
  free(s->z);
}

/** The (mzp, gzp) grid of a table without a `## grid` line: mzp outer. */
static zp_status load_mg(const zp_tsv *t, const char *zname, scan_grid *s, zp_error *err) {
  int zc = zp_tsv_col(t, zname);
  if (zc < 0)
    return zp_error_set(err, ZP_EINVAL,
                        "z = %s: not a column of %s, allowed "
                        "delta_chi2|R|chi2|gamma|norm|gm2_pull",
                        zname, t->path);
  size_t n = t->nrows;
  s->m = malloc(n * sizeof *s->m);
  s->g = malloc(n * sizeof *s->g);
  s->z = malloc(n * sizeof *s->z);
  if (s->m == NULL || s->g == NULL || s->z == NULL)
    return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = zp_tsv_column(t, (size_t)zp_tsv_col(t, "mzp_MeV"), s->m, err);
  if (st == ZP_OK) st = zp_tsv_column(t, (size_t)zp_tsv_col(t, "gzp"), s->g, err);
  if (st == ZP_OK) st = zp_tsv_column(t, (size_t)zc, s->z, err);
  if (st != ZP_OK) return st;
  /* The grid: mzp constant over each block of ng rows, the same g in each. */
  s->ng = 1;
  while (s->ng < n && s->m[s->ng] == s->m[0]) s->ng++;
  s->nm = n / s->ng;
  for (size_t r = 0; r < n; r++) {
    int ok = s->nm * s->ng == n && s->m[r] == s->m[r - r % s->ng] && s->g[r] == s->g[r % s->ng] &&
             s->m[r] > 0.0 && s->g[r] > 0.0;
    if (!ok)
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: not a complete (mzp, gzp) grid with mzp "
                          "outer and gzp > 0 inner (%zu rows, blocks of %zu)",
                          t->path, t->line[r], n, s->ng);
  }
  return ZP_OK;
}

/** Log spacing of axis @p key: as the scan was asked (`KEY = lo:hi:n:log`,
 *  `KEY_scale = log`), always for gzp, else from its values (three or more,
 *  positive, a constant ratio and no constant step). */
static int log_axis(const zp_tsv *t, const char *key, const double *v, size_t n, size_t step) {
  char scale[48];
  snprintf(scale, sizeof scale, "%s_scale", key);
  const char *text = zp_tsv_key(t, key), *sc = zp_tsv_key(t, scale);
  size_t len = text != NULL ? strlen(text) : 0;
  if (len > 4 && strcmp(text + len - 4, ":log") == 0) return 1;
  if (sc != NULL) return strcmp(sc, "log") == 0;
  if (strcmp(key, "gzp") == 0) return 1;
  if (n < 3) return 0;
  int ratio = 1, diff = 1;
  for (size_t i = 0; i < n; i++)
    if (!(v[i * step] > 0.0)) return 0;
  double r0 = v[step] / v[0], d0 = v[step] - v[0];
  for (size_t i = 2; i < n; i++) {
    double r = v[i * step] / v[(i - 1) * step], d = v[i * step] - v[(i - 1) * step];
    ratio = ratio && fabs(r - r0) <= 1e-6 * fabs(r0);
    diff = diff && fabs(d - d0) <= 1e-6 * fabs(d0);
  }
  return ratio && !diff;
}

/** Axis @p name of grid @p g (for x= and y=), or -1 with the error set. */
static int find_axis(const zp_tsv *t, const zp_grid_axes *g, const char *key, const char *name,
                     zp_error *err) {
  char allowed[300] = "";
  for (size_t k = 0; k < g->naxes; k++) {
    if (strcmp(g->keys[k], name) == 0) return (int)k;
    size_t u = strlen(allowed);
    snprintf(allowed + u, sizeof allowed - u, "%s%s", k ? "|" : "", g->keys[k]);
  }
  zp_error_set(err, ZP_EINVAL, "%s = %s: not an axis of %s, allowed %s", key, name, t->path,
               allowed);
  return -1;
}

/** The two axes of the map: x= and y=, else the grid's axes with more than
 *  one point, first as x; every other axis must have one point. */
static zp_status pick_axes(const zp_plot_opts *o, const zp_tsv *t, const zp_grid_axes *g, int *ix,
                           int *iy, zp_error *err) {
  int cand[ZP_GRID_MAX_AXES], nc = 0;
  for (size_t k = 0; k < g->naxes; k++)
    if (g->n[k] > 1) cand[nc++] = (int)k;
  *ix = o->x != NULL ? find_axis(t, g, "x", o->x, err) : -1;
  *iy = o->y != NULL ? find_axis(t, g, "y", o->y, err) : -1;
  if ((o->x != NULL && *ix < 0) || (o->y != NULL && *iy < 0)) return ZP_EINVAL;
  for (int i = 0; i < nc && (*ix < 0 || *iy < 0); i++) {
    if (cand[i] == *ix || cand[i] == *iy) continue;
    if (*ix < 0) *ix = cand[i];
    else *iy = cand[i];
  }
  if (*ix < 0 || *iy < 0)
    return zp_error_set(err, ZP_EINVAL,
                        "%s: a scan along one axis (%zu points), allowed a map of two axes "
                        "with at least 2 points each",
                        t->path, nc > 0 ? g->n[cand[0]] : (size_t)1);
  if (*ix == *iy)
    return zp_error_set(err, ZP_EINVAL, "x = y = %s: the same axis, allowed two different axes",
                        g->keys[*ix]);
  for (int i = 0; i < nc; i++)
    if (cand[i] != *ix && cand[i] != *iy)
      return zp_error_set(err, ZP_EINVAL,
                          "%s: the axis %s (%zu points) is neither x (%s) nor y (%s), allowed "
                          "a map of two axes: profile it first (zprop profile %s over=%s)",
                          t->path, g->keys[cand[i]], g->n[cand[i]], g->keys[*ix], g->keys[*iy],
                          t->path, g->keys[cand[i]]);
  return ZP_OK;
}

/** The map of a table with a `## grid` line (zprop scan over any axes, or
 *  zprop profile). */
static zp_status load_grid(const zp_plot_opts *o, const zp_tsv *t, const char *grid,
                           const char *zname, scan_grid *s, zp_error *err) {
  zp_grid_axes g;
  zp_error why;
  if (zp_grid_parse(grid, &g, &why) != ZP_OK)
    return zp_error_set(err, ZP_EFORMAT, "%s: %s", t->path, why.msg);
  int ix, iy;
  zp_status st = pick_axes(o, t, &g, &ix, &iy, err);
  if (st != ZP_OK) return st;
  if (t->nrows != g.rows)
    return zp_error_set(err, ZP_EFORMAT, "%s:%zu: %zu rows, but its grid line makes %zu", t->path,
                        t->line[t->nrows - 1], t->nrows, g.rows);
  int zc = zp_tsv_col(t, zname);
  if (zc < 0)
    return zp_error_set(err, ZP_EINVAL,
                        "z = %s: not a column of %s, allowed "
                        "delta_chi2|R|chi2|gamma|norm|gm2_pull|dchi2_min (profiles)",
                        zname, t->path);
  const char *xname = zp_grid_axis_column(g.keys[ix]), *yname = zp_grid_axis_column(g.keys[iy]);
  int xc = zp_tsv_col(t, xname), yc = zp_tsv_col(t, yname);
  if (xc < 0 || yc < 0)
    return zp_error_set(err, ZP_EFORMAT, "%s: no column %s for the grid's axis %s", t->path,
                        xc < 0 ? xname : yname, xc < 0 ? g.keys[ix] : g.keys[iy]);
  snprintf(s->xkey, sizeof s->xkey, "%s", g.keys[ix]);
  snprintf(s->ykey, sizeof s->ykey, "%s", g.keys[iy]);
  size_t sx = 1, sy = 1;
  for (size_t k = (size_t)ix + 1; k < g.naxes; k++) sx *= g.n[k];
  for (size_t k = (size_t)iy + 1; k < g.naxes; k++) sy *= g.n[k];
  s->nm = g.n[ix];
  s->ng = g.n[iy];
  size_t n = s->nm * s->ng;
  s->m = malloc(n * sizeof *s->m);
  s->g = malloc(n * sizeof *s->g);
  s->z = malloc(n * sizeof *s->z);
  if (s->m == NULL || s->g == NULL || s->z == NULL)
    return zp_error_set(err, ZP_ENOMEM, "out of memory");
  for (size_t i = 0; i < s->nm; i++)
    for (size_t j = 0; j < s->ng; j++) {
      size_t r = i * sx + j * sy, k = i * s->ng + j;
      st = zp_tsv_number(t, r, (size_t)xc, &s->m[k], err);
      if (st == ZP_OK) st = zp_tsv_number(t, r, (size_t)yc, &s->g[k], err);
      if (st == ZP_OK) st = zp_tsv_number(t, r, (size_t)zc, &s->z[k], err);
      if (st != ZP_OK) return st;
      if (s->m[k] != s->m[i * s->ng] || s->g[k] != s->g[j])
        return zp_error_set(err, ZP_EFORMAT,
                            "%s:%zu: not a complete grid of its '## grid' line (%s = %.10g, "
                            "%s = %.10g out of place)",
                            t->path, t->line[r], xname, s->m[k], yname, s->g[k]);
    }
  s->logx = log_axis(t, s->xkey, s->m, s->nm, s->ng);
  s->logy = log_axis(t, s->ykey, s->g, s->ng, 1);
  for (size_t k = 0; k < n; k++)
    if ((s->logx && !(s->m[k] > 0.0)) || (s->logy && !(s->g[k] > 0.0)))
      return zp_error_set(err, ZP_EFORMAT, "%s: %s <= 0 on a log axis", t->path,
                          s->logx && !(s->m[k] > 0.0) ? xname : yname);
  return ZP_OK;
}

static zp_status load(const zp_plot_opts *o, const zp_tsv *t, scan_grid *s, zp_error *err) {
  const char *grid = zp_tsv_key(t, "grid");
  zp_status st;
  if (grid != NULL) st = load_grid(o, t, grid, o->z, s, err);
  else if ((o->x != NULL && strcmp(o->x, "mzp") != 0) || (o->y != NULL && strcmp(o->y, "gzp") != 0))
    st = zp_error_set(err, ZP_EINVAL,
                      "%s: no '## grid' line, allowed x = mzp and y = gzp (a table of zprop "
                      "scan has the line)",
                      t->path);
  else {
    st = load_mg(t, o->z, s, err);
    snprintf(s->xkey, sizeof s->xkey, "mzp");
    snprintf(s->ykey, sizeof s->ykey, "gzp");
    const char *scale = zp_tsv_key(t, "mzp_scale");
    s->logx = scale != NULL && strcmp(scale, "log") == 0;
    s->logy = 1;
  }
  if (st != ZP_OK) return st;
  size_t n = s->nm * s->ng;
  s->zmin = s->zmax = s->z[0];
  s->best = 0;
  for (size_t r = 1; r < n; r++) {
    if (s->z[r] < s->zmin) s->zmin = s->z[r], s->best = r;
    s->zmax = fmax(s->zmax, s->z[r]);
  }
  return ZP_OK;
}

/** The contour levels: the key's, or per column the usual ones. */
/** The confidence levels of a profile, from its `## contours = dchi2_min
 *  4.60517 (90% CL), 5.99146 (95% CL), dof = 2` line (or 90% and 95% for
 *  two parameters without one), with their names. */
static void profile_levels(const zp_tsv *t, double *lv, char names[][32], size_t *n) {
  const char *c = zp_tsv_key(t, "contours");
  *n = 0;
  if (c != NULL && strncmp(c, "dchi2_min ", 10) == 0) {
    c += 10;
    while (*n < MAX_LEVELS) {
      char *end;
      double v = strtod(c, &end);
      if (end == c || strncmp(end, " (", 2) != 0) break;
      const char *close = strchr(end + 2, ')');
      if (close == NULL || !isfinite(v)) break;
      lv[*n] = v;
      snprintf(names[*n], sizeof names[0], "%.*s", (int)(close - end - 2), end + 2);
      (*n)++;
      c = close + 1;
      if (strncmp(c, ", ", 2) != 0) break;
      c += 2;
    }
  }
  if (*n > 0) return;
  static const double cl[2] = {90.0, 95.0};
  for (int i = 0; i < 2; i++) {
    lv[i] = zp_profile_level(cl[i], 2);
    snprintf(names[i], sizeof names[0], "%g%% CL", cl[i]);
  }
  *n = 2;
}

static zp_status levels(const zp_plot_opts *o, const zp_tsv *t, double *lv, char names[][32],
                        size_t *n, zp_error *err) {
  *n = 0;
  for (size_t i = 0; i < MAX_LEVELS; i++) names[i][0] = '\0';
  const char *c = o->contours;
  if (strcmp(c, "none") == 0) return ZP_OK;
  if (strcmp(c, "auto") == 0 && strcmp(o->z, "dchi2_min") == 0) {
    profile_levels(t, lv, names, n);
    return ZP_OK;
  }
  if (strcmp(c, "auto") == 0) {
    /* -2.3: better at 68% for two parameters; 4: worse by "2 sigma".  Not
     * 0: at small g the Z' changes nothing and Delta chi2 wanders about 0
     * by 1e-3, which a 0 contour draws as noise (the colour shows the sign). */
    if (strcmp(o->z, "delta_chi2") == 0) c = "-2.3,4";
    else if (strcmp(o->z, "R") == 0) c = "1";
    else return ZP_OK;
  }
  while (*c != '\0') {
    size_t len = strcspn(c, ",");
    char num[64];
    snprintf(num, sizeof num, "%.*s", (int)(len < 63 ? len : 63), c);
    if (*n == MAX_LEVELS || !zp_tsv_parse_real(num, &lv[*n]))
      return zp_error_set(err, ZP_EINVAL,
                          "contours = %s: %s, allowed auto|none|up to %d "
                          "comma-separated numbers",
                          o->contours, *n == MAX_LEVELS ? "too many levels" : "not a number",
                          MAX_LEVELS);
    (*n)++;
    c += len + (c[len] == ',');
  }
  return ZP_OK;
}

/** Which reference the bands follow, or -1 for none. */
static int band_ref(const zp_plot_opts *o, const zp_tsv *t) {
  if (o->gm2 != -2) return o->gm2;
  const char *word = zp_tsv_key(t, "gm2_ref");
  for (int i = 0; word != NULL && i < ZP_GM2_REF_COUNT; i++) {
    const char *label = "";
    zp_gm2_reference((zp_gm2_ref)i, NULL, NULL, &label, NULL);
    if (strcmp(word, label) == 0) return i;
  }
  return ZP_GM2_WP2020;
}

/** The 1 and 2 sigma bands over [lo, hi] MeV as one .dat block. */
static zp_status write_bands(zp_plot_fig *f, int ref, double lo, double hi, int logx, int *block,
                             zp_error *err) {
  const char *label = "";
  zp_gm2_reference((zp_gm2_ref)ref, NULL, NULL, &label, NULL);
  char what[200];
  snprintf(what, sizeof what,
           "muon g-2 bands (%s, zp_gm2_band); columns: mzp_MeV g_low_1sigma "
           "g_high_1sigma g_low_2sigma g_high_2sigma (NaN: no lower edge)",
           label);
  *block = zp_plot_dat_block(f, what);
  for (int i = 0; i < BAND_POINTS; i++) {
    double t = (double)i / (BAND_POINTS - 1);
    double m = logx ? lo * pow(hi / lo, t) : lo + (hi - lo) * t;
    double g[4];
    for (int k = 0; k < 2; k++) {
      zp_status st = zp_gm2_band(m * ZP_MEV_GEV, (zp_gm2_ref)ref, k + 1.0, &g[2 * k], &g[2 * k + 1],
                                 err);
      if (st != ZP_OK) return st;
    }
    zp_buf_printf(&f->dat, "%.10g", m);
    for (int k = 0; k < 4; k++) zp_buf_printf(&f->dat, g[k] > 0.0 ? "\t%.10g" : "\tNaN", g[k]);
    zp_buf_printf(&f->dat, "\n");
  }
  return ZP_OK;
}

/** Colour box range and palette: diverging around the "no change" value
 *  of delta_chi2 (0) and R (1), so improvement is blue and worse is red. */
static void palette(zp_plot_fig *f, const scan_grid *s) {
  const zp_plot_opts *o = f->o;
  int diverging = strcmp(o->z, "delta_chi2") == 0 || strcmp(o->z, "R") == 0;
  double centre = strcmp(o->z, "R") == 0 ? 1.0 : 0.0;
  double lo = s->zmin, hi = s->zmax;
  if (diverging) {
    /* Symmetric about the centre, so that large penalties saturate
     * instead of washing out the improvement. */
    lo = fmin(lo, centre - (centre == 0.0 ? 1.0 : 0.1));
    hi = fmax(fmin(hi, 2.0 * centre - lo), centre + (centre == 0.0 ? 1.0 : 0.1));
  }
  if (!(hi > lo)) hi = lo + 1.0;
  if (o->zr.set) lo = o->zr.lo, hi = o->zr.hi;
  zp_buf *b = &f->script;
  zp_buf_printf(b, "set cbrange [%.10g:%.10g]\n", lo, hi);
  if (diverging && lo < centre && hi > centre)
    zp_buf_printf(b,
                  "set palette defined (%.10g '#2166ac', %.10g '#d1e5f0', %.10g 'white', "
                  "%.10g '#fddbc7', %.10g '#b2182b')\n",
                  lo, centre - 0.25 * (centre - lo), centre, centre + 0.25 * (hi - centre), hi);
  else if (diverging && hi <= centre)
    zp_buf_printf(b, "set palette defined (0 '#2166ac', 1 'white')\n");
  else if (diverging) zp_buf_printf(b, "set palette defined (0 'white', 1 '#b2182b')\n");
  else /* viridis-like, readable in grey */
    zp_buf_printf(b, "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', "
                     "4 '#fde725')\n");
}

/** How a legend names the value of column @p z. */
static const char *z_symbol(const char *z) {
  static const char *const names[][2] = {{"delta_chi2", "Δχ²"},
                                         {"chi2", "χ²"},
                                         {"gamma", "γ"},
                                         {"gm2_pull", "g−2 pull"},
                                         {"dchi2_min", "χ² − χ²_min"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(z, names[i][0]) == 0) return names[i][1];
  return z;
}

/** "Δχ²" etc.: the colour box label of column @p z. */
static void z_label(char *buf, size_t size, const char *z, const zp_tsv *t) {
  const char *text = zp_tsv_key(t, "chi2_0");
  double chi2_0;
  if (strcmp(z, "delta_chi2") == 0 && text != NULL && zp_tsv_parse_real(text, &chi2_0))
    snprintf(buf, size, "Δχ² = χ² − χ²₀   (χ²₀ = %.2f, power law without Z′)", chi2_0);
  else if (strcmp(z, "delta_chi2") == 0) snprintf(buf, size, "Δχ² = χ² − χ²₀");
  else if (strcmp(z, "R") == 0) snprintf(buf, size, "R = (χ²/(n−4)) / (χ²₀/(n−2))");
  else if (strcmp(z, "chi2") == 0) snprintf(buf, size, "χ²");
  else if (strcmp(z, "gamma") == 0) snprintf(buf, size, "best-fit γ");
  else if (strcmp(z, "gm2_pull") == 0) snprintf(buf, size, "g−2 pull (Δa_μ − central)/σ");
  else if (strcmp(z, "dchi2_min") == 0) {
    const char *min = zp_tsv_key(t, "chi2_min"), *over = zp_tsv_key(t, "profiled");
    double chi2_min;
    if (min != NULL && zp_tsv_parse_real(min, &chi2_min))
      snprintf(buf, size, "χ² − χ²_min   (χ²_min = %.2f%s%.60s)", chi2_min,
               over != NULL ? "; " : "", over != NULL ? over : "");
    else snprintf(buf, size, "χ² − χ²_min");
  } else snprintf(buf, size, "%s", z);
}

/** Automatic title from the scan's header: source, masses, data. */
static void scan_title(char *buf, size_t size, const zp_tsv *t) {
  const char *src = zp_tsv_key(t, "source"), *z0 = zp_tsv_key(t, "z0");
  const char *zmax = zp_tsv_key(t, "zmax"), *sum = zp_tsv_key(t, "sum_mnu");
  const char *ord = zp_tsv_key(t, "ordering"), *data = zp_tsv_key(t, "data");
  const char *gchi = zp_tsv_key(t, "gchi"), *prof = zp_tsv_key(t, "profile");
  buf[0] = '\0';
  if (src != NULL && strcmp(src, "delta") == 0)
    snprintf(buf, size, "sources at z₀ = %s", z0 ? z0 : "?");
  else if (src != NULL) snprintf(buf, size, "%s sources (z ≤ %s)", src, zmax ? zmax : "?");
  size_t u = strlen(buf);
  if (sum != NULL) snprintf(buf + u, size - u, ", Σmν = %s eV %s", sum, ord ? ord : "");
  u = strlen(buf);
  if (gchi != NULL && strcmp(gchi, "0") != 0) snprintf(buf + u, size - u, ", gχ = %s", gchi);
  u = strlen(buf);
  if (data != NULL) snprintf(buf + u, size - u, "; data %s", data);
  u = strlen(buf);
  if (prof != NULL && strcmp(prof, "gamma_norm") != 0)
    snprintf(buf + u, size - u, "; profiled: %s", prof);
  const char *over = zp_tsv_key(t, "profiled");
  u = strlen(buf);
  if (over != NULL) snprintf(buf + u, size - u, "; %s", over);
}

/** The label of a map axis: its quantity and unit (enhanced text). */
static const char *axis_label(const char *key) {
  static const char *const labels[][2] = {
      {"mzp", "M_{Z′} (MeV)"},
      {"gzp", "g_{Z′}"},
      {"gchi", "g_{χ}"},
      {"mchi", "m_{χ} (MeV)"},
      {"sum_mnu", "Σm_{ν} (eV)"},
      {"z0", "z_{0}"},
      {"zmax", "z_{max}"},
      {"density_power", "n of ρ(z) (1+z)^{n}"},
      {"gamma", "γ"},
      {"norm", "A = norm (GeV^{−1} cm^{−2} s^{−1} sr^{−1})"},
  };
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (strcmp(key, labels[i][0]) == 0) return labels[i][1];
  return key;
}

static void contour_tables(zp_plot_fig *f, int grid, const double *lv, size_t nl) {
  zp_buf *b = &f->script;
  if (nl == 0) return;
  /* Traced before the axes get their display formats: `set table`
   * writes coordinates in the axis format. */
  zp_buf_printf(b, "set view map\nset contour base\nunset surface\nset format x '%%.10g'\n"
                   "set format y '%%.10g'\n");
  for (size_t i = 0; i < nl; i++) {
    zp_buf_printf(b, "set cntrparam levels discrete %.10g\nset table $level%zu\nsplot ", lv[i], i);
    zp_buf_quote_path(b, f->dat_base);
    zp_buf_printf(b, " index %d using 1:2:3 notitle\nunset table\n", grid);
  }
  zp_buf_printf(b, "unset contour\nset surface\n");
}

static zp_status write_map(zp_plot_fig *f, const zp_plot_input *in, const scan_grid *s,
                           zp_error *err) {
  const zp_plot_opts *o = f->o;
  const zp_tsv *t = in->t;
  double lv[MAX_LEVELS];
  char lvname[MAX_LEVELS][32];
  size_t nl;
  zp_status st = levels(o, t, lv, lvname, &nl, err);
  if (st != ZP_OK) return st;
  int logx = s->logx, mg = is_mg(s);
  const char *xcol = zp_grid_axis_column(s->xkey), *ycol = zp_grid_axis_column(s->ykey);
  double mlo = s->m[0], mhi = s->m[(s->nm - 1) * s->ng];
  double glo = s->g[0], ghi = s->g[s->ng - 1];
  if (o->xr.set) mlo = o->xr.lo, mhi = o->xr.hi;

  char what[300];
  if (mg)
    snprintf(what, sizeof what, "%s on the (M, g) grid of %s; columns: mzp_MeV gzp %s", o->z,
             t->path, o->z);
  else
    snprintf(what, sizeof what, "%s on the (%s, %s) grid of %s; columns: %s %s %s", o->z, s->xkey,
             s->ykey, t->path, xcol, ycol, o->z);
  int grid = zp_plot_dat_block(f, what);
  for (size_t im = 0; im < s->nm; im++) {
    for (size_t ig = 0; ig < s->ng; ig++) {
      size_t r = im * s->ng + ig;
      zp_buf_printf(&f->dat, "%.10g\t%.10g\t%.10g\n", s->m[r], s->g[r], s->z[r]);
    }
    zp_buf_printf(&f->dat, "\n");
  }
  /* The lowest point is marked where lower is better. */
  int best = -1;
  if (strcmp(o->z, "delta_chi2") == 0 || strcmp(o->z, "R") == 0 || strcmp(o->z, "chi2") == 0 ||
      strcmp(o->z, "dchi2_min") == 0) {
    char m[32], g[32];
    zp_plot_num(m, sizeof m, s->m[s->best]);
    zp_plot_num(g, sizeof g, s->g[s->best]);
    if (mg)
      snprintf(what, sizeof what,
               "the grid point with the lowest %s: M = %s MeV, g = %s; columns "
               "as index %d",
               o->z, m, g, grid);
    else
      snprintf(what, sizeof what,
               "the grid point with the lowest %s: %s = %s, %s = %s; columns as index %d", o->z,
               s->xkey, m, s->ykey, g, grid);
    best = zp_plot_dat_block(f, what);
    zp_buf_printf(&f->dat, "%.10g\t%.10g\t%.10g\n", s->m[s->best], s->g[s->best], s->zmin);
  }
  int ref = mg ? band_ref(o, t) : -1, bands = -1;
  if (ref >= 0) st = write_bands(f, ref, mlo, mhi, logx, &bands, err);
  if (st != ZP_OK) return st;
  zp_plot_overlay ov; /* the g-2 exclusion line and limit files */
  st = zp_plot_overlay_data(f, t, mg, mlo, mhi, logx, &ov, err);
  if (st != ZP_OK) {
    zp_plot_overlay_free(&ov);
    return st;
  }

  zp_buf *b = &f->script;
  zp_plot_preamble(f);
  contour_tables(f, grid, lv, nl);
  char title[512], zl[160];
  scan_title(title, sizeof title, t);
  zp_plot_title(f, title);
  z_label(zl, sizeof zl, o->z, t);
  /* A log axis shows powers of ten, but the mass its plain numbers. */
  zp_buf_printf(b, "set view map\n%s%sset format x '%s'\nset format y '%s'\nset xlabel ",
                s->logy ? "set logscale y\n" : "", logx ? "set logscale x\n" : "",
                logx && strcmp(s->xkey, "mzp") != 0 ? "10^{%L}" : "%g",
                s->logy && strcmp(s->ykey, "mzp") != 0 ? "10^{%L}" : "%g");
  zp_buf_quote(b, axis_label(s->xkey));
  zp_buf_printf(b, "\nset ylabel ");
  zp_buf_quote(b, axis_label(s->ykey));
  zp_buf_printf(b, "\nset cblabel ");
  zp_buf_quote(b, zl);
  /* The legend goes under the map, in rows of three, not over it.  Beyond
   * six entries (limit curves, whose labels are long) three columns would
   * run off the canvas: two, in as many rows as needed (0.028 of the height
   * each at font 10), hung from their top (gnuplot drops the rows of a
   * centred key that reach the canvas edge), the map raised above them. */
  int entries = (int)nl + (bands >= 0 ? 2 : 0) + (best >= 0 ? 1 : 0) + ov.entries;
  int cols = entries > 6 ? 2 : 3;
  int rows = (entries + cols - 1) / cols > 1 ? (entries + cols - 1) / cols : 1;
  char key_at[96] = "screen 0.09 center center";
  double bottom = 0.24;
  if (entries > 6) {
    double top = 0.03 + 0.028 * rows;
    snprintf(key_at, sizeof key_at, "screen %.3g center top maxcols 2", top);
    if (top + 0.10 > bottom) bottom = top + 0.10;
  }
  zp_buf_printf(b,
                " noenhanced\nset key at screen 0.455, %s horizontal maxrows %d font ',10' "
                "samplen 2.5\n"
                "set lmargin at screen 0.11\nset rmargin at screen 0.80\n"
                "set bmargin at screen %.3g\nset tmargin at screen 0.91\n"
                "set colorbox user origin screen 0.83, screen %.3g size screen 0.025, "
                "screen %.3g\n",
                key_at, rows, bottom, bottom, 0.91 - bottom);
  zp_plot_range_line(f, "x", &o->xr, mlo, mhi);
  zp_plot_range_line(f, "y", &o->yr, glo, ghi);
  palette(f, s);
  zp_buf_printf(b, "splot ");
  zp_buf_quote_path(b, f->dat_base);
  zp_buf_printf(b, " index %d using 1:2:3 with pm3d notitle", grid);
  /* Every line sits at z = the map's minimum: any z inside the range will
   * do on a map, and one outside would be clipped. */
  static const char *const dashes[] = {"1", "2", "3", "4", "5", "1", "2", "3"};
  for (size_t i = 0; i < nl; i++) {
    char num[32], name[128];
    zp_plot_num(num, sizeof num, lv[i]);
    if (lvname[i][0] != '\0') snprintf(name, sizeof name, "%.31s (Δχ² = %.2f)", lvname[i], lv[i]);
    else snprintf(name, sizeof name, "%s = %s", z_symbol(o->z), num);
    zp_buf_printf(b,
                  ", \\\n  $level%zu using 1:2:(%.10g) with lines lc rgb '%s' lw 2 dt %s "
                  "title ",
                  i, s->zmin, i < 5 ? "black" : "#555555", dashes[i]);
    zp_buf_quote(b, name);
    zp_buf_printf(b, " noenhanced");
  }
  if (bands >= 0) {
    const char *label = "";
    zp_gm2_reference((zp_gm2_ref)ref, NULL, NULL, &label, NULL);
    for (int k = 0; k < 4; k++) {
      zp_buf_printf(b, ", \\\n  ");
      zp_buf_quote_path(b, f->dat_base);
      zp_buf_printf(b, " index %d using 1:%d:(%.10g) with lines lc rgb '#e41a1c' lw 2 dt %d ",
                    bands, k + 2, s->zmin, k < 2 ? 1 : 2);
      if (k % 2 == 1) zp_buf_printf(b, "notitle");
      else zp_buf_printf(b, "title 'g−2 %dσ (%s)' noenhanced", k / 2 + 1, label);
    }
  }
  zp_plot_overlay_plot(f, &ov, s->zmin);
  zp_plot_overlay_free(&ov);
  if (best >= 0) {
    char z[32];
    snprintf(z, sizeof z, "%.3g", s->z[s->best]);
    zp_buf_printf(b, ", \\\n  ");
    zp_buf_quote_path(b, f->dat_base);
    zp_buf_printf(b,
                  " index %d using 1:2:3 with points pt 3 ps 2.5 lw 2 lc rgb 'black' "
                  "title 'lowest, %s = %s' noenhanced",
                  best, z_symbol(o->z), z);
  }
  zp_buf_printf(b, "\n");
  return ZP_OK;
}

zp_status zp_plot_scan(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err) {
  /* z = auto: a profile's dchi2_min, else delta_chi2 (the options are the
   * caller's: a copy holds the choice while this figure is drawn). */
  zp_plot_opts local = *f->o;
  const zp_plot_opts *caller = f->o;
  if (strcmp(local.z, "auto") == 0)
    local.z = zp_tsv_col(in[0].t, "dchi2_min") >= 0 ? "dchi2_min" : "delta_chi2";
  f->o = &local;
  zp_status st = ZP_OK;
  scan_grid *s = calloc(n, sizeof *s);
  if (s == NULL) st = zp_error_set(err, ZP_ENOMEM, "out of memory");
  for (size_t i = 0; s != NULL && i < n && st == ZP_OK; i++) st = load(f->o, in[i].t, &s[i], err);
  if (st == ZP_OK && s[0].logy) st = zp_plot_check_log_range(&f->o->yr, "yrange", err);
  if (st == ZP_OK && s[0].logx) st = zp_plot_check_log_range(&f->o->xr, "xrange", err);
  if (st == ZP_OK) {
    int map = s[0].nm > 1 && s[0].ng > 1;
    if (map && n > 1)
      st = zp_error_set(err, ZP_EINVAL,
                        "%s: a map takes one scan table, got %zu (plot them "
                        "one at a time)",
                        in[1].t->path, n);
    else if (map) st = write_map(f, &in[0], &s[0], err);
    else
      st = zp_error_set(err, ZP_EINVAL,
                        "%s: a scan along one axis (%zu x %zu points), allowed "
                        "a map with at least 2 masses and 2 couplings",
                        in[0].t->path, s[0].nm, s[0].ng);
  }
  for (size_t i = 0; s != NULL && i < n; i++) grid_free(&s[i]);
  free(s);
  f->o = caller;
  return st;
}
