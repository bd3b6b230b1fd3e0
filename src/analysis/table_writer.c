/* zprop: the atomic table writer and the spectrum table (see
 * table_writer.h for the format), also the best-fit table of `zprop fit`.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fdopen, fsync, lstat */

#include "analysis/table_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/temp_file.h"
#include "core/file_io.h"
#include "core/format_exp.h"
#include "zprop/config.h"

/* Column order of a row after E_GeV: with the Z', then free streaming;
 * mass states before flavours. */
static const char *const column_names[] = {"phi_1",  "phi_2",   "phi_3",   "phi_e",
                                           "phi_mu", "phi_tau", "phi0_1",  "phi0_2",
                                           "phi0_3", "phi0_e",  "phi0_mu", "phi0_tau"};
enum { NCOLUMNS = 12 };

/* The ledger fields, written and checked alike (kept by hand: clang-format
 * 14 breaks a list of X() calls differently on every run). */
// clang-format off
#define LEDGER_FIELDS(X) \
  X(energy_final) \
  X(energy_below) \
  X(energy_dark) \
  X(energy_free) \
  X(number_final) \
  X(number_below) \
  X(number_free) \
  X(scatterings) \
  X(scatterings_dark)
// clang-format on

/** The array holding column @p c (of column_names), [3][nbins]. */
static const double *column_block(const zp_spectrum *sp, int c) {
  const double *blocks[4] = {sp->phi_mass, sp->phi_flavour, sp->phi0_mass, sp->phi0_flavour};
  return blocks[c / 3] + (size_t)(c % 3) * sp->nbins;
}

static zp_status check_finite(const zp_spectrum *sp, zp_error *err) {
  for (size_t b = 0; b < sp->nbins; b++) {
    if (!isfinite(sp->energy[b]))
      return zp_error_set(err, ZP_ENUMERIC, "non-finite energy in bin %zu of the spectrum", b);
    for (int c = 0; c < NCOLUMNS; c++)
      if (!isfinite(column_block(sp, c)[b]))
        return zp_error_set(err, ZP_ENUMERIC, "non-finite %s at E = %.4g GeV (bin %zu)",
                            column_names[c], sp->energy[b], b);
  }
#define CHECK_LEDGER_(name)                                                                        \
  if (!isfinite(sp->ledger.name))                                                                  \
    return zp_error_set(err, ZP_ENUMERIC, "non-finite ledger entry %s in the spectrum", #name);
  LEDGER_FIELDS(CHECK_LEDGER_)
#undef CHECK_LEDGER_
  if (!isfinite(sp->norm_a)) return zp_error_set(err, ZP_ENUMERIC, "non-finite norm_a");
  return ZP_OK;
}

void zp_table_write_preamble(FILE *f, const char *what, const zp_params *p) {
  /* Information lines start with "##" so that the lines "# key = value"
   * are the only ones an ini reader sees once "# " is stripped from them. */
  fprintf(f, "## zprop %s: %s\n", ZP_VERSION, what);
  fprintf(f, "## effective parameters follow as '# key = value'; to rerun:\n"
             "##   grep '^# [a-z_0-9]* = ' THIS_FILE | cut -c3- > rerun.ini\n");
  zp_params_print(f, "# ", p);
}

/* What the spectrum table is written from. */
typedef struct {
  const zp_params *p;
  const zp_spectrum *sp;
  const char *what;
  zp_table_fill_fn extra; /* may be NULL */
  const void *extra_ctx;
} spectrum_table;

static void write_table(FILE *f, const void *ctx) {
  const spectrum_table *t = ctx;
  const zp_params *p = t->p;
  const zp_spectrum *sp = t->sp;
  zp_table_write_preamble(f, t->what, p);
  if (t->extra != NULL) t->extra(f, t->extra_ctx);
  fprintf(f, "## backend = %s\n", sp->backend_name != NULL ? sp->backend_name : "unknown");
  if (sp->backend_notice != NULL) fprintf(f, "## backend_notice = %s\n", sp->backend_notice);
  fprintf(f, "## bins = %zu\n## shells = %zu\n", sp->nbins, sp->nshells);
  fprintf(f, "## norm_a = %.10e\n", sp->norm_a);
  fprintf(f, "## ledger (comoving; energy in GeV cm^-3, number in cm^-3):\n");
#define WRITE_LEDGER_(name) fprintf(f, "## %s = %.10e\n", #name, sp->ledger.name);
  LEDGER_FIELDS(WRITE_LEDGER_)
#undef WRITE_LEDGER_
  fprintf(f, "## E_GeV: geometric bin centre; phi in GeV^-1 cm^-2 s^-1 sr^-1; phi_1..3 mass "
             "states, phi_e..tau flavours; phi0: without the Z' (free streaming)\n");
  fputs("# E_GeV", f);
  for (int c = 0; c < NCOLUMNS; c++) fprintf(f, "\t%s", column_names[c]);
  fputc('\n', f);
  /* zp_format_exp writes what "%.10e" would, at a fifth of printf's cost. */
  char row[(NCOLUMNS + 1) * (ZP_FORMAT_EXP_SIZE + 1)];
  for (size_t b = 0; b < sp->nbins; b++) {
    char *end = row + zp_format_exp(row, sp->energy[b], 10);
    for (int c = 0; c < NCOLUMNS; c++) {
      *end++ = '\t';
      end += zp_format_exp(end, column_block(sp, c)[b], 10);
    }
    *end++ = '\n';
    fwrite(row, 1, (size_t)(end - row), f);
  }
}

/** Splits @p path into its directory ("." if none) and its last part. */
static zp_status split_path(const char *path, char **dir, const char **base, zp_error *err) {
  const char *slash = strrchr(path, '/');
  size_t n = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));
  *dir = malloc(n + 1);
  if (*dir == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  if (slash == NULL) memcpy(*dir, ".", 2);
  else {
    memcpy(*dir, slash == path ? "/" : path, n);
    (*dir)[n] = '\0';
  }
  *base = slash == NULL ? path : slash + 1;
  return ZP_OK;
}

