/* zprop CLI: `zprop gm2 [key=value ...]`, the muon g-2 of the Z'.
 *
 * band = 0: Delta a_mu of one model point (mzp, gzp) and its pull against
 * the chosen reference, as three `key = value` lines.  band = 1 or 2: a
 * table of the 1 or 2 sigma band of couplings over a range of masses.
 *
 * The keys live in their own small X-macro table here rather than in
 * params.h: gm2 shares none of spectrum's physics keys' meaning beyond the
 * names mzp and gzp (and not their ranges), and takes no parameter file.
 * Messages follow params.c's format, `key = value: problem, allowed ...`,
 * so the two subcommands read alike.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/decimal.h"
#include "cli/table_writer.h" /* zp_table_check_path, zp_table_emit */
#include "zprop/config.h"
#include "zprop/gm2.h"
#include "zprop/mixing.h"
#include "physics/physics.h"

/* X(name, kind, default, unit, allowed, help).  A range bound may name a
 * REAL key above it (mzp_max > mzp_min), as in params.h. */
#define GM2_PARAM_LIST(X)                                                                          \
  X(mzp, REAL, "13", "MeV", "(0.01, 1e5]", "Z' boson mass (band = 0)")                             \
  X(gzp, REAL, "5e-4", "", "[0, 10]", "Z' coupling to L_mu - L_tau (band = 0)")                    \
  X(gm2_ref, ENUM, "wp2020", "", "wp2020|wp2020_2023|bmw2025|wp2025",                              \
    "Delta a_mu reference (see above)")                                                            \
  X(band, INT, "0", "", "[0, 2]", "0: pull of (mzp, gzp); 1, 2: table of the n sigma band in g")   \
  X(mzp_min, REAL, "1", "MeV", "(0.01, 1e5]", "band: lowest mass")                                 \
  X(mzp_max, REAL, "1000", "MeV", "(mzp_min, 1e5]", "band: highest mass")                          \
  X(npoints, INT, "200", "", "[2, 100000]", "band: number of masses (rows)")                       \
  X(scale, ENUM, "log", "", "log|linear", "band: spacing of the masses")                           \
  X(output, PATH, "-", "", "a path, - for stdout", "where the result is written")

typedef enum {
#define GM2_KEY_(name, ...) K_##name,
  GM2_PARAM_LIST(GM2_KEY_)
#undef GM2_KEY_
      K_COUNT
} gm2_key;

typedef enum { KIND_REAL, KIND_INT, KIND_ENUM, KIND_PATH } gm2_kind;

static const struct {
  const char *name;
  gm2_kind kind;
  const char *def, *unit, *allowed, *help;
} info[K_COUNT] = {
#define GM2_INFO_(name, kind, def, unit, allowed, help) \
  {#name, KIND_##kind, def, unit, allowed, help},
    GM2_PARAM_LIST(GM2_INFO_)
#undef GM2_INFO_
};

/* gm2_ref stores the position of its word, which must be the library's enum. */
_Static_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2020_2023 == 1 && ZP_GM2_BMW2025 == 2 &&
                   ZP_GM2_WP2025 == 3 && ZP_GM2_REF_COUNT == 4,
               "gm2_ref words: wp2020|wp2020_2023|bmw2025|wp2025");
enum { SCALE_LOG = 0, SCALE_LINEAR = 1 };

/* For --help only: what each reference is (the numbers come from the library). */
static const char *const ref_origin[ZP_GM2_REF_COUNT] = {
    "2021 world average - White Paper 2020 (default)",
    "2023 world average - White Paper 2020",
    "2025 world average - lattice (BMW) Standard Model",
    "2025 world average - White Paper 2025 (no anomaly)",
};

typedef struct {
  const char *text[K_COUNT]; /* the value as written (points into argv or info) */
  int given[K_COUNT];        /* set on the command line */
  double real[K_COUNT];      /* REAL, and INT as a double for the range check */
  long integer[K_COUNT];     /* INT */
  int word[K_COUNT];         /* ENUM: position in the allowed list */
} gm2_params;

/* ---------------------------------------------------------------- text */

/** Removes '+' and leading zeros from the exponent: 1e5, not 1e+05. */
static void tidy_exponent(char *s) {
  char *e = strchr(s, 'e');
  if (e == NULL) return;
  char *src = e + 1, *dst = e + 1;
  if (*src == '+') src++;
  else if (*src == '-') *dst++ = *src++;
  while (*src == '0' && src[1] != '\0') src++;
  memmove(dst, src, strlen(src) + 1);
}

/** The shortest text that reads back as exactly @p x, fixed or exponent
 *  notation (fixed on a tie), as params.c writes numbers: 13, 5e-4, 2000.
 *  Exact, so a header value reruns the same number. */
