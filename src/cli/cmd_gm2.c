/* zprop CLI: `zprop gm2 [key=value ...]`, the muon g-2 of the Z'.
 *
 * band = 0: Delta a_mu of one model point (mzp, gzp) and its pull against
 * the chosen reference, as three `key = value` lines.  band = 1 or 2: a
 * table of the 1 or 2 sigma band of couplings over a range of masses.
 *
 * The keys are rows of the library's one table (config/param_table.h) for
 * the gm2 command, with gm2's own range of mzp and gzp; the library reads
 * and checks them, in gm2's order, with the one message format.  Here:
 * argv (no parameter file), the computation and the output.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "analysis/table_writer.h" /* zp_table_check_path, zp_table_emit */
#include "config/params.h"
#include "zprop/config.h"
#include "zprop/gm2.h"
#include "zprop/run.h"

/* The Delta a_mu references, for --help only (the numbers come from the library). */
static const char *const ref_origin[ZP_GM2_REF_COUNT] = {
    "2021 world average - White Paper 2020 (default)",
    "2023 world average - White Paper 2020",
    "2025 world average - lattice (BMW) Standard Model",
    "2025 world average - White Paper 2025 (no anomaly)",
    "2021 world average - lattice BMW 2021 Standard Model (V-Eq. 7)",
};

/* ---------------------------------------------------------------- parse */

static zp_status unknown_key(const char *arg, zp_error *err) {
  char keys[256] = "";
  for (size_t i = 0; i < zp_mode_gm2.norder; i++) {
    size_t used = strlen(keys);
    snprintf(keys + used, sizeof keys - used, "%s%s", i > 0 ? ", " : "",
             zp_params_key_name(zp_mode_gm2.order[i]));
  }
  const char *eq = strchr(arg, '=');
  return zp_error_set(err, ZP_EINVAL, "%.*s = %s: unknown key, allowed %s", (int)(eq - arg), arg,
                      eq + 1, keys);
}

/** A key of gm2 named by the @p len bytes at @p name, or -1. */
static int find_key(const char *name, size_t len) {
  char buf[64];
  if (len >= sizeof buf) return -1;
  snprintf(buf, sizeof buf, "%.*s", (int)len, name);
  int k = zp_params_find_key(buf);
  return k >= 0 && zp_params_accepts(&zp_mode_gm2, (zp_param_key)k) ? k : -1;
}

/** Collects the texts: defaults, then each key=value argument once. */
static zp_status read_args(int argc, char **argv, zp_params *p, zp_error *err) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *eq = strchr(a, '=');
    if (a[0] == '-' && a[1] != '\0' && eq == NULL)
      return zp_error_set(err, ZP_EINVAL, "%s: unknown option, allowed --help", a);
    if (eq == NULL || eq == a)
      return zp_error_set(err, ZP_EINVAL,
                          "%s: expected key=value (zprop gm2 takes no parameter file)", a);
    int k = find_key(a, (size_t)(eq - a));
    if (k < 0) return unknown_key(a, err);
    const char *name = zp_params_key_name((zp_param_key)k);
    if (p->origin[k] == ZP_FROM_ARG)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: given twice, allowed once (first %s = %s)",
                          name, eq[1] != '\0' ? eq + 1 : "\"\"", name,
                          p->text[k][0] != '\0' ? p->text[k] : "\"\"");
    /* Blanks around a value are not part of it, as for every other
     * subcommand: output=' ' is an empty name, not a file called blank. */
    char *v = argv[i] + (eq + 1 - a);
    zp_status st = zp_params_set_text(p, (zp_param_key)k, zp_params_trim(v), err);
    if (st != ZP_OK) return st;
    p->origin[k] = ZP_FROM_ARG;
  }
  return ZP_OK;
}

/** What gets written: one point or one band table. */
typedef struct {
  const zp_params *p;
  zp_gm2_result g;
} gm2_output;

/* --------------------------------------------------------------- output */

static void write_reference(FILE *f, const char *prefix, const zp_gm2_result *r) {
  char c[40], s[40];
  zp_params_format_real(c, sizeof c, r->central);
  zp_params_format_real(s, sizeof s, r->sigma);
  fprintf(f, "%sreference = %s %s +- %s\n", prefix, r->label, c, s);
}

static void write_point(FILE *f, const zp_gm2_result *r) {
  fprintf(f, "delta_amu = %.6e\n", r->delta_amu);
  fprintf(f, "pull = %.4f\n", r->pull);
  write_reference(f, "", r);
}

