/* zprop (internal): which compiled variant of the vector-lane kernels
 * (lorentz_batch.c, survival_batch.c) this CPU runs.  Each kernel is
 * compiled for baseline x86-64, AVX2 with FMA and AVX-512F; the widest the
 * CPU (and OS) runs is chosen once, so one binary runs on any x86-64.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_VECTOR_ISA_H
#define ZP_VECTOR_ISA_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ZP_VECTOR_MATH 1
#endif

/** The variants: 0 baseline (any CPU), 1 AVX2 + FMA, 2 AVX-512F. */
enum { ZP_VECTOR_NISA = 3 };

/** 1 when this CPU (and OS: the wide registers saved on context
 *  switches) runs instruction set @p v, whatever was compiled: the
 *  structured sweep's intrinsics (backends/apply_dispatch.c) ask this. */
int zp_cpu_runs_isa(int v);

/** 1 when this build has variant @p v and this CPU runs it. */
int zp_vector_isa_runs(int v);

/** The widest variant that runs (asked once). */
int zp_vector_isa_best(void);

#endif
