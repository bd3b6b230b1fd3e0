/* zprop (internal): the backend interface.  A backend assembles T_k from a
 * zp_shell and applies it to right-hand sides; the CPU backend is the
 * reference, others must agree with it (tests/test_backend_parity.c).
 * The ops table holds what production code runs; what tests and benchmarks
 * read back from a backend is in backend_debug.h.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_BACKEND_H
#define ZP_BACKEND_H

#include <stddef.h>

#include "backends/shell.h"
#include "core/wall_clock.h" /* zp_wall_seconds, for the backends' timers */
#include "zprop/context.h"
#include "zprop/errors.h"

typedef struct zp_backend zp_backend;
typedef struct zp_backend_debug_ops zp_backend_debug_ops;

/** A chunk of a batch as the backends see it: compact quantities only; the
 *  backend builds every T_k and every source vector itself.
 *  Source of right-hand side j at point p, entry r = (b, i):
 *    v[r] = rhs_norm[j] weights[p][i] bin_power[rhs_gamma[j]][b];
 *  with g = inject[p][k][r] (0.5 where inject is NULL), shell k does
 *    Y += (pre[k][j] + split[k][j] g) v,  Y <- T_k Y,  Y += split[k][j] (1 - g) v. */
typedef struct {
  size_t nbins, nshells, nrhs, ngamma, npoints;
  const double *kernel;         /* packed [nbins][ZP_KERN_STRIDE], see zp_shell */
  const double *bin_power;      /* [ngamma][nbins] */
  const int *rhs_gamma;         /* [nrhs] */
  const double *rhs_norm;       /* [nrhs] */
  const double *pre, *split;    /* [nshells][nrhs] */
  const double *survival;       /* [npoints][nshells][3 nbins], state order */
  const double *inject;         /* [npoints][nshells][3 nbins], or NULL */
  const zp_inshell_pair *pairs; /* of (point p, shell k): [pair_offset[p nshells + k], next) */
  const size_t *pair_offset;    /* [npoints nshells + 1]; both NULL: none */
  const double *regen_fraction; /* [npoints] */
  const double *p_branch;       /* [npoints][3] */
  const double *weights;        /* [npoints][3] */
} zp_batch_plan;

/** What a backend does.  Filled with designated initialisers; every entry
 *  is set by every backend. */
typedef struct {
  const char *name;
  void (*destroy)(zp_backend *bk);

  /* Single spectra, shell by shell from the host. */
  /** Builds T_k for @p shell in the backend's own memory. */
  zp_status (*assemble)(zp_backend *bk, const zp_shell *shell, zp_error *err);
  /** y <- T_k y for @p nrhs column vectors of length n stored with leading
   *  dimension @p ldy, in host memory. */
  zp_status (*apply)(zp_backend *bk, double *y, size_t nrhs, size_t ldy, zp_error *err);

  /* Batches: load a chunk (one copy in, Y = 0), then per shell from the top
   * assemble T_k for every point and apply it to every right-hand side,
   * then store Y ([point][rhs][3 nbins], one copy out). */
  /** How many points of @p nrhs right-hand sides and @p nshells shells one
   *  chunk may hold. */
  size_t (*batch_capacity)(zp_backend *bk, size_t nrhs, size_t nshells);
  zp_status (*batch_load)(zp_backend *bk, const zp_batch_plan *plan, zp_error *err);
  zp_status (*batch_assemble)(zp_backend *bk, size_t k, zp_error *err);
  zp_status (*batch_apply)(zp_backend *bk, size_t k, zp_error *err);
  zp_status (*batch_store)(zp_backend *bk, double *y, zp_error *err);
  /** Waits for queued device work (timers must stop after it). */
  zp_status (*sync)(zp_backend *bk, zp_error *err);
} zp_backend_ops;

struct zp_backend {
  const zp_backend_ops *ops;
  const zp_backend_debug_ops *debug; /* for tests and benchmarks only */
  size_t nbins;
  size_t n; /* 3 nbins */
  void *impl;
};

/** The source of right-hand side j of point p in shell k added to y (one
 *  vector of 3 nbins): its part before T_k, or (@p after) the rest. */
void zp_batch_add_source(const zp_batch_plan *pl, size_t p, size_t k, size_t j, int after,
                         double *y);

/** The sync of a host backend: its work is done when a call returns. */
zp_status zp_backend_host_sync(zp_backend *bk, zp_error *err);

/** The size of what a backend will run, for AUTO's choice. */
typedef enum {
  ZP_WORK_SPECTRUM, /* zp_spectrum_compute: shell by shell, T applied from the host */
  ZP_WORK_BATCH,    /* zp_batch_compute: whole chunks on the backend */
  ZP_WORK_SCAN      /* a scan: many chunks on one backend */
} zp_work_shape;

typedef struct {
  zp_work_shape shape;
  size_t npoints, nrhs, nbins, nshells;
} zp_backend_work;

/** 1 when AUTO should take a usable GPU for @p w (the rule is in backend.c). */
int zp_backend_gpu_pays(const zp_backend_work *w);

/** Creates the backend @p kind asks for.  AUTO takes CUDA when the work is
 *  large enough (zp_backend_gpu_pays) and every CUDA set-up step succeeds,
 *  the CPU otherwise, reporting why through @p notice (a string that lives
 *  as long as the process, NULL if nothing to say). */
zp_status zp_backend_create_for(zp_backend_kind kind, const zp_backend_work *w, zp_backend **out,
                                const char **notice, zp_error *err);

/** AUTO's choice (or the kind itself) for @p w, once: *chosen is cpu,
 *  cpu_fast or cuda, *notice why (process-lifetime string, or NULL).
 *  Trying CUDA creates it: then *made is that backend (the caller's), else
 *  NULL.  Fails only for kind = cuda (as zp_backend_create_kind). */
zp_status zp_backend_choose(zp_backend_kind kind, const zp_backend_work *w, zp_backend_kind *chosen,
                            const char **notice, zp_backend **made, zp_error *err);

/** A scan's backend for @p nbins bins, chosen and created in one step
 *  (as zp_backend_resolve chooses: AUTO takes a usable GPU whatever the
 *  size): *chosen is its kind, *notice why AUTO chose it (process-lifetime
 *  string, or NULL), *out the caller's.  Fails for kind = cuda with
 *  zp_backend_resolve's message. */
zp_status zp_backend_create_scan(zp_backend_kind kind, size_t nbins, zp_backend_kind *chosen,
                                 const char **notice, zp_backend **out, zp_error *err);

/** Creates a backend of the concrete @p kind (cpu, cpu_fast or cuda; no
 *  choice, no fallback). */
zp_status zp_backend_create_kind(zp_backend_kind kind, size_t nbins, zp_backend **out,
                                 zp_error *err);

/** zp_backend_create_for a single spectrum of @p nbins bins. */
zp_status zp_backend_create(zp_backend_kind kind, size_t nbins, zp_backend **out,
                            const char **notice, zp_error *err);

/** Backends zp_backend_create_for has made in this process (a counter for
 *  tests: a scan must make one, whatever its number of chunks). */
unsigned long zp_backend_creations(void);

void zp_backend_destroy(zp_backend *bk);

zp_status zp_backend_cpu_create(size_t nbins, zp_backend **out, zp_error *err);
zp_status zp_backend_cpu_fast_create(size_t nbins, zp_backend **out, zp_error *err);

#endif
