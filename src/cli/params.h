/* zprop CLI: the parameters of every subcommand but gm2, from one X-macro
 * table for the model (spectrum, batch, fit, scan) and one for the fit and
 * scan keys (params_fit.h), read by the same pipeline.
 *
 * ZP_PARAM_LIST is the single place where a key is declared: its kind, its
 * default (as text, parsed like user input), unit, allowed range, the field
 * of zp_cli_params it sets, and its help line.  The parser, the range
 * checks, the store into zp_config, --help and the "# key = value" header
 * of the output are all generated from it, so none of them can drift.
 *
 * Kinds:
 *   REAL   double; range "(lo, hi]" with ( ) open and [ ] closed bounds.  A
 *          bound may name another REAL key (checked earlier in the table)
 *          or sum_min (the smallest sum of masses for the ordering).
 *   INT    integer, same range syntax.
 *   ENUM   one of the words in the range column ("NO|IO", any case); the
 *          word's position is the stored value (static-asserted in params.c).
 *   OSC    oscillation override in the same range syntax; the default word
 *          "preset" keeps the value of the `mixing` preset.
 *   RATIO  flavor ratio e:mu:tau (three numbers >= 0, not all 0) or "equal".
 *   PATH   a file name, kept as text ("" = none).
 * Order matters: a bound may only name a key above it, and the oscillation
 * keys sit above sum_mnu because sum_min depends on them.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PARAMS_H
#define ZP_CLI_PARAMS_H

#include <stdio.h>

#include "cli/params_fit.h"
#include "zprop/errors.h"
#include "zprop/source.h"
#include "zprop/spectrum.h"

/* X(name, kind, default, unit, allowed, field of zp_cli_params, help) */
#define ZP_PARAM_LIST(X)                                                                           \
  X(mzp, REAL, "13", "MeV", "(0.01, 1000]", cfg.zprime.mzp_mev, "Z' boson mass")                   \
  X(gzp, REAL, "5e-4", "", "[0, 1]", cfg.zprime.gzp,                                               \
    "Z' coupling to L_mu - L_tau (0: free streaming)")                                             \
  X(gchi, REAL, "0", "", "[0, 10]", cfg.zprime.gchi, "Z' coupling to a dark Dirac fermion")        \
  X(mchi, REAL, "0", "MeV", "[0, 1e4]", cfg.zprime.mchi_mev, "dark fermion mass")                  \
  X(ordering, ENUM, "NO", "", "NO|IO", cfg.ordering, "neutrino mass ordering")                     \
  X(mixing, ENUM, "nufit50", "", "nufit50|nufit52|nufit60", mixing,                                \
    "oscillation parameter preset")                                                                \
  X(theta12, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta12,                                     \
    "mixing angle, overrides the preset")                                                          \
  X(theta13, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta13,                                     \
    "mixing angle, overrides the preset")                                                          \
  X(theta23, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta23,                                     \
    "mixing angle, overrides the preset")                                                          \
  X(delta_cp, OSC, "preset", "deg", "[0, 360]", cfg.osc.delta_cp,                                  \
    "Dirac CP phase, overrides the preset")                                                        \
  X(dm21, OSC, "preset", "eV^2", "(0, 1]", cfg.osc.dm21, "solar splitting, overrides the preset")  \
  X(dm3l, OSC, "preset", "eV^2", "[-1, 1]", cfg.osc.dm3l,                                          \
    "dm31 (NO, > 0) or dm32 (IO, < 0), overrides the preset")                                      \
  X(sum_mnu, REAL, "0.12", "eV", "[sum_min, 1]", cfg.sum_mnu_ev,                                   \
    "sum of neutrino masses; sum_min: lightest mass 0 (about 0.059 NO, 0.099 IO)")                 \
  X(source, ENUM, "delta", "", "delta|sfr|sfr_smooth|bllac|table", cfg.source.kind,                \
    "redshift distribution of the sources")                                                        \
  X(z0, REAL, "1", "", "(0, 20]", cfg.source.z0, "redshift of a delta source")                     \
  X(zmax, REAL, "6", "", "[z0, 20]", cfg.source.zmax,                                              \
    "largest source redshift (not used by delta)")                                                 \
  X(source_table, PATH, "", "", "file of z rho rows", source_table,                                \
    "redshift density for source = table")                                                         \
  X(density_power, REAL, "0", "", "[-10, 10]", cfg.source.density_power,                           \
    "density multiplied by (1+z)^density_power")                                                   \
  X(gamma, REAL, "2.5", "", "[1, 4]", cfg.source.gamma, "spectral index at the source")            \
  X(flavor_ratio, RATIO, "1:2:0", "", "e:mu:tau >= 0, or equal", cfg.flavor_ratio,                 \
    "flavour ratio at the source; equal: 1/3 per mass state")                                      \
  X(norm, REAL, "1.66e-18", "GeV^-1 cm^-2 s^-1 sr^-1", "(0, 1e-10]", cfg.norm,                     \
    "per-flavour nu+nubar free-streaming flux at 100 TeV")                                         \
  X(emin, REAL, "1e3", "GeV", "[1, 1e12)", cfg.grid.emin_gev, "lowest energy at Earth")            \
  X(emax, REAL, "1e9", "GeV", "(emin, 1e13]", cfg.grid.emax_gev, "highest energy at Earth")        \
  X(bins_per_decade, REAL, "60", "", "[1, 1000]", cfg.grid.bins_per_decade,                        \
    "energy bins per decade")                                                                      \
  X(regeneration, ENUM, "on", "", "off|on", cfg.transport.regeneration,                            \
    "re-inject the neutrinos a Z' decays into")                                                    \
  X(thermal, ENUM, "auto", "", "auto|off|always", cfg.transport.thermal,                           \
    "thermal average over relic momenta")                                                          \
  X(thermal_kappa, REAL, "100", "", "[1, 1e6]", cfg.transport.thermal_kappa,                       \
    "thermal=auto: thermal where m_j < thermal_kappa T(z)")                                        \
  X(shells_per_bin, INT, "1", "", "[1, 16]", cfg.transport.shells_per_bin,                         \
    "redshift shells per energy bin ratio")                                                        \
  X(backend, ENUM, "auto", "", "auto|cpu|cuda|cpu_fast", cfg.backend,                              \
    "transfer matrix backend: cpu dense reference, cpu_fast structured O(N)")                       \
  X(max_memory, REAL, "0", "GiB", "[0, 1e6]", max_memory_gib,                                       \
    "memory a run may take, checked before it starts; 0: half of the physical memory")              \
  X(output, PATH, "zprop_spectrum.tsv", "", "path, - for stdout", output,                          \
    "where the table is written")

