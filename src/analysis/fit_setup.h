/* zprop: the fit keys of the parameter table turned into what zp_fit() and
 * zp_scan_run() take: loaded data sets with their channels and selected
 * rows, and a zp_fit_opts.  Shared by `zprop fit` and `zprop scan`
 * (library-internal).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_FIT_SETUP_H
#define ZP_ANALYSIS_FIT_SETUP_H

#include <stdio.h>

#include "config/params.h"
#include "zprop/fit.h"

/* More data sets than IceCube publishes is a pasted list, not a fit. */
enum { ZP_FIT_MAX_DATA = 8 };

typedef struct {
  zp_dataset *sets[ZP_FIT_MAX_DATA]; /* owned, in the order of `data` */
  size_t nsets;
  size_t first_row[ZP_FIT_MAX_DATA]; /* index of each set's row 0 in the concatenation */
  size_t total_rows;                 /* rows of all sets before `bins` */
  zp_fit_opts opts;                  /* borrows sets */
} zp_fit_setup;

/** The preset `data = v2024` (the second paper's data and conventions):
 *  `data` becomes its data sets and every preset key still at its default
 *  (channel, bins, upper_limits, flux) takes the preset's value, so explicit
 *  keys win.  Call between zp_params_read() and zp_params_check(). */
zp_status zp_fit_apply_preset(zp_params *p, zp_error *err);

/** Loads the data sets of the checked keys of @p p, sets their channels,
 *  keeps the rows of `bins` and fills s->opts from the convention keys.
 *  With zp = off sets p->cfg.zprime.gzp to 0 (the plain power law), so a
 *  header shows what was computed.  Errors name the key and the value;
 *  missing or malformed data files keep the loader's status (ZP_EIO,
 *  ZP_EFORMAT).  Call zp_fit_setup_free() in every case. */
zp_status zp_fit_setup_build(zp_params *p, zp_fit_setup *s, zp_error *err);
void zp_fit_setup_free(zp_fit_setup *s);

/** Writes what the fit uses as `<prefix>key = value` lines: the data
 *  sets, their channels after `auto` and how many rows of each are used. */
void zp_fit_setup_print(FILE *f, const char *prefix, const zp_fit_setup *s);

#endif
