/* zprop: the optical depths of a shell for every state and transport bin
 * (targets at rest, or thermally averaged where the relic neutrinos are
 * relativistic), turned into the survivals that T_k is built from and the
 * shares of a spread source injected before T_k.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "physics/physics.h"
#include "physics/survival_batch.h"
#include "transport/problem.h"

int zp_thermal_target(const zp_grid *g, const zp_point_physics *pt, int j, size_t k) {
  double m = pt->mix.masses_ev[j] * ZP_EV_GEV;
  if (g->thermal == ZP_THERMAL_ALWAYS) return 1;
  if (g->thermal == ZP_THERMAL_OFF) return 0;
  return m < g->thermal_kappa * zp_t0_gev() * exp(g->zg.v[k + 1]);
}

/* 1 - mean survival of neutrinos born uniformly in v over [v0, v1] that
 * meet the depths tau[j] at the crossings c[j] (one per line, inside the
 * shell), divided by 1 - exp(-sum tau): the share of the shell's source
 * that T_k must see. */
static double inject_share(const double *tau, const double *c, double v0, double v1) {
  int o[3] = {0, 1, 2}; /* crossings from the earliest (highest v) */
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b)
      if (c[o[b]] > c[o[a]]) {
        int t = o[a];
        o[a] = o[b];
        o[b] = t;
      }
  double total = tau[0] + tau[1] + tau[2], lost_all = -expm1(-total);
  if (!(lost_all > 0.0)) return 0.5;
  /* born above crossing o[0] meet all three, between o[0] and o[1] the last two, ... */
  double later = total, top = v1, lost = 0.0;
  for (int a = 0; a < 3; ++a) {
    lost += (top - c[o[a]]) * -expm1(-later);
    later -= tau[o[a]];
    top = c[o[a]];
  }
  return lost / ((v1 - v0) * lost_all);
}

double zp_depth_floor(const zp_point_physics *pt) {
  return 1e-14 / pt->k_attn; /* depths below change no survival by more than 1e-14 */
}

void zp_survival(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival,
                 double *inject) {
  zp_survival_lines(g, pt, k, survival, inject, NULL);
}

/* What every bin of a shell shares, read once: through the output
 * pointers, which could alias them, the compiler reloaded them per bin. */
typedef struct {
  size_t nb;
  double v0, v1, vmid, lines[3];
  double kq[3][3]; /* k_attn q2[i][j] */
} shell_consts;

static shell_consts shell_consts_of(const zp_grid *g, const zp_point_physics *pt, size_t k) {
  shell_consts sc = {.nb = g->eg.nbins, .v0 = g->zg.v[k], .v1 = g->zg.v[k + 1]};
  sc.vmid = 0.5 * (sc.v0 + sc.v1);
  zp_point_lines(pt, sc.lines);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) sc.kq[i][j] = pt->k_attn * pt->mix.q2[i][j];
  return sc;
}

/* Bins per task, and per call of the vector kernels: the costly bins
 * (thermal, near a line) are neighbours, and one bin per task cost an
 * atomic step per bin. */
enum { BLOCK = 32 };

/* Line j's position in ln(1+z) as seen from the middle of bin b. */
static double from_line(const shell_consts *sc, const double *lnedge, size_t b, int j) {
  double u0 = lnedge[b];
  return sc->lines[j] - (u0 + 0.5 * (lnedge[b + 1] - u0));
}

/* Where bin b meets line j in the shell, as ln(1+z), or the shell's
 * middle.  A narrow line is crossed where u + v = ln E_res (the bin lies
 * wholly in or out of its window); tail depths, and thermal ones outside
 * the window, are spread over the shell and meet the newborn on average at
 * its middle.  A thermal line smeared by little is crossed about where it
 * is at rest. */
static double crossing(const shell_consts *sc, const double *lnedge, size_t b, int j) {
  double c = from_line(sc, lnedge, b, j);
  return c > sc->v0 && c < sc->v1 ? c : sc->vmid;
}

/* Whether a line crosses any of the n bins from b0 on: the crossing falls
 * with the bin, so only the first and last can tell. */
static int block_crossed(const shell_consts *sc, const double *lnedge, size_t b0, size_t n) {
  for (int j = 0; j < 3; ++j)
    if (from_line(sc, lnedge, b0, j) > sc->v0 && from_line(sc, lnedge, b0 + n - 1, j) < sc->v1)
      return 1;
  return 0;
}

/* Survivals and inject shares of the n bins from b0 on, from their unit
 * depths tau[j][b - b0]: the survivals in vector lanes, the shares per bin
 * only in blocks that a line crosses (all depths met at the middle: half
 * the source before T_k, at any depth). */
