/* zprop: daughters that scatter again in the shell they are born in.
 *
 * A parent in bin c scatters on narrow line j when u_c + v = ln E_res,j; a
 * daughter at u_q < u_c crosses line j' in the same shell if q lies in j''s
 * window there and u_c - u_q < ln E_res,j - ln E_res,j' (its crossing comes
 * after its birth).  Same-line daughters never do.  The transport bins are
 * cut at every window edge, so a bin is in a window or not; for a pair of
 * bins the share of (u_c, u_q) that meets the condition is an area.  The
 * pairs found here enter T_k as (K - 1) R (backends/shell.h); only bins in
 * windows take part, a few per shell.  SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "physics/physics.h"
#include "transport/inshell.h"

/* (x > 0 ? x^2 / 2 : 0) */
static double ramp2(double x) { return x > 0.0 ? 0.5 * x * x : 0.0; }

/* Share of (u_c, u_q) flat over bins c >= q with 0 < u_c - u_q < d. */
static double pair_share(const zp_egrid *eg, size_t q, size_t c, double d) {
  double wq = eg->lnedge[q + 1] - eg->lnedge[q], wc = eg->lnedge[c + 1] - eg->lnedge[c];
  if (q == c) return d >= wq ? 1.0 : 1.0 - (wq - d) * (wq - d) / (wq * wq);
  double x = d - (eg->lnedge[c] - eg->lnedge[q + 1]); /* a + b < x over [0,wc] x [0,wq] */
  double area = ramp2(x) - ramp2(x - wc) - ramp2(x - wq) + ramp2(x - wc - wq);
  return fmin(1.0, area / (wc * wq));
}

/* Who scattered, of what entered (c, ic) with survival s: line j in
 * order of its crossing cross[j] (NAN: not a narrow crossing in this
 * shell), each taking its share of what the earlier ones left; the depth
 * the windows' lines do not explain (thermal, tails) acts at vmid. */
static void line_shares(const zp_point_physics *pt, double s, const double *tau, int ic,
                        const double *cross, double vmid, double born[3]) {
  double t[4], at[4], known = 0.0;
  for (int j = 0; j < 3; ++j) {
    born[j] = 0.0;
    t[j] = isfinite(cross[j]) ? pt->mix.q2[ic][j] * tau[j] : 0.0;
    at[j] = isfinite(cross[j]) ? cross[j] : vmid;
    known += t[j];
  }
  t[3] = s > 0.0 && -log(s) > known ? -log(s) - known : 0.0;
  at[3] = vmid;
  int o[4] = {0, 1, 2, 3};
  for (int a = 0; a < 4; ++a) /* earliest (highest v) first */
    for (int b = a + 1; b < 4; ++b)
      if (at[o[b]] > at[o[a]]) {
        int x = o[a];
        o[a] = o[b];
        o[b] = x;
      }
  double left = 1.0;
  for (int a = 0; a < 4; ++a) {
    double took = left * -expm1(-t[o[a]]);
    if (o[a] < 3) born[o[a]] = took;
    left -= took;
  }
}

/* Bins whose middle puts line j's crossing inside (v0, v1): [lo, hi). */
static void window(const zp_egrid *eg, double line, double v0, double v1, size_t *lo, size_t *hi) {
  /* first bin whose middle is above line - v1 (middles increase with b) */
  size_t a = 0, z = eg->nbins;
  while (a < z) {
    size_t m = a + (z - a) / 2;
    if (line - 0.5 * (eg->lnedge[m] + eg->lnedge[m + 1]) < v1) z = m;
    else a = m + 1;
  }
  *lo = *hi = a;
  while (*hi < eg->nbins && line - 0.5 * (eg->lnedge[*hi] + eg->lnedge[*hi + 1]) > v0) ++*hi;
  if (*lo < *hi && !(line - 0.5 * (eg->lnedge[*lo] + eg->lnedge[*lo + 1]) > v0)) *lo = *hi = 0;
}

void zp_pair_list_free(zp_pair_list *l) {
  free(l->pair);
  *l = (zp_pair_list){0};
}

static zp_inshell_pair *pair_push(zp_pair_list *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 32;
    zp_inshell_pair *np = realloc(l->pair, cap * sizeof *np);
    if (np == NULL) return NULL;
    l->pair = np;
    l->cap = cap;
  }
  return &l->pair[l->n++];
}

