/* zprop: the table `zprop scan` writes (scan_table.h).
 * SPDX-License-Identifier: MIT */
#include "analysis/scan_table.h"

#include "analysis/table_writer.h"
#include "zprop/gm2.h"

void zp_scan_table_write(FILE *f, const void *ctx) {
  const zp_scan_table *t = ctx;
  zp_table_write_preamble(f,
                          t->grid->ndim == 2
                              ? "scan of the (mzp, gzp) plane, each point fitted to the data"
                              : "scan over a grid of keys, each point fitted to the data",
                          t->p);
  zp_fit_setup_print(f, "## ", t->s);
  fprintf(f, "## npoints = %zu\n## chi2_0 = %.10e\n## gamma_0 = %.10e\n## norm_0 = %.10e\n",
          t->ref->npoints, t->ref->chi2_0, t->ref->gamma_0, t->ref->norm_0);
  double central = 0.0, sigma = 0.0;
  const char *label = "";
  char c[40], s[40];
  zp_gm2_reference(t->spec->gm2_ref, &central, &sigma, &label, NULL);
  zp_params_format_real(c, sizeof c, central);
  zp_params_format_real(s, sizeof s, sigma);
  fprintf(f, "## gm2_reference = %s %s +- %s\n", label, c, s);
  fprintf(f, "## backend = %s\n", t->backend != NULL ? t->backend : "unknown");
  const zp_scan_grid *g = t->grid;
  int plane = g->ndim == 2; /* an (M, g) scan, as it always read */
  fputs("## grid = ", f);
  for (size_t d = 0; d < g->ndim; d++)
    fprintf(f, "%s%zu %s", d ? " x " : "", g->dim[d].axis.n, zp_params_key_name(g->dim[d].key));
  fprintf(f, " = %zu rows, ", g->total);
  for (size_t d = 0; d < g->ndim; d++)
    fprintf(f, "%s%s%s", d ? ", " : "", zp_params_key_name(g->dim[d].key),
            d == 0 ? " outer" : (d + 1 == g->ndim ? " inner" : ""));
  fputc('\n', f);
  if (!plane)
    fputs("## one row per grid point, the last dimension fastest; a gamma or norm dimension "
          "is held fixed, in its column\n",
          f);
  fputs("## chi2, gamma, norm: best fit at the point; delta_chi2 = chi2 - chi2_0; "
        "R = (chi2/(npoints-4)) / (chi2_0/(npoints-2)); delta_amu: the Z' shift of a_mu; "
        "gm2_pull = (delta_amu - central) / sigma\n",
        f);
  fputs("#", f);
  size_t nlead = 0;
  for (size_t d = 0; d < g->ndim; d++) {
    if (g->dim[d].role == ZP_DIM_GAMMA || g->dim[d].role == ZP_DIM_NORM) continue;
    fprintf(f, "%s%s", nlead++ ? "\t" : " ", zp_scan_column_name(g->dim[d].key));
  }
  fputs("\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n", f);
  for (size_t i = 0; i < g->total; i++) {
    const zp_scan_point *q = &t->pts[i];
    for (size_t d = 0; d < g->ndim; d++) {
      if (g->dim[d].role == ZP_DIM_GAMMA || g->dim[d].role == ZP_DIM_NORM) continue;
      double v = (int)d == g->imzp   ? q->mzp_mev
                 : (int)d == g->igzp ? q->gzp
                                     : zp_scan_grid_value(g, i, d);
      fprintf(f, "%.10e\t", v);
    }
    fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\n", q->chi2, q->delta_chi2, q->r,
            q->gamma, q->norm, q->delta_amu, q->gm2_pull);
  }
}
