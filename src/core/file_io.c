/* zprop: reading inputs safely (see file_io.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, O_NOCTTY */

#include "core/file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

/** Reads at most @p cap + 1 bytes into @p buf, so that a file longer than
 *  @p cap (grown since fstat, or a size fstat cannot tell) is noticed. */
static zp_status read_all(int fd, const char *label, size_t cap, char *buf, size_t *len,
                          zp_error *err) {
  size_t n = 0;
  while (n <= cap) {
    ssize_t r = read(fd, buf + n, cap + 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return zp_error_set(err, ZP_EIO, "%s: read error: %s", label, strerror(errno));
    if (r == 0) break;
    n += (size_t)r;
  }
  *len = n;
  return ZP_OK;
}

static zp_status check_text(const char *buf, size_t len, const char *label, zp_error *err) {
  const char *nul = memchr(buf, '\0', len);
  if (nul == NULL) return ZP_OK;
  size_t line = 1;
  for (const char *c = buf; c < nul; c++) line += *c == '\n';
  return zp_error_set(err, ZP_EFORMAT, "%s:%zu: a NUL byte; allowed text only", label, line);
}

static zp_status read_input(const char *path, const char *label, int nofollow, size_t max_bytes,
                            char **text, size_t *len, zp_error *err);

/* A size limit for messages: 64 MiB, 1 MiB, 256 KiB. */
static size_t size_num(size_t b) { return b % ((size_t)1 << 20) == 0 ? b >> 20 : b >> 10; }
static const char *size_unit(size_t b) { return b % ((size_t)1 << 20) == 0 ? "MiB" : "KiB"; }

zp_status zp_read_input(const char *path, const char *label, char **text, size_t *len,
                        zp_error *err) {
  return read_input(path, label, 0, ZP_INPUT_MAX_BYTES, text, len, err);
}

zp_status zp_read_input_nofollow(const char *path, const char *label, size_t max_bytes, char **text,
                                 size_t *len, zp_error *err) {
  if (max_bytes == 0 || max_bytes > ZP_INPUT_MAX_BYTES) max_bytes = ZP_INPUT_MAX_BYTES;
  return read_input(path, label, 1, max_bytes, text, len, err);
}

static zp_status read_input(const char *path, const char *label, int nofollow, size_t max_bytes,
                            char **text, size_t *len, zp_error *err) {
  *text = NULL;
  *len = 0;
  /* O_NONBLOCK: opening a FIFO with no writer returns at once. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
  if (fd < 0 && nofollow && errno == ELOOP)
    return zp_error_set(err, ZP_EIO, "%s: a symbolic link; allowed a regular file", label);
  if (fd < 0) return zp_error_set(err, ZP_EIO, "%s: cannot open: %s", label, strerror(errno));
  struct stat sb;
  zp_status st = ZP_OK;
  if (fstat(fd, &sb) != 0) st = zp_error_set(err, ZP_EIO, "%s: %s", label, strerror(errno));
  else if (!S_ISREG(sb.st_mode))
    st = zp_error_set(err, ZP_EIO, "%s: %s; allowed a regular file", label, kind_of(sb.st_mode));
  else if ((size_t)sb.st_size > max_bytes)
    st = zp_error_set(err, ZP_EFORMAT, "%s: %lld bytes; an input may be at most %zu %s", label,
                      (long long)sb.st_size, size_num(max_bytes), size_unit(max_bytes));
  size_t cap = max_bytes;
  if (st == ZP_OK && (size_t)sb.st_size + 4096 < cap) cap = (size_t)sb.st_size + 4096;
  char *buf = NULL;
  if (st == ZP_OK && (buf = malloc(cap + 2)) == NULL)
    st = zp_error_set(err, ZP_ENOMEM, "%s: out of memory", label);
  if (st == ZP_OK) st = read_all(fd, label, cap, buf, len, err);
  if (st == ZP_OK && *len > cap)
    st = cap == max_bytes
             ? zp_error_set(err, ZP_EFORMAT, "%s: larger than %zu %s, the most an input may be",
                            label, size_num(max_bytes), size_unit(max_bytes))
             : zp_error_set(err, ZP_EIO, "%s: the file grew while it was read", label);
  close(fd);
  if (st == ZP_OK) st = check_text(buf, *len, label, err);
  if (st != ZP_OK) {
    free(buf);
    *len = 0;
    return st;
  }
  buf[*len] = '\0';
  *text = buf;
  return ZP_OK;
}

int zp_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
  return zp_same_inode(&sa, &sb);
}

char *zp_next_line(char **cursor) {
  char *line = *cursor;
  if (*line == '\0') return NULL;
  char *nl = strchr(line, '\n');
  if (nl == NULL) {
    *cursor = line + strlen(line);
  } else {
    *nl = '\0';
    *cursor = nl + 1;
  }
  return line;
}
