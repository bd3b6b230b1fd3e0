/* zprop: the table `zprop scan` writes (scan_table.h).
 * SPDX-License-Identifier: MIT */
#include "analysis/scan_table.h"

#include "analysis/table_writer.h"
#include "zprop/gm2.h"

void zp_scan_table_write(FILE *f, const void *ctx) {
  const zp_scan_table *t = ctx;
  size_t total = t->spec->mzp.n * t->spec->gzp.n;
  zp_table_write_preamble(f, "scan of the (mzp, gzp) plane, each point fitted to the data", t->p);
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
  fprintf(f, "## grid = %zu mzp x %zu gzp = %zu rows, mzp outer, gzp inner\n", t->spec->mzp.n,
          t->spec->gzp.n, total);
  fputs("## chi2, gamma, norm: best fit at the point; delta_chi2 = chi2 - chi2_0; "
        "R = (chi2/(npoints-4)) / (chi2_0/(npoints-2)); delta_amu: the Z' shift of a_mu; "
        "gm2_pull = (delta_amu - central) / sigma\n",
        f);
  fputs("# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n", f);
  for (size_t i = 0; i < total; i++) {
    const zp_scan_point *q = &t->pts[i];
    fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\n", q->mzp_mev,
            q->gzp, q->chi2, q->delta_chi2, q->r, q->gamma, q->norm, q->delta_amu, q->gm2_pull);
  }
}
