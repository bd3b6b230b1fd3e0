/* zprop CLI: the command line of `zprop plot`: input tables and keys.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PLOT_KEYS_H
#define ZP_CLI_PLOT_KEYS_H

#include <stdio.h>

#include "plot/plot.h"

typedef struct {
  zp_plot_opts o;
  const char **inputs; /* the arguments that are not key=value, in order */
  size_t ninputs;
  int help;       /* --help was given: nothing else was checked */
  int sources;    /* kind = sources */
  char zword[16]; /* z as the allowed list spells it (R, not r) */
} zp_plot_args;

/** Reads argv[1..]: inputs, key=value (each key once), --help.  Every
 *  value is checked; errors are one line naming the key (ZP_EINVAL). */
zp_status zp_plot_parse_args(int argc, char **argv, zp_plot_args *a, zp_error *err);
void zp_plot_args_free(zp_plot_args *a);

/** The key table for --help. */
void zp_plot_print_keys(FILE *f);

#endif