/* The keys of both tables: the model keys first, then the fit keys. */
typedef enum {
#define ZP_PARAM_KEY_(name, ...) ZP_KEY_##name,
  ZP_PARAM_LIST(ZP_PARAM_KEY_) ZP_FIT_PARAM_LIST(ZP_PARAM_KEY_)
#undef ZP_PARAM_KEY_
      ZP_KEY_COUNT
} zp_param_key;

/** Where a key's value came from: later sources override earlier ones, and
 *  a key may be given once per source. */
typedef enum { ZP_FROM_DEFAULT = 0, ZP_FROM_FILE = 1, ZP_FROM_ARG = 2 } zp_param_origin;

/** What a subcommand changes about the shared key tables: the tables, their
 *  ranges and their messages stay the same for every subcommand. */
typedef struct {
  const char *command; /* "spectrum": named in "see 'zprop <command> --help'" */
  /** NULL, or per zp_param_key: a default replacing the table's (NULL
   *  entries keep the table's), e.g. the output file name. */
  const char *const *defaults;
  /** NULL, or per zp_param_key: nonzero where the key accepts a
   *  comma-separated list.  The caller then splits the lists and checks
   *  one element per key at a time (zp_params_check with p->value). */
  const unsigned char *lists;
  /** ZP_CMD_FIT or ZP_CMD_SCAN: which keys of ZP_FIT_PARAM_LIST the
   *  subcommand takes (0: none; the others are unknown keys to it). */
  unsigned cmd;
  /** NULL, or per zp_param_key: nonzero where the key takes a range
   *  lo:hi:n.  As with lists, the caller checks each end through
   *  p->value; the key is printed as its text (zp_params_set_text). */
  const unsigned char *ranges;
} zp_params_mode;

