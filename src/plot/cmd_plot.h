/* zprop CLI: `zprop plot`, declared apart from cli.h so that adding it
 * touches main.c in one include and one table row.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_CMD_PLOT_H
#define ZP_CLI_CMD_PLOT_H

#include <stdio.h>

/** Runs `zprop plot`; argv[0] is "plot".  @return the exit status. */
int zp_cmd_plot(int argc, char **argv);
/** Prints the usage, the input kinds and the keys of `zprop plot`. */
void zp_cmd_plot_help(FILE *f);

#endif
