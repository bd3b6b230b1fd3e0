/* zprop: the journal that makes `zprop scan` resumable.
 *
 * OUTPUT.journal holds, after a first line that fingerprints every
 * effective parameter and the zprop version, one line per finished point:
 * its index and every value of zp_scan_point in %.17g, which reads back
 * as exactly the same double.  Each chunk of points is appended with one
 * write() and fsync'ed, so after a kill or a power loss the journal holds
 * whole chunks, plus at most one torn last line, which is ignored (and cut
 * off before appending).  The table is written from the journal's values
 * and the new ones alike, so a resumed scan writes the same bytes as an
 * uninterrupted one.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_SCAN_JOURNAL_H
#define ZP_ANALYSIS_SCAN_JOURNAL_H

#include <stddef.h>

#include "analysis/fit_setup.h"
#include "analysis/scan_grid.h"
#include "config/params.h"
#include "zprop/scan.h"

typedef struct {
  char *path;           /* OUTPUT.journal (owned) */
  int fd;               /* open for appending; -1 when closed */
  char fingerprint[96]; /* the first line, without its newline */
} zp_journal;

/** Sets @p j to the fingerprint of @p p (every key zp_params_print()
 *  writes, as it writes it, and ZP_VERSION) and of the numbers read from
 *  the data files of @p s and the source table and to the path
 *  @p output ".journal"; opens nothing.  Call zp_journal_close(). */
zp_status zp_journal_init(zp_journal *j, const zp_params *p, const zp_fit_setup *s,
                          const char *output, zp_error *err);

/** Opens the journal for appending.  When it exists with the same
 *  fingerprint (and @p restart is 0) its points are read into
 *  pts[index] with have[index] = 1 (both of the grid's size); lines that are
 *  malformed, torn or name a point off @p grid are ignored, and
 *  *nread counts the points read.  A different fingerprint is ZP_EINVAL
 *  telling to delete the journal or give resume=restart; with @p restart
 *  the old journal is emptied first.  The journal stays locked (flock)
 *  until closed: a second scan on it is refused (ZP_EIO). */
zp_status zp_journal_open(zp_journal *j, const zp_scan_grid *grid, int restart, zp_scan_point *pts,
                          unsigned char *have, size_t *nread, zp_error *err);

/** Appends @p n points with one write() and fsync()s them. */
zp_status zp_journal_append(zp_journal *j, const zp_scan_point *pts, size_t n, zp_error *err);

/** Closes and deletes the journal (once the table is in place). */
zp_status zp_journal_remove(zp_journal *j, zp_error *err);

/** Closes the journal, keeping it, and frees @p j's memory. */
void zp_journal_close(zp_journal *j);

#endif
