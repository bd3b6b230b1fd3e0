/* zprop CLI: entry point and subcommand dispatch.
 *
 * `zprop <subcommand> ...` looks the subcommand up in `commands`; adding
 * one (fit, scan, gm2, plot) means adding its row there and its
 * zp_cmd_<name>() beside cmd_spectrum.c.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_batch.h"
#include "plot/cmd_plot.h"
#include "cli/cmd_fit.h"
#include "cli/cmd_scan.h"
#include "core/excerpt.h" /* zp_is_control */
#include "zprop/config.h"

static const zp_cli_command commands[] = {
    {"spectrum", zp_cmd_spectrum, zp_cmd_spectrum_help,
     "propagate a spectrum to Earth and write it as a table"},
    {"batch", zp_cmd_batch, zp_cmd_batch_help,
     "many spectra (lists of points, sources, gammas) in one call, one table"},
    {"gm2", zp_cmd_gm2, zp_cmd_gm2_help,
     "muon g-2 of the Z': pull of one point, or the 1/2 sigma band in g"},
    {"plot", zp_cmd_plot, zp_cmd_plot_help,
     "figures of zprop tables (spectra, scans, g-2 bands) with gnuplot"},
    {"fit", zp_cmd_fit, zp_cmd_fit_help,
     "fit one model point and the plain power law to IceCube data"},
    {"scan", zp_cmd_scan, zp_cmd_scan_help,
     "fit every point of an (mzp, gzp) grid, resumable, into one table"},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

int zp_cli_exit_status(zp_status code) {
  if (code == ZP_OK) return ZP_EXIT_OK;
  /* the user can fix these by changing the input (backend=cuda without a GPU too) */
  if (code == ZP_EINVAL || code == ZP_EFORMAT || code == ZP_EIO || code == ZP_EBACKEND)
    return ZP_EXIT_USAGE;
  return ZP_EXIT_FAILURE;
}

/** Writes @p msg to stderr on one line.  Messages quote file names and file
 *  content: a control byte (an escape sequence, a newline) is shown as
 *  \xNN, never sent to the terminal. */
static void put_escaped(const char *msg) {
  for (const unsigned char *c = (const unsigned char *)msg; *c != '\0'; c++) {
    if (*c == '\n' || *c == '\r' || *c == '\t') fputc(' ', stderr);
    else if (zp_is_control(*c)) fprintf(stderr, "\\x%02x", *c);
    else fputc(*c, stderr);
  }
}

int zp_cli_report(const zp_error *err) {
  const char *msg = err->msg[0] != '\0' ? err->msg : zp_strerror(err->code);
  fputs("zprop: ", stderr);
  put_escaped(msg);
  fputc('\n', stderr);
  return zp_cli_exit_status(err->code);
}

static void print_help(FILE *f) {
  fputs("usage: zprop <subcommand> [arguments]\n"
        "       zprop --help | --version\n"
        "\n"
        "subcommands:\n",
        f);
  for (int i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  for (int i = 0; i < NCOMMANDS; i++) {
    fprintf(f, "\n");
    commands[i].help(f);
  }
}

/** The one-line complaint about a missing or unknown subcommand. */
static int bad_subcommand(const char *what) {
  fputs("zprop: ", stderr);
  put_escaped(what);
  fputs(", allowed", stderr);
  for (int i = 0; i < NCOMMANDS; i++) fprintf(stderr, "%s %s", i > 0 ? "," : "", commands[i].name);
  fputs("; try 'zprop --help'\n", stderr);
  return ZP_EXIT_USAGE;
}

static int run(int argc, char **argv) {
  if (argc < 2) return bad_subcommand("missing subcommand");
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    print_help(stdout);
    return ZP_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0) {
    printf("zprop %s\n", ZP_VERSION);
    return ZP_EXIT_OK;
  }
  for (int i = 0; i < NCOMMANDS; i++)
    if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  char what[128];
  snprintf(what, sizeof what, "%s: unknown subcommand", name);
  return bad_subcommand(what);
}

/** What a subcommand printed on stdout (help, tables to -) must have
 *  arrived: a full disk or /dev/full is an error, not exit 0. */
static int finish_stdout(int status) {
  /* A failed subcommand has said its one line already. */
  if (status != ZP_EXIT_OK || (fflush(stdout) == 0 && !ferror(stdout))) return status;
  zp_error err;
  zp_error_set(&err, ZP_EIO, "writing to standard output failed: %s", strerror(errno));
  return zp_cli_report(&err);
}

int main(int argc, char **argv) { return finish_stdout(run(argc, argv)); }
