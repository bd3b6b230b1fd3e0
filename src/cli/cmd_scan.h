/* zprop CLI: `zprop scan`, declared apart from cli.h as cmd_batch.h is.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_CMD_SCAN_H
#define ZP_CLI_CMD_SCAN_H

#include <stdio.h>

/** Runs `zprop scan`; argv[0] is "scan".  @return the exit status. */
int zp_cmd_scan(int argc, char **argv);
/** Prints the usage, resume rules and the key table of `zprop scan`. */
void zp_cmd_scan_help(FILE *f);

#endif
