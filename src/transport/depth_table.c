/* zprop: optical depths factorised in g (depth_table.h).
 *
 * A thermal cell's quadrature has up to ZP_THERMAL_MAX_NODES momentum nodes
 * of up to three Lorentzian pieces each.  At width a a node sees the line
 * (angle average) when its span comes within 100 a of M^2, else it takes
 * the midpoint rule; a piece at least R a from M^2 is its series.  Both
 * tests are thresholds in a, so pieces are sorted by their distance d and
 * nodes by theirs, e, with suffix sums of the series: at width a the cell
 * sums the exact pieces with d < R a, one suffix of piece series, and one
 * suffix of node corrections (midpoint minus the node's pieces).  What is
 * beyond the thresholds at a_hi is summed once into the cell's fixed series.
 * SPDX-License-Identifier: MIT */
#include "transport/depth_table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "physics/lorentz_series.h"
#include "core/store.h"

enum { SEG_W = 6 + ZP_LSERIES, NODE_W = 1 + ZP_LSERIES };

typedef struct {
  double span[2];      /* zp_thermal_reach_span of a thermal cell */
  uint32_t rest_first; /* into the shell's rest pieces */
  uint8_t rest_n, thermal;
  uint32_t th; /* thermal record + 1, 0 for none */
} cell;

typedef struct {
  double bound, sa, sb;
  double a2flat; /* far: at a^2 up to this, S0 - a^2 S1 is the sum to 1e-16 */
  /* into the shell's values: near c0 c1 c2; far S0 S1, then c[n] y2[n]
   * (and a strip's ds[n]) unless flat */
  uint32_t first;
  uint8_t n, kind, flat;
} rest_piece;

typedef struct {
  double fixed[ZP_LSERIES];
  uint32_t seg_first, nseg;   /* seg rows: d kind v[4], suffix series */
  uint32_t node_first, nnode; /* node rows: e, suffix series */
  uint32_t mid_first, nmid;   /* (c, y2) midpoints of momentum-0 nodes */
} thermal_rec;

typedef struct {
  cell *cells; /* [nb][3] */
  zp_store rest, values, th, seg, node, mid;
  zp_store seg_key, node_key; /* the rows' first entries, for the searches */
} shell_tab;

struct zp_depth_table {
  size_t nb, ns;
  double m2, masses[3], a_lo, a_hi;
  double *lnedge, *v;
  zp_thermal_mode thermal;
  double kappa;
  zp_thermal_rule rule;
  shell_tab *shell;
};

static int by_first_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Sorts n >= 2 rows of width w by their first entry and turns the series
 * that follows at offset off into suffix sums. */
static void sort_suffix(double *rows, size_t n, size_t w, size_t off) {
  qsort(rows, n, w * sizeof(double), by_first_double);
  for (size_t i = n; i-- > 1;)
    for (size_t c = 0; c < ZP_LSERIES; ++c) rows[(i - 1) * w + off + c] += rows[i * w + off + c];
}

/* A far piece's sum c/(y2 + a^2) is S0 - a^2 S1 + O(a^4 S2), S0 = sum c/y2,
 * S1 = sum c/y2^2; a strip's terms carry atan(z)/z = 1 - z^2/3 + ...,
 * z^2 = a^2 ds^2 / y2^2 to this order, which adds c ds^2 / (3 y2^3) to S1.
 * With a^2 (1 + ds^2/y2) <= 1e-8 y2 at every term the term left out is
 * below 1e-16 of the sum.  Where that holds up to the table's a_hi the piece
 * is flat and keeps only S0 S1; otherwise its terms too, for the widths
 * above. */
