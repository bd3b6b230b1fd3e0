/* zprop CLI: `zprop plot TABLE... [key=value ...]`.
 *
 * Reads zprop's own tables, recognises each by its column line, writes a
 * gnuplot script (plus the derived data it needs) beside the figure and
 * runs gnuplot on it.  Flow: keys, inputs, gnuplot present, output paths,
 * build the script, render; each stage either succeeds or prints one line.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* realpath, lstat */
#define _DEFAULT_SOURCE

#include "plot/cmd_plot.h"

#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "plot/plot.h"
#include "plot/plot_keys.h"
#include "analysis/table_writer.h" /* zp_table_check_path */
#include "core/file_io.h"          /* zp_same_file */
#include "zprop/data.h"            /* zp_dataset_builtin */

void zp_cmd_plot_help(FILE *f) {
  fputs("usage: zprop plot TABLE... [key=value ...]\n"
        "       zprop plot kind=sources [key=value ...]\n"
        "\n"
        "Draws zprop tables with gnuplot.  Each TABLE is recognised by its column line:\n"
        "  spectrum, fit output, batch  E^2 Phi against E (log-log), overlaid, with the\n"
        "                               free-streaming curve of the first (dashed) and\n"
        "                               the IceCube points of `data`\n"
        "  scan                         colour map of `z` over (M, g), contours, the\n"
        "                               muon g-2 1 and 2 sigma bands, the lowest point\n"
        "  gm2 band                     g_low and g_high against M (log-log)\n"
        "kind=sources draws the source redshift distributions (no TABLE).\n"
        "\n"
        "The figure's gnuplot script (NAME.gp) and derived data (NAME.dat) are kept\n"
        "beside it: edit the script and rerun `gnuplot ./NAME.gp` there to restyle.\n"
        "Names and texts may hold no control characters; the figure, NAME.gp and\n"
        "NAME.dat are three new or regular files, none an input, none a link.\n"
        "Needs the program gnuplot (Debian package gnuplot-nox) on PATH.\n"
        "Exit status: 0 success, 2 bad input, table or key (or no gnuplot), 1 gnuplot failed.\n"
        "\n",
        f);
  zp_plot_print_keys(f);
}

/** "zprop plot a b key=v" for the script's header, shell-quoted where
 *  needed (a quote as '"'"', no backslash); the preamble escapes it. */
static void command_line(zp_buf *b, int argc, char **argv) {
  zp_buf_printf(b, "zprop");
  for (int i = 0; i < argc; i++) {
    const char *c = argv[i];
    if (c[0] != '\0' && strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_-+=.,:/@%") == strlen(c)) {
      zp_buf_printf(b, " %s", c);
      continue;
    }
    zp_buf_printf(b, " '");
    for (; *c != '\0'; c++) zp_buf_printf(b, *c == '\'' ? "'\"'\"'" : "%c", *c);
    zp_buf_printf(b, "'");
  }
}

/* The file names of a figure: the figure, its script and its data. */
typedef struct {
  char *output, *script, *dat;
  const char *out_base, *script_base, *dat_base;
} fig_paths;

static const char *base_of(const char *p) {
  const char *slash = strrchr(p, '/');
  return slash != NULL ? slash + 1 : p;
}

/** @p p with its extension (after the last '/') replaced by @p ext. */
static char *with_ext(const char *p, const char *ext) {
  const char *base = base_of(p), *dot = strrchr(base, '.');
  size_t stem = dot != NULL && dot != base ? (size_t)(dot - p) : strlen(p);
  char *s = malloc(stem + strlen(ext) + 1);
  if (s != NULL) {
    memcpy(s, p, stem);
    strcpy(s + stem, ext);
  }
  return s;
}

/** The figure's rule for its three files (figure, .gp, .dat): three
 *  distinct files, none an input (a table or a `data` file), each new or
 *  a regular file (not a link: replaced, never followed; not a device or
 *  FIFO: a figure is renamed into place, not streamed). */
/** 1 when @p name is a built-in data set whose file is @p path. */
static int is_builtin_file(const char *name, const char *path) {
  zp_dataset *ds = NULL;
  zp_error e;
  if (zp_dataset_builtin(name, &ds, &e) != ZP_OK) return 0;
  int same = zp_same_file(path, ds->path);
  zp_dataset_free(ds);
  return same;
}

