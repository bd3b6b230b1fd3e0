/* zprop CLI: `zprop scan [FILE.ini] [key=value ...]`.
 *
 * Every point of an (mzp, gzp) grid fitted to the data as `zprop fit`
 * does (zp_scan_run(), chunk points per batch), beside the plain power law
 * fitted once (zp_scan_reference_fit()), written as one table.
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
#include "analysis/fit_setup.h"
#include "analysis/gamma_search.h"
#include "cli/params.h"
#include "cli/scan_axes.h"
#include "cli/scan_journal.h"
#include "cli/scan_progress.h"
#include "cli/memory_check.h"
#include "cli/output_check.h"
#include "cli/table_writer.h"
#include "transport/context_backend.h"
#include "zprop/scan.h"

void zp_cmd_scan_help(FILE *f) {
  fputs("usage: zprop scan [FILE.ini] [key=value ...] [--dry-run]\n"
        "\n"
        "Fits every point of an (mzp, gzp) grid to IceCube data as `zprop fit`\n"
        "does (gamma and norm profiled per point) and writes one tab-separated\n"
        "table: a row per point, mzp outer and gzp inner, with columns\n"
        "  mzp_MeV gzp chi2 delta_chi2 R gamma norm delta_amu gm2_pull\n"
        "(delta_chi2 = chi2 - chi2_0 of the plain power law, fitted once and\n"
        "recorded in the header; gm2_pull against gm2_ref).\n"
        "\n"
        "mzp and gzp take lo:hi:n (n points from lo to hi) or one value: mzp is\n"
        "spaced by mzp_scale, gzp always logarithmically (mzp=1:20:96\n"
        "gzp=1e-5:1e-1:81).  Each end must pass the key's range.  All other keys\n"
        "are those of `zprop fit` (data, channel, bins, conventions, the model).\n"
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
  zp_fit_setup s;
  zp_scan_spec spec;
  size_t total;
  zp_context *ctx; /* the scan's one backend; its notice is said once, as work starts */
} scan_input;

static zp_status prepare(int argc, char **argv, scan_input *in, zp_error *err) {
  zp_cli_params *p = &in->p;
  zp_status st = zp_params_read(argc, argv, &zp_mode_scan, p, err);
  if (st != ZP_OK || p->help) return st;
  st = zp_fit_apply_preset(p, err);
  if (st == ZP_OK) st = zp_scan_axes_build(p, &in->spec.mzp, &in->spec.gzp, err);
  if (st == ZP_OK) st = zp_fit_setup_build(p, &in->s, err);
  if (st == ZP_OK) st = zp_cli_check_output(p, &in->s, err);
  in->spec.gm2_ref = (zp_gm2_ref)p->fit.gm2_ref;
  in->spec.chunk = (size_t)p->fit.chunk;
  /* a chunk holds the fluxes of the searched gammas' coarse values (at
   * most ZP_GAMMA_COARSE_MAX, zp_scan_run), then the mass's depth table */
  size_t chunk = in->spec.chunk ? in->spec.chunk : ZP_SCAN_DEFAULT_CHUNK;
  size_t ng = zp_fit_ngamma(&in->s.opts);
  if (ng > ZP_GAMMA_COARSE_MAX) ng = ZP_GAMMA_COARSE_MAX;
  if (st == ZP_OK)
    st = zp_cli_check_memory(p, "a chunk of the scan with its depth table",
                             zp_cli_point_bytes(p, chunk) +
                                 (double)chunk * zp_cli_result_bytes(p, 1, ng) +
                                 zp_cli_depth_table_bytes(p),
                             err);
  in->total = in->spec.mzp.n * in->spec.gzp.n;
  return st;
}

/* ------------------------------------------------------------ points */

/* The points of the scan as they become known (journal, then sink). */
typedef struct {
  zp_scan_point *pts;  /* [total] */
  unsigned char *have; /* [total] */
  zp_journal *journal; /* NULL for output = - */
  zp_progress progress;
  zp_error *err;
} scan_state;

static int sink(void *user, const zp_scan_point *pts, size_t n) {
  scan_state *s = user;
  /* Journal first: a point counts as done only once it is on disk. */
  if (s->journal != NULL && zp_journal_append(s->journal, pts, n, s->err) != ZP_OK) return 1;
  for (size_t i = 0; i < n; i++) {
    s->pts[pts[i].index] = pts[i];
    s->have[pts[i].index] = 1;
  }
  zp_progress_add(&s->progress, n);
  return 0;
}

/** The points to skip: whole blocks [b chunk, (b + 1) chunk) that the
 *  journal holds.  zp_scan_run() fills each batch with the next chunk
 *  points not skipped, so the batches are then these blocks, in a resumed
 *  run as in an uninterrupted one.  @return how many are skipped. */
static size_t done_blocks(const unsigned char *have, size_t total, size_t chunk,
                          unsigned char *done) {
  size_t ndone = 0;
  for (size_t b = 0; b < total; b += chunk) {
    size_t e = b + chunk < total ? b + chunk : total, i = b;
    while (i < e && have[i]) i++;
    memset(done + b, i == e, e - b);
    ndone += i == e ? e - b : 0;
  }
  return ndone;
}

/* ------------------------------------------------------------- table */

typedef struct {
  const scan_input *in;
  const zp_scan_reference *ref;
  const zp_scan_point *pts;
} scan_table;

