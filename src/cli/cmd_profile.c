/* zprop CLI: `zprop profile TABLE over=KEY,... [output=FILE] [cl=90,95] [dof=2]`.
 *
 * The reduction is the library's (zp_profile_table, zprop/profile.h); here
 * the arguments: one table, each key once, the confidence levels as
 * numbers, the default output beside the table (NAME_profile.tsv).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include "cli/cmd_profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table_reader.h" /* zp_tsv_parse_real */
#include "core/excerpt.h"     /* zp_first_control */
#include "zprop/profile.h"

enum { K_OVER, K_OUTPUT, K_CL, K_DOF, K_COUNT };

static const struct {
  const char *name, *def, *allowed, *help;
} keys[K_COUNT] = {
    {"over", "(required)", "comma list of the table's axes, not all",
     "axes over which chi2 is minimised (e.g. mzp,gzp)"},
    {"output", "auto", "a path, - for stdout",
     "the profile table; auto: TABLE without .tsv, then _profile.tsv"},
    {"cl", "90,95", "comma list of percents in (0, 100), at most 8",
     "confidence levels of the contours (## contours line)"},
    {"dof", "2", "[1, 100] (integer)",
     "parameters of the contours: Delta chi2 = gsl_cdf_chisq_Pinv(cl/100, dof)"},
};

void zp_cmd_profile_help(FILE *f) {
  fputs("usage: zprop profile TABLE over=KEY[,KEY...] [output=FILE] [cl=90,95] [dof=2]\n"
        "       zprop profile --help\n"
        "\n"
        "Reduces a zprop scan table (the axes of its '## grid' line) to the minimum of chi2\n"
        "over the axes named by 'over': one row per point of the other axes, the whole row of\n"
        "its best point (so mzp_MeV, gzp of that point stay as columns), plus dchi2_min =\n"
        "chi2 - chi2_min (the table's lowest chi2); delta_chi2 stays chi2 - chi2_0.  The\n"
        "header states chi2_min and the contour levels Delta chi2 (dof = 2: 4.61 at 90% CL,\n"
        "5.99 at 95% CL), which 'zprop plot' draws on dchi2_min.\n"
        "\n",
        f);
  fprintf(f, "  %-7s %-11s %s\n", "key", "default", "allowed; meaning");
  for (int k = 0; k < K_COUNT; k++)
    fprintf(f, "  %-7s %-11s %s\n  %-7s %-11s   %s\n", keys[k].name, keys[k].def, keys[k].allowed,
            "", "", keys[k].help);
}

static zp_status bad(int k, const char *text, const char *problem, zp_error *err) {
  return zp_error_set(err, ZP_EINVAL, "%s = %s: %s, allowed %s", keys[k].name,
                      text[0] != '\0' ? text : "\"\"", problem, keys[k].allowed);
}

/** The levels of @p text ("90,95") into @p cl. */
static zp_status parse_cl(const char *text, double *cl, size_t *n, zp_error *err) {
  *n = 0;
  for (const char *s = text;;) {
    size_t len = strcspn(s, ",");
    char num[64];
    if (len == 0 || len >= sizeof num) return bad(K_CL, text, "empty or too long element", err);
    snprintf(num, sizeof num, "%.*s", (int)len, s);
    if (*n == ZP_PROFILE_MAX_CL) return bad(K_CL, text, "too many levels", err);
    if (!zp_tsv_parse_real(num, &cl[*n])) return bad(K_CL, text, "not a number", err);
    if (!(cl[*n] > 0.0 && cl[*n] < 100.0)) return bad(K_CL, text, "out of range", err);
    (*n)++;
    if (s[len] == '\0') return ZP_OK;
    s += len + 1;
  }
}

static zp_status parse_dof(const char *text, int *dof, zp_error *err) {
  char *end;
  long v = strtol(text, &end, 10);
  if (end == text || *end != '\0' || !isdigit((unsigned char)text[0]))
    return bad(K_DOF, text, "not an integer", err);
  if (v < 1 || v > 100) return bad(K_DOF, text, "out of range", err);
  *dof = (int)v;
  return ZP_OK;
}

typedef struct {
  const char *table;
  const char *text[K_COUNT];
  char *auto_output;
} args;

