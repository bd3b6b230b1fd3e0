/* zprop: opening the files a run reads, and telling two paths apart.
 *
 * Every input (parameter file, source table, data set, plot table, scan
 * journal) is read whole through zp_read_input(): opened without blocking
 * (a FIFO with no writer cannot hang the run), required to be a regular file
 * no larger than ZP_INPUT_MAX_BYTES (so /dev/zero cannot exhaust memory),
 * and refused when it holds a NUL byte (text only).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_FILE_IO_H
#define ZP_FILE_IO_H

#include <stddef.h>
#include <sys/stat.h>

#include "zprop/errors.h"

/** The largest input file read, in bytes (256 MiB: the largest files zprop
 *  reads back are a scan's table, for `zprop profile` and `zprop plot`, and
 *  its journal: at most 1e6 rows of at most 13 numbers, 230 bytes a row). */
#define ZP_INPUT_MAX_BYTES ((size_t)256 << 20)

/** Reads the regular file @p path whole into a NUL-terminated buffer
 *  (*text, free() it; *len bytes without the terminator).  @p label starts
 *  every message ("source_table = x.dat", "data file 'x'").  Errors:
 *  ZP_EIO (cannot open, not a regular file, read error), ZP_EFORMAT (too
 *  large, a NUL byte: the message gives its line), ZP_ENOMEM. */
zp_status zp_read_input(const char *path, const char *label, char **text, size_t *len,
                        zp_error *err);

/** zp_read_input() that refuses a symbolic link as the last component
 *  (O_NOFOLLOW: "a symbolic link; allowed a regular file", ZP_EIO) and a
 *  file larger than @p max_bytes (0 or above ZP_INPUT_MAX_BYTES: that). */
zp_status zp_read_input_nofollow(const char *path, const char *label, size_t max_bytes, char **text,
                                 size_t *len, zp_error *err);

/** Cuts the next line out of a text zp_read_input() returned: the '\n'
 *  ending it becomes NUL and *cursor moves past it (a last line without
 *  '\n' ends at the text's NUL).  The text is modified in place.
 *  @return the line, or NULL when *cursor is at the end of the text. */
char *zp_next_line(char **cursor);

/** 1 when @p a and @p b name the same existing file (same device and
 *  inode, links followed), else 0. */
int zp_same_file(const char *a, const char *b);

/** 1 when two stat results are the same file (device and inode). */
static inline int zp_same_inode(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

#endif
