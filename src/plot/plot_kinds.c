/* zprop CLI: which zprop table an input of `zprop plot` is.
 *
 * Recognised from the column line alone (the last '#' line before the
 * data), not from the file name or the '##' comments: that line is the
 * one part of each format that its writer fixes and no user edits.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "plot/plot.h"

/* The columns each kind must have; its first column comes first. */
static const char *const spectrum_cols[] = {"E_GeV",  "phi_1",   "phi_2",    "phi_3",  "phi_e",
                                            "phi_mu", "phi_tau", "phi0_1",   "phi0_2", "phi0_3",
                                            "phi0_e", "phi0_mu", "phi0_tau", NULL};
static const char *const batch_cols[] = {"point",   "mzp",      "gzp",      "gchi",   "mchi",
                                         "sum_mnu", "ordering", "source",   "z0",     "zmax",
                                         "gamma",   "E_GeV",    "phi_e",    "phi_mu", "phi_tau",
                                         "phi0_e",  "phi0_mu",  "phi0_tau", NULL};
static const char *const scan_cols[] = {"mzp_MeV", "gzp", "chi2", "delta_chi2", "R", NULL};
static const char *const band_cols[] = {"mzp_MeV", "g_low", "g_high", NULL};

static const struct {
  zp_table_kind kind;
  const char *name;
  const char *const *cols;
} kinds[] = {
    {ZP_TABLE_SPECTRUM, "spectrum", spectrum_cols},
    {ZP_TABLE_BATCH, "batch", batch_cols},
    {ZP_TABLE_SCAN, "scan", scan_cols},
    {ZP_TABLE_GM2_BAND, "gm2 band", band_cols},
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

const char *zp_plot_kind_name(zp_table_kind kind) {
  for (int i = 0; i < NKINDS; i++)
    if (kinds[i].kind == kind) return kinds[i].name;
  return "unknown";
}

static int has_all(const zp_tsv *t, const char *const *cols) {
  /* A scan's first column is its outer axis (mzp_MeV, sum_mnu_eV, ...):
   * a scan or profile table has its columns anywhere. */
  if (cols == scan_cols ? zp_tsv_col(t, cols[0]) < 0
                        : t->ncols == 0 || strcmp(t->cols[0], cols[0]) != 0)
    return 0;
  for (int c = 1; cols[c] != NULL; c++)
    if (zp_tsv_col(t, cols[c]) < 0) return 0;
  return 1;
}

zp_status zp_plot_recognise(const zp_tsv *t, zp_table_kind *kind, zp_error *err) {
  for (int i = 0; i < NKINDS; i++)
    if (has_all(t, kinds[i].cols)) {
      *kind = kinds[i].kind;
      return ZP_OK;
    }
  char cols[160] = "";
  for (size_t c = 0; c < t->ncols && c < 4; c++) {
    size_t used = strlen(cols);
    snprintf(cols + used, sizeof cols - used, "%s%.30s", c > 0 ? " " : "", t->cols[c]);
  }
  return zp_error_set(err, ZP_EFORMAT,
                      "%s: unrecognised table (columns %s%s), allowed a spectrum, fit, batch, "
                      "scan or gm2 band table of zprop",
                      t->path, cols, t->ncols > 4 ? " ..." : "");
}
