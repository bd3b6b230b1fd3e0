/* zprop CLI: reading the tab-separated tables that zprop writes (spectrum,
 * fit, batch, scan, gm2 band), for `zprop plot`.
 *
 * The format is the one table_writer.c writes: '#' lines first, where
 * '## ' lines are free comments (some of the form '## key = value'),
 * '# key = value' lines are the effective parameters, and the LAST '#'
 * line before the data holds the column names; then one row per line,
 * cells separated by tabs.  The reader keeps every cell as text and
 * converts on request, so one reader serves tables with text columns
 * (batch: ordering, source) and a bad number is reported with its line.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_TABLE_READER_H
#define ZP_CLI_TABLE_READER_H

#include <stddef.h>

#include "zprop/errors.h"

typedef struct {
  char *path; /* as given */
  char *buf;  /* the whole file, split in place */
  size_t ncols;
  char **cols;         /* column names */
  size_t nkeys;        /* '# key = value' and '## key = value' lines */
  char **keys, **vals; /* pairs; vals may be empty strings */
  unsigned char *info; /* per pair: 1 when from a '## ' line */
  size_t nrows;
  char **cells; /* nrows * ncols, row-major, pointing into buf */
  size_t *line; /* per row: its line number in the file (1-based) */
} zp_tsv;

/** Reads @p path.  Errors (ZP_EIO: cannot read; ZP_EFORMAT: no column
 *  line, a row whose cell count differs from the columns, no rows) name
 *  the file and, for rows, the line.  On failure *out is NULL. */
zp_status zp_tsv_read(const char *path, zp_tsv **out, zp_error *err);

void zp_tsv_free(zp_tsv *t);

/** Index of column @p name, or -1. */
int zp_tsv_col(const zp_tsv *t, const char *name);

/** The value of header key @p key ('# key = value', else '## key =
 *  value'), or NULL when the table has none. */
const char *zp_tsv_key(const zp_tsv *t, const char *key);

/** Cell (@p row, @p col) as a finite decimal number; ZP_EFORMAT naming
 *  the file, line and column otherwise. */
zp_status zp_tsv_number(const zp_tsv *t, size_t row, size_t col, double *x, zp_error *err);

/** Every row of column @p col as numbers into @p out (nrows values). */
zp_status zp_tsv_column(const zp_tsv *t, size_t col, double *out, zp_error *err);

/** Decimal number only (no hex, NaN or infinity): 1 and *x, or 0. */
int zp_tsv_parse_real(const char *s, double *x);

#endif
