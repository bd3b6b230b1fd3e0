/* zprop CLI: `zprop scan [FILE.ini] [key=value ...]`.
 *
 * Every point of a grid over (mzp, gzp) and other keys, up to four of them
 * ranged, fitted to the data as `zprop fit` does (zp_scan_grid_run(), chunk
 * model points per batch), beside the plain power law fitted once
 * (zp_scan_reference_fit()), written as one table.
 *
 * A scan may run for hours, so it survives being killed: each finished
 * chunk goes to OUTPUT.journal (scan_journal.h) before the next starts,
 * the same command continues from it, and the table is written only at
 * the end, atomically, from the journal's points and the new ones alike.
 * Chunks are whole aligned blocks of indices in every run (below), so a
 * point is always computed in the same batch and a resumed table is the
 * same, byte for byte, as an uninterrupted one.  SIGINT and SIGTERM keep
 * their default action: the journal is consistent at every instant.
 * SPDX-License-Identifier: MIT */
#include "cli/cmd_scan.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "analysis/gamma_search.h"
#include "cli/memory_check.h"
#include "cli/params.h"
#include "cli/scan_mpi.h"
#include "cli/scan_progress.h"
#include "transport/context_backend.h"
#include "zprop/scan_job.h"

void zp_cmd_scan_help(FILE *f) {
  fputs("usage: zprop scan [FILE.ini] [key=value ...] [--dry-run]\n"
        "\n"
        "Fits every point of a grid to IceCube data as `zprop fit` does (gamma\n"
        "and norm profiled per point) and writes one tab-separated table: a row\n"
        "per point, the last dimension fastest, with columns\n"
        "  [other axes] mzp_MeV gzp [other axes] chi2 delta_chi2 R gamma norm\n"
        "  delta_amu gm2_pull\n"
        "(delta_chi2 = chi2 - chi2_0 of the plain power law, fitted once and\n"
        "recorded in the header; gm2_pull against gm2_ref).\n"
        "\n"
        "Axes: KEY=lo:hi:n[:log|linear] (n points from lo to hi) for up to 4 of\n"
        "mzp, gzp, gchi, mchi, sum_mnu, z0, zmax, density_power, gamma, norm; a\n"
        "gamma or norm axis is held fixed per row instead of profiled.  Spacing:\n"
        "gzp log, mzp by mzp_scale, the others linear, unless written.  mzp and\n"
        "gzp are always dimensions (one value each when not ranged).  Order of\n"
        "the dimensions, outer first: gchi mchi sum_mnu, mzp, gzp, z0 zmax\n"
        "density_power, gamma, norm; the rows of one (model, mzp, gzp) point\n"
        "share its transfer matrices (mzp=1:20:96 gzp=1e-5:1e-1:81 sum_mnu=\n"
        "0.06:0.3:5).  Every corner of the ranges must pass every key's range.\n"
        "All other keys are those of `zprop fit` (data, channel, bins, the model).\n"
        "\n"
        "Resuming: finished points go to OUTPUT.journal, chunk points at a time;\n"
        "killed at any moment, the same command continues where it stopped and\n"
        "writes the same table.  The table appears only when complete, then the\n"
        "journal is deleted.  A journal of other parameters is an error unless\n"
        "resume=restart.  output=- (or a device or FIFO) keeps no journal.\n"
        "Progress: one redrawn line on a terminal, else a line every 5 s.\n"
        "\n"
        "FILE.ini holds 'key = value' lines as for `zprop spectrum`.\n"
        "  --dry-run  check the parameters and data and print the effective ones\n"
        "  --help     this text\n"
        "\n"
        "Ranges: ( ) exclude, [ ] include the bound; a bound may name another key.\n"
        "Exit status: 0 success, 2 bad input, data file or journal, 1 failed\n"
        "computation.\n"
        "\n",
        f);
  zp_params_print_help_mode(f, &zp_mode_scan);
}