static int add_rest(shell_tab *st, cell *c, const zp_rest_piece *pc, int n, double a_hi) {
  c->rest_first = (uint32_t)st->rest.n;
  c->rest_n = (uint8_t)n;
  for (int i = 0; i < n; ++i) {
    const int near = pc[i].kind == ZP_PIECE_NEAR, strip = pc[i].kind == ZP_PIECE_STRIP;
    double a2flat = near ? 0.0 : INFINITY;
    for (int j = 0; !near && j < pc[i].n; ++j)
      a2flat = fmin(a2flat, 1e-8 * pc[i].y2[j] /
                                (1.0 + (strip ? pc[i].ds[j] * pc[i].ds[j] / pc[i].y2[j] : 0.0)));
    int flat = !near && a_hi * a_hi <= a2flat;
    size_t nv = near ? 3 : (flat ? 2 : 2 + (strip ? 3 : 2) * (size_t)pc[i].n);
    rest_piece *r = zp_store_push(&st->rest, 1);
    double *v = zp_store_push(&st->values, nv);
    if (r == NULL || v == NULL) return -1;
    *r = (rest_piece){.bound = pc[i].bound,
                      .sa = pc[i].sa,
                      .sb = pc[i].sb,
                      .a2flat = a2flat,
                      .first = (uint32_t)(v - (double *)st->values.data),
                      .n = (uint8_t)pc[i].n,
                      .kind = (uint8_t)pc[i].kind,
                      .flat = (uint8_t)flat};
    if (near) { /* c0 c1 c2 (zp_rest_terms_depth) */
      memcpy(v, pc[i].c, 3 * sizeof *v);
      continue;
    }
    v[0] = v[1] = 0.0;
    for (int j = 0; j < pc[i].n; ++j) {
      double y2 = pc[i].y2[j], q = pc[i].c[j] / y2;
      v[0] += q;
      v[1] += q / y2 * (strip ? 1.0 + pc[i].ds[j] * pc[i].ds[j] / (3.0 * y2) : 1.0);
    }
    if (flat) continue;
    size_t np = (size_t)pc[i].n; /* c[0..n), y2[0..n), then a strip's ds[0..n) */
    memcpy(v + 2, pc[i].c, np * sizeof *v);
    memcpy(v + 2 + np, pc[i].y2, np * sizeof *v);
    if (strip) memcpy(v + 2 + 2 * np, pc[i].ds, np * sizeof *v);
  }
  return 0;
}

static void series_add(double *to, const double *k) {
  for (int c = 0; c < ZP_LSERIES; ++c) to[c] += k[c];
}

/* One part of a node's angle average (a Lorentzian piece, kind 0: sa sb cA
 * cL, or a Gauss term, kind 1: c y^2 0 0) at distance d from the line: its
 * series into the fixed one, or a row of its own. */
static int add_part(shell_tab *st, thermal_rec *tr, const zp_depth_table *t, double d, double kind,
                    const double v[4], const double k[ZP_LSERIES], double *pieces) {
  if (pieces != NULL) series_add(pieces, k);
  if (d >= ZP_LSERIES_RADIUS * t->a_hi) {
    series_add(tr->fixed, k);
    return 0;
  }
  double *row = zp_store_push(&st->seg, SEG_W);
  if (row == NULL) return -1;
  row[0] = d;
  row[1] = kind;
  memcpy(row + 2, v, 4 * sizeof *v);
  memcpy(row + 6, k, ZP_LSERIES * sizeof *k);
  tr->nseg++;
  return 0;
}

/* The pieces of a thermal cell's nodes that need the line, gathered so that
 * their series are computed together (zp_lorentz_piece_series_n): the
 * series of pieces far from the line for their width come from 4 Gauss
 * terms instead, computed as they are added. */
enum {
  CELL_PIECES = 3 * ZP_THERMAL_MAX_NODES,
  CELL_BLOCKS = (CELL_PIECES + ZP_LSERIES_BATCH - 1) / ZP_LSERIES_BATCH
};
typedef struct {
  const zp_thermal_node *node[ZP_THERMAL_MAX_NODES];
  int first[ZP_THERMAL_MAX_NODES + 1]; /* node i's pieces: [first[i], first[i + 1]) */
  double e[ZP_THERMAL_MAX_NODES];      /* its span's distance to the line */
  size_t nnode, npc, nk;
  zp_lorentz_piece pc[CELL_PIECES];
  int kidx[CELL_PIECES]; /* into the batch, -1 for a Gauss piece */
  double sa[CELL_PIECES], sb[CELL_PIECES], ca[CELL_PIECES], cl[CELL_PIECES];
  double k[CELL_BLOCKS][ZP_LSERIES][ZP_LSERIES_BATCH]; /* piece x: block x / B, column x % B */
} cell_pieces;