static void write_band(FILE *f, const zp_params *p, const zp_gm2_result *r) {
  long nsig = r->band;
  /* As in the spectrum table: "##" is information, "# key = value" lines
   * are the effective parameters and the only lines of that form. */
  fprintf(f, "## zprop %s: muon g-2, %ld sigma band of the Z' coupling g against %s\n", ZP_VERSION,
          nsig, r->label);
  fprintf(f, "## effective parameters follow as '# key = value'; to rerun:\n"
             "##   zprop gm2 $(sed -n 's/^# \\([a-z_0-9]*\\) = /\\1=/p' THIS_FILE)\n");
  zp_params_print(f, "# ", p);
  write_reference(f, "## ", r);
  if (r->central - (double)nsig * r->sigma <= 0.0)
    fprintf(f, "## g_low = 0: central - %ld sigma <= 0, so g = 0 (no Z') is inside the band\n",
            nsig);
  fprintf(f,
          "## mzp_MeV: Z' mass; g_low, g_high: band edges, Delta a_mu(g) = central -/+ %ld "
          "sigma; delta_amu_per_g2: Delta a_mu / g^2\n",
          nsig);
  fputs("# mzp_MeV\tg_low\tg_high\tdelta_amu_per_g2\n", f);
  for (size_t i = 0; i < r->n; i++)
    fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\n", r->mzp_mev[i], r->g_low[i], r->g_high[i],
            r->delta_amu_per_g2[i]);
}

/* zp_table_fill_fn: the whole output, a point's lines or a band's table. */
static void write_result(FILE *f, const void *ctx) {
  const gm2_output *o = ctx;
  if (o->g.band == 0) write_point(f, &o->g);
  else write_band(f, o->p, &o->g);
}

/* ------------------------------------------------------------ command */

void zp_cmd_gm2_help(FILE *f) {
  fputs("usage: zprop gm2 [key=value ...]\n"
        "\n"
        "Muon g-2 of the U(1)_{Lmu-Ltau} Z'.  band = 0: Delta a_mu of (mzp, gzp) and\n"
        "its pull (Delta a_mu - central) / sigma against the reference, as lines\n"
        "'delta_amu = ...', 'pull = ...', 'reference = LABEL CENTRAL +- SIGMA'.\n"
        "band = 1 or 2: a tab-separated table of the 1 or 2 sigma band of couplings\n"
        "g_low <= g <= g_high at npoints masses from mzp_min to mzp_max; g_low is 0\n"
        "where central - n sigma <= 0.\n"
        "\n"
        "References, Delta a_mu = a_mu(exp) - a_mu(SM) in units of 1e-11:\n",
        f);
  for (int i = 0; i < ZP_GM2_REF_COUNT; i++) {
    double c = 0.0, s = 0.0;
    const char *label = "";
    zp_gm2_reference((zp_gm2_ref)i, &c, &s, &label, NULL);
    fprintf(f, "  %-12s %4.0f +- %2.0f  %s\n", label, c * 1e11, s * 1e11, ref_origin[i]);
  }
  fputs("\n"
        "Ranges: ( ) exclude, [ ] include the bound; a bound may name another key.\n"
        "Exit status: 0 success, 2 bad input or file, 1 failed computation.\n"
        "\n",
        f);
  zp_params_print_help_mode(f, &zp_mode_gm2);
}

int zp_cmd_gm2(int argc, char **argv) {
  /* --help wins over anything else on the line, even a mistake. */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      zp_cmd_gm2_help(stdout);
      return ZP_EXIT_OK;
    }
  zp_params p;
  zp_error err;
  zp_error_clear(&err);
  gm2_output r;
  memset(&r, 0, sizeof r);
  r.p = &p;

  zp_status st = zp_params_init(&p, &zp_mode_gm2, &err);
  if (st == ZP_OK) st = read_args(argc, argv, &p, &err);
  if (st == ZP_OK) st = zp_params_check(&p, &err);
  /* Before computing, so a bad path costs nothing and leaves nothing. */
  if (st == ZP_OK) st = zp_table_check_path(p.output, &err);
  if (st == ZP_OK) st = zp_params_gm2(&p, &r.g, &err);
  /* a file appears complete or not at all, as every zprop table */
  if (st == ZP_OK) st = zp_table_emit(p.output, write_result, &r, &err);

  int status = ZP_EXIT_OK;
  if (st != ZP_OK) status = zp_cli_report(&err);
  else if (p.gm2.band != 0)
    fprintf(stderr, "zprop: wrote %zu rows to %s (%d sigma band, %s)\n", r.g.n,
            strcmp(p.output, "-") == 0 ? "stdout" : p.output, p.gm2.band, r.g.label);
  zp_gm2_result_free(&r.g);
  zp_params_clear(&p);
  return status;
}
