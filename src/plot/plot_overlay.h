/* zprop CLI: lines drawn over an (M, g) scan map besides the g-2 bands: the
 * g-2 exclusion line (keys gm2_line, gm2_nsigma) and limit curves read from
 * files (key limits, zprop/limits.h).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PLOT_OVERLAY_H
#define ZP_CLI_PLOT_OVERLAY_H

#include "plot/plot.h"

/** The .dat blocks and legend entries of the overlay lines. */
typedef struct {
  int excl_block; /* index of the exclusion line's block, -1: none */
  char excl_title[128];
  size_t nlimits;     /* limit curves, one block each */
  int *limit_block;   /* their indices */
  char **limit_title; /* their legend texts (file data: quoted when written) */
  int entries;        /* legend entries in all */
} zp_plot_overlay;

/** Writes the overlay's data blocks: the exclusion line at 200 masses over
 *  [@p mlo, @p mhi] MeV (log-spaced when @p logx), with the reference of
 *  gm2_line (the scan table @p t's gm2_ref for `scan`), and each limit file
 *  as read by zp_limit_curve_load().  Only on a map of (mzp, gzp) (@p mg):
 *  on another the keys are an error (ZP_EINVAL).  @p ov is filled even on error (free
 *  it with zp_plot_overlay_free()). */
zp_status zp_plot_overlay_data(zp_plot_fig *f, const zp_tsv *t, int mg, double mlo, double mhi,
                               int logx, zp_plot_overlay *ov, zp_error *err);

/** Appends the overlay's plot clauses (each starting ", ") to the script,
 *  every line at height @p zpos of the map. */
void zp_plot_overlay_plot(zp_plot_fig *f, const zp_plot_overlay *ov, double zpos);

void zp_plot_overlay_free(zp_plot_overlay *ov);

#endif