static void write_scan_table(FILE *f, const void *ctx) {
  const scan_table *t = ctx;
  const scan_input *in = t->in;
  zp_table_write_preamble(f, "scan of the (mzp, gzp) plane, each point fitted to the data", &in->p);
  zp_fit_setup_print(f, "## ", &in->s);
  fprintf(f, "## npoints = %zu\n## chi2_0 = %.10e\n## gamma_0 = %.10e\n## norm_0 = %.10e\n",
          t->ref->npoints, t->ref->chi2_0, t->ref->gamma_0, t->ref->norm_0);
  double central = 0.0, sigma = 0.0;
  const char *label = "";
  char c[40], s[40];
  zp_gm2_reference(in->spec.gm2_ref, &central, &sigma, &label, NULL);
  zp_params_format_real(c, sizeof c, central);
  zp_params_format_real(s, sizeof s, sigma);
  fprintf(f, "## gm2_reference = %s %s +- %s\n", label, c, s);
  fprintf(f, "## backend = %s\n", zp_context_backend_name(in->ctx));
  fprintf(f, "## grid = %zu mzp x %zu gzp = %zu rows, mzp outer, gzp inner\n", in->spec.mzp.n,
          in->spec.gzp.n, in->total);
  fputs("## chi2, gamma, norm: best fit at the point; delta_chi2 = chi2 - chi2_0; "
        "R = (chi2/(npoints-4)) / (chi2_0/(npoints-2)); delta_amu: the Z' shift of a_mu; "
        "gm2_pull = (delta_amu - central) / sigma\n",
        f);
  fputs("# mzp_MeV\tgzp\tchi2\tdelta_chi2\tR\tgamma\tnorm\tdelta_amu\tgm2_pull\n", f);
  for (size_t i = 0; i < in->total; i++) {
    const zp_scan_point *q = &t->pts[i];
    fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\t%.10e\n", q->mzp_mev,
            q->gzp, q->chi2, q->delta_chi2, q->r, q->gamma, q->norm, q->delta_amu, q->gm2_pull);
  }
}

/* --------------------------------------------------------------- run */

static zp_status run_scan(scan_input *in, zp_error *err) {
  size_t total = in->total;
  zp_scan_point *pts = calloc(total, sizeof *pts);
  unsigned char *have = calloc(total, 1), *done = calloc(total, 1);
  zp_journal journal;
  zp_status st = zp_journal_init(&journal, &in->p, &in->s, in->p.output, err);
  /* A stream (stdout, a device, a FIFO) has no directory entry of its own
   * to keep a journal beside: /dev/null.journal is nobody's file. */
  int use_journal = !zp_table_is_stream(in->p.output);
  if (st == ZP_OK && use_journal) st = zp_cli_check_not_input(&in->p, &in->s, journal.path, err);
  scan_state state = {pts, have, use_journal ? &journal : NULL, {0}, err};
  if (st == ZP_OK && (pts == NULL || have == NULL || done == NULL))
    st = zp_error_set(err, ZP_ENOMEM, "out of memory for %zu points", total);
  /* The reference fit first: when it fails (say, a data bin outside the
   * energy grid) no journal is left behind to refuse the corrected run. */
  zp_scan_reference ref = {0};
  if (st == ZP_OK) st = zp_scan_reference_fit(&in->p.cfg, &in->s.opts, &ref, err);
  size_t nread = 0;
  if (st == ZP_OK && use_journal)
    st = zp_journal_open(&journal, &in->spec, in->p.fit.resume == ZP_RESUME_RESTART, pts, have,
                         &nread, err);
  if (st == ZP_OK) {
    size_t skipped = done_blocks(have, total, in->spec.chunk, done);
    if (zp_context_notice(in->ctx) != NULL && skipped < total)
      fprintf(stderr, "zprop: %s\n", zp_context_notice(in->ctx));
    zp_progress_start(&state.progress, stderr, "scan", total, skipped);
    st = zp_scan_run_ctx(in->ctx, &in->p.cfg, &in->s.opts, &in->spec, &ref, done, sink, &state,
                         err);
    if (st == ZP_OK) zp_progress_finish(&state.progress);
  }
  for (size_t i = 0; i < total && st == ZP_OK; i++)
    if (!have[i]) st = zp_error_set(err, ZP_ENUMERIC, "scan point %zu was not computed", i);
  if (st == ZP_OK) {
    scan_table t = {in, &ref, pts};
    st = zp_table_emit(in->p.output, write_scan_table, &t, err);
  }
  if (st == ZP_OK && use_journal) st = zp_journal_remove(&journal, err);
  zp_journal_close(&journal);
  free(pts);
  free(have);
  free(done);
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
  } else {
    zp_context_opts copts = {.workload = ZP_WORKLOAD_SCAN,
                             .npoints = in.total,
                             .nbins = zp_context_grid_nbins(&in.p.cfg)};
    st = zp_context_create(in.p.cfg.backend, &copts, &in.ctx, &err);
    if (st == ZP_OK) st = run_scan(&in, &err);
    if (st != ZP_OK) status = zp_cli_report(&err);
    else
      fprintf(stderr, "zprop: wrote %zu points (%zu mzp x %zu gzp) to %s\n", in.total,
              in.spec.mzp.n, in.spec.gzp.n, strcmp(in.p.output, "-") == 0 ? "stdout" : in.p.output);
  }
  zp_context_free(in.ctx);
  zp_fit_setup_free(&in.s);
  zp_params_clear(&in.p);
  return status;
}
