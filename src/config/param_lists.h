/* zprop: the comma-separated lists of `zprop batch` (library-internal).
 *
 * A batch is three independent sets, as zp_batch_compute() takes them:
 *   points   the Cartesian product of the lists of mzp, gzp, gchi, mchi,
 *            sum_mnu and ordering, mzp outermost and ordering innermost;
 *   sources  source, z0 and zmax paired element by element (z0 and zmax
 *            have one value, or one per source);
 *   gammas   the list of gamma.
 * Each element is checked by zp_params_check() exactly as the single value
 * would be, with the other keys of its point or source: so sum_mnu meets
 * the minimum of each point's ordering, and zmax >= z0 holds per source.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CORE_PARAM_LISTS_H
#define ZP_CORE_PARAM_LISTS_H

#include <stddef.h>

#include "config/params.h"
#include "zprop/batch.h"

/* Upper limits on a batch: a list pasted twice, or a product larger than
 * meant, is caught before it allocates gigabytes or runs for days. */
enum { ZP_BATCH_MAX_POINTS = 100000, ZP_BATCH_MAX_SOURCES = 16, ZP_BATCH_MAX_GAMMAS = 4096 };

/** Cuts @p buf in place at its commas into trimmed elements (blanks and
 *  tabs; an empty element stays, as ""), at most @p max of them into
 *  @p elem.  @return the count, or max + 1 when there are more. */
size_t zp_split_commas(char *buf, const char **elem, size_t max);

/** A checked batch, with the storage behind its arrays. */
typedef struct {
  zp_batch_spec spec; /* base: the config of the first point, source and gamma */
  zp_point *points;
  zp_source *sources; /* their table, if any, is borrowed from the zp_params */
  double *gammas;
  char *split[ZP_KEY_COUNT];          /* a list key's text, cut at the commas (owned) */
  const char **element[ZP_KEY_COUNT]; /* its trimmed elements */
  size_t count[ZP_KEY_COUNT];
} zp_param_lists;

/** Splits the lists of @p p (read with zp_batch_list_keys), checks their
 *  sizes and then every point, source and gamma with zp_params_check(),
 *  and fills @p l.  On return p->value and p->cfg are those of the first
 *  point, source and gamma.  Errors are one line naming the key (and the
 *  element).  Call zp_param_lists_free() in every case. */
zp_status zp_param_lists_build(zp_params *p, zp_param_lists *l, zp_error *err);
void zp_param_lists_free(zp_param_lists *l);

#endif