static void format_real(char *buf, size_t size, double x) {
  char sci[40], fixed[64] = "";
  for (int prec = 0; prec <= 17; prec++) {
    snprintf(sci, sizeof sci, "%.*e", prec, x);
    if (strtod(sci, NULL) == x) break;
  }
  tidy_exponent(sci);
  if (x == 0.0 || (fabs(x) >= 1e-5 && fabs(x) < 1e16))
    for (int dec = 0; dec <= 22; dec++) {
      snprintf(fixed, sizeof fixed, "%.*f", dec, x);
      if (strtod(fixed, NULL) == x) break;
      fixed[0] = '\0';
    }
  snprintf(buf, size, "%s", fixed[0] != '\0' && strlen(fixed) <= strlen(sci) ? fixed : sci);
}

/** Position of @p word in the '|'-separated @p list (any case), or -1. */
static int find_word(const char *list, const char *word) {
  size_t n = strlen(word);
  int pos = 0;
  for (const char *s = list;; pos++) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    if (len == n && n > 0 && strncasecmp(s, word, n) == 0) return pos;
    if (bar == NULL) return -1;
    s = bar + 1;
  }
}

/** Prints word @p pos of the '|'-separated @p list. */
static void print_word(FILE *f, const char *list, int pos) {
  for (; pos > 0 && list != NULL; pos--) {
    list = strchr(list, '|');
    if (list != NULL) list++;
  }
  if (list != NULL) fprintf(f, "%.*s", (int)strcspn(list, "|"), list);
}

/** `key = text: problem, allowed ... (note; default value)`: the format of
 *  params.c, so the user sees one style of message across subcommands. */
static zp_status value_error(const gm2_params *p, int k, const char *problem, const char *note,
                             zp_error *err) {
  int have_note = note != NULL && note[0] != '\0';
  const char *where = p->given[k] ? "" : "default value";
  return zp_error_set(err, ZP_EINVAL, "%s = %s: %s, allowed %s%s%s%s%s%s", info[k].name,
                      p->text[k][0] != '\0' ? p->text[k] : "\"\"", problem, info[k].allowed,
                      have_note || where[0] ? " (" : "", have_note ? note : "",
                      have_note && where[0] ? "; " : "", where, have_note || where[0] ? ")" : "");
}

/* ---------------------------------------------------------------- parse */

static int find_key(const char *name, size_t len) {
  for (int k = 0; k < K_COUNT; k++)
    if (strlen(info[k].name) == len && strncmp(info[k].name, name, len) == 0) return k;
  return -1;
}

static zp_status unknown_key(const char *arg, zp_error *err) {
  char keys[256] = "";
  for (int k = 0; k < K_COUNT; k++) {
    size_t used = strlen(keys);
    snprintf(keys + used, sizeof keys - used, "%s%s", k > 0 ? ", " : "", info[k].name);
  }
  const char *eq = strchr(arg, '=');
  return zp_error_set(err, ZP_EINVAL, "%.*s = %s: unknown key, allowed %s", (int)(eq - arg), arg,
                      eq + 1, keys);
}

/** Collects the texts: defaults, then each key=value argument once. */
static zp_status read_args(int argc, char **argv, gm2_params *p, zp_error *err) {
  for (int k = 0; k < K_COUNT; k++) p->text[k] = info[k].def;
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
    if (p->given[k])
      return zp_error_set(err, ZP_EINVAL, "%s = %s: given twice, allowed once (first %s = %s)",
                          info[k].name, eq[1] != '\0' ? eq + 1 : "\"\"", info[k].name,
                          p->text[k][0] != '\0' ? p->text[k] : "\"\"");
    p->given[k] = 1;
    /* Blanks around a value are not part of it, as for every other
     * subcommand: output=' ' is an empty name, not a file called blank. */
    char *v = argv[i] + (eq + 1 - a);
    v += strspn(v, " \t");
    for (size_t n = strlen(v); n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'); n--) v[n - 1] = '\0';
    p->text[k] = v;
  }
  return ZP_OK;
}

/** A decimal number (zp_parse_decimal) that neither underflows nor is
 *  anything but a number: 1 and *out, else 0. */
static int parse_real(const char *s, double *out) {
  double x;
  if (zp_parse_decimal(s, &x) != ZP_NUM_OK) return 0;
  *out = x;
  return 1;
}

