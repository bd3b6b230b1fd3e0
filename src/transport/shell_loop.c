/* zprop: the shell loop, and the batch chunk that runs entirely on the
 * backend (one copy in, the shells, one copy out).
 * SPDX-License-Identifier: MIT */
#include "transport/shell_loop.h"

zp_status zp_shell_loop(zp_chunk *c, zp_backend *bk, zp_error *err) {
  zp_status st = c->load != NULL ? c->load(c, bk, err) : ZP_OK;
  for (size_t k = c->nshells; st == ZP_OK && k-- > 0;) st = c->shell(c, bk, k, err);
  if (st == ZP_OK && c->store != NULL) st = c->store(c, bk, err);
  return st;
}

typedef struct {
  zp_chunk base;
  const zp_batch_plan *plan;
  double *y;
} batch_chunk;

static zp_status batch_load(zp_chunk *c, zp_backend *bk, zp_error *err) {
  return bk->ops->batch_load(bk, ((batch_chunk *)c)->plan, err);
}

static zp_status batch_shell(zp_chunk *c, zp_backend *bk, size_t k, zp_error *err) {
  (void)c;
  zp_status st = bk->ops->batch_assemble(bk, k, err);
  return st == ZP_OK ? bk->ops->batch_apply(bk, k, err) : st;
}

static zp_status batch_store(zp_chunk *c, zp_backend *bk, zp_error *err) {
  return bk->ops->batch_store(bk, ((batch_chunk *)c)->y, err);
}

zp_status zp_chunk_run(zp_backend *bk, const zp_batch_plan *plan, double *y, zp_error *err) {
  batch_chunk c = {{plan->nshells, batch_load, batch_shell, batch_store}, plan, y};
  return zp_shell_loop(&c.base, bk, err);
}