/** Everything `zprop spectrum` (or `zprop batch`) was asked to do. */
typedef struct {
  zp_config cfg;               /* what the library computes from */
  int mixing;                  /* zp_mixing_preset: chooses cfg.osc */
  const char *source_table;    /* text[ZP_KEY_source_table] ("" = none) */
  const char *output;          /* text[ZP_KEY_output]; "-" is stdout */
  zp_source_table *table;      /* loaded when source = table; cfg.source.table borrows it */
  char *text[ZP_KEY_COUNT];    /* effective value of each key as written (owned) */
  /** The text zp_params_check() reads for each key: text[k] itself, or
   *  (lists) one element of it, so that errors can name the element. */
  const char *value[ZP_KEY_COUNT];
  double max_memory_gib;       /* 0: half of the physical memory (memory_check.h) */
  zp_fit_keys fit;             /* the keys of ZP_FIT_PARAM_LIST the mode takes */
  const zp_params_mode *mode;  /* how the line was read */
  zp_param_origin origin[ZP_KEY_COUNT];
  const char *ini_path;        /* the parameter file, NULL if none */
  int help;                    /* --help: print help, nothing else */
  int dry_run;                 /* --dry-run: check and print, no computation */
} zp_cli_params;

/** Parses `[FILE.ini] [key=value ...] [--help] [--dry-run]` (@p argv after
 *  the subcommand name): defaults, then the file, then the arguments; then
 *  checks every value, loads the source table and fills p->cfg, which then
 *  passes zp_config_check().  With --help it stops after the arguments.
 *  On failure err->msg is one line naming the key, the value and what is
 *  allowed.  Call zp_params_free() in every case. */
zp_status zp_params_parse(int argc, char **argv, zp_cli_params *p, zp_error *err);
void zp_params_free(zp_cli_params *p);

/** The first half of zp_params_parse(), for any subcommand: defaults (with
 *  mode->defaults), the file and the arguments into p->text, and
 *  p->value[k] = p->text[k].  With --help it stops after the arguments. */
zp_status zp_params_read(int argc, char **argv, const zp_params_mode *mode, zp_cli_params *p,
                         zp_error *err);

/** The second half: converts and checks p->value[] in table order, then
 *  fills p->cfg (which passes zp_config_check()).  May be called again with
 *  other values; the source table is loaded once.  When p->value[k] is an
 *  element of a list, the error reads `key = list: element E ...`. */
zp_status zp_params_check(zp_cli_params *p, zp_error *err);

/** Writes every key the mode takes (less the ZP_CMD_RUNTIME ones) as
 *  `<prefix>key = value` from the values that p->cfg and p->fit actually
 *  hold (oscillation overrides show the preset's numbers), in a form
 *  zp_params_parse() reads back to the same config.  A list (p->mode) or a
 *  range is written as its text, without blanks; an oscillation key left
 *  at its preset stays `preset` when ordering is a list, since then the
 *  numbers differ from point to point. */
void zp_params_print(FILE *f, const char *prefix, const zp_cli_params *p);

/** Writes the key table (name, unit, default, allowed, help) for --help. */
void zp_params_print_help(FILE *f);

/** The same for @p mode: its default output, and a `list` column when it
 *  has lists. */
void zp_params_print_help_mode(FILE *f, const zp_params_mode *mode);

/** The name of key @p k ("mzp"). */
const char *zp_params_key_name(zp_param_key k);

/** Whether the subcommand of @p mode takes key @p k at all. */
int zp_params_accepts(const zp_params_mode *mode, zp_param_key k);

/** Replaces the text of key @p k (keeping where it came from), e.g. a
 *  preset's default or a range in canonical form; p->value[k] follows. */
zp_status zp_params_set_text(zp_cli_params *p, zp_param_key k, const char *text, zp_error *err);

/** A check of key @p k that the table cannot express, as one line in the
 *  format of every other: `key = text: [element E ]problem, allowed
 *  <allowed column> (note; where the value came from)`.  @return ZP_EINVAL. */
zp_status zp_params_value_error(const zp_cli_params *p, zp_param_key k, const char *problem,
                                const char *note, zp_error *err);

/** A value as error messages quote it: "" when empty, a long one cut short. */
void zp_params_quote(char *buf, size_t size, const char *text);

/** The shortest text that reads back as exactly @p x (as in the header). */
void zp_params_format_real(char *buf, size_t size, double x);

/** The word at position @p pos of ENUM key @p k ("IO" for ordering, 1). */
void zp_params_format_word(char *buf, size_t size, zp_param_key k, int pos);

#endif