static zp_status check_outputs(const zp_plot_args *a, const char *const mine[3], zp_error *err) {
  static const char *const what[3] = {"figure", "script", "data file"};
  for (int k = 0; k < 3; k++) {
    struct stat sb;
    if (lstat(mine[k], &sb) == 0 && !S_ISREG(sb.st_mode))
      return zp_error_set(err, ZP_EINVAL,
                          "output = %s: the %s %s exists and is %s, allowed a "
                          "new name or a regular file",
                          a->o.output ? a->o.output : mine[0], what[k], mine[k],
                          S_ISLNK(sb.st_mode) ? "a symbolic link" : "not a regular file");
    for (int j = 0; j < k; j++)
      if (strcmp(mine[j], mine[k]) == 0 || zp_same_file(mine[j], mine[k]))
        return zp_error_set(err, ZP_EINVAL,
                            "output = %s: the %s %s would be the %s %s, allowed "
                            "a name whose .gp and .dat are other files",
                            mine[0], what[k], mine[k], what[j], mine[j]);
    for (size_t i = 0; i < a->ninputs; i++)
      if (zp_same_file(mine[k], a->inputs[i]))
        return zp_error_set(err, ZP_EINVAL,
                            "output = %s: the %s %s would overwrite the input "
                            "%s, allowed a figure whose .gp and .dat are not inputs",
                            mine[0], what[k], mine[k], a->inputs[i]);
    /* `data` items: files, or the built-in sets' files (cascades6yr.dat). */
    for (const char *d = a->o.data; d != NULL && *d != '\0';) {
      size_t len = strcspn(d, ",");
      char item[PATH_MAX];
      snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), d);
      if (zp_same_file(mine[k], item) || is_builtin_file(item, mine[k]))
        return zp_error_set(err, ZP_EINVAL,
                            "output = %s: the %s %s would overwrite the data = "
                            "%s file, allowed a figure whose .gp and .dat are not inputs",
                            mine[0], what[k], mine[k], item);
      d += len + (d[len] == ',');
    }
    /* `limits` files (plot_overlay.c). */
    for (const char *d = a->o.limits; d != NULL && *d != '\0';) {
      size_t len = strcspn(d, ",");
      char item[PATH_MAX];
      snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), d);
      if (zp_same_file(mine[k], item))
        return zp_error_set(err, ZP_EINVAL,
                            "output = %s: the %s %s would overwrite the limits = %s file, "
                            "allowed a figure whose .gp and .dat are not inputs",
                            mine[0], what[k], mine[k], item);
      d += len + (d[len] == ',');
    }
  }
  return ZP_OK;
}

