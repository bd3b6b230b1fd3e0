/* zprop CLI: the IceCube points on a spectrum figure of `zprop plot`.
 *
 * The data sets are read through the library's loader (the same files,
 * directory rules and validation as `zprop fit`) and copied into the
 * figure's .dat file, so the script does not depend on the data format:
 * measurements as x/y error bars over the bin, limits as a bar with a
 * downward arrow.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "zprop/data.h"

/** A short legend entry for the shipped sets; the file's name otherwise. */
static const char *legend(const zp_dataset *d) {
  static const char *const known[][2] = {
      {"cascades6yr", "IceCube cascades 6 yr, per flavour"},
      {"tracks9yr", "IceCube tracks 9.5 yr, νμ"},
      {"hese7yr", "IceCube HESE 7.5 yr, per flavour"},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(d->name, known[i][0]) == 0) return known[i][1];
  return d->name;
}

/** Writes the measurements (@p ul = 0) or the limits of @p d as one block;
 *  @return its index, or -1 when there are none. */
static int write_rows(zp_plot_fig *f, const zp_dataset *d, int ul) {
  size_t count = 0;
  for (size_t b = 0; b < d->nbins; b++) count += d->bins[b].is_ul == ul;
  if (count == 0) return -1;
  char what[1600];
  snprintf(what, sizeof what,
           "%s %s (%s); columns: E_GeV (geometric bin centre) emin emax "
           "E2Phi lower upper, GeV cm^-2 s^-1 sr^-1",
           d->name, ul ? "upper limits" : "measurements", d->path);
  int index = zp_plot_dat_block(f, what);
  for (size_t b = 0; b < d->nbins; b++) {
    const zp_data_bin *r = &d->bins[b];
    if (r->is_ul != ul) continue;
    zp_buf_printf(&f->dat, "%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\n", sqrt(r->emin * r->emax),
                  r->emin, r->emax, r->value, r->lower, r->upper);
  }
  return index;
}

static void plot_clauses(zp_plot_fig *f, zp_buf *plot, const zp_dataset *d, int k, int pts,
                         int uls) {
  /* Black, then greys: the data stand apart from the coloured models. */
  static const char *const colours[] = {"#000000", "#666666", "#999999"};
  static const int shapes[] = {7, 5, 9};
  const char *c = colours[k % 3];
  int pt = shapes[k % 3];
  const char *dat = f->dat_base;
  int titled = 0;
  if (pts >= 0) {
    zp_buf_printf(plot, ", \\\n  ");
    zp_buf_quote_path(plot, dat);
    /* A lower edge of 0 (interval reaching zero) is drawn to the bottom. */
    zp_buf_printf(plot,
                  " index %d using 1:4:2:3:($5>0?$5:1e-300):6 with xyerrorbars "
                  "lc rgb '%s' pt %d ps 1 lw 1.5 title ",
                  pts, c, pt);
    zp_buf_quote(plot, legend(d));
    zp_buf_printf(plot, " noenhanced");
    titled = 1;
  }
  if (uls >= 0) {
    zp_buf_printf(plot, ", \\\n  ");
    zp_buf_quote_path(plot, dat);
    zp_buf_printf(plot, " index %d using 1:4:2:3:4:4 with xyerrorbars lc rgb '%s' pt -1 lw 1.5 ",
                  uls, c);
    if (titled) zp_buf_printf(plot, "notitle");
    else {
      zp_buf_printf(plot, "title ");
      zp_buf_quote(plot, legend(d));
      zp_buf_printf(plot, " noenhanced");
    }
    zp_buf_printf(plot, ", \\\n  ");
    zp_buf_quote_path(plot, dat);
    /* The arrow ends at half the limit: a fixed length on the log axis. */
    zp_buf_printf(plot,
                  " index %d using 1:4:(0):(-0.5*$4) with vectors lc rgb '%s' lw 1.5 "
                  "head filled size screen 0.008,25 notitle",
                  uls, c);
  }
}

/** The names in `data`, with v2024 as the second paper's two sets. */
static const char *expand(const char *data) {
  return strcmp(data, "v2024") == 0 ? "cascades6yr,tracks9yr" : data;
}

zp_status zp_plot_icecube(zp_plot_fig *f, zp_buf *plot, double *ymin, double *ymax, zp_error *err) {
  if (strcmp(f->o->data, "none") == 0) return ZP_OK;
  const char *list = expand(f->o->data);
  for (int k = 0; *list != '\0'; k++) {
    size_t len = strcspn(list, ",");
    char name[1024];
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), list);
    list += len + (list[len] == ',');
    zp_dataset *d = NULL;
    zp_error e;
    zp_status st = zp_dataset_builtin(name, &d, &e);
    if (st != ZP_OK) return zp_error_set(err, st, "data = %s: %s", f->o->data, e.msg);
    for (size_t b = 0; b < d->nbins; b++) {
      const zp_data_bin *r = &d->bins[b];
      if (r->upper > *ymax) *ymax = r->upper;
      double low = r->is_ul ? 0.5 * r->value : r->value;
      if (low > 0.0 && low < *ymin) *ymin = low;
    }
    int pts = write_rows(f, d, 0), uls = write_rows(f, d, 1);
    plot_clauses(f, plot, d, k, pts, uls);
    zp_dataset_free(d);
  }
  return ZP_OK;
}
