/* zprop: the temporary files an output is written through.
 *
 * An output NAME in directory DIR is written to DIR/.NAME.zptmp-XXXXXX (six random
 * letters and digits, created exclusively)
 * and renamed over NAME when complete.  The writer holds an exclusive
 * flock() on its temporary for as long as it lives, so a later run can
 * tell a live temporary (locked) from one left by a killed run (unlocked)
 * and remove only the latter: no run, however it ended, leaves its
 * temporary behind past the next run on the same output.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_TEMP_FILE_H
#define ZP_ANALYSIS_TEMP_FILE_H

#include <stddef.h>

#include "zprop/errors.h"

/** Removes DIR/.BASE.zptmp-XXXXXX files (exactly our pattern, regular files of
 *  this user) that no live writer holds locked.  Best effort: failures are
 *  ignored, nothing else is touched. */
void zp_temp_clean_stale(const char *dir, const char *base);

/** Cleans stale temporaries, then creates DIR/.BASE.zptmp-XXXXXX with the
 *  permissions fopen() would give (0666 & ~umask), locked.  @p tmp (size
 *  @p size) receives its path, *fd the open, locked descriptor.  @p key
 *  names the output in messages ("output"). */
zp_status zp_temp_create(const char *dir, const char *base, const char *key, char *tmp, size_t size,
                         int *fd, zp_error *err);

#endif
