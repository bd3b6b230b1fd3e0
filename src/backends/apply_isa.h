/* zprop (internal): the instruction sets of the structured CPU backend's
 * batch sweep (backend_cpu_fast.c).  All right-hand sides of one point
 * share its survivals, kernel and pairs, so a block of W of them is swept
 * at once, one per vector lane: W = 4 with AVX2 and FMA (apply_avx2.c),
 * 8 with AVX-512F (apply_avx512.c); the scalar sweep takes the rest and
 * every CPU.  The choice is made at run time (apply_dispatch.c), so one
 * x86-64 binary runs anywhere; elsewhere only the scalar sweep exists.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_APPLY_ISA_H
#define ZP_APPLY_ISA_H

#include <stddef.h>

#include "backends/backend.h"
#include "backends/shell.h"

typedef enum { ZP_APPLY_SCALAR, ZP_APPLY_AVX2, ZP_APPLY_AVX512, ZP_APPLY_NISA } zp_apply_isa;

/** "scalar", "avx2" or "avx512". */
const char *zp_apply_isa_name(zp_apply_isa isa);
/** Right-hand sides per block: 1, 4 or 8. */
size_t zp_apply_isa_width(zp_apply_isa isa);
/** 1 when this build has @p isa's sweep and this CPU (and OS) runs it. */
int zp_apply_isa_supported(zp_apply_isa isa);
/** The widest supported set. */
zp_apply_isa zp_apply_isa_best(void);
/** What a cpu_fast batch_load takes from now on: the widest supported set
 *  unless zp_apply_isa_force chose another. */
zp_apply_isa zp_apply_isa_active(void);
/** For tests and benchmarks: later batch loads sweep with @p isa
 *  (zp_apply_isa_best() restores the default).  ZP_EBACKEND when this build
 *  or CPU lacks it; the choice is then unchanged. */
zp_status zp_apply_isa_force(zp_apply_isa isa, zp_error *err);
/** The set the chunk loaded into cpu_fast backend @p bk is swept with. */
zp_apply_isa zp_backend_cpu_fast_isa(const zp_backend *bk);

/* One shell of one point: what every right-hand side of the point shares. */
typedef struct {
  size_t nb;                    /* energy bins */
  const double *surv;           /* [3 nb], state order */
  double f;                     /* regeneration fraction */
  const double *pb;             /* [3] branching */
  const double *kern;           /* packed [nb][ZP_KERN_STRIDE] */
  const zp_inshell_pair *pairs; /* sorted by q from the top */
  size_t npairs;
  const double *g; /* [3 nb] inject shares, state order, or NULL (0.5) */
  const double *w; /* [3] mass-state weights */
} zp_sweep_shared;

/* A block of W right-hand sides, lane l being right-hand side l of the
 * block: W contiguous doubles per entry, so that a lane's values load as
 * one vector. */
typedef struct {
  const double *pre, *split; /* [W]: source coefficients times the norms */
  const double *bp;          /* [nb][W], sweep order (bin nb - 1 - bb at row bb) */
  double *y;                 /* [3 nb][W], state order */
} zp_sweep_block;

#if defined(__x86_64__)
/** y <- T (y + before) + after for the block, as apply_structured does per
 *  lane (the sources fused in, no NULL bp). */
void zp_apply_block_avx2(const zp_sweep_shared *sh, const zp_sweep_block *bl);
void zp_apply_block_avx512(const zp_sweep_shared *sh, const zp_sweep_block *bl);
/** y <- T y for one right-hand side (bl->y; no sources, bl's other fields
 *  unused) with fused multiply-adds (apply_fma1.c). */
void zp_apply_single_fma(const zp_sweep_shared *sh, const zp_sweep_block *bl);
#endif

#endif
