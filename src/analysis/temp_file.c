/* zprop: locked temporary files and their clean-up (temp_file.h).
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* flock, getrandom, dirent d_type */

#include "analysis/temp_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporaries' infix: ".NAME.zptmp-XXXXXX" is no name a user picks for
 * a file of their own, so the clean-up cannot take one (an input, a backup
 * called ".NAME.backup"). */
#define TEMP_INFIX ".zptmp-"

/** 1 when @p name is "." BASE TEMP_INFIX and six mkstemp characters. */
static int is_our_temp(const char *name, const char *base) {
  size_t n = strlen(base), m = strlen(TEMP_INFIX);
  if (name[0] != '.' || strncmp(name + 1, base, n) != 0 ||
      strncmp(name + n + 1, TEMP_INFIX, m) != 0)
    return 0;
  const char *x = name + n + 1 + m;
  if (strlen(x) != 6) return 0;
  for (; *x != '\0'; x++)
    if (!((*x >= 'a' && *x <= 'z') || (*x >= 'A' && *x <= 'Z') || (*x >= '0' && *x <= '9')))
      return 0;
  return 1;
}

void zp_temp_clean_stale(const char *dir, const char *base) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  DIR *d = fdopendir(dfd);
  if (d == NULL) {
    close(dfd);
    return;
  }
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (!is_our_temp(e->d_name, base)) continue;
    int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat sb;
    /* Unlocked means its writer is gone: a live one holds LOCK_EX. */
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
        flock(fd, LOCK_EX | LOCK_NB) == 0)
      unlinkat(dfd, e->d_name, 0);
    close(fd);
  }
  closedir(d);
}

/** Six name characters from the kernel's random pool (clock and pid when
 *  it cannot answer): the suffix that mkstemp would pick. */
static void random_suffix(char *x, unsigned attempt) {
  static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char r[6];
  if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long v = (unsigned long)ts.tv_nsec * 2654435761u ^ (unsigned long)getpid() << 16 ^
                      (unsigned long)attempt * 40503u;
    for (int i = 0; i < 6; i++, v /= 62) r[i] = (unsigned char)(v % 62);
  }
  for (int i = 0; i < 6; i++) x[i] = alnum[r[i] % 62];
}

zp_status zp_temp_create(const char *dir, const char *base, const char *key, char *tmp, size_t size,
                         int *fd, zp_error *err) {
  *fd = -1;
  int n = snprintf(tmp, size, "%s/.%s" TEMP_INFIX "XXXXXX", dir, base);
  if (n < 0 || (size_t)n >= size)
    return zp_error_set(err, ZP_EIO, "%s = %s: path too long", key, base);
  zp_temp_clean_stale(dir, base);
  /* Our own mkstemp: created with 0666, the kernel applies the umask, so an
   * output gets fopen()'s permissions without reading the umask (umask()
   * can only read it by changing it, process-wide). */
  int f = -1;
  for (unsigned attempt = 0; attempt < 100 && f < 0; attempt++) {
    random_suffix(tmp + n - 6, attempt);
    f = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f < 0 && errno != EEXIST) break;
  }
  if (f < 0)
    return zp_error_set(err, ZP_EIO, "%s = %s: cannot create a temporary file in %s: %s", key, base,
                        dir, strerror(errno));
  if (flock(f, LOCK_EX | LOCK_NB) != 0) {
    zp_status st = zp_error_set(err, ZP_EIO, "%s = %s: %s", key, base, strerror(errno));
    close(f);
    unlink(tmp);
    return st;
  }
  *fd = f;
  return ZP_OK;
}
