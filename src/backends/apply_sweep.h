/* zprop (internal): apply_structured (backend_cpu_fast.c) for a block of
 * ZP_SWEEP_W right-hand sides, one per lane, written once for every vector
 * width.  Included only by the file of one instruction set, which first
 * defines ZP_SWEEP_NAME, ZP_SWEEP_W, ZP_SWEEP_TARGET (the function
 * attribute that lets the compiler use the set without -m flags for the
 * whole build), the type vec and the helpers vload, vstore, vset1 and vfma.
 * Per lane the arithmetic is apply_structured's, in the same order, except
 * that a product added to a sum is fused (one rounding instead of two):
 * the lanes agree with the scalar sweep to rounding, not bit for bit.
 * The per-bin coefficients, shared by the lanes, are loaded once per block.
 * ZP_SWEEP_SOURCES 0 (before the include) leaves the sources out: the
 * sweep of one spectrum (apply_fma1.c), whose sources the caller adds.
 * No include guard: each including file makes its own instance.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "backends/apply_isa.h"
#include "physics/regen.h"

#ifndef ZP_SWEEP_SOURCES
#define ZP_SWEEP_SOURCES 1
#endif

/* 128 pairs on the stack (24 KB at 8 lanes): a shell has tens of them */
enum { SWEEP_PAIRS_STACK = 128, SWEEP_ALIGN = 64 };

/* The content entering each pair's column (y plus the source's part
 * before T_k), taken before the sweep overwrites y. */
ZP_SWEEP_TARGET static void sweep_entering(const zp_sweep_shared *sh, const zp_sweep_block *bl,
                                           size_t npairs, vec *yin) {
  const size_t nb = sh->nb;
#if ZP_SWEEP_SOURCES
  const vec pre = vload(bl->pre), split = vload(bl->split);
#endif
  for (size_t e = 0; e < npairs; ++e) {
    const size_t bb = nb - 1 - sh->pairs[e].c;
#if ZP_SWEEP_SOURCES
    const vec bp = vload(bl->bp + ZP_SWEEP_W * bb);
    for (size_t i = 0; i < 3; ++i) {
      const double g = sh->g != NULL ? sh->g[3 * bb + i] : 0.5;
      const vec coef = vfma(split, vset1(g), pre) * sh->w[i];
      yin[3 * e + i] = vfma(coef, bp, vload(bl->y + ZP_SWEEP_W * (3 * bb + i)));
    }
#else
    for (size_t i = 0; i < 3; ++i) yin[3 * e + i] = vload(bl->y + ZP_SWEEP_W * (3 * bb + i));
#endif
  }
}

