/* zprop CLI: `zprop fit`, declared apart from cli.h as cmd_batch.h is.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_CMD_FIT_H
#define ZP_CLI_CMD_FIT_H

#include <stdio.h>

/** Runs `zprop fit`; argv[0] is "fit".  @return the exit status. */
int zp_cmd_fit(int argc, char **argv);
/** Prints the usage, the preset and the key table of `zprop fit`. */
void zp_cmd_fit_help(FILE *f);

#endif
