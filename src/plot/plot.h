/* zprop CLI: what the parts of `zprop plot` share.
 *
 * cmd_plot.c reads the keys and the input tables; plot_kinds.c says what
 * each table is; plot_spectra.c, plot_scan.c and plot_misc.c turn them
 * into a gnuplot script (and the derived data it needs); plot_render.c
 * writes both and runs gnuplot.  The figure is a script the user keeps,
 * so every figure kind only fills two text buffers: the script and its
 * .dat file.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PLOT_H
#define ZP_CLI_PLOT_H

#include <stdarg.h>
#include <stddef.h>

#include "cli/table_reader.h"
#include "zprop/errors.h"

/* ------------------------------------------------------------ buffers */

/** A growing text buffer; after a failed allocation it stays marked. */
typedef struct {
  char *s;
  size_t len, cap;
  int oom;
} zp_buf;

void zp_buf_printf(zp_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Appends @p s as a gnuplot single-quoted string ('' for a quote,
 *  control bytes as blanks): every text a script holds goes through it. */
void zp_buf_quote(zp_buf *b, const char *s);
/** zp_buf_quote() of a file name, "./" put before a relative one so that
 *  gnuplot never reads it as a pipe ('<cmd', '|cmd') or a special file
 *  ('-', '+', ''): every file name a script holds goes through it. */
void zp_buf_quote_path(zp_buf *b, const char *path);
/** Appends @p s for a '#' comment line: control bytes and backslashes as
 *  \xHH, so it cannot end the line or continue it onto the next. */
void zp_buf_comment(zp_buf *b, const char *s);
void zp_buf_free(zp_buf *b);

/* ------------------------------------------------------------- options */

/** What `flux` selects from a spectrum. */
typedef enum {
  ZP_PLOT_FLUX_AVERAGE,
  ZP_PLOT_FLUX_E,
  ZP_PLOT_FLUX_MU,
  ZP_PLOT_FLUX_TAU,
  ZP_PLOT_FLUX_ALL,
  ZP_PLOT_FLUX_MASS
} zp_plot_flux;

typedef enum { ZP_PLOT_PNG, ZP_PLOT_PDF, ZP_PLOT_SVG } zp_plot_format;

/** An axis range: set = 0 means automatic. */
typedef struct {
  int set;
  double lo, hi;
} zp_plot_range;

/** The keys once checked (cmd_plot.c). */
typedef struct {
  const char *output; /* the figure */
  zp_plot_format format;
  const char *title; /* NULL: automatic; "" none */
  zp_plot_range xr, yr, zr;
  long width, height;
  const char *label; /* NULL or a comma list */
  const char *data;  /* "none" or data set names/paths, comma list; "v2024" */
  zp_plot_flux flux;
  const char *z;        /* scan column to colour; "auto" */
  const char *x, *y;    /* map axes (grid keys), NULL: automatic */
  const char *contours; /* "auto", "none" or numbers */
  int gm2;              /* -1: none, -2: the scan's gm2_ref, else a zp_gm2_ref */
  int gm2_line;         /* the g-2 exclusion line: as gm2 (plot_overlay.c) */
  double gm2_nsigma;    /* its n sigma */
  const char *limits;   /* limit-curve files, comma list; NULL: none */
} zp_plot_opts;

/** ZP_EINVAL ("@p what NAME: ...", one line) when the file name @p name
 *  holds a control byte; with @p level 1 also when it starts with '<' or
 *  '|' (a command to gnuplot), with 2 also when its last component does
 *  (a figure's: its script is rerun by that name); @p what is "table" or
 *  "output =".  (plot_keys.c) */
zp_status zp_plot_check_name(const char *what, const char *name, int level, zp_error *err);

/* --------------------------------------------------------------- kinds */

typedef enum {
  ZP_TABLE_SPECTRUM, /* zprop spectrum, also zprop fit output */
  ZP_TABLE_BATCH,
  ZP_TABLE_SCAN,
  ZP_TABLE_GM2_BAND
} zp_table_kind;

/** One input table and what it is. */
typedef struct {
  zp_tsv *t;
  zp_table_kind kind;
  char *rel; /* its path as the script names it (relative to the script) */
} zp_plot_input;

/** What the input's column line makes it, or ZP_EFORMAT ("unrecognised
 *  table") naming the file and its first columns. */
zp_status zp_plot_recognise(const zp_tsv *t, zp_table_kind *kind, zp_error *err);

/** "spectrum", "scan", ...: for messages. */
const char *zp_plot_kind_name(zp_table_kind kind);

/* -------------------------------------------------------------- figures */

/** The figure being built: paths and the two buffers. */
typedef struct {
  const zp_plot_opts *o;
  const char *out_base;    /* basename of the figure, e.g. "fig2.png" */
  const char *script_base; /* basename of the script, e.g. "fig2.gp" */
  const char *dat_base;    /* basename of the derived data, e.g. "fig2.dat" */
  const char *cmdline;     /* the zprop command line, for the script's header */
  zp_buf script, dat;
  int dat_blocks; /* index blocks written to dat so far */
} zp_plot_fig;

/** Script preamble shared by every figure: terminal, size, output. */
void zp_plot_preamble(zp_plot_fig *f);

/** Starts a new index block in the .dat file (a '#' line saying what
 *  it holds); @return its gnuplot index. */
int zp_plot_dat_block(zp_plot_fig *f, const char *what);

/** The title line: the key when given, else @p automatic. */
void zp_plot_title(zp_plot_fig *f, const char *automatic);

/** Applies a range key, or @p lo:@p hi when it is automatic (lo < hi). */
void zp_plot_range_line(zp_plot_fig *f, const char *axis, const zp_plot_range *r, double lo,
                        double hi);

/** Checks a range for a log axis: ZP_EINVAL naming the key otherwise. */
zp_status zp_plot_check_log_range(const zp_plot_range *r, const char *key, zp_error *err);

/** Splits the `label` key into @p n labels (NULL entries when the key is
 *  not given); ZP_EINVAL when it holds another number of labels. */
zp_status zp_plot_labels(const zp_plot_opts *o, size_t n, char ***labels, zp_error *err);
void zp_plot_labels_free(char **labels, size_t n);

/** @p x to 4 digits for a legend: 6.359, 1.778e-4. */
void zp_plot_short(char *buf, size_t size, double x);

/** Shortest %g text of @p x that reads back within 1e-6, for labels. */
void zp_plot_num(char *buf, size_t size, double x);

/** The IceCube points of the `data` key: appends their blocks to the .dat
 *  and their clauses (each starting ", ") to @p plot; widens [*ymin,
 *  *ymax] to the points.  Unknown or unreadable sets: the loader's error. */
zp_status zp_plot_icecube(zp_plot_fig *f, zp_buf *plot, double *ymin, double *ymax, zp_error *err);

zp_status zp_plot_spectra(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err);
zp_status zp_plot_scan(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err);
zp_status zp_plot_gm2_band(zp_plot_fig *f, zp_plot_input *in, size_t n, zp_error *err);
zp_status zp_plot_sources(zp_plot_fig *f, zp_error *err);

/* ------------------------------------------------------------- render */

/** @p path relative to the absolute directory @p dir, into *out (malloc). */
zp_status zp_plot_relpath(const char *dir, const char *path, char **out, zp_error *err);

/** The gnuplot program found on PATH (static), or NULL: an absolute path
 *  (a relative PATH entry is taken from the working directory now, since
 *  gnuplot runs in another one). */
const char *zp_plot_find_gnuplot(void);

/** Writes the script and the .dat (when it has blocks) beside @p output,
 *  runs gnuplot on the script in @p dir (the absolute directory of
 *  @p output) into a locked temporary file (temp_file.h) and renames it
 *  over @p output.  On failure no figure or temporary is left (the script
 *  stays for inspection). */
zp_status zp_plot_render(zp_plot_fig *f, const char *gnuplot, const char *dir, const char *output,
                         const char *script_path, const char *dat_path, zp_error *err);

#endif