static void block_survival(const shell_consts *sc, const double *lnedge, size_t b0, size_t n,
                           double tau[3][BLOCK], double *survival, double *inject) {
  double s[3][BLOCK];
  zp_survivals_n(sc->kq, n, (const double *const[3]){tau[0], tau[1], tau[2]},
                 (double *const[3]){s[0], s[1], s[2]});
  for (size_t i = 0; i < n; ++i)
    for (int st = 0; st < 3; ++st) survival[zp_state_index(sc->nb, b0 + i, st)] = s[st][i];
  if (inject == NULL) return;
  if (!block_crossed(sc, lnedge, b0, n)) {
    /* the block's entries are contiguous, its last bin first */
    const size_t first = zp_state_index(sc->nb, b0 + n - 1, 0);
    for (size_t r = 0; r < 3 * n; ++r) inject[first + r] = 0.5;
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    double cross[3];
    int crossed = 0;
    for (int j = 0; j < 3; ++j) {
      cross[j] = crossing(sc, lnedge, b0 + i, j);
      crossed |= cross[j] != sc->vmid;
    }
    for (int st = 0; st < 3; ++st) {
      double t[3];
      for (int j = 0; j < 3; ++j) t[j] = sc->kq[st][j] * tau[j][i];
      inject[zp_state_index(sc->nb, b0 + i, st)] = crossed ? inject_share(t, cross, sc->v0, sc->v1)
                                                           : 0.5;
    }
  }
}

static void free_streaming(size_t nb, double *survival, double *inject, double *tau_lines) {
  for (size_t r = 0; r < 3 * nb; ++r) survival[r] = 1.0;
  if (inject != NULL)
    for (size_t r = 0; r < 3 * nb; ++r) inject[r] = 0.5;
  if (tau_lines != NULL)
    for (size_t r = 0; r < 3 * nb; ++r) tau_lines[r] = 0.0;
}

/* The span [*lo, *hi) of x[0 .. n) from its first NaN to its last; 0 when
 * there is none. */
static int nan_span(const double *x, size_t n, size_t *lo, size_t *hi) {
  size_t i = 0, j = n;
  while (i < n && !isnan(x[i])) ++i;
  while (j > i && !isnan(x[j - 1])) --j;
  *lo = i;
  *hi = j;
  return j > i;
}

/* What every block of one shell shares (zp_survival_lines). */
typedef struct {
  const zp_grid *g;
  const zp_point_physics *pt;
  shell_consts sc;
  zp_shell_weight sw;
  double floor, mass[3]; /* mass in GeV */
  int thermal[3];
  double *survival, *inject, *tau_lines;
} shell_work;

/* The depths, survivals and inject shares of block lk of a shell.  A
 * block's far rectangles of the states at rest are done first in vector
 * lanes (zp_rest_strips_n, most of a spectrum's bins x shells); what they
 * leave, as NaN, the bin's own zp_tau_at_rest3. */