/* How far the node's span [smin, smax] stays from the line (0: across it). */
static double node_distance(const zp_thermal_node *nd, double m2) {
  return nd->smin > m2 ? nd->smin - m2 : (nd->smax < m2 ? m2 - nd->smax : 0.0);
}

/* A node at distance e sees the line at every width of the table when
 * e < 100 a_lo: it needs neither its midpoint nor the sum of its pieces,
 * else its row of (midpoint - pieces) is kept. */
static int node_stored(const zp_depth_table *t, double e) { return e >= 100.0 * t->a_lo; }

/* One node of a thermal cell: the midpoint rule or its tail series now, or
 * its pieces into @p cp for later. */
static int gather_node(shell_tab *st, thermal_rec *tr, const zp_depth_table *t, double m,
                       const zp_thermal_node *nd, cell_pieces *cp) {
  const double m2 = t->m2;
  double ym = zp_thermal_node_tail_s(nd) - m2, mid[ZP_LSERIES];
  if (!(nd->p > 0.0)) { /* always the midpoint rule, near the line or not */
    double *v = zp_store_push(&st->mid, 2);
    if (v == NULL) return -1;
    v[0] = nd->w * nd->tail;
    v[1] = ym * ym;
    tr->nmid++;
    return 0;
  }
  double e = node_distance(nd, m2);
  if (e >= 100.0 * t->a_hi) { /* tail only at every width of the table */
    zp_lorentz_point_series(nd->w * nd->tail, ym, mid);
    series_add(tr->fixed, mid);
    return 0;
  }
  size_t i = cp->nnode++;
  cp->node[i] = nd;
  cp->e[i] = e;
  int np = zp_thermal_node_pieces(m, nd, cp->pc + cp->npc);
  for (int q = 0; q < np; ++q) {
    const zp_lorentz_piece *pc = &cp->pc[cp->npc + (size_t)q];
    int *kx = &cp->kidx[cp->npc + (size_t)q];
    *kx = -1;
    if (zp_lorentz_piece_far(m2, pc)) continue;
    *kx = (int)cp->nk;
    cp->sa[cp->nk] = pc->sa;
    cp->sb[cp->nk] = pc->sb;
    cp->ca[cp->nk] = nd->w * (pc->c0 * m2 + pc->c1);
    cp->cl[cp->nk++] = nd->w * pc->c0;
  }
  cp->npc += (size_t)np;
  cp->first[i + 1] = (int)cp->npc;
  return 0;
}

/* The gathered nodes' pieces, in their order, then each stored node's row. */
static int add_pieces(shell_tab *st, thermal_rec *tr, const zp_depth_table *t,
                      const cell_pieces *cp) {
  const double m2 = t->m2;
  for (size_t i = 0; i < cp->nnode; ++i) {
    const zp_thermal_node *nd = cp->node[i];
    const int stored = node_stored(t, cp->e[i]);
    double pieces_sum[ZP_LSERIES] = {0}, *pieces = stored ? pieces_sum : NULL;
    for (int q = cp->first[i]; q < cp->first[i + 1]; ++q) {
      const zp_lorentz_piece *pc = &cp->pc[q];
      double k[ZP_LSERIES];
      if (cp->kidx[q] < 0) {
        double c[4], y[4];
        zp_lorentz_piece_nodes(m2, pc, c, y);
        for (int g = 0; g < 4; ++g) {
          zp_lorentz_point_series(nd->w * c[g], y[g], k);
          double row[4] = {nd->w * c[g], y[g] * y[g], 0.0, 0.0};
          if (add_part(st, tr, t, fabs(y[g]), 1.0, row, k, pieces) != 0) return -1;
        }
        continue;
      }
      const size_t x = (size_t)cp->kidx[q];
      for (int c = 0; c < ZP_LSERIES; ++c)
        k[c] = cp->k[x / ZP_LSERIES_BATCH][c][x % ZP_LSERIES_BATCH];
      double row[4] = {pc->sa, pc->sb, cp->ca[x], cp->cl[x]};
      double d = fmin(fabs(pc->sa - m2), fabs(pc->sb - m2));
      if (add_part(st, tr, t, d, 0.0, row, k, pieces) != 0) return -1;
    }
    if (!stored) continue;
    double mid[ZP_LSERIES];
    zp_lorentz_point_series(nd->w * nd->tail, zp_thermal_node_tail_s(nd) - m2, mid);
    double *r = zp_store_push(&st->node, NODE_W);
    if (r == NULL) return -1;
    r[0] = cp->e[i];
    for (int c = 0; c < ZP_LSERIES; ++c) r[1 + c] = mid[c] - pieces[c];
    tr->nnode++;
  }
  return 0;
}