/** How @p path is written: replaced through a temporary and rename() (a
 *  regular file, nothing yet, or a symbolic link, which is replaced and
 *  its target left alone), streamed into (a character device or FIFO, or a
 *  link under /dev/ or /proc/, which names a stream: /dev/stdout,
 *  /proc/self/fd/1), or refused.  A new file under /dev/shm is a file. */
typedef enum { OUT_REPLACE, OUT_STREAM, OUT_REFUSE } out_kind;

static out_kind output_kind(const char *path, const char **why) {
  struct stat sb;
  *why = NULL;
  if (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode)) return OUT_REPLACE;
  if (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode)) return OUT_STREAM;
  if (S_ISLNK(sb.st_mode))
    return strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0 ? OUT_STREAM
                                                                             : OUT_REPLACE;
  *why = S_ISDIR(sb.st_mode) ? "a directory" : S_ISBLK(sb.st_mode) ? "a block device" : "a socket";
  return OUT_REFUSE;
}

zp_status zp_table_check_path(const char *path, zp_error *err) {
  if (strcmp(path, "-") == 0) return ZP_OK;
  const char *why;
  out_kind kind = output_kind(path, &why);
  if (kind == OUT_REFUSE)
    return zp_error_set(err, ZP_EIO,
                        "output = %s: %s; allowed a regular file path, a character device or -",
                        path, why);
  if (kind == OUT_STREAM) return ZP_OK;
  char *dir = NULL;
  const char *base = NULL;
  zp_status st = split_path(path, &dir, &base, err);
  if (st != ZP_OK) return st;
  struct stat sb;
  if (base[0] == '\0')
    st = zp_error_set(err, ZP_EIO, "output = %s: no file name, allowed a file path or -", path);
  else if (stat(dir, &sb) != 0)
    st = zp_error_set(err, ZP_EIO, "output = %s: directory %s: %s", path, dir, strerror(errno));
  else if (!S_ISDIR(sb.st_mode))
    st = zp_error_set(err, ZP_EIO, "output = %s: %s is not a directory", path, dir);
  else if (access(dir, W_OK | X_OK) != 0)
    st = zp_error_set(err, ZP_EIO, "output = %s: cannot write in %s: %s", path, dir,
                      strerror(errno));
  /* A killed earlier run's temporary goes now, not only once this run's
   * (possibly long) computation is over. */
  if (st == ZP_OK) zp_temp_clean_stale(dir, base);
  free(dir);
  return st;
}