static void survival_block(const shell_work *wk, long lk) {
  const zp_grid *g = wk->g;
  const zp_point_physics *pt = wk->pt;
  const size_t nb = g->eg.nbins;
  const double *lanes = g->eg.rest_lanes, *mass = wk->mass, floor = wk->floor;
  const shell_consts *sc = &wk->sc;
  const double v0 = sc->v0, v1 = sc->v1;
  const int *thermal = wk->thermal;
  const zp_shell_weight *sw = &wk->sw;
  double *survival = wk->survival, *inject = wk->inject, *tau_lines = wk->tau_lines;
  const size_t b0 = (size_t)lk * BLOCK, nin = nb - b0 < BLOCK ? nb - b0 : BLOCK;
  double strip[3][BLOCK];
  int left = 0; /* whether some bin of the block is not answered */
  for (int j = 0; j < 3; ++j) {
    const double mj = mass[j];
    if (!(mj > 0.0) || thermal[j]) {
      for (size_t i = 0; i < nin; ++i) strip[j][i] = mj > 0.0 ? NAN : 0.0;
      left |= mj > 0.0;
      continue;
    }
    /* A bin's distance to the line falls and then rises along the block,
     * so no bin takes a wider rule than the farther end's: the passes
     * start there, and each narrower rule runs only over the span of
     * bins the wider ones left. */
    int first = zp_rest_rule(pt->res.m2, mj, &g->eg.rest[b0], sw);
    int last = zp_rest_rule(pt->res.m2, mj, &g->eg.rest[b0 + nin - 1], sw);
    int start = first < 0 ? last : (last < 0 ? first : (first < last ? first : last));
    size_t lo = 0, hi = nin;
    int open = 1;
    if (start != 0)
      for (size_t i = 0; i < nin; ++i) strip[j][i] = NAN; /* what set 0 would leave */
    for (int set = start; set >= 0 && set < ZP_RECT_RULES && open; ++set) {
      const zp_rest_lanes ln = zp_rest_lanes_at(lanes, nb, b0 + lo);
      zp_rest_strips_n(set, pt->res.m2, pt->res.a, mj, sw, floor, hi - lo, &ln, strip[j] + lo);
      open = nan_span(strip[j], nin, &lo, &hi);
    }
    left |= open;
  }
  /* the rest bin by bin, the block's depths then in strip[j] */
  for (size_t b = b0; left && b < b0 + nin; ++b) {
    double u0 = g->eg.lnedge[b], w = g->eg.lnedge[b + 1] - u0, rest[3];
    int warm[3], general = 0;
    for (int j = 0; j < 3; ++j) {
      double *st = &strip[j][b - b0];
      warm[j] = thermal[j] &&
                zp_thermal_reaches_resonance(&g->rule, pt->res, mass[j], u0, w, v0, v1);
      /* the states at rest share their line weights */
      rest[j] = warm[j] || !isnan(*st) ? 0.0 : mass[j];
      if (isnan(*st)) *st = 0.0;
      general |= rest[j] > 0.0;
    }
    if (general) {
      double tau_r[3];
      zp_tau_at_rest3(pt->res, rest, &g->eg.rest[b], sw, floor, tau_r);
      for (int j = 0; j < 3; ++j)
        if (rest[j] > 0.0) strip[j][b - b0] = tau_r[j];
    }
    for (int j = 0; j < 3; ++j)
      if (warm[j]) strip[j][b - b0] = zp_tau_thermal(&g->rule, pt->res, mass[j], u0, w, v0, v1);
  }
  for (size_t i = 0; tau_lines != NULL && i < nin; ++i)
    for (int j = 0; j < 3; ++j) tau_lines[3 * (b0 + i) + (size_t)j] = strip[j][i];
  block_survival(sc, g->eg.lnedge, b0, nin, strip, survival, inject);
}

void zp_survival_lines(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival,
                       double *inject, double *tau_lines) {
  const size_t nb = g->eg.nbins;
  if (!pt->interacting) {
    free_streaming(nb, survival, inject, tau_lines);
    return;
  }
  shell_work wk = {.g = g,
                   .pt = pt,
                   .sc = shell_consts_of(g, pt, k),
                   .floor = zp_depth_floor(pt),
                   .survival = survival,
                   .inject = inject,
                   .tau_lines = tau_lines};
  zp_shell_weight_init(&wk.sw, wk.sc.v0, wk.sc.v1);
  for (int j = 0; j < 3; ++j) {
    wk.thermal[j] = zp_thermal_target(g, pt, j, k);
    wk.mass[j] = pt->mix.masses_ev[j] * ZP_EV_GEV;
  }
  const long nblocks = (long)((nb + BLOCK - 1) / BLOCK);
#ifdef _OPENMP
  /* One thread (OMP_NUM_THREADS=1, or inside a parallel region) opens no
   * region: a team of one still cost a microsecond and two futex calls
   * per shell. */
  if (omp_get_max_threads() > 1 && !omp_in_parallel()) {
#pragma omp parallel for schedule(dynamic, 1)
    for (long lk = 0; lk < nblocks; ++lk) survival_block(&wk, lk);
    return;
  }
#endif
  for (long lk = 0; lk < nblocks; ++lk) survival_block(&wk, lk);
}

void zp_survival_from_depths(const zp_grid *g, const zp_point_physics *pt, size_t k,
                             const double *tau_lines, double *survival, double *inject) {
  const size_t nb = g->eg.nbins;
  if (!pt->interacting) {
    free_streaming(nb, survival, inject, NULL);
    return;
  }
  const shell_consts sc = shell_consts_of(g, pt, k);
  for (size_t b0 = 0; b0 < nb; b0 += BLOCK) {
    const size_t nin = nb - b0 < BLOCK ? nb - b0 : BLOCK;
    double tau[3][BLOCK];
    for (size_t i = 0; i < nin; ++i)
      for (int j = 0; j < 3; ++j) tau[j][i] = tau_lines[3 * (b0 + i) + (size_t)j];
    block_survival(&sc, g->eg.lnedge, b0, nin, tau, survival, inject);
  }
}
