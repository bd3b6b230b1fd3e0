/* zprop CLI: `zprop fit [FILE.ini] [key=value ...]`.
 *
 * One model point (the keys of `zprop spectrum`) fitted to IceCube data
 * with zp_fit(), profiled over gamma and the normalisation, beside the
 * plain power law on the same data.  The result goes to stdout as
 * `key = value` lines; output=PATH also writes the best-fit spectrum as a
 * spectrum table whose header records the fit.  Flow as in cmd_spectrum.c:
 * parse, check, compute, write; each stage succeeds or prints one line.
 * SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>

#include "cli/cmd_fit.h"

#include "cli/cli.h"
#include "core/wall_clock.h"
#include "analysis/fit_setup.h"
#include "cli/params.h"
#include "cli/memory_check.h"
#include "analysis/output_check.h"
#include "analysis/table_writer.h"

/* The second paper quotes the all-flavour flux at 100 TeV in units of
 * 3e-18 GeV^-1 cm^-2 s^-1 sr^-1 (V-Eq. 15); norm is per flavour. */
static double paper_a(double norm) { return 3.0 * norm / 3e-18; }

void zp_cmd_fit_help(FILE *f) {
  fputs("usage: zprop fit [FILE.ini] [key=value ...] [--dry-run]\n"
        "\n"
        "Fits the spectrum of one model point (the keys of `zprop spectrum`) to\n"
        "IceCube data, profiled over gamma and norm (their keys are the start or\n"
        "fixed values), and the plain power law (no Z') on the same data.  Prints\n"
        "'key = value' lines: the data and conventions used, chi2, gamma, norm,\n"
        "A (= 3 norm / 3e-18, the second paper's A), npoints, dof, the same with\n"
        "_0 for the power law, delta_chi2 = chi2 - chi2_0 and\n"
        "R = (chi2 / (n - 4)) / (chi2_0 / (n - 2)).  output=PATH also writes the\n"
        "best-fit spectrum as a spectrum table (gamma and norm in its header are\n"
        "the best fit); output=- writes it to stdout after the lines.\n"
        "\n"
        "data = v2024 is the second paper's combination: cascades6yr as\n"
        "nue_nutau_average + tracks9yr, bins 0-12,14-16 (16 points),\n"
        "upper_limits = excess, flux = average; keys given explicitly still win.\n"
        "\n"
        "FILE.ini holds 'key = value' lines as for `zprop spectrum`.\n"
        "  --dry-run  check the parameters and data and print the effective ones\n"
        "  --help     this text\n"
        "\n"
        "Ranges: ( ) exclude, [ ] include the bound; a bound may name another key.\n"
        "Exit status: 0 success, 2 bad input or data file, 1 failed computation.\n"
        "\n",
        f);
  zp_params_print_help_mode(f, &zp_mode_fit);
}

/* What the result lines are written from. */
typedef struct {
  const zp_cli_params *p;
  const zp_fit_setup *s;
  const zp_fit_result *r;
} fit_report;

static void print_word(FILE *f, const char *prefix, zp_param_key k, int pos) {
  char word[64];
  zp_params_format_word(word, sizeof word, k, pos);
  fprintf(f, "%s%s = %s\n", prefix, zp_params_key_name(k), word);
}

/** The result as `<prefix>key = value` lines: on stdout with prefix "",
 *  in the table header with "## ". */
static void print_report(FILE *f, const char *prefix, const fit_report *rep) {
  const zp_fit_result *r = rep->r;
  const zp_cli_params *p = rep->p;
  zp_fit_setup_print(f, prefix, rep->s);
  print_word(f, prefix, ZP_KEY_errors, p->fit.errors);
  print_word(f, prefix, ZP_KEY_upper_limits, p->fit.upper_limits);
  print_word(f, prefix, ZP_KEY_flux, p->fit.flux);
  print_word(f, prefix, ZP_KEY_profile, p->fit.profile);
  char m[40], g[40];
  zp_params_format_real(m, sizeof m, p->cfg.zprime.mzp_mev);
  zp_params_format_real(g, sizeof g, p->cfg.zprime.gzp);
  fprintf(f, "%smzp = %s\n%sgzp = %s\n", prefix, m, prefix, g);
  fprintf(f, "%snpoints = %zu\n%sdof = %zu\n", prefix, r->npoints, prefix, r->dof);
  fprintf(f, "%schi2 = %.10g\n%sgamma = %.10g\n%snorm = %.10g\n%sA = %.10g\n", prefix, r->chi2,
          prefix, r->gamma, prefix, r->norm, prefix, paper_a(r->norm));
  fprintf(f, "%schi2_0 = %.10g\n%sgamma_0 = %.10g\n%snorm_0 = %.10g\n%sA_0 = %.10g\n", prefix,
          r->chi2_0, prefix, r->gamma_0, prefix, r->norm_0, prefix, paper_a(r->norm_0));
  fprintf(f, "%sdelta_chi2 = %.10g\n%sR = %.10g\n", prefix, r->delta_chi2, prefix, r->r);
}