int zp_table_is_stream(const char *path) {
  const char *why;
  return strcmp(path, "-") == 0 || output_kind(path, &why) == OUT_STREAM;
}

/** 1 when stdout is the existing file @p path (`> input` in the shell). */
static int stdout_is(const char *path) {
  struct stat so, sp;
  return fstat(STDOUT_FILENO, &so) == 0 && S_ISREG(so.st_mode) && stat(path, &sp) == 0 &&
         zp_same_inode(&so, &sp);
}

zp_status zp_table_check_distinct(const char *output, const char *const *keys,
                                  const char *const *paths, size_t n, zp_error *err) {
  int to_stdout = strcmp(output, "-") == 0;
  for (size_t i = 0; i < n; i++)
    if (paths[i] != NULL && paths[i][0] != '\0' &&
        (to_stdout ? stdout_is(paths[i]) : zp_same_file(output, paths[i])))
      return zp_error_set(err, ZP_EINVAL,
                          "output = %s: the same file as %s = %s, which this run reads; "
                          "choose another output",
                          output, keys[i], paths[i]);
  return ZP_OK;
}

/* What writes the table: a plain fill, or one that computes as it writes
 * and can fail (a streamed batch); a failure discards the temporary. */
typedef struct {
  zp_table_fill_fn plain;
  zp_table_try_fn fallible;
  const void *plain_ctx;
  void *fallible_ctx;
} filler;

static zp_status run_fill(const filler *fl, FILE *f, zp_error *err) {
  if (fl->fallible != NULL) return fl->fallible(f, fl->fallible_ctx, err);
  fl->plain(f, fl->plain_ctx);
  return ZP_OK;
}

/* stdio's buffer for a file is its block size, 4 KB: a 1000-bin table was
 * 45 write calls.  NULL (no memory) leaves stdio's own. */
enum { OUT_BUFFER = 1 << 16 };

static char *buffer_stream(FILE *f) {
  char *buf = malloc(OUT_BUFFER);
  if (buf != NULL && setvbuf(f, buf, _IOFBF, OUT_BUFFER) != 0) {
    free(buf);
    buf = NULL;
  }
  return buf;
}

static zp_status write_stdout(const filler *fl, zp_error *err) {
  zp_status st = run_fill(fl, stdout, err);
  if (st != ZP_OK) return st;
  if (fflush(stdout) != 0 || ferror(stdout))
    return zp_error_set(err, ZP_EIO, "output = -: writing to stdout failed: %s", strerror(errno));
  return ZP_OK;
}

/** Writes into a stream the user named (/dev/null, a FIFO, /dev/stdout). */
static zp_status write_stream(const char *path, const filler *fl, zp_error *err) {
  /* O_NONBLOCK for the open only: a FIFO with no reader fails (ENXIO)
   * rather than hanging; no O_CREAT, so nothing new appears under /dev. */
  int fd = open(path, O_WRONLY | O_TRUNC | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return zp_error_set(err, ZP_EIO, "output = %s: cannot open: %s", path,
                        errno == ENXIO ? "no process reads this FIFO" : strerror(errno));
  int flags = fcntl(fd, F_GETFL);
  FILE *f = NULL;
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || (f = fdopen(fd, "w")) == NULL) {
    zp_status st = zp_error_set(err, ZP_EIO, "output = %s: %s", path, strerror(errno));
    close(fd);
    return st;
  }
  char *buf = buffer_stream(f);
  zp_status st = run_fill(fl, f, err);
  int bad = fflush(f) != 0 || ferror(f);
  if (fclose(f) != 0) bad = 1;
  free(buf);
  if (st != ZP_OK) return st;
  return bad ? zp_error_set(err, ZP_EIO, "output = %s: write failed: %s", path, strerror(errno))
             : ZP_OK;
}

