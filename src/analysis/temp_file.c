/* zprop: locked temporary files and their clean-up (temp_file.h).
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* flock */

#include "analysis/temp_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporaries' infix: ".NAME.zptmp-N" is no name a user picks for a
 * file of their own, so the clean-up cannot take one (an input, a backup
 * called ".NAME.backup"). */
#define TEMP_INFIX ".zptmp-"

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/** 1 when @p fd (open on @p name in @p dfd) is still what the name points to. */
static int still_named(int dfd, const char *name, int fd) {
  struct stat by_fd, by_name;
  return fstat(fd, &by_fd) == 0 && fstatat(dfd, name, &by_name, AT_SYMLINK_NOFOLLOW) == 0 &&
         same_file(&by_fd, &by_name);
}

/** Slot @p i's name, ".BASE.zptmp-i"; 0 when it does not fit. */
static int slot_name(char *out, size_t size, const char *base, int i) {
  int n = snprintf(out, size, ".%s" TEMP_INFIX "%d", base, i);
  return n > 0 && (size_t)n < size;
}

void zp_temp_clean_stale(const char *dir, const char *base) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  char name[512];
  for (int i = 0; i < ZP_TEMP_SLOTS && slot_name(name, sizeof name, base, i); ++i) {
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat sb;
    /* Unlocked means its writer is gone: a live one holds LOCK_EX.  Locked,
     * it is removed only if the name is still this file: another cleaner
     * may have removed it and a new writer taken the name meanwhile. */
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
        flock(fd, LOCK_EX | LOCK_NB) == 0 && still_named(dfd, name, fd))
      unlinkat(dfd, name, 0);
    close(fd);
  }
  close(dfd);
}

zp_status zp_temp_create(const char *dir, const char *base, const char *key, char *tmp, size_t size,
                         int *fd, zp_error *err) {
  *fd = -1;
  char name[512];
  int n = snprintf(tmp, size, "%s/", dir);
  if (n < 0 || (size_t)n >= size || !slot_name(name, sizeof name, base, ZP_TEMP_SLOTS - 1) ||
      strlen(name) >= size - (size_t)n)
    return zp_error_set(err, ZP_EIO, "%s = %s: path too long", key, base);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return zp_error_set(err, ZP_EIO, "%s = %s: cannot create a temporary file in %s: %s", key, base,
                        dir, strerror(errno));
  zp_temp_clean_stale(dir, base);
  /* Created with 0666, the kernel applies the umask: an output gets
   * fopen()'s permissions without reading the umask (umask() can only read
   * it by changing it, process-wide).  Between creation and lock a cleaner
   * may take the new file for a dead one and remove it: still_named finds
   * that, and the next slot is tried. */
  int f = -1, why = EEXIST;
  for (int i = 0; i < ZP_TEMP_SLOTS && f < 0; ++i) {
    slot_name(name, sizeof name, base, i);
    f = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f < 0) {
      if (errno != EEXIST) {
        why = errno;
        break;
      }
      continue;
    }
    if (flock(f, LOCK_EX | LOCK_NB) != 0 || !still_named(dfd, name, f)) {
      close(f);
      f = -1;
    }
  }
  close(dfd);
  if (f < 0 && why == EEXIST)
    return zp_error_set(err, ZP_EIO, "%s = %s: %d runs are writing it at once, the most allowed",
                        key, base, ZP_TEMP_SLOTS);
  if (f < 0)
    return zp_error_set(err, ZP_EIO, "%s = %s: cannot create a temporary file in %s: %s", key, base,
                        dir, strerror(why));
  snprintf(tmp + n, size - (size_t)n, "%s", name);
  *fd = f;
  return ZP_OK;
}