/** Checks p->real[k] against "(lo, hi]"; a bound may name a REAL key above. */
static zp_status check_range(const gm2_params *p, int k, zp_error *err) {
  const char *r = info[k].allowed;
  char tok[2][32], open_c, close_c, note[96] = "";
  if (sscanf(r, "%c%31[^,], %31[^])]%c", &open_c, tok[0], tok[1], &close_c) != 4)
    return zp_error_set(err, ZP_EINVAL, "internal error: bad range '%s' for %s", r, info[k].name);
  double bound[2];
  for (int b = 0; b < 2; b++) {
    if (parse_real(tok[b], &bound[b])) continue;
    int j = find_key(tok[b], strlen(tok[b]));
    if (j < 0 || j >= k || info[j].kind != KIND_REAL)
      return zp_error_set(err, ZP_EINVAL, "internal error: bad bound '%s' for %s", tok[b],
                          info[k].name);
    bound[b] = p->real[j];
    char num[32];
    format_real(num, sizeof num, bound[b]);
    snprintf(note, sizeof note, "%s = %s", tok[b], num);
  }
  double x = p->real[k];
  int ok = (open_c == '[' ? x >= bound[0] : x > bound[0]) &&
           (close_c == ']' ? x <= bound[1] : x < bound[1]);
  return ok ? ZP_OK : value_error(p, k, "out of range", note, err);
}

/** Converts and checks every key, in table order. */
static zp_status check_values(gm2_params *p, zp_error *err) {
  for (int k = 0; k < K_COUNT; k++) {
    const char *t = p->text[k];
    switch (info[k].kind) {
      case KIND_REAL:
        if (!parse_real(t, &p->real[k])) return value_error(p, k, "not a number", NULL, err);
        break;
      case KIND_INT: {
        char *end;
        errno = 0;
        p->integer[k] = strtol(t, &end, 10);
        double x;
        if (end == t || *end != '\0')
          return value_error(p, k, parse_real(t, &x) ? "not an integer" : "not a number", NULL,
                             err);
        /* ERANGE clamps to LONG_MIN/MAX, which then fails the range check. */
        p->real[k] = (double)p->integer[k];
        break;
      }
      case KIND_ENUM:
        p->word[k] = find_word(info[k].allowed, t);
        if (p->word[k] < 0) return value_error(p, k, "unknown word", NULL, err);
        break;
      case KIND_PATH:
        if (t[0] == '\0') return value_error(p, k, "empty", NULL, err);
        break;
    }
    if (info[k].kind == KIND_REAL || info[k].kind == KIND_INT) {
      zp_status st = check_range(p, k, err);
      if (st != ZP_OK) return st;
    }
  }
  return ZP_OK;
}

/* -------------------------------------------------------------- compute */

/** What gets written: one point or one band table. */
typedef struct {
  const gm2_params *p;
  zp_gm2_ref ref;
  double central, sigma;
  const char *label;
  double delta_amu, pull;                /* band = 0 */
  size_t n;                              /* band: rows */
  double *mzp_mev, *g_low, *g_high, *f;  /* band: columns */
} gm2_result;

