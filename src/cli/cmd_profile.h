/* zprop CLI: `zprop profile`, declared apart from cli.h as cmd_scan.h is.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_CMD_PROFILE_H
#define ZP_CLI_CMD_PROFILE_H

#include <stdio.h>

/** Runs `zprop profile TABLE over=...`; argv[0] is "profile".  @return the exit status. */
int zp_cmd_profile(int argc, char **argv);
/** Prints the usage and keys of `zprop profile`. */
void zp_cmd_profile_help(FILE *f);

#endif
