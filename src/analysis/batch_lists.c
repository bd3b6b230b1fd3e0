/* zprop: the lists of a `zprop batch` set, as a public handle (zprop/run.h).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "config/param_lists.h"
#include "zprop/run.h"

struct zp_batch_lists {
  zp_param_lists lists;
};

zp_status zp_batch_lists_create(zp_params *p, zp_batch_lists **out, zp_error *err) {
  *out = NULL;
  if (p == NULL || p->mode != &zp_mode_batch)
    return zp_error_set(err, ZP_EINVAL, "a batch needs the parameters of `zprop batch`");
  zp_batch_lists *b = calloc(1, sizeof *b);
  if (b == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  zp_status st = zp_param_lists_build(p, &b->lists, err);
  if (st != ZP_OK) {
    zp_batch_lists_free(b);
    return st;
  }
  *out = b;
  return ZP_OK;
}

const zp_batch_spec *zp_batch_lists_spec(const zp_batch_lists *b) { return &b->lists.spec; }

zp_status zp_batch_lists_point(const zp_batch_lists *b, size_t i, double v[5], int *ordering) {
  if (i >= b->lists.spec.npoints)
    return zp_error_set(NULL, ZP_EINVAL, "point %zu of %zu", i, b->lists.spec.npoints);
  const zp_point *pt = &b->lists.points[i];
  v[0] = pt->zprime.mzp_mev;
  v[1] = pt->zprime.gzp;
  v[2] = pt->zprime.gchi;
  v[3] = pt->zprime.mchi_mev;
  v[4] = pt->sum_mnu_ev;
  *ordering = (int)pt->ordering;
  return ZP_OK;
}

zp_status zp_batch_lists_source(const zp_batch_lists *b, size_t s, int *kind, double *z0,
                                double *zmax) {
  if (s >= b->lists.spec.nsources)
    return zp_error_set(NULL, ZP_EINVAL, "source %zu of %zu", s, b->lists.spec.nsources);
  *kind = (int)b->lists.sources[s].kind;
  *z0 = b->lists.sources[s].z0;
  *zmax = b->lists.sources[s].zmax;
  return ZP_OK;
}

double zp_batch_lists_gamma(const zp_batch_lists *b, size_t g) {
  return g < b->lists.spec.ngamma ? b->lists.gammas[g] : NAN;
}

void zp_batch_lists_free(zp_batch_lists *b) {
  if (b == NULL) return;
  zp_param_lists_free(&b->lists);
  free(b);
}