static zp_status read_args(int argc, char **argv, args *a, int *help, zp_error *err) {
  for (int k = 0; k < K_COUNT; k++) a->text[k] = NULL;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
      *help = 1;
      return ZP_OK;
    }
  }
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i], *eq = strchr(s, '=');
    size_t len = eq != NULL ? (size_t)(eq - s) : 0;
    int keylike = len > 0;
    for (size_t c = 0; c < len && keylike; c++)
      keylike = islower((unsigned char)s[c]) || isdigit((unsigned char)s[c]) || s[c] == '_';
    if (s[0] == '-' && s[1] != '\0' && !keylike)
      return zp_error_set(err, ZP_EINVAL, "%s: unknown option, allowed --help", s);
    int ctl = zp_first_control(s);
    if (ctl != 0)
      return zp_error_set(err, ZP_EINVAL,
                          "%s: holds the control character 0x%02x, allowed printable "
                          "characters only",
                          s, ctl);
    if (!keylike) {
      if (a->table != NULL)
        return zp_error_set(err, ZP_EINVAL, "%s: a second table (first %s), allowed one", s,
                            a->table);
      a->table = s;
      continue;
    }
    int k = 0;
    while (k < K_COUNT && (strlen(keys[k].name) != len || strncmp(keys[k].name, s, len) != 0)) k++;
    if (k == K_COUNT)
      return zp_error_set(err, ZP_EINVAL, "%.*s = %s: unknown key, allowed over, output, cl, dof",
                          (int)len, s, eq + 1);
    if (a->text[k] != NULL)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: given twice, allowed once (first %s = %s)",
                          keys[k].name, eq + 1, keys[k].name, a->text[k]);
    a->text[k] = eq + 1;
  }
  if (a->table == NULL)
    return zp_error_set(err, ZP_EINVAL,
                        "missing TABLE, allowed one zprop scan table; usage: "
                        "zprop profile TABLE over=KEY,...");
  if (a->text[K_OVER] == NULL)
    return zp_error_set(err, ZP_EINVAL, "%s: missing over=KEY,..., allowed the table's axes",
                        a->table);
  return ZP_OK;
}

/** "dir/scan.tsv" -> "dir/scan_profile.tsv". */
static zp_status auto_output(args *a, zp_error *err) {
  size_t n = strlen(a->table);
  if (n > 4 && strcmp(a->table + n - 4, ".tsv") == 0) n -= 4;
  a->auto_output = malloc(n + sizeof "_profile.tsv");
  if (a->auto_output == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  snprintf(a->auto_output, n + sizeof "_profile.tsv", "%.*s_profile.tsv", (int)n, a->table);
  return ZP_OK;
}

int zp_cmd_profile(int argc, char **argv) {
  zp_error err = {ZP_OK, ""};
  args a = {NULL, {NULL}, NULL};
  int help = 0;
  double cl[ZP_PROFILE_MAX_CL] = {90.0, 95.0};
  size_t ncl = 2;
  int dof = 2;
  zp_status st = read_args(argc, argv, &a, &help, &err);
  if (st == ZP_OK && help) {
    zp_cmd_profile_help(stdout);
    return ZP_EXIT_OK;
  }
  if (st == ZP_OK && a.text[K_CL] != NULL) st = parse_cl(a.text[K_CL], cl, &ncl, &err);
  if (st == ZP_OK && a.text[K_DOF] != NULL) st = parse_dof(a.text[K_DOF], &dof, &err);
  const char *out = a.text[K_OUTPUT];
  if (st == ZP_OK && out != NULL && out[0] == '\0') st = bad(K_OUTPUT, out, "empty", &err);
  if (st == ZP_OK && (out == NULL || strcmp(out, "auto") == 0)) {
    st = auto_output(&a, &err);
    out = a.auto_output;
  }
  zp_profile_info info;
  if (st == ZP_OK) st = zp_profile_table(a.table, a.text[K_OVER], cl, ncl, dof, out, &info, &err);
  if (st != ZP_OK) {
    free(a.auto_output);
    return zp_cli_report(&err);
  }
  char grid[200] = "";
  for (size_t k = 0; k < info.kept.naxes; k++) {
    size_t u = strlen(grid);
    snprintf(grid + u, sizeof grid - u, "%s%zu %s", k ? " x " : "", info.kept.n[k],
             info.kept.keys[k]);
  }
  if (strcmp(out, "-") != 0)
    fprintf(stderr, "zprop: wrote %zu rows (%s; min over %s of %zu rows) to %s, chi2_min = %.4f\n",
            info.rows_out, grid, a.text[K_OVER], info.rows_in, out, info.chi2_min);
  free(a.auto_output);
  return ZP_EXIT_OK;
}