/* Everything a scan runs on, checked. */
typedef struct {
  zp_cli_params p;
  zp_scan_job *job;
  zp_context *ctx; /* the scan's one backend; its notice is said once, as work starts */
} scan_input;

static zp_status prepare(int argc, char **argv, scan_input *in, zp_error *err) {
  zp_cli_params *p = &in->p;
  zp_status st = zp_params_read(argc, argv, &zp_mode_scan, p, err);
  if (st != ZP_OK || p->help) return st;
  st = zp_scan_job_create(p, &in->job, err);
  if (st != ZP_OK) return st;
  /* a chunk holds the fluxes of the searched gammas' coarse values (at
   * most ZP_GAMMA_COARSE_MAX, zp_scan_run), then the mass's depth table */
  size_t chunk = zp_scan_job_spec(in->job)->chunk, lo, rows;
  zp_scan_job_block_range(in->job, 0, &lo, &rows); /* chunk model points, all their rows */
  zp_fit_opts o;
  zp_fit_opts_default(&o);
  o.gamma_min = p->fit.gamma_min, o.gamma_max = p->fit.gamma_max, o.gamma_step = p->fit.gamma_step;
  o.profile_gamma = p->fit.profile == ZP_PROFILE_GAMMA_NORM;
  size_t ng = zp_fit_ngamma(&o);
  if (ng > ZP_GAMMA_COARSE_MAX) ng = ZP_GAMMA_COARSE_MAX;
  return zp_cli_check_memory(p, "a chunk of the scan with its depth table",
                             zp_cli_point_bytes(p, chunk) +
                                 (double)rows * zp_cli_result_bytes(p, 1, ng) +
                                 zp_cli_depth_table_bytes(p),
                             err);
}

static int progress(void *user, size_t done, size_t total) {
  zp_progress *pr = user;
  (void)total;
  zp_progress_add(pr, done - pr->done);
  return 0;
}

static zp_status run_scan(scan_input *in, zp_error *err) {
  size_t resumed = 0, total = zp_scan_job_size(in->job);
  zp_status st = zp_scan_job_start(in->job, ZP_SCAN_FILES_OUTPUT, &resumed, err);
  if (st != ZP_OK) return st;
  if (zp_context_notice(in->ctx) != NULL && resumed < total)
    fprintf(stderr, "zprop: %s\n", zp_context_notice(in->ctx));
  zp_progress pr;
  zp_progress_start(&pr, stderr, "scan", total, resumed);
  st = zp_scan_job_run(in->ctx, in->job, progress, &pr, err);
  if (st == ZP_OK) zp_progress_finish(&pr);
  if (st == ZP_OK) st = zp_scan_job_finish(in->job, zp_context_backend_name(in->ctx), err);
  return st;
}

int zp_cmd_scan(int argc, char **argv) {
  scan_input in;
  zp_error err;
  memset(&in, 0, sizeof in);
  zp_status st = prepare(argc, argv, &in, &err);
  int status = ZP_EXIT_OK;
  if (st != ZP_OK) {
    status = zp_cli_report(&err);
  } else if (in.p.help || in.p.dry_run) {
    if (in.p.help) zp_cmd_scan_help(stdout);
    else zp_params_print(stdout, "", &in.p);
  } else if (zp_scan_mpi_begin()) {
    status = zp_scan_mpi_run(&in.p, in.job); /* under mpirun: cli/scan_mpi.c */
  } else {
    zp_context_opts copts = {.workload = ZP_WORKLOAD_SCAN,
                             .npoints = zp_scan_job_size(in.job),
                             .nbins = zp_context_grid_nbins(&in.p.cfg)};
    st = zp_context_create(in.p.cfg.backend, &copts, &in.ctx, &err);
    if (st == ZP_OK) st = run_scan(&in, &err);
    if (st != ZP_OK) status = zp_cli_report(&err);
    else zp_progress_wrote(stderr, in.job, in.p.output);
  }
  zp_context_free(in.ctx);
  zp_scan_job_free(in.job);
  zp_params_clear(&in.p);
  return status;
}