/* A binary search over rows of 104 bytes misses the cache at every step;
 * over their keys alone it stays in a few lines. */
static int copy_keys(zp_store *keys, const zp_store *rows, size_t first, size_t n, size_t w) {
  if (n == 0) return 0;
  double *k = zp_store_push(keys, n);
  if (k == NULL) return -1;
  const double *r = (const double *)rows->data + first * w;
  for (size_t i = 0; i < n; ++i) k[i] = r[i * w];
  return 0;
}

static int add_thermal(shell_tab *st, cell *c, const zp_depth_table *t, double m, double u0,
                       double h, double v0, double v1, cell_pieces *cp) {
  zp_thermal_node nodes[ZP_THERMAL_MAX_NODES];
  size_t nn = zp_thermal_nodes(&t->rule, t->m2, m, u0, h, v0, v1, nodes);
  thermal_rec *tr = zp_store_push(&st->th, 1);
  if (tr == NULL) return -1;
  memset(tr, 0, sizeof *tr);
  tr->seg_first = (uint32_t)(st->seg.n / SEG_W);
  tr->node_first = (uint32_t)(st->node.n / NODE_W);
  tr->mid_first = (uint32_t)(st->mid.n / 2);
  cp->nnode = cp->npc = cp->nk = 0;
  cp->first[0] = 0;
  for (size_t i = 0; i < nn; ++i)
    if (gather_node(st, tr, t, m, &nodes[i], cp) != 0) return -1;
  for (size_t b = 0; b * ZP_LSERIES_BATCH < cp->nk; ++b) {
    size_t at = b * ZP_LSERIES_BATCH, n = cp->nk - at;
    zp_lorentz_piece_series_n(t->m2, n < ZP_LSERIES_BATCH ? n : ZP_LSERIES_BATCH, cp->sa + at,
                              cp->sb + at, cp->ca + at, cp->cl + at, cp->k[b]);
  }
  if (add_pieces(st, tr, t, cp) != 0) return -1;
  if (tr->nseg > 1)
    sort_suffix((double *)st->seg.data + (size_t)tr->seg_first * SEG_W, tr->nseg, SEG_W, 6);
  if (tr->nnode > 1)
    sort_suffix((double *)st->node.data + (size_t)tr->node_first * NODE_W, tr->nnode, NODE_W, 1);
  if (copy_keys(&st->seg_key, &st->seg, tr->seg_first, tr->nseg, SEG_W) != 0 ||
      copy_keys(&st->node_key, &st->node, tr->node_first, tr->nnode, NODE_W) != 0)
    return -1;
  c->th = (uint32_t)st->th.n;
  return 0;
}

