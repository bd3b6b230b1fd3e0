/* zprop: output against inputs (output_check.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "analysis/output_check.h"

#include <stdlib.h>
#include <string.h>

#include "config/param_lists.h" /* zp_split_commas, ZP_BATCH_MAX_SOURCES */
#include "analysis/table_writer.h"

enum { MAX_INPUTS = 1 + ZP_BATCH_MAX_SOURCES + ZP_FIT_MAX_DATA };

zp_status zp_output_check(const zp_params *p, const zp_fit_setup *s, zp_error *err) {
  zp_status st = zp_table_check_path(p->output, err);
  return st != ZP_OK ? st : zp_output_check_not_input(p, s, p->output, err);
}

zp_status zp_output_check_not_input(const zp_params *p, const zp_fit_setup *s, const char *path,
                                    zp_error *err) {
  zp_status st;
  const char *keys[MAX_INPUTS], *paths[MAX_INPUTS];
  size_t n = 0;
  keys[n] = "the parameter file", paths[n++] = p->ini_path;
  char *tables = strdup(p->source_table != NULL ? p->source_table : "");
  if (tables == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  size_t nt = zp_split_commas(tables, paths + n, ZP_BATCH_MAX_SOURCES);
  if (nt > ZP_BATCH_MAX_SOURCES) nt = ZP_BATCH_MAX_SOURCES;
  for (size_t i = 0; i < nt; i++) keys[n++] = "source_table";
  for (size_t i = 0; s != NULL && i < s->nsets; i++)
    keys[n] = "data", paths[n++] = s->sets[i]->path;
  st = zp_table_check_distinct(path, keys, paths, n, err);
  free(tables);
  return st;
}
