/* zprop CLI: `zprop batch [FILE.ini] [key=value ...]`.
 *
 * The keys of `zprop spectrum`, some of them as comma-separated lists,
 * computed through zp_batch_compute_ctx() (the transfer matrices of a point
 * are built once for all its sources and spectral indices), a chunk of
 * points at a time, and streamed into one table.  Flow as in cmd_spectrum.c: parse, check the
 * lists, compute, write; each stage either succeeds or prints one line.
 * SPDX-License-Identifier: MIT */

#include "cli/cmd_batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/format_exp.h"
#include "core/wall_clock.h"
#include "cli/memory_check.h"
#include "cli/params.h"
#include "config/param_lists.h"
#include "analysis/output_check.h"
#include "cli/scan_progress.h"
#include "analysis/table_writer.h"

void zp_cmd_batch_help(FILE *f) {
  fputs("usage: zprop batch [FILE.ini] [key=value ...] [--dry-run]\n"
        "\n"
        "Computes many spectra in one call and writes them as one tab-separated\n"
        "table, one row per point, source, gamma and energy bin.  Keys, units,\n"
        "defaults and ranges are those of `zprop spectrum`; a key marked 'yes'\n"
        "under 'list' also takes a comma-separated list (mzp=10,13,20), each\n"
        "element checked like a single value:\n"
        "  mzp gzp gchi mchi sum_mnu ordering\n"
        "             model points: every combination, mzp outermost and ordering\n"
        "             innermost; each point takes the mixing preset for its\n"
        "             ordering plus the overrides; sum_mnu >= sum_min per point\n"
        "  source z0 zmax\n"
        "             sources, paired element by element: with k sources z0 and\n"
        "             zmax hold 1 or k values; zmax >= z0 for each pair\n"
        "  gamma      spectral indices\n"
        "At most 100000 points, 16 sources and 4096 gammas.  All sources share one\n"
        "redshift grid up to the highest source redshift, with a shell edge at\n"
        "every delta redshift.\n"
        "\n"
        "FILE.ini holds 'key = value' lines as for `zprop spectrum`.\n"
        "  --dry-run  check the parameters (every element) and print the effective\n"
        "             ones as an ini file on stdout, without computing\n"
        "  --help     this text\n"
        "\n"
        "Ranges: ( ) exclude, [ ] include the bound; a bound may name another key.\n"
        "Exit status: 0 success, 2 bad input or file, 1 failed computation.\n"
        "\n",
        f);
  zp_params_print_help_mode(f, &zp_mode_batch);
}

/* What the batch table is written from, chunk by chunk: the points go to
 * the library a chunk at a time on one context (one backend) and each chunk's rows
 * are written before the next is computed, so memory stays that of one
 * chunk however many points there are.  The parameter columns of sources
 * and gammas are formatted once, not once per row. */
typedef struct {
  const zp_cli_params *p;
  const zp_param_lists *l;
  size_t chunk;    /* points per zp_batch_compute_ctx call */
  zp_context *ctx; /* one backend for every chunk */
  zp_progress progress;
  size_t nbins, nshells;    /* from the first chunk, for the summary */
  char (*source_text)[128]; /* [nsources]: source, z0, zmax */
  char (*gamma_text)[32];   /* [ngamma] */
} batch_table;

static void format_point(char *buf, size_t size, size_t index, const zp_point *pt) {
  char v[5][32], ord[8];
  const double x[5] = {pt->zprime.mzp_mev, pt->zprime.gzp, pt->zprime.gchi, pt->zprime.mchi_mev,
                       pt->sum_mnu_ev};
  for (int i = 0; i < 5; i++) zp_params_format_real(v[i], sizeof v[i], x[i]);
  zp_params_format_word(ord, sizeof ord, ZP_KEY_ordering, (int)pt->ordering);
  snprintf(buf, size, "%zu\t%s\t%s\t%s\t%s\t%s\t%s", index, v[0], v[1], v[2], v[3], v[4], ord);
}

