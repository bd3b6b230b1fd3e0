/* zprop: the parameter engine behind zprop/params.h (library-internal).
 *
 * Every key goes through the same pipeline, driven by ZP_PARAM_LIST
 * (param_table.h); a command sees only the keys it takes:
 *   1. text:    default (with the mode's), then whatever the caller sets
 *               (the CLI: its parameter file, then key=value arguments);
 *   2. convert: text -> typed value, by kind (syntax, finiteness, words);
 *   3. check:   typed value against the "allowed" column, in table order,
 *               so a bound can name a key above it;
 *   4. store:   typed value -> the field named in the table.
 * The user's own text is kept so that each error message quotes exactly
 * what was written.  The struct is visible to the in-tree program (zprop)
 * which walks lists and ranges through p->value; callers outside the tree
 * see only the opaque handle.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CORE_PARAMS_H
#define ZP_CORE_PARAMS_H

#include <stdio.h>

#include "config/param_table.h"
#include "zprop/errors.h"
#include "zprop/params.h"
#include "zprop/source.h"
#include "zprop/spectrum.h"

/** Where a key's value came from: later sources override earlier ones, and
 *  a key may be given once per source (FILE, ARG). */
typedef enum {
  ZP_FROM_DEFAULT = 0,
  ZP_FROM_FILE = 1,
  ZP_FROM_ARG = 2,
  ZP_FROM_API = 3 /* zp_params_set(): may be set again */
} zp_param_origin;

/** What a command changes about the shared key table: the table, its
 *  ranges and its messages stay the same for every command. */
typedef struct {
  const char *command; /* "spectrum": named in "see 'zprop <command> --help'" */
  /** NULL, or per zp_param_key: a default replacing the table's (NULL
   *  entries keep the table's), e.g. the output file name. */
  const char *const *defaults;
  /** NULL, or per zp_param_key: nonzero where the key accepts a
   *  comma-separated list.  The caller then splits the lists and checks
   *  one element per key at a time (zp_params_check with p->value). */
  const unsigned char *lists;
  /** The ZP_CMD_* bit of the command: which keys it takes. */
  unsigned cmd;
  /** NULL, or per zp_param_key: nonzero where the key takes a range
   *  lo:hi:n.  As with lists, the caller checks each end through
   *  p->value; the key is printed as its text (zp_params_set_text). */
  const unsigned char *ranges;
  /** NULL, or the command's keys in the order it checks, prints and lists
   *  them (norder of them), where that is not the table's. */
  const zp_param_key *order;
  size_t norder;
  unsigned flags; /* ZP_MODE_* */
} zp_params_mode;

/* How a mode reads its keys where its command always read them so. */
enum {
  /** Each key converted and checked before the next is read, so that the
   *  first bad key in order is named even when a later one is malformed. */
  ZP_MODE_IN_ORDER = 1,
  /** Every number that cannot be taken is "not a number" (nan, 1e-400). */
  ZP_MODE_PLAIN_NUMBERS = 2
};

/** The modes of the commands (param_modes.c). */
extern const zp_params_mode zp_mode_spectrum, zp_mode_batch, zp_mode_fit, zp_mode_scan, zp_mode_gm2;

/** Per zp_param_key, 1 where `zprop batch` accepts a list (zp_mode_batch.lists). */
extern const unsigned char zp_batch_list_keys[ZP_KEY_COUNT];

/** The mode of @p command ("fit"), or NULL. */
const zp_params_mode *zp_params_mode_find(const char *command);

/** The fit and scan keys once checked (zp_params.fit).  The TEXT keys
 *  point into zp_params.text; ENUM keys hold the word's position, which
 *  for errors, upper_limits, flux and gm2_ref is the library's enum value
 *  (static-asserted in params_table.c). */
typedef struct {
  const char *data, *channel, *bins;
  int errors, upper_limits, flux, profile, zp, mzp_scale, gm2_ref, resume;
  double gamma_min, gamma_max, gamma_step;
  int chunk;
} zp_fit_keys;

/** The keys of `zprop gm2` that no other command takes (zp_params.gm2). */
typedef struct {
  int band, npoints, scale; /* scale: ZP_SCALE_* */
  double mzp_min, mzp_max;  /* MeV */
} zp_gm2_keys;

/** Everything one command was asked to do. */
struct zp_params {
  zp_config cfg;            /* what the library computes from */
  int mixing;               /* zp_mixing_preset: chooses cfg.osc */
  const char *source_table; /* text[ZP_KEY_source_table] ("" = none) */
  const char *output;       /* text[ZP_KEY_output]; "-" is stdout */
  zp_source_table *table;   /* loaded when source = table; cfg.source.table borrows it */
  char *text[ZP_KEY_COUNT]; /* effective value of each key as written (owned) */
  /** The text zp_params_check() reads for each key: text[k] itself, or
   *  (lists) one element of it, so that errors can name the element. */
  const char *value[ZP_KEY_COUNT];
  double max_memory_gib;      /* 0: half of the physical memory (the CLI's memory check) */
  zp_fit_keys fit;            /* the fit and scan keys the mode takes */
  zp_gm2_keys gm2;            /* the keys of zprop gm2 */
  const zp_params_mode *mode; /* the command's view of the table */
  zp_param_origin origin[ZP_KEY_COUNT];
  const char *ini_path; /* the file FILE values came from (named in messages), NULL if none */
  int checked;          /* zp_params_check() passed since the last change */
  /* Flags of the command line that filled the set; the engine never reads them. */
  int help;    /* --help: print help, nothing else */
  int dry_run; /* --dry-run: check and print, no computation */
};

