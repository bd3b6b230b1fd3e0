/* zprop: the scan journal (scan_journal.h for the format and why).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* open_memstream, getline, fsync, ftruncate */
#define _DEFAULT_SOURCE         /* flock */

#include "analysis/scan_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/decimal.h"
#include "zprop/config.h"

/* The values of a journal line after the index, in zp_scan_point order. */
enum { NVALUES = 9 };

/* ------------------------------------------------------- fingerprint */

/** FNV-1a, 64 bits: enough to tell parameter sets apart, and stable
 *  across builds and machines (unlike a pointer or a time). */
static uint64_t fnv1a(const char *s, size_t n) {
  uint64_t h = 14695981039346656037ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

/** The numbers the scan reads from files: a data file or source table
 *  edited between two runs makes them different scans. */
static void print_inputs(FILE *f, const zp_params *p, const zp_fit_setup *s) {
  for (size_t k = 0; s != NULL && k < s->nsets; k++)
    for (size_t i = 0; i < s->sets[k]->nbins; i++) {
      const zp_data_bin *b = &s->sets[k]->bins[i];
      fprintf(f, "%zu %.17g %.17g %.17g %.17g %.17g %.17g %d\n", k, b->emin, b->emax, b->value,
              b->lower, b->upper, b->cl, b->is_ul);
    }
  for (size_t i = 0; p->table != NULL && i < p->table->size; i++)
    fprintf(f, "%.17g %.17g\n", p->table->z[i], p->table->rho[i]);
}

zp_status zp_journal_init(zp_journal *j, const zp_params *p, const zp_fit_setup *s,
                          const char *output, zp_error *err) {
  memset(j, 0, sizeof *j);
  j->fd = -1;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  /* The parameters exactly as the table header prints them: what makes
   * two runs the same scan is what makes their tables the same. */
  fprintf(f, "zprop %s\n", ZP_VERSION);
  zp_params_print(f, "", p);
  print_inputs(f, p, s);
  fclose(f);
  snprintf(j->fingerprint, sizeof j->fingerprint,
           "# zprop scan journal 2: zprop %s, parameters fnv1a64 %016llx", ZP_VERSION,
           (unsigned long long)fnv1a(text, len));
  free(text);
  size_t n = strlen(output) + sizeof ".journal";
  j->path = malloc(n);
  if (j->path == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  snprintf(j->path, n, "%s.journal", output);
  return ZP_OK;
}

/* -------------------------------------------------------------- read */

/** The check field of a journal line: FNV-1a of the text before it, so a
 *  changed digit makes the line unreadable rather than a wrong point. */
static unsigned long long line_check(const char *s, size_t n) {
  return (unsigned long long)(fnv1a(s, n) & 0xffffffffULL);
}

/** A decimal number as the journal writes it (%.17g: digits, sign, point,
 *  exponent), then a blank or the newline; zp_parse_decimal refuses
 *  underflow: 1, *x and *next after it, else 0. */
static int parse_value(const char *s, const char **next, double *x) {
  size_t n = strspn(s, "0123456789+-.eE");
  char token[64];
  if (n == 0 || n >= sizeof token || (s[n] != ' ' && s[n] != '\n')) return 0;
  memcpy(token, s, n);
  token[n] = '\0';
  if (zp_parse_decimal(token, x) != ZP_NUM_OK) return 0;
  *next = s + n;
  return 1;
}

/** Values no finished point can have (a journal edited by hand or by a
 *  fault): every chi2 and R is >= 0, the normalisation > 0. */
static int plausible(const double *v) {
  return v[2] >= 0.0 && v[4] >= 0.0 && v[6] > 0.0 && v[5] > 0.0;
}

/** One complete line (with its '\n'): a point on the grid of @p grid whose
 *  check field matches; anything else is ignored like a torn line and the
 *  point computed again. */
static int parse_line(const char *line, const zp_scan_grid *grid, zp_scan_point *pt) {
  const char *s = line;
  char *end;
  if (*s < '0' || *s > '9') return 0;
  errno = 0;
  unsigned long long index = strtoull(s, &end, 10);
  if (errno == ERANGE) return 0;
  double v[NVALUES];
  s = end;
  for (int i = 0; i < NVALUES; i++) {
    if (*s != ' ' || !parse_value(s + 1, &s, &v[i])) return 0;
  }
  size_t body = (size_t)(s - line);
  if (strncmp(s, " c", 2) != 0 || strspn(s + 2, "0123456789abcdef") != 8 ||
      strcmp(s + 10, "\n") != 0)
    return 0;
  if (strtoull(s + 2, NULL, 16) != line_check(line, body) || !plausible(v)) return 0;
  if (index >= grid->total) return 0;
  size_t i = (size_t)index;
  /* The grid values are recomputed the same way by zp_scan_grid_run(), so
   * they must match bit for bit; anything else is not this scan's point. */
  if (v[0] != zp_scan_grid_value(grid, i, (size_t)grid->imzp) ||
      v[1] != zp_scan_grid_value(grid, i, (size_t)grid->igzp))
    return 0;
  *pt = (zp_scan_point){.index = i,
                        .mzp_mev = v[0],
                        .gzp = v[1],
                        .chi2 = v[2],
                        .delta_chi2 = v[3],
                        .r = v[4],
                        .gamma = v[5],
                        .norm = v[6],
                        .delta_amu = v[7],
                        .gm2_pull = v[8]};
  return 1;
}

/** Reads an existing journal.  *keep is the length of its whole lines
 *  (0 when even the first line is torn: then it is started afresh). */
static zp_status read_journal(zp_journal *j, FILE *f, const zp_scan_grid *grid, zp_scan_point *pts,
                              unsigned char *have, size_t *nread, off_t *keep, zp_error *err) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  zp_status st = ZP_OK;
  *keep = 0;
  if (n > 0 && line[n - 1] == '\n') {
    line[n - 1] = '\0';
    if (strcmp(line, j->fingerprint) != 0)
      st = zp_error_set(err, ZP_EINVAL,
                        "%s: a journal of a scan with other parameters or another zprop version; "
                        "delete it or give resume=restart to start this scan afresh",
                        j->path);
    *keep = n;
    while (st == ZP_OK && (n = getline(&line, &cap, f)) > 0 && line[n - 1] == '\n') {
      *keep += n;
      zp_scan_point pt;
      if (!parse_line(line, grid, &pt)) continue;
      *nread += !have[pt.index];
      pts[pt.index] = pt;
      have[pt.index] = 1;
    }
  }
  if (st == ZP_OK && ferror(f))
    st = zp_error_set(err, ZP_EIO, "%s: cannot read the journal: %s", j->path, strerror(errno));
  free(line);
  return st;
}

/* ------------------------------------------------------------- write */

/** Writes all of @p buf (a regular file may take it in several writes). */
static int write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

/** fsync()s the directory of @p path, so that a file created, renamed or
 *  removed there stays so after a power loss. */
static int sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (slash == NULL) snprintf(dir, sizeof dir, ".");
  else snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

static zp_status io_error(const zp_journal *j, const char *what, zp_error *err) {
  return zp_error_set(err, ZP_EIO, "%s: cannot %s the journal: %s", j->path, what, strerror(errno));
}

zp_status zp_journal_open(zp_journal *j, const zp_scan_grid *grid, int restart, zp_scan_point *pts,
                          unsigned char *have, size_t *nread, zp_error *err) {
  *nread = 0;
  /* O_NOFOLLOW: a journal that is a symlink (to a victim, or dangling) is
   * refused, never truncated or created through; O_NONBLOCK: a FIFO there
   * cannot hang the open. */
  j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
  if (j->fd < 0 && errno == ELOOP)
    return zp_error_set(err, ZP_EIO, "%s: a symbolic link; the journal must be a regular file",
                        j->path);
  if (j->fd < 0) return io_error(j, "create", err);
  struct stat sb;
  if (fstat(j->fd, &sb) != 0) return io_error(j, "inspect", err);
  if (!S_ISREG(sb.st_mode))
    return zp_error_set(err, ZP_EIO, "%s: not a regular file; the journal must be one", j->path);
  /* A second name for the journal is a second file the scan would empty
   * and delete: the journal is the scan's own. */
  if (sb.st_nlink > 1)
    return zp_error_set(err, ZP_EIO, "%s: has %lu hard links; the journal must have one name",
                        j->path, (unsigned long)sb.st_nlink);
  /* The same command started twice would compute every point twice (and
   * resume=restart would empty a journal in use): one scan per journal.
   * flock(), not fcntl(): closing the reading stream below must not drop it. */
  if (flock(j->fd, LOCK_EX | LOCK_NB) != 0)
    return errno == EWOULDBLOCK
               ? zp_error_set(err, ZP_EIO, "%s: in use by another zprop scan", j->path)
               : io_error(j, "lock", err);
  if (restart && ftruncate(j->fd, 0) != 0) return io_error(j, "empty", err);
  off_t keep = 0;
  /* Read through this descriptor, not the path, which could have been
   * swapped for something else since it was opened. */
  int rfd = dup(j->fd);
  FILE *f = rfd < 0 ? NULL : fdopen(rfd, "r");
  if (f == NULL) {
    if (rfd >= 0) close(rfd);
    return io_error(j, "open", err);
  }
  zp_status st = read_journal(j, f, grid, pts, have, nread, &keep, err);
  fclose(f);
  if (st != ZP_OK) return st;
  /* Cut a torn last line, so that the next chunk starts on a line of its own. */
  if (ftruncate(j->fd, keep) != 0) return io_error(j, "truncate", err);
  if (keep == 0) {
    size_t n = strlen(j->fingerprint);
    char line[sizeof j->fingerprint + 1];
    memcpy(line, j->fingerprint, n);
    line[n] = '\n';
    if (write_all(j->fd, line, n + 1) != 0) return io_error(j, "write", err);
  }
  if (fsync(j->fd) != 0 || sync_dir(j->path) != 0) return io_error(j, "sync", err);
  return ZP_OK;
}

zp_status zp_journal_append(zp_journal *j, const zp_scan_point *pts, size_t n, zp_error *err) {
  enum { LINE_MAX_CHARS = 24 + NVALUES * 26 + 11 }; /* index, " %.17g" per value, " cXXXXXXXX" */
  char *buf = malloc(n * LINE_MAX_CHARS + 1);
  if (buf == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    const zp_scan_point *q = &pts[i];
    size_t start = len;
    len += (size_t)snprintf(buf + len, LINE_MAX_CHARS + 1,
                            "%zu %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g", q->index,
                            q->mzp_mev, q->gzp, q->chi2, q->delta_chi2, q->r, q->gamma, q->norm,
                            q->delta_amu, q->gm2_pull);
    len += (size_t)snprintf(buf + len, 12, " c%08llx\n", line_check(buf + start, len - start));
  }
  /* One write() per chunk: a kill leaves whole chunks and one torn line. */
  zp_status st = ZP_OK;
  if (write_all(j->fd, buf, len) != 0) st = io_error(j, "append to", err);
  else if (fsync(j->fd) != 0) st = io_error(j, "sync", err);
  free(buf);
  return st;
}

zp_status zp_journal_remove(zp_journal *j, zp_error *err) {
  /* The table was renamed into this directory: make that durable before
   * the journal, the only other copy of the points, goes.  Removed while
   * still locked, so no other scan starts reading it meanwhile. */
  zp_status st = ZP_OK;
  if (sync_dir(j->path) != 0) st = io_error(j, "sync the directory of", err);
  else if (unlink(j->path) != 0) st = io_error(j, "remove", err);
  if (j->fd >= 0) close(j->fd);
  j->fd = -1;
  return st;
}

void zp_journal_close(zp_journal *j) {
  if (j == NULL) return;
  if (j->fd >= 0) close(j->fd);
  j->fd = -1;
  free(j->path);
  j->path = NULL;
}