static void write_header(FILE *f, const batch_table *t, const zp_batch_result *r) {
  zp_table_write_preamble(f, "spectra at Earth of a batch, nu + nubar per flavour", t->p);
  fprintf(f, "## backend = %s\n", r->backend_name != NULL ? r->backend_name : "unknown");
  if (r->backend_notice != NULL) fprintf(f, "## backend_notice = %s\n", r->backend_notice);
  fprintf(f, "## points = %zu\n## sources = %zu\n## gammas = %zu\n## bins = %zu\n## shells = %zu\n",
          t->l->spec.npoints, r->nsources, r->ngamma, r->nbins, r->nshells);
  fprintf(f, "## point: 0-based index in the product of the lists (mzp outermost, ordering "
             "innermost); E_GeV: geometric bin centre; phi in GeV^-1 cm^-2 s^-1 sr^-1, flavours; "
             "phi0: without the Z' (free streaming)\n");
  fputs("# point\tmzp\tgzp\tgchi\tmchi\tsum_mnu\tordering\tsource\tz0\tzmax\tgamma\tE_GeV\t"
        "phi_e\tphi_mu\tphi_tau\tphi0_e\tphi0_mu\tphi0_tau\n",
        f);
}

/** The rows of points [p0, p0 + r->npoints). */
static void write_rows(FILE *f, const batch_table *t, const zp_batch_result *r, size_t p0) {
  const size_t nb = r->nbins;
  for (size_t i = 0; i < r->npoints; i++) {
    char point[256];
    format_point(point, sizeof point, p0 + i, &t->l->points[p0 + i]);
    for (size_t s = 0; s < r->nsources; s++)
      for (size_t g = 0; g < r->ngamma; g++) {
        size_t off = zp_batch_offset(r, i, s, g);
        for (size_t b = 0; b < nb; b++) {
          /* the numbers as "%.10e" would write them (core/format_exp.h) */
          char nums[7 * (ZP_FORMAT_EXP_SIZE + 1)], *end = nums;
          end += zp_format_exp(end, r->energy[b], 10);
          for (size_t a = 0; a < 6; a++) {
            const double *phi = a < 3 ? r->phi_flavour : r->phi0_flavour;
            *end++ = '\t';
            end += zp_format_exp(end, phi[off + (a % 3) * nb + b], 10);
          }
          *end++ = '\n';
          fprintf(f, "%s\t%s\t%s\t", point, t->source_text[s], t->gamma_text[g]);
          fwrite(nums, 1, (size_t)(end - nums), f);
        }
      }
  }
}

/** Every written value must be finite, as for `zprop spectrum`. */
static zp_status check_finite(const zp_batch_result *r, size_t p0, zp_error *err) {
  for (size_t b = 0; b < r->nbins; b++)
    if (!isfinite(r->energy[b]))
      return zp_error_set(err, ZP_ENUMERIC, "non-finite energy in bin %zu of the batch", b);
  size_t n = r->npoints * r->nsources * r->ngamma * 3 * r->nbins;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(r->phi_flavour[i]) || !isfinite(r->phi0_flavour[i]))
      return zp_error_set(err, ZP_ENUMERIC, "non-finite flux in the batch (point %zu)",
                          p0 + i / (r->nsources * r->ngamma * 3 * r->nbins));
  return ZP_OK;
}

/* zp_table_try_fn: computes and writes chunk after chunk. */
static zp_status compute_and_write(FILE *f, void *ctx, zp_error *err) {
  batch_table *t = ctx;
  const zp_batch_spec *all = &t->l->spec;
  zp_status st = ZP_OK;
  for (size_t p0 = 0; p0 < all->npoints && st == ZP_OK; p0 += t->chunk) {
    zp_batch_spec part = *all;
    part.points = all->points + p0;
    part.npoints = all->npoints - p0 < t->chunk ? all->npoints - p0 : t->chunk;
    zp_batch_result *r = NULL;
    st = zp_batch_compute_ctx(t->ctx, &part, &r, err);
    if (st == ZP_OK) st = check_finite(r, p0, err);
    if (st == ZP_OK) {
      if (p0 == 0) {
        write_header(f, t, r);
        t->nbins = r->nbins;
        t->nshells = r->nshells;
      }
      write_rows(f, t, r, p0);
      if (ferror(f)) st = zp_error_set(err, ZP_EIO, "output = %s: write failed", t->p->output);
      zp_progress_add(&t->progress, part.npoints);
    }
    zp_batch_result_free(r);
  }
  return st;
}

/** Points per chunk: as many as max_memory allows, up to 256 (where the
 *  per-call overhead is already small against the work). */
