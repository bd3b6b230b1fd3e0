/* zprop tests: the temporaries an output is written through (temp_file.h).
 *
 * A temporary is created exclusively in the first free slot, locked,
 * with fopen()'s permissions (0666 less the umask, whatever the umask), and
 * the library leaves the umask as it found it: it is process-wide state,
 * shared with every thread of the caller.
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* flock */

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/temp_file.h"
#include "support.h"

/** Creates one temporary for out.tsv in @p dir under umask @p mask, checks
 *  its mode, its lock and that the umask is unchanged; returns its open
 *  descriptor, its path in @p tmp. */
static int create_under_umask(const char *dir, mode_t mask, char *tmp, size_t size) {
  mode_t saved = umask(mask);
  int fd = -1;
  zp_error err = {0};
  zp_status st = zp_temp_create(dir, "out.tsv", "output", tmp, size, &fd, &err);
  mode_t after = umask(saved);
  cr_assert_eq(st, ZP_OK, "%s", err.msg);
  cr_expect_eq(after, mask, "the umask was %03o, is %03o", (unsigned)mask, (unsigned)after);
  struct stat sb;
  cr_assert(fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode));
  cr_expect_eq(sb.st_mode & 0777, 0666 & ~mask, "mode %03o under umask %03o",
               (unsigned)(sb.st_mode & 0777), (unsigned)mask);
  /* flock is per open file: a second open of the same file must not get it */
  int other = open(tmp, O_RDONLY | O_CLOEXEC);
  cr_assert(other >= 0);
  cr_expect_neq(flock(other, LOCK_EX | LOCK_NB), 0, "the temporary is not locked");
  close(other);
  return fd;
}

Test(temp_file, mode_follows_umask_and_umask_is_kept) {
  char dir[64], tmp[256];
  zp_test_new_dir(dir, sizeof dir);
  const mode_t masks[] = {022, 077, 0, 027};
  for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
    close(create_under_umask(dir, masks[i], tmp, sizeof tmp));
    unlink(tmp);
  }
  zp_test_remove_dir(dir);
}

Test(temp_file, slots_taken_in_order_then_cleaned) {
  char dir[64], tmp[256], want[256];
  zp_test_new_dir(dir, sizeof dir);
  /* ZP_TEMP_SLOTS live temporaries at once (each held open, so locked):
   * slots 0, 1, ... in order, none removed or reused */
  int fds[ZP_TEMP_SLOTS];
  for (int i = 0; i < ZP_TEMP_SLOTS; i++) {
    fds[i] = create_under_umask(dir, 022, tmp, sizeof tmp);
    snprintf(want, sizeof want, "%s/.out.tsv.zptmp-%d", dir, i);
    cr_expect_str_eq(tmp, want);
  }
  cr_expect_eq(zp_test_dir_entries(dir), ZP_TEMP_SLOTS, "a live temporary was removed or reused");
  /* one more gets a random name outside the slots */
  int extra = create_under_umask(dir, 022, tmp, sizeof tmp);
  snprintf(want, sizeof want, "%s/.out.tsv.zptmp-r", dir);
  cr_expect(strncmp(tmp, want, strlen(want)) == 0 && strlen(tmp) == strlen(want) + 6, "%s", tmp);
  close(extra);
  cr_assert_eq(unlink(tmp), 0);
  /* slot 3's writer gone: the next run takes slot 3, the others stay */
  close(fds[3]);
  close(create_under_umask(dir, 022, tmp, sizeof tmp));
  snprintf(want, sizeof want, "%s/.out.tsv.zptmp-3", dir);
  cr_expect_str_eq(tmp, want);
  cr_expect_eq(zp_test_dir_entries(dir), ZP_TEMP_SLOTS);
  /* all closed, so unlocked: the next creation cleans them all */
  for (int i = 0; i < ZP_TEMP_SLOTS; i++)
    if (i != 3) close(fds[i]);
  close(create_under_umask(dir, 022, tmp, sizeof tmp));
  cr_expect_eq(zp_test_dir_entries(dir), 1, "stale temporaries stayed");
  zp_test_remove_dir(dir);
}

/* Another user's file, a link or a directory in a slot is not ours: left
 * alone, and the slot skipped. */
Test(temp_file, foreign_entries_in_slots_are_left) {
  char dir[64], tmp[256], path[256];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/.out.tsv.zptmp-0", dir);
  cr_assert_eq(symlink("/etc/passwd", path), 0);
  snprintf(path, sizeof path, "%s/.out.tsv.zptmp-1", dir);
  cr_assert_eq(mkdir(path, 0700), 0);
  close(create_under_umask(dir, 022, tmp, sizeof tmp));
  snprintf(path, sizeof path, "%s/.out.tsv.zptmp-2", dir);
  cr_expect_str_eq(tmp, path);
  struct stat sb;
  snprintf(path, sizeof path, "%s/.out.tsv.zptmp-0", dir);
  cr_expect(lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode), "the link was touched");
  snprintf(path, sizeof path, "%s/.out.tsv.zptmp-1", dir);
  cr_expect(lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode), "the directory was touched");
  zp_test_remove_dir(dir);
}

Test(temp_file, unwritable_directory_is_an_error) {
  char tmp[256];
  int fd = 7;
  zp_error err = {0};
  zp_status st = zp_temp_create("/nonexistent-zp-dir", "out.tsv", "output", tmp, sizeof tmp, &fd,
                                &err);
  cr_expect_eq(st, ZP_EIO);
  cr_expect_eq(fd, -1);
  cr_expect(strstr(err.msg, "output = out.tsv") != NULL, "[%s]", err.msg);
  cr_expect(strstr(err.msg, "/nonexistent-zp-dir") != NULL, "[%s]", err.msg);
}
