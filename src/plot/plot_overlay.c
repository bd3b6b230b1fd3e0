/* zprop CLI: the g-2 exclusion line and the limit curves over a scan map
 * (see plot_overlay.h).
 *
 * The exclusion line is zp_gm2_exclusion() along the map's mass range: the
 * coupling above which Delta a_mu exceeds the reference's central value by
 * more than n sigma.  Limit curves are files (docs/limits.md); every text
 * they hold is data, so a label reaches the script only through
 * zp_buf_quote (a single-quoted gnuplot string, noenhanced) and the .dat
 * block comments only through zp_buf_comment.
 * SPDX-License-Identifier: MIT */
#include "plot/plot_overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physics/physics.h" /* ZP_MEV_GEV */
#include "zprop/gm2.h"
#include "zprop/limits.h"

enum { EXCL_POINTS = 200 };

/** How a legend names a reference: "BMW 2021" for bmw2021. */
static const char *ref_name(int ref) {
  static const char *const names[ZP_GM2_REF_COUNT] = {
      [ZP_GM2_WP2020] = "WP 2020",
      [ZP_GM2_WP2020_2023] = "WP 2020 (2023 average)",
      [ZP_GM2_BMW2025] = "BMW 2025",
      [ZP_GM2_WP2025] = "WP 2025",
      [ZP_GM2_BMW2021] = "BMW 2021"};
  return ref >= 0 && ref < ZP_GM2_REF_COUNT ? names[ref] : "?";
}

/** The reference of gm2_line: its word, or the scan's gm2_ref for `scan`. */
static int line_ref(const zp_plot_opts *o, const zp_tsv *t) {
  if (o->gm2_line != -2) return o->gm2_line;
  const char *word = zp_tsv_key(t, "gm2_ref");
  for (int i = 0; word != NULL && i < ZP_GM2_REF_COUNT; i++) {
    const char *label = "";
    zp_gm2_reference((zp_gm2_ref)i, NULL, NULL, &label, NULL);
    if (strcmp(word, label) == 0) return i;
  }
  return ZP_GM2_WP2020;
}

static zp_status exclusion(zp_plot_fig *f, int ref, double mlo, double mhi, int logx,
                           zp_plot_overlay *ov, zp_error *err) {
  const double n = f->o->gm2_nsigma;
  const char *label = "";
  double central = 0.0, sigma = 0.0;
  zp_gm2_reference((zp_gm2_ref)ref, &central, &sigma, &label, NULL);
  char num[32], what[256];
  zp_plot_num(num, sizeof num, n);
  snprintf(what, sizeof what,
           "muon g-2 exclusion (%s: Delta a_mu = %g +- %g; zp_gm2_exclusion, %s sigma): "
           "above g_excl Delta a_mu > central + %s sigma; columns: mzp_MeV g_excl",
           label, central, sigma, num, num);
  ov->excl_block = zp_plot_dat_block(f, what);
  snprintf(ov->excl_title, sizeof ov->excl_title, "g−2 exclusion, %s, %sσ", ref_name(ref), num);
  for (int i = 0; i < EXCL_POINTS; i++) {
    double t = (double)i / (EXCL_POINTS - 1);
    double m = logx ? mlo * pow(mhi / mlo, t) : mlo + (mhi - mlo) * t;
    double g;
    zp_status st = zp_gm2_exclusion(m * ZP_MEV_GEV, (zp_gm2_ref)ref, n, &g, err);
    if (st != ZP_OK) return st;
    zp_buf_printf(&f->dat, "%.10g\t%.10g\n", m, g);
  }
  ov->entries++;
  return ZP_OK;
}

static zp_status limit_file(zp_plot_fig *f, const char *path, zp_plot_overlay *ov, zp_error *err) {
  zp_limit_curve *c = NULL;
  zp_status st = zp_limit_curve_load(path, &c, err);
  if (st != ZP_OK) return st;
  size_t k = ov->nlimits;
  size_t tlen = strlen(c->label) + strlen(c->confidence) + 4;
  char *title = malloc(tlen), *what = malloc(strlen(path) + strlen(c->reference) +
                                             strlen(c->method) + strlen(c->label) + 128);
  if (title == NULL || what == NULL) {
    free(title);
    free(what);
    zp_limit_curve_free(c);
    return zp_error_set(err, ZP_ENOMEM, "out of memory");
  }
  snprintf(title, tlen, "%s, %s", c->label, c->confidence);
  sprintf(what, "limit curve %s: %s (reference: %s; method: %s); columns: mzp_MeV coupling", path,
          c->label, c->reference, c->method);
  ov->limit_title[k] = title;
  ov->limit_block[k] = zp_plot_dat_block(f, what);
  ov->nlimits++;
  free(what);
  for (size_t i = 0; i < c->n; i++)
    zp_buf_printf(&f->dat, "%.10g\t%.10g\n", c->mass_mev[i], c->coupling[i]);
  zp_limit_curve_free(c);
  ov->entries++;
  return ZP_OK;
}