static zp_status choose_chunk(const zp_cli_params *p, const zp_param_lists *l, size_t *chunk,
                              zp_error *err) {
  const zp_batch_spec *b = &l->spec;
  double per_point = zp_cli_result_bytes(p, b->nsources, b->ngamma);
  double limit = zp_cli_memory_limit(p);
  size_t c = 256;
  while (c > 1 && zp_cli_point_bytes(p, c) + (double)c * per_point > limit) c /= 2;
  if (c > b->npoints) c = b->npoints > 0 ? b->npoints : 1;
  *chunk = c;
  char what[96];
  snprintf(what, sizeof what, "a chunk of %zu point(s) x %zu sources x %zu gammas", c, b->nsources,
           b->ngamma);
  return zp_cli_check_memory(p, what, zp_cli_point_bytes(p, c) + (double)c * per_point, err);
}

static zp_status write_batch(const zp_cli_params *p, const zp_param_lists *l, batch_table *t,
                             zp_error *err) {
  const zp_batch_spec *b = &l->spec;
  *t = (batch_table){.p = p, .l = l};
  zp_context_opts copts = {.workload = ZP_WORKLOAD_BATCH, .npoints = b->npoints};
  zp_status st = choose_chunk(p, l, &t->chunk, err);
  if (st == ZP_OK) st = zp_context_create(p->cfg.backend, &copts, &t->ctx, err);
  if (st != ZP_OK) return st;
  t->source_text = malloc(b->nsources * sizeof *t->source_text);
  t->gamma_text = malloc(b->ngamma * sizeof *t->gamma_text);
  if (t->source_text == NULL || t->gamma_text == NULL) {
    st = zp_error_set(err, ZP_ENOMEM, "out of memory");
  } else {
    for (size_t s = 0; s < b->nsources; s++) {
      char word[32], z0[32], zmax[32];
      zp_params_format_word(word, sizeof word, ZP_KEY_source, (int)l->sources[s].kind);
      zp_params_format_real(z0, sizeof z0, l->sources[s].z0);
      zp_params_format_real(zmax, sizeof zmax, l->sources[s].zmax);
      snprintf(t->source_text[s], sizeof t->source_text[s], "%s\t%s\t%s", word, z0, zmax);
    }
    for (size_t g = 0; g < b->ngamma; g++)
      zp_params_format_real(t->gamma_text[g], sizeof t->gamma_text[g], l->gammas[g]);
    zp_progress_start(&t->progress, stderr, "batch", b->npoints, 0);
    st = zp_table_emit_fallible(p->output, compute_and_write, t, err);
    /* A quick batch says only its summary line; a long one ends its
     * progress lines with a last one. */
    if (t->progress.shown) zp_progress_finish(&t->progress);
  }
  free(t->source_text);
  free(t->gamma_text);
  return st;
}

int zp_cmd_batch(int argc, char **argv) {
  zp_cli_params p;
  zp_param_lists l;
  zp_error err;
  memset(&l, 0, sizeof l);
  zp_status st = zp_params_read(argc, argv, &zp_mode_batch, &p, &err);
  if (st == ZP_OK && !p.help) st = zp_param_lists_build(&p, &l, &err);
  /* The output location is checked before the computation, as for spectrum. */
  if (st == ZP_OK && !p.help) st = zp_output_check(&p, NULL, &err);
  int status = ZP_EXIT_OK;
  if (st != ZP_OK) {
    status = zp_cli_report(&err);
  } else if (p.help || p.dry_run) {
    if (p.help) zp_cmd_batch_help(stdout);
    else zp_params_print(stdout, "", &p);
  } else {
    double t0 = zp_wall_seconds();
    batch_table t;
    st = write_batch(&p, &l, &t, &err);
    double elapsed = zp_wall_seconds() - t0;
    const char *name = t.ctx != NULL ? zp_context_backend_name(t.ctx) : NULL;
    const char *notice = t.ctx != NULL ? zp_context_notice(t.ctx) : NULL;
    if (name == NULL) name = "unknown";
    if (st != ZP_OK) status = zp_cli_report(&err);
    else
      fprintf(stderr,
              "zprop: wrote %zu points x %zu sources x %zu gammas (%zu bins) to %s "
              "(backend %s, %.3g s%s%s)\n",
              l.spec.npoints, l.spec.nsources, l.spec.ngamma, t.nbins,
              strcmp(p.output, "-") == 0 ? "stdout" : p.output, name, elapsed,
              notice != NULL ? "; " : "", notice != NULL ? notice : "");
    zp_context_free(t.ctx);
  }
  zp_param_lists_free(&l);
  zp_params_clear(&p);
  return status;
}