static zp_status make_paths(const zp_plot_args *a, fig_paths *fp, zp_error *err) {
  static const char *const exts[] = {".png", ".pdf", ".svg"};
  const char *ext = exts[a->o.format];
  if (a->o.output != NULL) {
    fp->output = malloc(strlen(a->o.output) + 1);
    if (fp->output != NULL) strcpy(fp->output, a->o.output);
  } else fp->output = with_ext(a->ninputs > 0 ? a->inputs[0] : "sources", ext);
  if (fp->output == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  fp->script = with_ext(fp->output, ".gp");
  fp->dat = with_ext(fp->output, ".dat");
  if (fp->script == NULL || fp->dat == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  fp->out_base = base_of(fp->output);
  fp->script_base = base_of(fp->script);
  fp->dat_base = base_of(fp->dat);
  if (strcmp(fp->output, "-") == 0)
    return zp_error_set(err, ZP_EINVAL, "output = -: a figure needs a file, allowed a path");
  /* The kept script is rerun as `gnuplot NAME.gp`: its name must not read
   * as a command either. */
  zp_status st = zp_plot_check_name("output =", fp->output, 2, err);
  const char *mine[3] = {fp->output, fp->script, fp->dat};
  if (st == ZP_OK) st = check_outputs(a, mine, err);
  if (st == ZP_OK) st = zp_table_check_path(fp->output, err);
  return st;
}

static void free_paths(fig_paths *fp) {
  free(fp->output);
  free(fp->script);
  free(fp->dat);
}

/* Which inputs can share a figure. */
static int family(zp_table_kind k) { return k == ZP_TABLE_BATCH ? ZP_TABLE_SPECTRUM : (int)k; }

static zp_status read_inputs(const zp_plot_args *a, const char *dir, zp_plot_input *in,
                             zp_error *err) {
  for (size_t i = 0; i < a->ninputs; i++) {
    zp_status st = zp_tsv_read(a->inputs[i], &in[i].t, err);
    if (st == ZP_OK) st = zp_plot_recognise(in[i].t, &in[i].kind, err);
    if (st == ZP_OK && family(in[i].kind) != family(in[0].kind))
      st = zp_error_set(err, ZP_EINVAL,
                        "%s: a %s table cannot share a figure with %s, a %s "
                        "table; plot them separately",
                        a->inputs[i], zp_plot_kind_name(in[i].kind), a->inputs[0],
                        zp_plot_kind_name(in[0].kind));
    if (st == ZP_OK && dir != NULL) st = zp_plot_relpath(dir, a->inputs[i], &in[i].rel, err);
    /* The script names it by that path: it must hold no control byte
     * either (a directory above the typed name may). */
    if (st == ZP_OK && in[i].rel != NULL) st = zp_plot_check_name("table", in[i].rel, 0, err);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

static zp_status check_inputs(const zp_plot_args *a, zp_error *err) {
  if (a->sources && a->ninputs > 0)
    return zp_error_set(err, ZP_EINVAL, "kind = sources: takes no table, got %s", a->inputs[0]);
  if (!a->sources && a->ninputs == 0)
    return zp_error_set(err, ZP_EINVAL,
                        "missing input table; usage: zprop plot TABLE... "
                        "[key=value ...] (or kind=sources); see 'zprop plot --help'");
  return ZP_OK;
}

static zp_status build(zp_plot_fig *f, const zp_plot_args *a, zp_plot_input *in, zp_error *err) {
  if (a->sources) return zp_plot_sources(f, err);
  switch (in[0].kind) {
    case ZP_TABLE_SCAN: return zp_plot_scan(f, in, a->ninputs, err);
    case ZP_TABLE_GM2_BAND: return zp_plot_gm2_band(f, in, a->ninputs, err);
    default: return zp_plot_spectra(f, in, a->ninputs, err);
  }
}

/** The absolute directory of @p output, into @p dir. */
static zp_status output_dir(const char *output, char *dir, zp_error *err) {
  const char *slash = strrchr(output, '/');
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%.*s",
           slash == NULL || slash == output ? 1 : (int)(slash - output),
           slash == NULL ? "." : output);
  if (realpath(parent, dir) == NULL)
    return zp_error_set(err, ZP_EIO, "output = %s: directory %s not found", output, parent);
  return ZP_OK;
}

int zp_cmd_plot(int argc, char **argv) {
  zp_plot_args a;
  zp_error err;
  zp_error_clear(&err);
  zp_status st = zp_plot_parse_args(argc, argv, &a, &err);
  if (st == ZP_OK && a.help) {
    zp_cmd_plot_help(stdout);
    zp_plot_args_free(&a);
    return ZP_EXIT_OK;
  }
  if (st == ZP_OK) st = check_inputs(&a, &err);
  fig_paths fp = {0};
  if (st == ZP_OK) st = make_paths(&a, &fp, &err);
  char dir[PATH_MAX];
  if (st == ZP_OK) st = output_dir(fp.output, dir, &err);
  zp_plot_input *in = calloc(a.ninputs + 1, sizeof *in);
  if (st == ZP_OK && in == NULL) st = zp_error_set(&err, ZP_ENOMEM, "out of memory");
  if (st == ZP_OK) st = read_inputs(&a, dir, in, &err);
  const char *gnuplot = st == ZP_OK ? zp_plot_find_gnuplot() : NULL;
  if (st == ZP_OK && gnuplot == NULL)
    st = zp_error_set(&err, ZP_EINVAL,
                      "plot needs the program 'gnuplot' (Debian package "
                      "gnuplot-nox); not found on PATH");
  zp_buf cmd = {0};
  command_line(&cmd, argc, argv);
  zp_plot_fig f = {&a.o, fp.out_base, fp.script_base, fp.dat_base, cmd.s, {0}, {0}, 0};
  if (st == ZP_OK) st = build(&f, &a, in, &err);
  if (st == ZP_OK) st = zp_plot_render(&f, gnuplot, dir, fp.output, fp.script, fp.dat, &err);
  int status = ZP_EXIT_OK;
  if (st != ZP_OK) status = zp_cli_report(&err);
  else
    fprintf(stderr, "zprop: wrote %s (%ldx%ld; script %s%s%s)\n", fp.output, a.o.width, a.o.height,
            fp.script, f.dat_blocks > 0 ? ", data " : "", f.dat_blocks > 0 ? fp.dat : "");
  for (size_t i = 0; in != NULL && i < a.ninputs; i++) {
    zp_tsv_free(in[i].t);
    free(in[i].rel);
  }
  free(in);
  zp_buf_free(&f.script);
  zp_buf_free(&f.dat);
  zp_buf_free(&cmd);
  free_paths(&fp);
  zp_plot_args_free(&a);
  return status;
}