/* ---------------------------------------------------- table (params_table.c) */

/** The table row of key @p k. */
const zp_param_info *zp_params_info(zp_param_key k);

/** Key @p k as the command of @p mode reads it: its view (ZP_PARAM_VIEWS)
 *  where it has one, else the table row. */
const zp_param_info *zp_params_row(const zp_params_mode *mode, zp_param_key k);

/** The keys @p mode takes, in its order, into @p keys.  @return how many. */
size_t zp_params_mode_keys(const zp_params_mode *mode, zp_param_key keys[ZP_KEY_COUNT]);

/** The row of key @p k of zprop plot (ZP_PLOT_PARAM_LIST). */
const zp_param_info *zp_params_plot_info(zp_plot_key k);

/** The name of key @p k ("mzp"). */
const char *zp_params_key_name(zp_param_key k);

/** Any key of the table by name, whether or not a command takes it, or -1. */
int zp_params_find_key(const char *name);

/** Whether the command of @p mode takes key @p k at all. */
int zp_params_accepts(const zp_params_mode *mode, zp_param_key k);

/** Position of @p word in the '|'-separated @p list (any case), or -1. */
int zp_params_find_word(const char *list, const char *word);

/** The word at @p pos of the '|'-separated @p list ("" past its end), its
 *  length in *len. */
const char *zp_params_word_at(const char *list, int pos, int *len);

/** The word at position @p pos of ENUM key @p k ("IO" for ordering, 1). */
void zp_params_format_word(char *buf, size_t size, zp_param_key k, int pos);

/* ------------------------------------------------------ set (params_set.c) */

/** Sets @p p to the defaults of @p mode (p->value[k] = p->text[k]).  Call
 *  zp_params_clear() in every case. */
zp_status zp_params_init(zp_params *p, const zp_params_mode *mode, zp_error *err);

/** Frees what @p p holds (not @p p itself). */
void zp_params_clear(zp_params *p);

/** Records @p value for key @p name from @p origin; @p where names the file
 *  for messages ("" otherwise).  The messages for an unknown key (with a
 *  "did you mean"), a key of another command and a key given twice from
 *  the same origin are the CLI's. */
zp_status zp_params_set_from(zp_params *p, const char *name, const char *value,
                             zp_param_origin origin, const char *where, zp_error *err);

/** Replaces the text of key @p k (keeping where it came from), e.g. a
 *  preset's default or a range in canonical form; p->value[k] follows. */
zp_status zp_params_set_text(zp_params *p, zp_param_key k, const char *text, zp_error *err);

/** A check of key @p k that the table cannot express, as one line in the
 *  format of every other: `key = text: [element E ]problem, allowed
 *  <allowed column> (note; where the value came from)`.  @return ZP_EINVAL. */
zp_status zp_params_value_error(const zp_params *p, zp_param_key k, const char *problem,
                                const char *note, zp_error *err);

/** The same with @p allowed instead of the table's column. */
zp_status zp_params_value_error_as(const zp_params *p, zp_param_key k, const char *problem,
                                   const char *allowed, const char *note, zp_error *err);

/** A value as error messages quote it: "" when empty, a long one cut short. */
void zp_params_quote(char *buf, size_t size, const char *text);

/** @p s without leading and trailing blanks (tabs, '\r' at the end), in place. */
char *zp_params_trim(char *s);

/* -------------------------------------------------- check (params_check.c) */

/** Converts and checks p->value[] in table order, then fills p->cfg (which
 *  passes zp_config_check()).  May be called again with other values; the
 *  source table is loaded once.  When p->value[k] is an element of a list,
 *  the error reads `key = list: element E ...`. */
zp_status zp_params_check(zp_params *p, zp_error *err);

/** Converts every key and checks only key @p k (its range with the others
 *  as they stand, and its own rules). */
zp_status zp_params_check_key(zp_params *p, zp_param_key k, zp_error *err);

/* -------------------------------------------------- print (params_print.c) */

/** Writes every key the mode takes (less the ZP_CMD_RUNTIME ones) as
 *  `<prefix>key = value` from the values that p->cfg and p->fit actually
 *  hold (oscillation overrides show the preset's numbers), in a form that
 *  reads back to the same config.  A list (p->mode) or a range is written
 *  as its text, without blanks; an oscillation key left at its preset
 *  stays `preset` when ordering is a list, since then the numbers differ
 *  from point to point. */
void zp_params_print(FILE *f, const char *prefix, const zp_params *p);

/** Writes the key table of @p mode (name, [list,] default, allowed, unit
 *  and help) for --help. */
void zp_params_print_help_mode(FILE *f, const zp_params_mode *mode);

/** The shortest text that reads back as exactly @p x (as in the header). */
void zp_params_format_real(char *buf, size_t size, double x);

/** @p x rounded up to 4 significant digits: a minimum quoted to the user
 *  must itself pass the check it is quoted for. */
void zp_params_format_real_up(char *buf, size_t size, double x);

#endif
