/* zprop (internal): the shell loop.  Every propagation, a single spectrum
 * or a chunk of a batch, runs its content from the top shell down to z = 0
 * through this one loop, on a backend; what a shell does is the chunk's.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_SHELL_LOOP_H
#define ZP_SHELL_LOOP_H

#include <stddef.h>

#include "backends/backend.h"

/** A chunk as the loop runs it; kinds of chunk embed it as their first
 *  member.  load and store may be NULL. */
typedef struct zp_chunk zp_chunk;
struct zp_chunk {
  size_t nshells;
  /** Before the top shell (content Y = 0). */
  zp_status (*load)(zp_chunk *c, zp_backend *bk, zp_error *err);
  /** Shell k: its sources and T_k applied to the content. */
  zp_status (*shell)(zp_chunk *c, zp_backend *bk, size_t k, zp_error *err);
  /** After shell 0: the content at z = 0 handed back. */
  zp_status (*store)(zp_chunk *c, zp_backend *bk, zp_error *err);
};

/** Runs @p c through shells nshells-1 .. 0 on @p bk; stops at the first
 *  failure. */
zp_status zp_shell_loop(zp_chunk *c, zp_backend *bk, zp_error *err);

/** A chunk of a batch, all on the backend: loads @p plan, assembles and
 *  applies every shell, stores Y ([point][rhs][3 nbins]) in @p y. */
zp_status zp_chunk_run(zp_backend *bk, const zp_batch_plan *plan, double *y, zp_error *err);

#endif