static int build_shell(const zp_depth_table *t, const zp_grid *g, const zp_point_physics *pt,
                       size_t k, shell_tab *st) {
  const size_t nb = t->nb;
  const double v0 = g->zg.v[k], v1 = g->zg.v[k + 1];
  if (st->cells == NULL) {
    zp_store_init(&st->rest, sizeof(rest_piece));
    zp_store_init(&st->values, sizeof(double));
    zp_store_init(&st->th, sizeof(thermal_rec));
    zp_store_init(&st->seg, sizeof(double));
    zp_store_init(&st->node, sizeof(double));
    zp_store_init(&st->mid, sizeof(double));
    zp_store_init(&st->seg_key, sizeof(double));
    zp_store_init(&st->node_key, sizeof(double));
    st->cells = malloc(3 * nb * sizeof *st->cells);
    if (st->cells == NULL) return -1;
  } else { /* a table rebuilt for another line: its memory, already mapped */
    zp_store *all[] = {&st->rest, &st->values, &st->th,      &st->seg,
                       &st->node, &st->mid,    &st->seg_key, &st->node_key};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) zp_store_clear(all[i]);
  }
  memset(st->cells, 0, 3 * nb * sizeof *st->cells);
  cell_pieces *cp = malloc(sizeof *cp);
  if (cp == NULL) return -1;
  zp_shell_weight sw;
  zp_shell_weight_init(&sw, v0, v1);
  zp_resonance lo = {t->m2, t->a_lo}, hi = {t->m2, t->a_hi};
  for (size_t b = 0; b < nb; ++b) {
    double u0 = g->eg.lnedge[b], h = g->eg.lnedge[b + 1] - u0, rest[3];
    int therm[3];
    for (int j = 0; j < 3; ++j) {
      cell *c = &st->cells[3 * b + (size_t)j];
      double m = t->masses[j] * ZP_EV_GEV;
      rest[j] = m;
      therm[j] = 0;
      c->thermal = (uint8_t)zp_thermal_target(g, pt, j, k);
      if (c->thermal) {
        /* the at-rest depth serves the widths that do not reach the line */
        zp_thermal_reach_span(&g->rule, m, u0, h, v0, v1, c->span);
        therm[j] = zp_thermal_span_reaches(hi, c->span);
        if (zp_thermal_span_reaches(lo, c->span)) rest[j] = 0.0;
      }
    }
    zp_rest_piece pc[3][3];
    int npc[3];
    zp_rest_pieces3(t->m2, rest, &g->eg.rest[b], &sw, 0.0, pc, npc);
    for (int j = 0; j < 3; ++j) {
      cell *c = &st->cells[3 * b + (size_t)j];
      if (add_rest(st, c, pc[j], npc[j], t->a_hi) != 0 ||
          (therm[j] && add_thermal(st, c, t, t->masses[j] * ZP_EV_GEV, u0, h, v0, v1, cp) != 0)) {
        free(cp);
        return -1;
      }
    }
  }
  free(cp);
  return 0;
}