static zp_status compute_band(gm2_result *r, zp_error *err) {
  const gm2_params *p = r->p;
  size_t n = (size_t)p->integer[K_npoints];
  double lo = p->real[K_mzp_min], hi = p->real[K_mzp_max];
  r->n = n;
  r->mzp_mev = malloc(4 * n * sizeof *r->mzp_mev);
  if (r->mzp_mev == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  r->g_low = r->mzp_mev + n;
  r->g_high = r->g_low + n;
  r->f = r->g_high + n;
  for (size_t i = 0; i < n; i++) {
    double t = (double)i / (double)(n - 1);
    double m = p->word[K_scale] == SCALE_LOG ? lo * pow(hi / lo, t) : lo + (hi - lo) * t;
    /* The ends exactly as asked, whatever pow() rounds to. */
    r->mzp_mev[i] = i == 0 ? lo : (i == n - 1 ? hi : m);
    double m_gev = r->mzp_mev[i] * ZP_MEV_GEV;
    zp_status st = zp_gm2_band(m_gev, r->ref, (double)p->integer[K_band], &r->g_low[i],
                               &r->g_high[i], err);
    if (st == ZP_OK) st = zp_gm2_delta_amu(m_gev, 1.0, &r->f[i], err);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

/* --------------------------------------------------------------- output */

static void print_param(FILE *f, const gm2_params *p, int k) {
  char num[32];
  fprintf(f, "# %s = ", info[k].name);
  switch (info[k].kind) {
    case KIND_REAL:
      format_real(num, sizeof num, p->real[k]);
      fputs(num, f);
      break;
    case KIND_INT: fprintf(f, "%ld", p->integer[k]); break;
    case KIND_ENUM: print_word(f, info[k].allowed, p->word[k]); break;
    case KIND_PATH: fputs(p->text[k], f); break;
  }
  fputc('\n', f);
}

static void write_reference(FILE *f, const char *prefix, const gm2_result *r) {
  char c[40], s[40];
  format_real(c, sizeof c, r->central);
  format_real(s, sizeof s, r->sigma);
  fprintf(f, "%sreference = %s %s +- %s\n", prefix, r->label, c, s);
}

static void write_point(FILE *f, const gm2_result *r) {
  fprintf(f, "delta_amu = %.6e\n", r->delta_amu);
  fprintf(f, "pull = %.4f\n", r->pull);
  write_reference(f, "", r);
}

static void write_band(FILE *f, const gm2_result *r) {
  const gm2_params *p = r->p;
  long nsig = p->integer[K_band];
  /* As in the spectrum table: "##" is information, "# key = value" lines
   * are the effective parameters and the only lines of that form. */
  fprintf(f, "## zprop %s: muon g-2, %ld sigma band of the Z' coupling g against %s\n",
          ZP_VERSION, nsig, r->label);
  fprintf(f, "## effective parameters follow as '# key = value'; to rerun:\n"
             "##   zprop gm2 $(sed -n 's/^# \\([a-z_0-9]*\\) = /\\1=/p' THIS_FILE)\n");
  for (int k = 0; k < K_COUNT; k++) print_param(f, p, k);
  write_reference(f, "## ", r);
  if (r->central - (double)nsig * r->sigma <= 0.0)
    fprintf(f, "## g_low = 0: central - %ld sigma <= 0, so g = 0 (no Z') is inside the band\n",
            nsig);
  fprintf(f, "## mzp_MeV: Z' mass; g_low, g_high: band edges, Delta a_mu(g) = central -/+ %ld "
             "sigma; delta_amu_per_g2: Delta a_mu / g^2\n",
          nsig);
  fputs("# mzp_MeV\tg_low\tg_high\tdelta_amu_per_g2\n", f);
  for (size_t i = 0; i < r->n; i++)
    fprintf(f, "%.10e\t%.10e\t%.10e\t%.10e\n", r->mzp_mev[i], r->g_low[i], r->g_high[i], r->f[i]);
}

/* zp_table_fill_fn: the whole output, a point's lines or a band's table. */
static void write_result(FILE *f, const void *ctx) {
  const gm2_result *r = ctx;
  if (r->p->integer[K_band] == 0) write_point(f, r);
  else write_band(f, r);
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
  size_t wn = strlen("key"), wd = strlen("default"), wa = strlen("allowed");
  for (int k = 0; k < K_COUNT; k++) {
    if (strlen(info[k].name) > wn) wn = strlen(info[k].name);
    if (strlen(info[k].def) > wd) wd = strlen(info[k].def);
    if (strlen(info[k].allowed) > wa) wa = strlen(info[k].allowed);
  }
  fprintf(f, "  %-*s  %-*s  %-*s  %s\n", (int)wn, "key", (int)wd, "default", (int)wa, "allowed",
          "unit; meaning");
  for (int k = 0; k < K_COUNT; k++)
    fprintf(f, "  %-*s  %-*s  %-*s  %s%s%s\n", (int)wn, info[k].name, (int)wd, info[k].def,
            (int)wa, info[k].allowed, info[k].unit, info[k].unit[0] ? "; " : "", info[k].help);
}

int zp_cmd_gm2(int argc, char **argv) {
  /* --help wins over anything else on the line, even a mistake. */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      zp_cmd_gm2_help(stdout);
      return ZP_EXIT_OK;
    }
  gm2_params p;
  memset(&p, 0, sizeof p);
  zp_error err;
  zp_error_clear(&err);
  gm2_result r;
  memset(&r, 0, sizeof r);
  r.p = &p;

  zp_status st = read_args(argc, argv, &p, &err);
  if (st == ZP_OK) st = check_values(&p, &err);
  /* Before computing, so a bad path costs nothing and leaves nothing. */
  if (st == ZP_OK) st = zp_table_check_path(p.text[K_output], &err);
  if (st == ZP_OK) {
    r.ref = (zp_gm2_ref)p.word[K_gm2_ref];
    st = zp_gm2_reference(r.ref, &r.central, &r.sigma, &r.label, &err);
  }
  if (st == ZP_OK) {
    if (p.integer[K_band] == 0)
      st = zp_gm2_pull(p.real[K_mzp] * ZP_MEV_GEV, p.real[K_gzp], r.ref, &r.delta_amu, &r.pull,
                       &err);
    else
      st = compute_band(&r, &err);
  }
  /* a file appears complete or not at all, as every zprop table */
  if (st == ZP_OK) st = zp_table_emit(p.text[K_output], write_result, &r, &err);

  int status = ZP_EXIT_OK;
  if (st != ZP_OK)
    status = zp_cli_report(&err);
  else if (p.integer[K_band] != 0)
    fprintf(stderr, "zprop: wrote %zu rows to %s (%ld sigma band, %s)\n", r.n,
            strcmp(p.text[K_output], "-") == 0 ? "stdout" : p.text[K_output],
            p.integer[K_band], r.label);
  free(r.mzp_mev);
  return status;
}