ZP_SWEEP_TARGET void ZP_SWEEP_NAME(const zp_sweep_shared *sh, const zp_sweep_block *bl) {
  const size_t nb = sh->nb, mask = ZP_KERN_REACH - 1;
  const zp_inshell_pair *pairs = sh->pairs;
  size_t npairs = sh->npairs;
  vec stack_in[3 * SWEEP_PAIRS_STACK], *yin = stack_in;
  if (npairs > SWEEP_PAIRS_STACK) {
    /* a multiple of the alignment, as aligned_alloc requires */
    size_t bytes = (3 * npairs * sizeof *yin + SWEEP_ALIGN - 1) / SWEEP_ALIGN * SWEEP_ALIGN;
    if ((yin = aligned_alloc(SWEEP_ALIGN, bytes)) == NULL) {
      yin = stack_in;
      npairs = SWEEP_PAIRS_STACK; /* as apply_structured does */
    }
  }
  sweep_entering(sh, bl, npairs, yin);
  /* Only ring slots read before their first write need clearing: those of
   * bins 0 .. min(nb, reach) - 1; every slot is cleared again once read. */
  vec moved[ZP_KERN_REACH];
  for (size_t b = 0; b < nb && b < ZP_KERN_REACH; ++b) moved[b] = vset1(0.0);
  const double *restrict surv = sh->surv, *restrict kern = sh->kern;
#if ZP_SWEEP_SOURCES
  const vec pre = vload(bl->pre), split = vload(bl->split);
  const double *restrict g = sh->g, *restrict bpw = bl->bp;
  const double w0 = sh->w[0], w1 = sh->w[1], w2 = sh->w[2];
#endif
  double *restrict y = bl->y;
  const double fp0 = sh->f * sh->pb[0], fp1 = sh->f * sh->pb[1], fp2 = sh->f * sh->pb[2];
  vec a0 = vset1(0.0), a1 = a0, a2 = a0, xm1 = a0;
  size_t next = 0;
  for (size_t bb = 0; bb < nb; ++bb) {
    const double *s = surv + 3 * bb, *k = kern + bb * ZP_KERN_STRIDE;
    double *yb = y + 3 * ZP_SWEEP_W * bb;
#if ZP_SWEEP_SOURCES
    double g0 = 0.5, g1 = 0.5, g2 = 0.5;
    if (g != NULL) g0 = g[3 * bb], g1 = g[3 * bb + 1], g2 = g[3 * bb + 2];
    const vec bpb = vload(bpw + ZP_SWEEP_W * bb);
    const vec v0 = bpb * w0, v1 = bpb * w1, v2 = bpb * w2;
    const vec y0 = vfma(vfma(split, vset1(g0), pre), v0, vload(yb));
    const vec y1 = vfma(vfma(split, vset1(g1), pre), v1, vload(yb + ZP_SWEEP_W));
    const vec y2 = vfma(vfma(split, vset1(g2), pre), v2, vload(yb + 2 * ZP_SWEEP_W));
#else
    const vec y0 = vload(yb), y1 = vload(yb + ZP_SWEEP_W), y2 = vload(yb + 2 * ZP_SWEEP_W);
#endif
    vec r0 = vset1(0.0), r1 = r0, r2 = r0;
    for (; next < npairs && pairs[next].q == nb - 1 - bb; ++next) {
      const double *v = pairs[next].v;
      const vec *in = yin + 3 * next;
      r0 += vfma(vset1(v[2]), in[2], vfma(vset1(v[1]), in[1], in[0] * v[0]));
      r1 += vfma(vset1(v[5]), in[2], vfma(vset1(v[4]), in[1], in[0] * v[3]));
      r2 += vfma(vset1(v[8]), in[2], vfma(vset1(v[7]), in[1], in[0] * v[6]));
    }
    /* removed daughters scatter: they join this bin's parents */
    const vec x = vfma(vset1(1.0 - s[2]), y2, vfma(vset1(1.0 - s[1]), y1, y0 * (1.0 - s[0]))) + r0 +
                  r1 + r2;
    const vec mv = x * k[ZP_KERN_MOVE];
    moved[(bb + (size_t)(long)k[ZP_KERN_FROM]) & mask] -= mv;
    moved[(bb + (size_t)(long)k[ZP_KERN_TO]) & mask] += mv;
    vec z = vfma(vset1(k[ZP_KERN_SELF]), x, moved[bb & mask]);
    moved[bb & mask] = vset1(0.0);
    if (bb > 0) {
      /* a_m = sum over blocks above of x B_m e^{-m G}: one block further */
      const double *kp = k - ZP_KERN_STRIDE;
      a0 = vfma(vset1(kp[ZP_KERN_E1]), a0, xm1 * kp[ZP_KERN_B1]);
      a1 = vfma(vset1(kp[ZP_KERN_E1 + 1]), a1, xm1 * kp[ZP_KERN_B1 + 1]);
      a2 = vfma(vset1(kp[ZP_KERN_E1 + 2]), a2, xm1 * kp[ZP_KERN_B1 + 2]);
      z += vfma(vset1(k[ZP_KERN_A1 + 2]), a2,
                vfma(vset1(k[ZP_KERN_A1 + 1]), a1, a0 * k[ZP_KERN_A1]));
    }
#if ZP_SWEEP_SOURCES
    vstore(yb, vfma(split * (1.0 - g0), v0, vfma(vset1(s[0]), y0, z * fp0) - r0));
    vstore(yb + ZP_SWEEP_W, vfma(split * (1.0 - g1), v1, vfma(vset1(s[1]), y1, z * fp1) - r1));
    vstore(yb + 2 * ZP_SWEEP_W, vfma(split * (1.0 - g2), v2, vfma(vset1(s[2]), y2, z * fp2) - r2));
#else
    vstore(yb, vfma(vset1(s[0]), y0, z * fp0) - r0);
    vstore(yb + ZP_SWEEP_W, vfma(vset1(s[1]), y1, z * fp1) - r1);
    vstore(yb + 2 * ZP_SWEEP_W, vfma(vset1(s[2]), y2, z * fp2) - r2);
#endif
    xm1 = x;
  }
  if (yin != stack_in) free(yin);
}
