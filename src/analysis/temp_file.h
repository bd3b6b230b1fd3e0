/* zprop: the temporary files an output is written through.
 *
 * An output NAME in directory DIR is written to DIR/.NAME.zptmp-N, N the
 * first of ZP_TEMP_SLOTS slots free (created exclusively), and renamed over
 * NAME when complete.  The writer holds an exclusive flock() on its
 * temporary for as long as it lives, so a later run can tell a live
 * temporary (locked) from one left by a killed run (unlocked) and remove
 * only the latter: no run, however it ended, leaves its temporary behind
 * past the next run on the same output.  The slots are looked up by name,
 * so the clean-up costs the same in a folder of a million files (listing
 * one of 50 000 cost 15 ms here, twice per output; far more on a cluster's
 * network file system).  When every slot is held, or taken by something not
 * ours (another user's file in a shared folder, a link), the temporary gets
 * a random name instead (DIR/.NAME.zptmp-rXXXXXX), which a later run does
 * not clean if this one is killed.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_TEMP_FILE_H
#define ZP_ANALYSIS_TEMP_FILE_H

#include <stddef.h>

#include "zprop/errors.h"

/** How many runs writing one output at once get a slot. */
#define ZP_TEMP_SLOTS 16

/** Removes DIR/.BASE.zptmp-N files (N < ZP_TEMP_SLOTS, regular files of
 *  this user) that no live writer holds locked.  Best effort: failures are
 *  ignored, nothing else is touched. */
void zp_temp_clean_stale(const char *dir, const char *base);

/** Cleans stale temporaries, then creates the first free DIR/.BASE.zptmp-N
 *  (or a random name, above)
 *  with the permissions fopen() would give (0666 & ~umask), locked.  @p tmp
 *  (size @p size) receives its path, *fd the open, locked descriptor.
 *  @p key names the output in messages ("output"). */
zp_status zp_temp_create(const char *dir, const char *base, const char *key, char *tmp, size_t size,
                         int *fd, zp_error *err);

#endif
