/* zprop CLI: progress of `zprop scan` on stderr.
 *
 * On a terminal one line is redrawn (\r) after a chunk, at most five times
 * a second: points done of the total, the rate and the time left.  Elsewhere (a log file, a pipe,
 * a batch system) a redrawn line would pile up, so a plain line is written
 * at most every 5 seconds, and once at the end.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_SCAN_PROGRESS_H
#define ZP_CLI_SCAN_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#include "zprop/scan_job.h"

typedef struct {
  FILE *f;
  const char *what; /* the subcommand: "scan", "batch" */
  int tty;
  int shown;                   /* a progress line was written */
  size_t total, resumed, done; /* done counts the resumed points too */
  double t0, last;             /* start, last line: zp_wall_seconds() */
} zp_progress;

/** Starts reporting to @p f on a scan of @p total points of which
 *  @p resumed come from the journal (said in a first line when non-zero). */
void zp_progress_start(zp_progress *pr, FILE *f, const char *what, size_t total, size_t resumed);

/** @p n more points are finished. */
void zp_progress_add(zp_progress *pr, size_t n);

/** The final line (ends a redrawn one). */
void zp_progress_finish(zp_progress *pr);

/** "zprop: wrote 81 points (3 mzp x 3 gzp x 9 gamma) to OUTPUT" on @p f. */
void zp_progress_wrote(FILE *f, const zp_scan_job *job, const char *output);

#endif
