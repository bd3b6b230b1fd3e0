/* zprop CLI: progress reports of `zprop scan` and `zprop batch` (scan_progress.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fileno */

#include "cli/scan_progress.h"

#include <string.h>
#include <unistd.h>

#include "core/wall_clock.h"

/* Seconds between plain lines when stderr is not a terminal, and between
 * redraws on one (points can finish every few milliseconds). */
static const double PLAIN_INTERVAL_S = 5.0, TTY_INTERVAL_S = 0.2;

/** A duration as people read it: 42s, 3m05s, 2h07m. */
static void format_duration(char *buf, size_t size, double s) {
  long t = (long)(s + 0.5);
  if (t < 60) snprintf(buf, size, "%lds", t);
  else if (t < 3600) snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
  else snprintf(buf, size, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
}

void zp_progress_start(zp_progress *pr, FILE *f, const char *what, size_t total, size_t resumed) {
  pr->f = f;
  pr->what = what;
  pr->shown = 0;
  pr->tty = isatty(fileno(f));
  pr->total = total;
  pr->resumed = pr->done = resumed;
  pr->t0 = pr->last = zp_wall_seconds();
  if (resumed > 0)
    fprintf(f, "zprop %s: resuming, %zu of %zu points from the journal\n", pr->what, resumed,
            total);
}

/** "done/total points (x%), r points/s, t left": the rate counts only the
 *  points computed in this run, so a resumed scan does not look faster. */
static void report(zp_progress *pr, double now, const char *end) {
  double elapsed = now - pr->t0;
  size_t computed = pr->done - pr->resumed;
  double rate = elapsed > 0.0 ? (double)computed / elapsed : 0.0;
  char left[32] = "?";
  if (rate > 0.0) format_duration(left, sizeof left, (double)(pr->total - pr->done) / rate);
  fprintf(pr->f, "%szprop %s: %zu/%zu points (%.0f%%), %.3g points/s, %s left%s",
          pr->tty ? "\r" : "", pr->what, pr->done, pr->total,
          pr->total ? 100.0 * (double)pr->done / (double)pr->total : 100.0, rate, left, end);
  fflush(pr->f);
  pr->shown = 1;
}

void zp_progress_add(zp_progress *pr, size_t n) {
  pr->done += n;
  double now = zp_wall_seconds();
  if (now - pr->last < (pr->tty ? TTY_INTERVAL_S : PLAIN_INTERVAL_S)) return;
  /* On a terminal, blanks cover the tail of a longer previous line. */
  report(pr, now, pr->tty ? "   " : "\n");
  pr->last = now;
}

void zp_progress_finish(zp_progress *pr) {
  double elapsed = zp_wall_seconds() - pr->t0;
  size_t computed = pr->done - pr->resumed;
  char took[32], line[160];
  format_duration(took, sizeof took, elapsed);
  snprintf(line, sizeof line, "zprop %s: %zu/%zu points (%zu computed now) in %s, %.3g points/s",
           pr->what, pr->done, pr->total, computed, took,
           elapsed > 0.0 ? (double)computed / elapsed : 0.0);
  /* on a terminal, padded to cover the redrawn line */
  fprintf(pr->f, pr->tty ? "\r%-78s\n" : "%s\n", line);
  fflush(pr->f);
}

void zp_progress_wrote(FILE *f, const zp_scan_job *job, const char *output) {
  char dims[256] = "";
  size_t used = 0;
  for (size_t d = 0; d < zp_scan_job_naxes(job) && used < sizeof dims; d++) {
    const char *key = NULL;
    zp_axis axis;
    if (zp_scan_job_axis(job, d, &key, NULL, &axis) != ZP_OK) break;
    int n = snprintf(dims + used, sizeof dims - used, "%s%zu %s", d ? " x " : "", axis.n, key);
    if (n < 0) break;
    used += (size_t)n;
  }
  fprintf(f, "zprop: wrote %zu points (%s) to %s\n", zp_scan_job_size(job), dims,
          strcmp(output, "-") == 0 ? "stdout" : output);
}
