/* zprop CLI: writing a figure's script and data and running gnuplot.
 *
 * The script and the .dat are written like every zprop table (temporary
 * file, renamed into place) and stay beside the figure, so the figure can
 * be restyled and remade with `gnuplot NAME.gp` alone.  gnuplot runs in
 * that directory, which is why the script names its files relative to
 * it; it draws into a temporary file that is renamed over the figure only
 * when gnuplot succeeded, so a failed run never leaves a half-drawn or
 * stale-looking figure.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* realpath, mkstemp, fork */
#define _DEFAULT_SOURCE         /* realpath in glibc */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot/plot.h"
#include "analysis/table_writer.h"
#include "analysis/temp_file.h"

const char *zp_plot_find_gnuplot(void) {
  /* The program runs after a chdir into the figure's directory, so the
   * name found must not depend on the working directory: a relative PATH
   * entry (an empty one is ".", as for execvp) is made absolute here. */
  static char path[PATH_MAX];
  char cwd[PATH_MAX];
  const char *dirs = getenv("PATH");
  if (dirs == NULL) dirs = "/usr/bin:/bin";
  for (const char *d = dirs;;) {
    size_t len = strcspn(d, ":");
    int n;
    if (len > 0 && d[0] == '/') n = snprintf(path, sizeof path, "%.*s/gnuplot", (int)len, d);
    else if (getcwd(cwd, sizeof cwd) != NULL)
      n = snprintf(path, sizeof path, "%s/%.*s%sgnuplot", cwd, (int)len, d, len > 0 ? "/" : "");
    else n = -1; /* no absolute name for it: skipped */
    struct stat sb;
    if (n > 0 && (size_t)n < sizeof path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        access(path, X_OK) == 0)
      return path;
    if (d[len] == '\0') return NULL;
    d += len + 1;
  }
}

/** @p path relative to the absolute directory @p dir ("../data/x.tsv"),
 *  so the script keeps working when the whole tree moves. */
