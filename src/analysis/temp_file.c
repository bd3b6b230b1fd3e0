/* zprop: locked temporary files and their clean-up (temp_file.h).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* flock, O_PATH, getrandom */

#include "analysis/temp_file.h"
#include "core/file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporaries' infix: ".NAME.zptmp-N" is no name a user picks for a
 * file of their own, so the clean-up cannot take one (an input, a backup
 * called ".NAME.backup"). */
#define TEMP_INFIX ".zptmp-"

/** 1 when @p fd (open on @p name in @p dfd) is still what the name points to. */
static int still_named(int dfd, const char *name, int fd) {
  struct stat by_fd, by_name;
  return fstat(fd, &by_fd) == 0 && fstatat(dfd, name, &by_name, AT_SYMLINK_NOFOLLOW) == 0 &&
         zp_same_inode(&by_fd, &by_name);
}

/** Slot @p i's name, ".BASE.zptmp-i"; 0 when it does not fit. */
static int slot_name(char *out, size_t size, const char *base, int i) {
  int n = snprintf(out, size, ".%s" TEMP_INFIX "%d", base, i);
  return n > 0 && (size_t)n < size;
}

/** A name outside the slots, ".BASE.zptmp-r" and six random letters or
 *  digits, for when every slot is held or taken by something not ours. */
static int random_name(char *out, size_t size, const char *base, unsigned attempt) {
  static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char r[6];
  if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long v = (unsigned long)ts.tv_nsec * 2654435761u ^ (unsigned long)getpid() << 16 ^
                      (unsigned long)attempt * 40503u;
    for (int i = 0; i < 6; i++, v /= 62) r[i] = (unsigned char)(v % 62);
  }
  char x[7];
  for (int i = 0; i < 6; i++) x[i] = alnum[r[i] % 62];
  x[6] = '\0';
  int n = snprintf(out, size, ".%s" TEMP_INFIX "r%s", base, x);
  return n > 0 && (size_t)n < size;
}

/* The folder as a handle for the *at() calls: O_PATH needs no read
 * permission, so a write-only drop folder (0733) works as with paths. */
static int open_dir(const char *dir) { return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC); }

void zp_temp_clean_stale(const char *dir, const char *base) {
  int dfd = open_dir(dir);
  if (dfd < 0) return;
  char name[512];
  for (int i = 0; i < ZP_TEMP_SLOTS && slot_name(name, sizeof name, base, i); ++i) {
    /* for writing where it may be: NFS emulates flock with byte-range
     * locks, and an exclusive one needs a descriptor open for writing */
    int fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno != ENOENT && errno != ELOOP)
      fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
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

/** Creates @p name in @p dfd exclusively and locks it: 1 when done (*f
 *  the descriptor), 0 when the name is taken (try another), -1 with errno
 *  on a failure no other name would avoid. */
static int create_locked(int dfd, const char *name, int *f) {
  /* Created with 0666, the kernel applies the umask: an output gets
   * fopen()'s permissions without reading the umask (umask() can only read
   * it by changing it, process-wide). */
  *f = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (*f < 0) return errno == EEXIST ? 0 : -1;
  if (flock(*f, LOCK_EX | LOCK_NB) == 0 && still_named(dfd, name, *f)) return 1;
  /* Between creation and lock a cleaner took the new file for a dead one
   * (it holds the lock, or has removed the name): another name.  Any
   * other failure to lock is this file system's, and ends the attempt. */
  int why = errno, lost = why == EWOULDBLOCK || !still_named(dfd, name, *f);
  if (!lost) unlinkat(dfd, name, 0);
  close(*f);
  *f = -1;
  errno = why;
  return lost ? 0 : -1;
}

zp_status zp_temp_create(const char *dir, const char *base, const char *key, char *tmp, size_t size,
                         int *fd, zp_error *err) {
  *fd = -1;
  char name[512];
  int n = snprintf(tmp, size, "%s/", dir);
  if (n < 0 || (size_t)n >= size || !random_name(name, sizeof name, base, 0) ||
      strlen(name) >= size - (size_t)n)
    return zp_error_set(err, ZP_EIO, "%s = %s: path too long", key, base);
  int dfd = open_dir(dir);
  if (dfd < 0)
    return zp_error_set(err, ZP_EIO, "%s = %s: cannot create a temporary file in %s: %s", key, base,
                        dir, strerror(errno));
  zp_temp_clean_stale(dir, base);
  int f = -1, got = 0;
  for (int i = 0; i < ZP_TEMP_SLOTS && got == 0; ++i) {
    slot_name(name, sizeof name, base, i);
    got = create_locked(dfd, name, &f);
  }
  /* every slot held, or taken by what is not ours (another user's file, a
   * link): a random name, which a later run will not clean if this one is
   * killed, rather than no output */
  for (unsigned attempt = 0; attempt < 32 && got == 0; ++attempt) {
    random_name(name, sizeof name, base, attempt);
    got = create_locked(dfd, name, &f);
  }
  int why = errno;
  close(dfd);
  if (got != 1)
    return zp_error_set(err, ZP_EIO, "%s = %s: cannot create a temporary file in %s: %s", key, base,
                        dir, got == 0 ? "every name is taken" : strerror(why));
  snprintf(tmp + n, size - (size_t)n, "%s", name);
  *fd = f;
  return ZP_OK;
}
