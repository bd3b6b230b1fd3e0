/* zprop: writing tab-separated tables (spectrum and batch).
 *
 * A file either appears complete or not at all: the table goes to a
 * temporary file in the target directory, which is renamed over the target
 * only after everything was written and flushed to disk.  Every subcommand
 * writes through zp_table_emit() and starts its header with
 * zp_table_write_preamble(), so the two stay alike.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_TABLE_WRITER_H
#define ZP_ANALYSIS_TABLE_WRITER_H

#include <stdio.h>

#include "config/params.h"
#include "zprop/spectrum.h"

/** Checks, before any computation, that @p path ("-" is stdout) can be
 *  written: a regular file (new or replaced) in a writable directory, or
 *  an existing character device or FIFO, or a link under /dev/ or /proc/
 *  (streamed into, never replaced: /dev/null, /dev/stdout).  A directory,
 *  block device or socket is refused.  Errors name the `output` key. */
zp_status zp_table_check_path(const char *path, zp_error *err);

/** ZP_EINVAL when @p output is the same file (device and inode) as one of
 *  the @p n inputs paths[i] (NULL or "" skipped), naming keys[i]: a run
 *  never replaces what it reads.  For "-", stdout's file is compared. */
zp_status zp_table_check_distinct(const char *output, const char *const *keys,
                                  const char *const *paths, size_t n, zp_error *err);

/** 1 when @p path is written as a stream ("-", a device, a FIFO): there
 *  is then no file to keep a scan journal beside. */
int zp_table_is_stream(const char *path);

/** Writes @p sp under the header of @p p to p->output: the version, every
 *  effective parameter as `# key = value`, the backend and the ledger as
 *  `## ...` lines, the column line `# E_GeV<TAB>phi_1...`, then one row per
 *  bin.  Every value is checked to be finite first (ZP_ENUMERIC if not,
 *  and nothing is written).  On any failure no file and no temporary file
 *  is left behind. */
zp_status zp_table_write(const zp_params *p, const zp_spectrum *sp, zp_error *err);

/** Writes a whole table, or a part of one; @p ctx is the caller's. */
typedef void (*zp_table_fill_fn)(FILE *f, const void *ctx);

/** zp_table_write() with @p what as the title line and, when @p extra is
 *  not NULL, more `##` lines written by @p extra right after the
 *  parameters (`zprop fit` records its results there). */
zp_status zp_table_write_spectrum(const zp_params *p, const zp_spectrum *sp, const char *what,
                                  zp_table_fill_fn extra, const void *extra_ctx, zp_error *err);

/** The first lines of every table: `## zprop VERSION: @p what`, how to
 *  turn the table back into a parameter file, then every effective
 *  parameter as `# key = value` (zp_params_print). */
void zp_table_write_preamble(FILE *f, const char *what, const zp_params *p);

/** Runs @p fill into @p path ("-": stdout) through a temporary file that
 *  is fsync'ed and renamed into place; on failure neither the file nor the
 *  temporary is left, and an existing @p path is untouched.  Temporaries
 *  of a killed earlier run on @p path are removed first (temp_file.h).  A
 *  stream (zp_table_check_path) is written directly. */
zp_status zp_table_emit(const char *path, zp_table_fill_fn fill, const void *ctx, zp_error *err);

/** A fill that computes while it writes and may fail (its message in
 *  @p err); @p ctx is the caller's. */
typedef zp_status (*zp_table_try_fn)(FILE *f, void *ctx, zp_error *err);

/** zp_table_emit() for a fill that may fail: then the temporary is
 *  removed and @p path untouched (to "-" or a stream, what was written
 *  stays written). */
zp_status zp_table_emit_fallible(const char *path, zp_table_try_fn fill, void *ctx, zp_error *err);

#endif