static void write_header_report(FILE *f, const void *ctx) {
  fputs("## fit result (gamma and norm above are the best fit):\n", f);
  print_report(f, "## ", ctx);
}

/** Parses and checks everything, data files included, before any computing. */
static zp_status prepare(int argc, char **argv, zp_cli_params *p, zp_fit_setup *s, zp_error *err) {
  zp_status st = zp_params_read(argc, argv, &zp_mode_fit, p, err);
  if (st != ZP_OK || p->help) return st;
  st = zp_fit_apply_preset(p, err);
  if (st == ZP_OK) st = zp_params_check(p, err);
  if (st == ZP_OK) st = zp_fit_setup_build(p, s, err);
  if (st == ZP_OK && strcmp(p->output, "none") != 0) st = zp_output_check(p, s, err);
  if (st == ZP_OK)
    st = zp_cli_check_points_memory(p, "the fit", 1, 1, zp_fit_ngamma(&s->opts), err);
  return st;
}

/** Writes the best-fit table: its header shows the best-fit gamma and
 *  norm, so that its `# key = value` lines rerun to the same spectrum. */
static zp_status write_best(zp_cli_params *p, const fit_report *rep, zp_error *err) {
  p->cfg.source.gamma = rep->r->gamma;
  p->cfg.norm = rep->r->norm;
  static const char what[] = "best-fit spectrum at Earth, nu + nubar per flavour and mass state";
  return zp_table_write_spectrum(p, rep->r->best, what, write_header_report, rep, err);
}

int zp_cmd_fit(int argc, char **argv) {
  zp_cli_params p;
  zp_fit_setup s;
  zp_error err;
  memset(&s, 0, sizeof s);
  zp_status st = prepare(argc, argv, &p, &s, &err);
  int status = ZP_EXIT_OK;
  if (st != ZP_OK) {
    status = zp_cli_report(&err);
  } else if (p.help || p.dry_run) {
    if (p.help) zp_cmd_fit_help(stdout);
    else zp_params_print(stdout, "", &p);
  } else {
    int want_table = strcmp(p.output, "none") != 0;
    double t0 = zp_wall_seconds();
    zp_fit_result r = {0};
    zp_context *ctx = NULL;
    zp_context_opts copts = {.workload = ZP_WORKLOAD_BATCH};
    st = zp_context_create(p.cfg.backend, &copts, &ctx, &err);
    if (st == ZP_OK) st = zp_fit_ctx(ctx, &p.cfg, &s.opts, want_table, &r, &err);
    /* Said once, after the fit: AUTO chooses at the fit's first batch. */
    const char *notice = ctx != NULL ? zp_context_notice(ctx) : NULL;
    if (st == ZP_OK && notice != NULL) fprintf(stderr, "zprop: %s\n", notice);
    zp_context_free(ctx);
    double elapsed = zp_wall_seconds() - t0;
    fit_report rep = {&p, &s, &r};
    if (st == ZP_OK) {
      print_report(stdout, "", &rep);
      if (fflush(stdout) != 0) st = zp_error_set(&err, ZP_EIO, "writing to stdout failed");
    }
    if (st == ZP_OK && want_table) st = write_best(&p, &rep, &err);
    if (st != ZP_OK) status = zp_cli_report(&err);
    else
      fprintf(stderr, "zprop: fitted %zu points in %.3g s%s%s\n", r.npoints, elapsed,
              want_table ? "; best-fit spectrum written to " : "",
              !want_table                  ? ""
              : strcmp(p.output, "-") == 0 ? "stdout"
                                           : p.output);
    zp_spectrum_free(r.best); /* zp_fit() leaves it NULL unless it was asked for and made */
  }
  zp_fit_setup_free(&s);
  zp_params_clear(&p);
  return status;
}
