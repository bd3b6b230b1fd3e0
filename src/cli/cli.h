/* zprop CLI: what main.c, the subcommands and their helpers share.
 *
 * The program is a thin shell over the library: every stage returns a
 * zp_status with a zp_error, and only the subcommand decides what to print
 * (one line) and which exit status to return.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_H
#define ZP_CLI_H

#include <stdio.h>

#include "zprop/errors.h"

/* Exit statuses: 2 is "fix your input" (the usual usage-error status of
 * Unix tools), 1 is "the computation itself failed". */
enum { ZP_EXIT_OK = 0, ZP_EXIT_FAILURE = 1, ZP_EXIT_USAGE = 2 };

/** One subcommand.  main.c dispatches on a table of these, so a new
 *  subcommand (fit, scan, gm2, plot) is one function plus one table row. */
typedef struct {
  const char *name;
  /** Runs the subcommand; argv[0] is its name.  @return the exit status. */
  int (*run)(int argc, char **argv);
  /** Prints the subcommand's full help (usage and keys) to @p f. */
  void (*help)(FILE *f);
  const char *summary; /* one line for `zprop --help` */
} zp_cli_command;

int zp_cmd_spectrum(int argc, char **argv);
void zp_cmd_spectrum_help(FILE *f);
int zp_cmd_gm2(int argc, char **argv);
void zp_cmd_gm2_help(FILE *f);

/** Exit status for a failed stage: input and file problems (ZP_EINVAL,
 *  ZP_EFORMAT, ZP_EIO) are the user's to fix (2), the rest are failures (1). */
int zp_cli_exit_status(zp_status code);

/** Prints `zprop: <message>` as exactly one line on stderr (newlines in the
 *  message become spaces, so a caller can rely on one line per error).
 *  @return zp_cli_exit_status(err->code). */
int zp_cli_report(const zp_error *err);

#endif
