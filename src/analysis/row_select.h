/* zprop: a selection of table rows, "0-12,14-16" (library-internal).
 *
 * The one reader of row selections: zp_dataset_select() applies one to a
 * data set, and the fit setup applies one to the concatenation of its data
 * sets, row indices counted over all of them.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_ROW_SELECT_H
#define ZP_ANALYSIS_ROW_SELECT_H

#include <stddef.h>

#include "zprop/data.h"
#include "zprop/errors.h"

/** Which of nrows rows are kept. */
typedef struct {
  size_t nrows;
  unsigned char *keep; /* [nrows], 1 where the row is kept (owned) */
} zp_row_selection;

/** Reads @p spec ("all", or comma-separated indices and lo-hi ranges,
 *  blanks allowed) over @p nrows rows of what @p name names in messages
 *  (`selection 'SPEC' for NAME: row 20 is out of range (rows 0-16)`).  A
 *  row given twice, a reversed range and an index past the end are
 *  errors.  Call zp_row_selection_free() in every case.
 *  @return ZP_OK, ZP_EINVAL or ZP_ENOMEM */
zp_status zp_row_selection_parse(const char *spec, const char *name, size_t nrows,
                                 zp_row_selection *sel, zp_error *err);
void zp_row_selection_free(zp_row_selection *sel);

/** Keeps the rows of @p d whose flags, keep[0 .. d->nbins - 1], are set,
 *  in their order.  @return how many are kept. */
size_t zp_dataset_keep_rows(zp_dataset *d, const unsigned char *keep);

#endif
