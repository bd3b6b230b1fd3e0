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
#include "cli/cmd_profile.h"
#include "cli/cmd_scan.h"
#include "cli/scan_mpi.h"
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
     "fit every point of a grid of up to four keys, resumable, into one table"},
    {"profile", zp_cmd_profile, zp_cmd_profile_help,
     "minimum of chi2 over some axes of a scan table, with confidence levels"},
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
/** @p msg into @p buf with newlines and tabs as blanks and other control
 *  characters as \xNN, so that a message is one line of text. */
static void escape_into(char *buf, size_t size, const char *msg) {
  size_t n = 0;
  for (const unsigned char *c = (const unsigned char *)msg; *c != '\0' && n + 5 < size; c++) {
    if (*c == '\n' || *c == '\r' || *c == '\t') buf[n++] = ' ';
    else if (zp_is_control(*c)) n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *c);
    else buf[n++] = (char)*c;
  }
  buf[n] = '\0';
}

int zp_cli_report(const zp_error *err) {
  const char *msg = err->msg[0] != '\0' ? err->msg : zp_strerror(err->code);
  /* One write of the whole line: ranks of an MPI job that report the same
   * bad input at once must not interleave their bytes. */
  char line[4 * ZP_ERROR_MSG_SIZE + 16] = "zprop: ";
  escape_into(line + 7, sizeof line - 8, msg);
  strcat(line, "\n");
  fputs(line, stderr);
  fflush(stderr);
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
  char text[256];
  escape_into(text, sizeof text, what);
  fprintf(stderr, "zprop: %s, allowed", text);
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
  if (strcmp(name, "scan") == 0) {
    int handed = zp_scan_mpi_handoff(argv); /* under mpirun: zprop-mpi */
    if (handed >= 0) return handed;
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
