/* zprop tests: the temporaries an output is written through (temp_file.h).
 *
 * A temporary is created exclusively under the documented pattern, locked,
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

Test(temp_file, names_follow_the_pattern_and_differ) {
  char dir[64], tmp[256], first[256] = "";
  zp_test_new_dir(dir, sizeof dir);
  char prefix[128];
  snprintf(prefix, sizeof prefix, "%s/.out.tsv.zptmp-", dir);
  /* 40 live temporaries at once (each held open, so locked): every name new */
  int fds[40];
  for (int i = 0; i < 40; i++) {
    fds[i] = create_under_umask(dir, 022, tmp, sizeof tmp);
    cr_expect(strncmp(tmp, prefix, strlen(prefix)) == 0, "%s", tmp);
    const char *x = tmp + strlen(prefix);
    cr_expect_eq(strlen(x), 6u, "%s", tmp);
    cr_expect_eq(strspn(x, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 6u,
                 "%s", tmp);
    if (i == 0) snprintf(first, sizeof first, "%s", tmp);
  }
  cr_expect_eq(zp_test_dir_entries(dir), 40, "a live temporary was removed or reused");
  /* closed, the 40 are unlocked: the next creation cleans them all */
  for (int i = 0; i < 40; i++) close(fds[i]);
  close(create_under_umask(dir, 022, tmp, sizeof tmp));
  cr_expect_eq(zp_test_dir_entries(dir), 1, "stale temporaries stayed");
  cr_expect(access(first, F_OK) != 0);
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
