/* zprop CLI: `zprop spectrum [FILE.ini] [key=value ...]`.
 *
 * Parse, compute, write, free: each stage either succeeds or prints one
 * line and decides the exit status, so the flow reads top to bottom.
 * SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/wall_clock.h"
#include "cli/params.h"
#include "cli/memory_check.h"
#include "analysis/output_check.h"
#include "analysis/table_writer.h"

void zp_cmd_spectrum_help(FILE *f) {
  fputs("usage: zprop spectrum [FILE.ini] [key=value ...] [--dry-run]\n"
        "\n"
        "Propagates an astrophysical neutrino spectrum through the relic neutrino\n"
        "background with a U(1)_{Lmu-Ltau} Z' and writes a tab-separated table.\n"
        "\n"
        "FILE.ini holds 'key = value' lines (no [sections]; '#' or ';' starts a\n"
        "comment); a key=value argument overrides the file.  Each key may appear\n"
        "once in the file and once on the command line.\n"
        "  --dry-run  check the parameters and print the effective ones as an\n"
        "             ini file on stdout, without computing\n"
        "  --help     this text\n"
        "\n"
        "Ranges: ( ) exclude, [ ] include the bound; a bound may name another key.\n"
        "Exit status: 0 success, 2 bad input or file, 1 failed computation.\n"
        "\n",
        f);
  zp_params_print_help_mode(f, &zp_mode_spectrum);
}

int zp_cmd_spectrum(int argc, char **argv) {
  zp_cli_params p;
  zp_error err;
  zp_status st = zp_params_parse(argc, argv, &p, &err);
  /* The output location is checked before the computation, which may take
   * long, rather than after it; --dry-run checks it too. */
  if (st == ZP_OK && !p.help) st = zp_output_check(&p, NULL, &err);
  if (st == ZP_OK && !p.help) st = zp_cli_check_points_memory(&p, "the spectrum", 1, 1, 1, &err);
  if (st != ZP_OK) {
    zp_params_clear(&p);
    return zp_cli_report(&err);
  }
  if (p.help || p.dry_run) {
    if (p.help) zp_cmd_spectrum_help(stdout);
    else zp_params_print(stdout, "", &p);
    zp_params_clear(&p);
    return ZP_EXIT_OK;
  }

  double t0 = zp_wall_seconds();
  zp_spectrum *sp = NULL;
  st = zp_spectrum_compute(&p.cfg, &sp, &err);
  double elapsed = zp_wall_seconds() - t0;
  if (st == ZP_OK) st = zp_table_write(&p, sp, &err);

  int status = ZP_EXIT_OK;
  if (st != ZP_OK) status = zp_cli_report(&err);
  else
    fprintf(stderr, "zprop: wrote %zu bins to %s (backend %s, %.3g s%s%s)\n", sp->nbins,
            strcmp(p.output, "-") == 0 ? "stdout" : p.output,
            sp->backend_name != NULL ? sp->backend_name : "unknown", elapsed,
            sp->backend_notice != NULL ? "; " : "",
            sp->backend_notice != NULL ? sp->backend_notice : "");
  zp_spectrum_free(sp);
  zp_params_clear(&p);
  return status;
}