zp_status zp_plot_relpath(const char *dir, const char *path, char **out, zp_error *err) {
  char abs[PATH_MAX];
  if (realpath(path, abs) == NULL)
    return zp_error_set(err, ZP_EIO, "%s: %s", path, strerror(errno));
  size_t common = 0;
  /* The longest common prefix that ends at a '/' of both (or at dir's end). */
  for (size_t i = 0;; i++) {
    if ((dir[i] == '\0' || dir[i] == '/') && (abs[i] == '/' || abs[i] == '\0')) common = i;
    if (dir[i] == '\0' || abs[i] == '\0' || dir[i] != abs[i]) break;
  }
  size_t ups = 0;
  for (const char *c = dir + common; *c != '\0'; c++) ups += *c == '/';
  if (dir[common] != '\0' && dir[common] != '/') ups++;
  if (strcmp(dir, "/") == 0) common = 0, ups = 0;
  const char *rest = abs + common + (abs[common] == '/');
  *out = malloc(3 * ups + strlen(rest) + 2);
  if (*out == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  (*out)[0] = '\0';
  for (size_t i = 0; i < ups; i++) strcat(*out, "../");
  strcat(*out, rest);
  return ZP_OK;
}

static void write_buf(FILE *f, const void *ctx) {
  const zp_buf *b = ctx;
  if (b->len > 0) fwrite(b->s, 1, b->len, f);
}

/** The line of gnuplot's output that says what went wrong. */
static void gnuplot_complaint(int fd, const char *script, char *msg, size_t size) {
  char log[8192];
  ssize_t n = pread(fd, log, sizeof log - 1, 0);
  log[n > 0 ? n : 0] = '\0';
  msg[0] = '\0';
  char mark[PATH_MAX + 16];
  if (snprintf(mark, sizeof mark, "\"%s\" line", script) >= (int)sizeof mark) mark[0] = '\0';
  for (char *line = strtok(log, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (strspn(line, " ^") == strlen(line)) continue; /* the caret under the error */
    snprintf(msg, size, "%s", line);
    if (strncmp(line, mark, strlen(mark)) == 0) return;
  }
}

/** Runs gnuplot in @p dir on the script @p script, drawing into @p tmp
 *  (both "./NAME": never an option or a pipe to gnuplot). */
static zp_status run_gnuplot(const char *gnuplot, const char *dir, const char *script,
                             const char *tmp, zp_error *err) {
  zp_buf expr = {0};
  zp_buf_printf(&expr, "outfile=");
  zp_buf_quote_path(&expr, tmp);
  char logpath[] = "/tmp/zprop-gnuplot-XXXXXX";
  int logfd = mkstemp(logpath);
  if (expr.oom || logfd < 0) {
    zp_buf_free(&expr);
    if (logfd >= 0) close(logfd);
    return zp_error_set(err, ZP_EIO, "cannot start gnuplot: %s", strerror(errno));
  }
  unlink(logpath); /* only the descriptor is needed */
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    /* -d: no ~/.gnuplot or system gnuplotrc, so the figure comes from its
     * script alone and nobody's init file runs inside zprop's run. */
    if (chdir(dir) == 0 && dup2(logfd, 1) >= 0 && dup2(logfd, 2) >= 0)
      execl(gnuplot, "gnuplot", "-d", "-e", expr.s, script, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  zp_status st = ZP_OK;
  if (pid < 0) st = zp_error_set(err, ZP_EIO, "cannot start gnuplot: %s", strerror(errno));
  else if (waitpid(pid, &status, 0) < 0)
    st = zp_error_set(err, ZP_EIO, "waiting for gnuplot: %s", strerror(errno));
  else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char msg[400];
    gnuplot_complaint(logfd, script, msg, sizeof msg);
    st = zp_error_set(err, ZP_ENUMERIC, "gnuplot failed on %s/%s (%s %d)%s%s", dir, script + 2,
                      WIFEXITED(status) ? "exit status" : "signal",
                      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                      msg[0] ? ": " : "", msg);
  }
  close(logfd);
  zp_buf_free(&expr);
  return st;
}

zp_status zp_plot_render(zp_plot_fig *f, const char *gnuplot, const char *dir, const char *output,
                         const char *script_path, const char *dat_path, zp_error *err) {
  if (f->script.oom || f->dat.oom) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = ZP_OK;
  if (f->dat_blocks > 0) st = zp_table_emit(dat_path, write_buf, &f->dat, err);
  if (st == ZP_OK) st = zp_table_emit(script_path, write_buf, &f->script, err);
  /* The lock on the temporary lives as long as fd: a later run removes
   * the temporary only once this one is gone. */
  char tmp[PATH_MAX], script[PATH_MAX + 2], out[PATH_MAX + 2];
  int fd = -1;
  if (st == ZP_OK) st = zp_temp_create(dir, f->out_base, "output", tmp, sizeof tmp, &fd, err);
  if (st != ZP_OK) return st;
  (void)fcntl(fd, F_SETFD, FD_CLOEXEC); /* gnuplot needs no copy of the lock */
  const char *slash = strrchr(tmp, '/');
  snprintf(out, sizeof out, "./%s", slash != NULL ? slash + 1 : tmp);
  snprintf(script, sizeof script, "./%s", f->script_base);
  st = run_gnuplot(gnuplot, dir, script, out, err);
  struct stat sb;
  if (st == ZP_OK && (stat(tmp, &sb) != 0 || sb.st_size == 0))
    st = zp_error_set(err, ZP_ENUMERIC, "gnuplot wrote nothing for %s/%s", dir, f->script_base);
  if (st == ZP_OK && rename(tmp, output) != 0)
    st = zp_error_set(err, ZP_EIO, "output = %s: cannot rename %s into place: %s", output, tmp,
                      strerror(errno));
  if (st != ZP_OK) unlink(tmp);
  close(fd);
  return st;
}