zp_status zp_inshell_pairs(const zp_grid *g, const zp_point_physics *pt, size_t k,
                           const double *survival, const double *tau_lines, zp_pair_list *out,
                           zp_error *err) {
  out->n = 0;
  if (!pt->interacting || !(pt->regen_fraction > 0.0)) return ZP_OK;
  const zp_egrid *eg = &g->eg;
  const size_t nb = eg->nbins;
  const double v0 = g->zg.v[k], v1 = g->zg.v[k + 1];
  double lines[3];
  size_t lo[3], hi[3];
  zp_point_lines(pt, lines);
  int any = 0;
  for (int j = 0; j < 3; ++j) {
    lo[j] = hi[j] = 0;
    /* a thermal line is smeared by ~3T/m about its rest position: its
     * daughters are taken as born where the line at rest is crossed */
    if (isfinite(lines[j])) window(eg, lines[j], v0, v1, &lo[j], &hi[j]);
    any |= hi[j] > lo[j];
  }
  if (!any) return ZP_OK;
  size_t blo = nb, bhi = 0;
  for (int j = 0; j < 3; ++j)
    if (hi[j] > lo[j]) blo = lo[j] < blo ? lo[j] : blo, bhi = hi[j] > bhi ? hi[j] : bhi;
  /* per-line depths (per unit of k_attn) of the bins in any window */
  double(*tau)[3] = malloc((bhi - blo) * sizeof *tau);
  double(*cross)[3] = malloc((bhi - blo) * sizeof *cross);
  if (tau == NULL || cross == NULL) {
    free(tau);
    free(cross);
    return zp_error_set(err, ZP_ENOMEM, "in-shell depths");
  }
  for (size_t b = blo; b < bhi; ++b)
    for (int j = 0; j < 3; ++j)
      cross[b - blo][j] = b >= lo[j] && b < hi[j]
                              ? lines[j] - 0.5 * (eg->lnedge[b] + eg->lnedge[b + 1])
                              : NAN;
  for (size_t b = blo; b < bhi; ++b)
    for (int j = 0; j < 3; ++j) tau[b - blo][j] = pt->k_attn * tau_lines[3 * b + (size_t)j];
  const double f = pt->regen_fraction;
  zp_status st = ZP_OK;
  /* the bins in some window, ascending: only they take part, and the span
   * between the windows may be long */
  size_t *in = malloc((bhi - blo) * sizeof *in), nin = 0;
  if (in == NULL) st = zp_error_set(err, ZP_ENOMEM, "in-shell bins");
  for (size_t b = blo; in != NULL && b < bhi; ++b)
    for (int l = 0; l < 3; ++l)
      if (b >= lo[l] && b < hi[l]) {
        in[nin++] = b;
        break;
      }
  /* Per bin of the windows, once rather than per pair: the shares of the
   * parents of each state that each line took (line_shares, which depends
   * on the parent's bin only), and the share of a daughter of each state
   * that each line removes when it is crossed whole. */
  double(*born)[3][3] = st == ZP_OK ? malloc(nin * sizeof *born) : NULL;
  double(*lost)[3][3] = st == ZP_OK ? malloc(nin * sizeof *lost) : NULL;
  if (st == ZP_OK && (born == NULL || lost == NULL))
    st = zp_error_set(err, ZP_ENOMEM, "in-shell shares");
  for (size_t ib = 0; st == ZP_OK && ib < nin; ++ib) {
    const size_t b = in[ib];
    for (int i = 0; i < 3; ++i) {
      line_shares(pt, survival[zp_state_index(nb, b, i)], tau[b - blo], i, cross[b - blo],
                  0.5 * (v0 + v1), born[ib][i]);
      for (int jp = 0; jp < 3; ++jp)
        lost[ib][i][jp] = -expm1(-pt->mix.q2[i][jp] * tau[b - blo][jp]);
    }
  }
  for (size_t iqb = nin; iqb-- > 0 && st == ZP_OK;) {
    const size_t q = in[iqb];
    for (size_t icb = iqb; icb < nin && st == ZP_OK; ++icb) {
      const size_t c = in[icb];
      double v[9] = {0}, rem[3][3] = {{0}}; /* rem[j][iq]: share of line j's daughters removed */
      int hit = 0;
      for (int j = 0; j < 3; ++j) {
        if (!(c >= lo[j] && c < hi[j])) continue;
        for (int iq = 0; iq < 3; ++iq) {
          double keep = 1.0;
          for (int jp = 0; jp < 3; ++jp) {
            double d = lines[j] - lines[jp];
            if (!(d > 0.0) || !(q >= lo[jp] && q < hi[jp])) continue;
            double share = pair_share(eg, q, c, d);
            keep *= 1.0 - share * lost[iqb][iq][jp];
          }
          rem[j][iq] = 1.0 - keep;
          hit |= rem[j][iq] > 0.0;
        }
      }
      if (!hit) continue;
      double dqc = zp_kernel_entry(g->kern.packed, nb - 1 - q, nb - 1 - c);
      for (int ic = 0; ic < 3; ++ic) {
        const double *bc = born[icb][ic];
        for (int j = 0; j < 3; ++j) {
          if (!(c >= lo[j] && c < hi[j]) || !(bc[j] > 0.0)) continue;
          for (int iq = 0; iq < 3; ++iq)
            v[3 * iq + ic] += f * pt->mix.p_branch[iq] * dqc * bc[j] * rem[j][iq];
        }
      }
      zp_inshell_pair *pr = pair_push(out);
      if (pr == NULL) {
        st = zp_error_set(err, ZP_ENOMEM, "in-shell pairs");
        break;
      }
      pr->q = q;
      pr->c = c;
      for (int e = 0; e < 9; ++e) pr->v[e] = v[e];
    }
  }
  free(born);
  free(lost);
  free(in);
  free(tau);
  free(cross);
  return st;
}
