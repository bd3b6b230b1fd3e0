/* zprop CLI: `zprop batch`, declared apart from cli.h so that adding it
 * touches main.c in one include and one table row.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_CMD_BATCH_H
#define ZP_CLI_CMD_BATCH_H

#include <stdio.h>

/** Runs `zprop batch`; argv[0] is "batch".  @return the exit status. */
int zp_cmd_batch(int argc, char **argv);
/** Prints the usage, the list rules and the key table of `zprop batch`. */
void zp_cmd_batch_help(FILE *f);

#endif
