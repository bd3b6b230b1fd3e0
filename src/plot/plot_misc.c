/* zprop CLI: the two small figures of `zprop plot`: the muon g-2 band
 * tables of `zprop gm2 band=1|2` (g_low and g_high against M, log-log),
 * and `kind=sources`, the source redshift distributions of H-Fig. 6
 * tabulated here from the library (zp_source_density).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "zprop/source.h"

static zp_status band_range(const zp_tsv *t, double *xlo, double *xhi, double *ylo, double *yhi,
                            zp_error *err) {
  int cols[3] = {zp_tsv_col(t, "mzp_MeV"), zp_tsv_col(t, "g_low"), zp_tsv_col(t, "g_high")};
  for (size_t r = 0; r < t->nrows; r++) {
    double v[3];
    for (int k = 0; k < 3; k++) {
      zp_status st = zp_tsv_number(t, r, (size_t)cols[k], &v[k], err);
      if (st != ZP_OK) return st;
    }
    if (!(v[0] > 0.0) || v[1] < 0.0 || !(v[2] >= v[1]))
      return zp_error_set(err, ZP_EFORMAT,
                          "%s:%zu: not a band row (allowed mzp_MeV > 0, "
                          "0 <= g_low <= g_high)",
                          t->path, t->line[r]);
    *xlo = fmin(*xlo, v[0]);
    *xhi = fmax(*xhi, v[0]);
    *ylo = fmin(*ylo, v[1] > 0.0 ? v[1] : v[2]);
    *yhi = fmax(*yhi, v[2]);
  }
  return ZP_OK;
}

zp_status zp_plot_gm2_band(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err) {
  const zp_plot_opts *o = f->o;
  zp_status st = zp_plot_check_log_range(&o->xr, "xrange", err);
  if (st == ZP_OK) st = zp_plot_check_log_range(&o->yr, "yrange", err);
  double xlo = INFINITY, xhi = 0.0, ylo = INFINITY, yhi = 0.0;
  for (size_t i = 0; i < n && st == ZP_OK; i++)
    st = band_range(in[i].t, &xlo, &xhi, &ylo, &yhi, err);
  char **labels = NULL;
  if (st == ZP_OK) st = zp_plot_labels(o, n, &labels, err);
  if (st != ZP_OK) return st;
  zp_buf *b = &f->script;
  zp_plot_preamble(f);
  zp_plot_title(f, "muon g−2: couplings g that bring Δaμ within n σ of the reference");
  zp_buf_printf(b, "set logscale xy\nset format x '10^{%%L}'\nset format y '10^{%%L}'\n"
                   "set xlabel 'M_{Z′} (MeV)'\nset ylabel 'g_{Z′}'\n"
                   "set key top left box opaque font ',10'\n");
  zp_plot_range_line(f, "x", &o->xr, xlo, xhi > xlo ? xhi : 10.0 * xlo);
  zp_plot_range_line(f, "y", &o->yr, ylo / 2.0, 2.0 * yhi);
  zp_buf_printf(b, "plot ");
  for (size_t i = 0; i < n; i++) {
    const char *band = zp_tsv_key(in[i].t, "band"), *ref = zp_tsv_key(in[i].t, "gm2_ref");
    char label[200];
    snprintf(label, sizeof label, "%sσ band (%s)", band ? band : "?", ref ? ref : "?");
    int lt = (int)i + 1;
    if (i > 0) zp_buf_printf(b, ", \\\n  ");
    /* g_low = 0 (no lower edge) is drawn to the bottom of the log axis. */
    zp_buf_quote_path(b, in[i].rel);
    zp_buf_printf(b,
                  " using 1:($2>0?$2:1e-300):3 with filledcurves lt %d "
                  "fs transparent solid 0.2 noborder notitle, \\\n  ",
                  lt);
    zp_buf_quote_path(b, in[i].rel);
    zp_buf_printf(b, " using 1:3 with lines lt %d title ", lt);
    zp_buf_quote(b, labels[i] != NULL ? labels[i] : label);
    zp_buf_printf(b, " noenhanced, \\\n  ");
    zp_buf_quote_path(b, in[i].rel);
    zp_buf_printf(b, " using 1:($2>0?$2:NaN) with lines lt %d notitle", lt);
  }
  zp_buf_printf(b, "\n");
  zp_plot_labels_free(labels, n);
  return ZP_OK;
}

zp_status zp_plot_sources(zp_plot_fig *f, zp_error *err) {
  const zp_plot_opts *o = f->o;
  zp_status st = zp_plot_check_log_range(&o->yr, "yrange", err);
  if (st != ZP_OK) return st;
  static const struct {
    zp_source_kind kind;
    const char *title, *style;
  } curves[] = {
      {ZP_SOURCE_SFR, "star formation rate, H-Eq. 17", "lc rgb 'black' lw 2"},
      {ZP_SOURCE_SFR_SMOOTH, "star formation rate, smooth (Yüksel et al. 2008)",
       "lc rgb '#777777' lw 2 dt 3"},
      {ZP_SOURCE_BLLAC, "BL Lacs, Ajello et al. 2014 LDDE1", "lc rgb '#0072b2' lw 2 dt 4"},
  };
  enum { NC = sizeof curves / sizeof curves[0], NZ = 701 };
  const double zmax = 7.0;
  double peak[NC] = {0.0};
  for (int c = 0; c < NC; c++) {
    zp_source src = {.kind = curves[c].kind, .zmax = 20.0, .gamma = 2.0};
    for (int i = 0; i < NZ; i++)
      peak[c] = fmax(peak[c], zp_source_density(&src, zmax * i / (NZ - 1)));
    if (!(peak[c] > 0.0)) return zp_error_set(err, ZP_ENUMERIC, "source density %d is zero", c);
  }
  zp_plot_dat_block(f, "rho(z) / max rho of the library's sources (zp_source_density, "
                       "density_power = 0); columns: z sfr sfr_smooth bllac");
  for (int i = 0; i < NZ; i++) {
    double z = zmax * i / (NZ - 1);
    zp_buf_printf(&f->dat, "%.4f", z);
    for (int c = 0; c < NC; c++) {
      zp_source src = {.kind = curves[c].kind, .zmax = 20.0, .gamma = 2.0};
      zp_buf_printf(&f->dat, "\t%.10e", zp_source_density(&src, z) / peak[c]);
    }
    zp_buf_printf(&f->dat, "\n");
  }
  zp_buf *b = &f->script;
  zp_plot_preamble(f);
  zp_plot_title(f, "source redshift distributions (each divided by its maximum)");
  zp_buf_printf(b, "set logscale y\nset format y '10^{%%L}'\nset xlabel 'redshift z'\n"
                   "set ylabel 'ρ(z) / ρ_{max}'\nset key right center box opaque font ',10'\n");
  zp_plot_range_line(f, "x", &o->xr, 0.0, zmax);
  zp_plot_range_line(f, "y", &o->yr, 1e-3, 2.0);
  zp_buf_printf(b, "plot ");
  for (int c = 0; c < NC; c++) {
    zp_buf_printf(b, "%s", c > 0 ? ", \\\n  " : "");
    zp_buf_quote_path(b, f->dat_base);
    zp_buf_printf(b, " index 0 using 1:%d with lines %s title ", c + 2, curves[c].style);
    zp_buf_quote(b, curves[c].title);
    zp_buf_printf(b, " noenhanced");
  }
  zp_buf_printf(b, "\n");
  return ZP_OK;
}