zp_status zp_plot_overlay_data(zp_plot_fig *f, const zp_tsv *t, int mg, double mlo, double mhi,
                               int logx, zp_plot_overlay *ov, zp_error *err) {
  memset(ov, 0, sizeof *ov);
  ov->excl_block = -1;
  const zp_plot_opts *o = f->o;
  if (!mg && (o->gm2_line != -1 || o->limits != NULL))
    return zp_error_set(err, ZP_EINVAL,
                        "%s: gm2_line and limits are lines in (mzp, gzp); allowed on a map of "
                        "x = mzp, y = gzp only",
                        t->path);
  if (o->gm2_line != -1) {
    zp_status st = exclusion(f, line_ref(o, t), mlo, mhi, logx, ov, err);
    if (st != ZP_OK) return st;
  }
  if (o->limits == NULL) return ZP_OK;
  size_t n = 1;
  for (const char *c = o->limits; *c != '\0'; c++) n += *c == ',';
  ov->limit_block = calloc(n, sizeof *ov->limit_block);
  ov->limit_title = calloc(n, sizeof *ov->limit_title);
  if (ov->limit_block == NULL || ov->limit_title == NULL)
    return zp_error_set(err, ZP_ENOMEM, "out of memory");
  for (const char *c = o->limits; *c != '\0' || c == o->limits;) {
    size_t len = strcspn(c, ",");
    char *path = malloc(len + 1);
    if (path == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
    memcpy(path, c, len);
    path[len] = '\0';
    zp_status st = len == 0 ? zp_error_set(err, ZP_EINVAL,
                                           "limits = %s: an empty file name, allowed "
                                           "none|FILE,FILE,...",
                                           o->limits)
                            : limit_file(f, path, ov, err);
    free(path);
    if (st != ZP_OK) return st;
    c += len;
    if (*c == ',') {
      c++;
      if (*c == '\0')
        return zp_error_set(err, ZP_EINVAL,
                            "limits = %s: an empty file name, allowed none|FILE,FILE,...",
                            o->limits);
    }
  }
  return ZP_OK;
}

void zp_plot_overlay_plot(zp_plot_fig *f, const zp_plot_overlay *ov, double zpos) {
  zp_buf *b = &f->script;
  if (ov->excl_block >= 0) {
    zp_buf_printf(b, ", \\\n  ");
    zp_buf_quote_path(b, f->dat_base);
    zp_buf_printf(b, " index %d using 1:2:(%.10g) with lines lc rgb '#1a9641' lw 3 title ",
                  ov->excl_block, zpos);
    zp_buf_quote(b, ov->excl_title);
    zp_buf_printf(b, " noenhanced");
  }
  static const char *const colours[] = {"#7b3294", "#e66101", "#0571b0", "#a6611a", "#404040"};
  for (size_t k = 0; k < ov->nlimits; k++) {
    zp_buf_printf(b, ", \\\n  ");
    zp_buf_quote_path(b, f->dat_base);
    zp_buf_printf(b, " index %d using 1:2:(%.10g) with lines lc rgb '%s' lw 2 dt %zu title ",
                  ov->limit_block[k], zpos, colours[k % 5], k / 5 % 4 + 1);
    zp_buf_quote(b, ov->limit_title[k]);
    zp_buf_printf(b, " noenhanced");
  }
}

void zp_plot_overlay_free(zp_plot_overlay *ov) {
  for (size_t k = 0; ov->limit_title != NULL && k < ov->nlimits; k++) free(ov->limit_title[k]);
  free(ov->limit_title);
  free(ov->limit_block);
  ov->limit_title = NULL;
  ov->limit_block = NULL;
  ov->nlimits = 0;
}