/* The first of n ascending keys at or above x (n when none is). */
static size_t first_at_least(const double *key, size_t n, double x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (key[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The exact pieces of a shell's cells at one width, evaluated together in
 * vector lanes (zp_lorentz_integrals_n); each adds to its cell's depth. */
enum { EXACT_BATCH = 256 };
typedef struct {
  size_t n;
  double sa[EXACT_BATCH], sb[EXACT_BATCH], ca[EXACT_BATCH], cl[EXACT_BATCH], out[EXACT_BATCH];
  double *to[EXACT_BATCH];
} exact_batch;

static void exact_flush(exact_batch *x, double m2, double a) {
  zp_lorentz_integrals_n(m2, a, x->n, x->sa, x->sb, x->ca, x->cl, x->out);
  for (size_t i = 0; i < x->n; ++i) *x->to[i] += x->out[i];
  x->n = 0;
}

/* Adds the cell's depth at width a to *to, its exact pieces through @p x. */
static void thermal_depth(const shell_tab *st, const thermal_rec *tr, double m2, double a,
                          exact_batch *x, double *to) {
  const double rr = ZP_LSERIES_RADIUS;
  double tau = 0.0, k[ZP_LSERIES]; /* the three series summed, then evaluated once */
  for (int c = 0; c < ZP_LSERIES; ++c) k[c] = tr->fixed[c];
  const double *seg = (const double *)st->seg.data + (size_t)tr->seg_first * SEG_W;
  /* the first piece at R widths or more */
  size_t i = first_at_least((const double *)st->seg_key.data + tr->seg_first, tr->nseg, rr * a);
  for (size_t s = 0; s < i; ++s) {
    const double *r = seg + s * SEG_W;
    if (r[1] != 0.0) {
      tau += r[2] / (r[3] + a * a);
      continue;
    }
    if (x->n == EXACT_BATCH) exact_flush(x, m2, a);
    x->sa[x->n] = r[2];
    x->sb[x->n] = r[3];
    x->ca[x->n] = r[4];
    x->cl[x->n] = r[5];
    x->to[x->n++] = to;
  }
  if (i < tr->nseg) series_add(k, seg + i * SEG_W + 6);
  const double *node = (const double *)st->node.data + (size_t)tr->node_first * NODE_W;
  /* the first node that takes the midpoint rule */
  size_t j = first_at_least((const double *)st->node_key.data + tr->node_first, tr->nnode,
                            100.0 * a);
  if (j < tr->nnode) series_add(k, node + j * NODE_W + 1);
  tau += zp_lorentz_series_at(k, a);
  const double *mp = (const double *)st->mid.data + 2 * (size_t)tr->mid_first;
  for (size_t q = 0; q < tr->nmid; ++q) tau += mp[2 * q] / (mp[2 * q + 1] + a * a);
  *to += tau;
}

/* @p scale is hbar^2 c^2 / h, taken once per bin for its three cells. */
static double rest_depth(const shell_tab *st, const cell *c, zp_resonance res, double floor_raw,
                         double scale) {
  const rest_piece *rp = (const rest_piece *)st->rest.data + c->rest_first;
  const double *values = st->values.data;
  double sum = 0.0;
  for (int i = 0; i < c->rest_n; ++i) {
    const double *v = values + rp[i].first;
    const int n = rp[i].n;
    if (rp[i].kind == ZP_PIECE_NEAR) {
      sum += zp_rest_terms_depth(res, ZP_PIECE_NEAR, rp[i].sa, rp[i].sb, v, NULL, NULL, 3);
    } else if (rp[i].bound >= floor_raw) {
      double a2 = res.a * res.a;
      sum += a2 <= rp[i].a2flat ? v[0] - a2 * v[1]
                                : zp_rest_terms_depth(res, (zp_piece_kind)rp[i].kind, rp[i].sa,
                                                      rp[i].sb, v + 2, v + 2 + n, v + 2 + 2 * n, n);
    }
  }
  return sum * scale;
}

void zp_depth_table_unit_depths(const zp_depth_table *t, const zp_point_physics *pt, size_t k,
                                double *tau) {
  const shell_tab *st = &t->shell[k];
  const double floor = zp_depth_floor(pt);
  exact_batch x;
  x.n = 0;
  for (size_t b = 0; b < t->nb; ++b) {
    double h = t->lnedge[b + 1] - t->lnedge[b], floor_raw = zp_rest_floor_raw(floor, h);
    double scale = ZP_HBARC2_CM2_GEV2 / h;
    for (int j = 0; j < 3; ++j) {
      const cell *c = &st->cells[3 * b + (size_t)j];
      double *out = &tau[3 * b + (size_t)j];
      if (c->thermal && zp_thermal_span_reaches(pt->res, c->span)) {
        *out = 0.0;
        thermal_depth(st, (const thermal_rec *)st->th.data + (c->th - 1), t->m2, pt->res.a, &x,
                      out);
      } else {
        *out = t->masses[j] > 0.0 ? rest_depth(st, c, pt->res, floor_raw, scale) : 0.0;
      }
    }
  }
  exact_flush(&x, t->m2, pt->res.a);
}

static void shell_free(shell_tab *st) {
  free(st->cells);
  zp_store_free(&st->rest);
  zp_store_free(&st->values);
  zp_store_free(&st->th);
  zp_store_free(&st->seg);
  zp_store_free(&st->node);
  zp_store_free(&st->mid);
  zp_store_free(&st->seg_key);
  zp_store_free(&st->node_key);
}

void zp_depth_table_free(zp_depth_table *t) {
  if (t == NULL) return;
  for (size_t k = 0; t->shell != NULL && k < t->ns; ++k) shell_free(&t->shell[k]);
  free(t->shell);
  free(t->lnedge);
  free(t->v);
  free(t);
}

/* Fills @p t (its shells new or from an earlier line, same sizes) for @p pt. */
static zp_status table_fill(zp_depth_table *t, const zp_grid *g, const zp_point_physics *pt,
                            double a_lo, double a_hi, zp_error *err) {
  t->m2 = pt->res.m2;
  t->a_lo = a_lo;
  t->a_hi = a_hi;
  for (int j = 0; j < 3; ++j) t->masses[j] = pt->mix.masses_ev[j];
  t->thermal = g->thermal;
  t->kappa = g->thermal_kappa;
  t->rule = g->rule;
  memcpy(t->lnedge, g->eg.lnedge, (t->nb + 1) * sizeof *t->lnedge);
  memcpy(t->v, g->zg.v, (t->ns + 1) * sizeof *t->v);
  int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
  for (long k = 0; k < (long)t->ns; ++k) failed |= build_shell(t, g, pt, (size_t)k, &t->shell[k]);
  if (failed) return zp_error_set(err, ZP_ENOMEM, "depth table of %zu shells", t->ns);
  return ZP_OK;
}

static int check_widths(double a_lo, double a_hi) {
  return a_lo > 0.0 && a_hi >= a_lo && isfinite(a_hi);
}

zp_status zp_depth_table_build(const zp_grid *g, const zp_point_physics *pt, double a_lo,
                               double a_hi, zp_depth_table **out, zp_error *err) {
  *out = NULL;
  if (!check_widths(a_lo, a_hi))
    return zp_error_set(err, ZP_EINVAL, "depth table: widths [%g, %g] GeV^2", a_lo, a_hi);
  zp_depth_table *t = calloc(1, sizeof *t);
  if (t == NULL) return zp_error_set(err, ZP_ENOMEM, "depth table");
  t->nb = g->eg.nbins;
  t->ns = g->zg.nshells;
  t->lnedge = malloc((t->nb + 1) * sizeof *t->lnedge);
  t->v = malloc((t->ns + 1) * sizeof *t->v);
  t->shell = calloc(t->ns, sizeof *t->shell);
  if (t->lnedge == NULL || t->v == NULL || t->shell == NULL) {
    zp_depth_table_free(t);
    return zp_error_set(err, ZP_ENOMEM, "depth table of %zu shells", t->ns);
  }
  zp_status st = table_fill(t, g, pt, a_lo, a_hi, err);
  if (st != ZP_OK) {
    zp_depth_table_free(t);
    return st;
  }
  *out = t;
  return ZP_OK;
}

zp_status zp_depth_table_rebuild(zp_depth_table **t, const zp_grid *g, const zp_point_physics *pt,
                                 double a_lo, double a_hi, zp_error *err) {
  zp_depth_table *old = *t;
  if (old == NULL || old->nb != g->eg.nbins || old->ns != g->zg.nshells ||
      !check_widths(a_lo, a_hi)) {
    zp_depth_table_free(old);
    return zp_depth_table_build(g, pt, a_lo, a_hi, t, err);
  }
  zp_status st = table_fill(old, g, pt, a_lo, a_hi, err);
  if (st != ZP_OK) {
    zp_depth_table_free(old);
    *t = NULL;
  }
  return st;
}

int zp_depth_table_fits(const zp_depth_table *t, const zp_grid *g, const zp_point_physics *pt) {
  if (t == NULL || t->nb != g->eg.nbins || t->ns != g->zg.nshells || t->m2 != pt->res.m2 ||
      !(pt->res.a >= t->a_lo && pt->res.a <= t->a_hi) || t->thermal != g->thermal ||
      t->kappa != g->thermal_kappa || t->rule.nq != g->rule.nq || t->rule.nv != g->rule.nv ||
      t->rule.q_cut != g->rule.q_cut)
    return 0;
  for (int j = 0; j < 3; ++j)
    if (t->masses[j] != pt->mix.masses_ev[j]) return 0;
  return memcmp(t->lnedge, g->eg.lnedge, (t->nb + 1) * sizeof *t->lnedge) == 0 &&
         memcmp(t->v, g->zg.v, (t->ns + 1) * sizeof *t->v) == 0;
}

size_t zp_depth_table_bytes(const zp_depth_table *t) {
  size_t n = sizeof *t + (t->nb + t->ns + 2) * sizeof(double) + t->ns * sizeof(shell_tab);
  for (size_t k = 0; k < t->ns; ++k) {
    const shell_tab *st = &t->shell[k];
    n += 3 * t->nb * sizeof(cell) + zp_store_bytes(&st->rest) + zp_store_bytes(&st->values) +
         zp_store_bytes(&st->th) + zp_store_bytes(&st->seg) + zp_store_bytes(&st->node) +
         zp_store_bytes(&st->mid) + zp_store_bytes(&st->seg_key) + zp_store_bytes(&st->node_key);
  }
  return n;
}