static zp_status write_file(const char *path, const filler *fl, zp_error *err) {
  char *dir = NULL;
  const char *base = NULL;
  zp_status st = split_path(path, &dir, &base, err);
  if (st != ZP_OK) return st;
  /* Same directory, so rename() is atomic; a dot name keeps it out of globs;
   * the lock (held by the stream's descriptor until after the rename) tells
   * a later run that this temporary is alive. */
  char tmp[PATH_MAX];
  int fd;
  st = zp_temp_create(dir, base, "output", tmp, sizeof tmp, &fd, err);
  free(dir);
  if (st != ZP_OK) return st;
  FILE *f = fdopen(fd, "w");
  if (f == NULL) {
    st = zp_error_set(err, ZP_EIO, "output = %s: %s", path, strerror(errno));
    unlink(tmp); /* before the lock goes with fd: the name is still ours */
    close(fd);
    return st;
  }
  char *buf = buffer_stream(f);
  st = run_fill(fl, f, err);
  int bad = st == ZP_OK && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0);
  if (bad) st = zp_error_set(err, ZP_EIO, "output = %s: write failed: %s", path, strerror(errno));
  /* Renamed or removed while the stream, and so the lock, is open: where
   * flock is emulated by byte-range locks (NFS), closing any descriptor of
   * the file drops them.  Flushed and synced, the table is whole. */
  if (st == ZP_OK && rename(tmp, path) != 0)
    st = zp_error_set(err, ZP_EIO, "output = %s: cannot rename %s into place: %s", path, tmp,
                      strerror(errno));
  if (st != ZP_OK) unlink(tmp);
  if (fclose(f) != 0 && st == ZP_OK)
    st = zp_error_set(err, ZP_EIO, "output = %s: write failed: %s", path, strerror(errno));
  free(buf);
  return st;
}

static zp_status emit(const char *path, const filler *fl, zp_error *err) {
  if (strcmp(path, "-") == 0) return write_stdout(fl, err);
  const char *why;
  switch (output_kind(path, &why)) {
    case OUT_STREAM: return write_stream(path, fl, err);
    case OUT_REFUSE: return zp_table_check_path(path, err);
    case OUT_REPLACE: break;
  }
  return write_file(path, fl, err);
}

zp_status zp_table_emit(const char *path, zp_table_fill_fn fill, const void *ctx, zp_error *err) {
  filler fl = {fill, NULL, ctx, NULL};
  return emit(path, &fl, err);
}

zp_status zp_table_emit_fallible(const char *path, zp_table_try_fn fill, void *ctx, zp_error *err) {
  filler fl = {NULL, fill, NULL, ctx};
  return emit(path, &fl, err);
}

zp_status zp_table_write_spectrum(const zp_params *p, const zp_spectrum *sp, const char *what,
                                  zp_table_fill_fn extra, const void *extra_ctx, zp_error *err) {
  zp_status st = check_finite(sp, err);
  if (st != ZP_OK) return st;
  spectrum_table t = {p, sp, what, extra, extra_ctx};
  return zp_table_emit(p->output, write_table, &t, err);
}

zp_status zp_table_write(const zp_params *p, const zp_spectrum *sp, zp_error *err) {
  return zp_table_write_spectrum(p, sp, "spectrum at Earth, nu + nubar per flavour and mass state",
                                 NULL, NULL, err);
}
