/* SPDX-License-Identifier: MIT */
/* The Monte Carlo reference's particle loop and tallies (mc_transport.h). */
#include "reference/mc_transport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MC_E_REF_GEV 1e5
#define MC_STACK 32 /* a daughter only meets heavier lines: 3 generations, stack <= 14 */
#define MC_LEAVES 64

typedef struct {
  int state;
  double e0, z;
  double f; /* share of its primary (1 in analog mode) */
} particle;

/* The histories of every stratum are dealt into MC_GROUPS groups by their
 * index modulo MC_GROUPS (every group spans the whole bin): each group is an
 * estimate of its own, stratified like the whole, and the spread of the
 * groups gives the error (batch means), which the stratification makes far
 * smaller than the spread of single histories.  a: what the group left in an
 * entry at z = 0, b: what it injected there. */
#define MC_GROUPS 16

typedef struct {
  double a, b;
} group_sum;

typedef struct {
  const zp_mc_case *c;
  const zp_mc_model *m;
  size_t nbins;
  double dlog;          /* ln of the tally bin ratio */
  double umax, fnorm;   /* star formation: ln(1 + zmax), integral of log_density */
  int entry[MC_LEAVES]; /* one history's deposits, merged */
  double deposit[MC_LEAVES];
  int ndeposit;
  double nscat, ndark; /* this history's scatterings */
} run_state;

static double log_density(const run_state *rs, double u) {
  double z = expm1(u);
  /* per unit ln(1+z): rho (1+z)^(1-gamma) dz / ((1+z) H) = rho (1+z)^(1-gamma) du / H */
  return zp_mc_sfr(z) * pow(1.0 + z, 1.0 - rs->c->gamma) / zp_mc_hubble_e(z);
}

/* Integral of log_density over [a, b]: 5-point Gauss-Legendre on 200 cells. */
static double integrate(const run_state *rs, double a, double b) {
  static const double x[5] = {0.0, 0.5384693101056831, -0.5384693101056831, 0.9061798459386640,
                              -0.9061798459386640};
  static const double wt[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
                               0.2369268850561891, 0.2369268850561891};
  const int cells = 200;
  double h = (b - a) / cells, sum = 0.0;
  for (int k = 0; k < cells; ++k)
    for (int q = 0; q < 5; ++q) sum += wt[q] * log_density(rs, a + h * (k + 0.5 * (1.0 + x[q])));
  return 0.5 * h * sum;
}

/* ln(1+zmax) and the integral of the density over it, split at H-Eq. 17's kinks. */
static void sfr_norm(run_state *rs) {
  rs->umax = log1p(rs->c->zmax);
  double cut[4] = {0.0, log(2.0), log(5.0), rs->umax}, total = 0.0;
  for (int k = 0; k < 3; ++k) {
    double a = cut[k], b = fmin(cut[k + 1], rs->umax);
    if (b > a) total += integrate(rs, a, b);
  }
  rs->fnorm = total;
}

static size_t gcd(size_t a, size_t b) {
  while (b != 0) {
    size_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* A step coprime to n near n/golden ratio: k -> k * step mod n permutes the
 * redshift strata against the energy strata. */
static size_t coprime_step(size_t n) {
  size_t step = (size_t)(0.6180339887498949 * (double)n) | 1u;
  while (gcd(step, n) != 1) step += 2;
  return step;
}

static void deposit(run_state *rs, int e, double w) {
  for (int k = 0; k < rs->ndeposit; ++k)
    if (rs->entry[k] == e) {
      rs->deposit[k] += w;
      return;
    }
  rs->entry[rs->ndeposit] = e;
  rs->deposit[rs->ndeposit++] = w;
}

static int draw_state(const zp_mc_model *m, zp_mc_rng *rng) {
  double u = zp_mc_uniform(rng);
  if (u < m->p_branch[0]) return 0;
  if (u < m->p_branch[0] + m->p_branch[1]) return 1;
  return 2;
}

/* The next line on the path: the largest z_r in (0, z). */
static int next_line(const zp_mc_model *m, const particle *p, double *zr) {
  int best = -1;
  double zb = 0.0;
  for (int j = 0; j < 3; ++j) {
    if (m->q2[p->state][j] <= 0.0) continue;
    double z = zp_mc_crossing_z(m, j, p->e0);
    if (z < p->z && z > zb) {
      zb = z;
      best = j;
    }
  }
  *zr = zb;
  return best;
}

/* Books a branch of share f that scattered with energy e0 at zr: its dark
 * part, and its regenerating part fr as two daughters. */
static void scatter(run_state *rs, zp_mc_rng *rng, const particle *p, double fs, double fr,
                    double zr, particle *stack, int *n, zp_mc_result *out) {
  double fd = fs - fr;
  rs->nscat += fs;
  rs->ndark += fd;
  out->n_dark += fd;
  out->energy_dark += fd * p->e0;
  if (!(fr > 0.0)) return;
  out->n_regen += fr;
  double e1 = zp_mc_daughter_fraction(rng) * p->e0;
  double ed[2] = {e1, p->e0 - e1};
  for (int k = 0; k < 2; ++k) {
    if (ed[k] < rs->c->emin_gev) {
      out->n_below += fr;
      out->energy_below += fr * ed[k];
      continue;
    }
    particle d = {draw_state(rs->m, rng), ed[k], zr, fr};
    if (*n < MC_STACK) stack[(*n)++] = d;
  }
}

/* Follows one primary and its daughters to z = 0. */
static void history(run_state *rs, zp_mc_rng *rng, particle p0, double w, zp_mc_result *out) {
  const zp_mc_model *m = rs->m;
  particle stack[MC_STACK];
  int n = 0;
  stack[n++] = p0;
  rs->ndeposit = 0;
  rs->nscat = rs->ndark = 0.0;
  out->energy_injected += p0.e0;
  while (n > 0) {
    particle p = stack[--n];
    for (;;) {
      double zr;
      int j = next_line(m, &p, &zr);
      if (j < 0) {
        int b = (int)floor(log(p.e0 / rs->c->emin_gev) / rs->dlog);
        if (b >= (int)rs->nbins) b = (int)rs->nbins - 1; /* rounding at emax */
        deposit(rs, p.state * (int)rs->nbins + b, w * p.f);
        out->n_final += p.f;
        out->energy_final += p.f * p.e0;
        break;
      }
      double tau = zp_mc_tau(m, p.state, j, p.e0), ps = -expm1(-tau);
      if (rs->c->split) {
        double fs = p.f * ps;
        scatter(rs, rng, &p, fs, fs * m->regen_share, zr, stack, &n, out);
        p.f *= exp(-tau);
        p.z = zr;
        if (p.f == 0.0) break;
        continue;
      }
      if (!(zp_mc_uniform(rng) < ps)) {
        p.z = zr;
        continue;
      }
      double fr = zp_mc_uniform(rng) < m->regen_share ? p.f : 0.0;
      scatter(rs, rng, &p, p.f, fr, zr, stack, &n, out);
      break;
    }
  }
}

/* Ratio sum(a) / sum(b) over ng groups and its standard error,
 * sqrt(ng/(ng-1) sum (a_g - R b_g)^2) / sum(b). */
static void ratio_of(const group_sum *g, int ng, double *r, double *se) {
  double ta = 0.0, tb = 0.0;
  for (int k = 0; k < ng; ++k) {
    ta += g[k].a;
    tb += g[k].b;
  }
  *r = tb > 0.0 ? ta / tb : 0.0;
  double v = 0.0;
  for (int k = 0; k < ng; ++k) {
    double d = g[k].a - *r * g[k].b;
    v += d * d;
  }
  *se = tb > 0.0 && ng > 1 ? sqrt(v * ng / (ng - 1.0)) / tb : 0.0;
}

/* Exact injected number of state i in [lo, hi]: w_i * integral of (E/E_ref)^-gamma dE/E_ref. */
static double phi0_exact(double w, double gamma, double lo, double hi) {
  double xl = lo / MC_E_REF_GEV, xh = hi / MC_E_REF_GEV;
  if (fabs(gamma - 1.0) < 1e-12) return w * log(xh / xl);
  return w * (pow(xh, 1.0 - gamma) - pow(xl, 1.0 - gamma)) / (1.0 - gamma);
}

void zp_mc_result_free(zp_mc_result *r) {
  if (r == NULL) return;
  free(r->edges);
  free(r->ratio);
  free(r->ratio_err);
  free(r->phi0);
  free(r->phi0_mc);
  r->edges = r->ratio = r->ratio_err = r->phi0 = r->phi0_mc = NULL;
}

static zp_status alloc_result(zp_mc_result *out, size_t nbins, zp_error *err) {
  memset(out, 0, sizeof *out);
  out->nbins = nbins;
  out->edges = calloc(nbins + 1, sizeof *out->edges);
  out->ratio = calloc(3 * nbins, sizeof *out->ratio);
  out->ratio_err = calloc(3 * nbins, sizeof *out->ratio_err);
  out->phi0 = calloc(3 * nbins, sizeof *out->phi0);
  out->phi0_mc = calloc(3 * nbins, sizeof *out->phi0_mc);
  if (!out->edges || !out->ratio || !out->ratio_err || !out->phi0 || !out->phi0_mc) {
    zp_mc_result_free(out);
    return zp_error_set(err, ZP_ENOMEM, "mc: out of memory");
  }
  return ZP_OK;
}

/* Runs one stratum (state i0, bin b0) of n histories into the group sums
 * sums[entry * ng + group] and scat[k * ng + group] (k = 0: scatterings,
 * 1: lost ones). */
static void stratum(run_state *rs, int i0, size_t b0, size_t n, int ng, uint64_t seed,
                    group_sum *sums, group_sum *scat, zp_mc_result *out) {
  const zp_mc_case *c = rs->c;
  zp_mc_rng rng;
  /* One stream per stratum: the result does not depend on the order they run in. */
  zp_mc_rng_seed(&rng, seed ^ (0xD1B54A32D192ED03ULL * (uint64_t)(i0 * rs->nbins + b0 + 1)));
  int own = i0 * (int)rs->nbins + (int)b0;
  size_t step = coprime_step(n);
  for (size_t k = 0; k < n; ++k) {
    /* E0 stratified inside the bin, log-uniform (density 1/(E0 dlog)): the weight
     * w_i (E0/E_ref)^(1-gamma) dlog / n gives the number of phi0_exact(). */
    double t = ((double)k + zp_mc_uniform(&rng)) / (double)n;
    double e0 = c->emin_gev * exp(rs->dlog * ((double)b0 + t));
    double w = rs->m->weight[i0] * pow(e0 / MC_E_REF_GEV, 1.0 - c->gamma) * rs->dlog / (double)n;
    double z = c->z0;
    if (c->source == ZP_MC_SFR) {
      /* Stratified in ln(1+z), weighted by the density (mean weight 1). */
      double u = rs->umax * ((double)((k * step) % n) + zp_mc_uniform(&rng)) / (double)n;
      z = expm1(u);
      w *= log_density(rs, u) * rs->umax / rs->fnorm;
    }
    particle p = {i0, e0, z, 1.0};
    history(rs, &rng, p, w, out);
    size_t g = k % (size_t)ng;
    for (int d = 0; d < rs->ndeposit; ++d) sums[(size_t)rs->entry[d] * ng + g].a += rs->deposit[d];
    sums[(size_t)own * ng + g].b += w;
    scat[g].a += rs->nscat * w;
    scat[g].b += w;
    scat[ng + g].a += rs->ndark * w;
    scat[ng + g].b += w;
    out->histories++;
  }
}

zp_status zp_mc_run(const zp_mc_case *c, size_t nparticles, uint64_t seed, zp_mc_result *out,
                    zp_error *err) {
  if (c == NULL || out == NULL) return zp_error_set(err, ZP_EINVAL, "mc: NULL argument");
  zp_mc_model m;
  zp_status st = zp_mc_model_init(c, &m, err);
  if (st != ZP_OK) return st;
  double decades = log10(c->emax_gev / c->emin_gev);
  long nb = lround(decades * ZP_MC_BINS_PER_DECADE);
  size_t nbins = nb < 1 ? 1 : (size_t)nb;
  st = alloc_result(out, nbins, err);
  if (st != ZP_OK) return st;
  run_state rs = {.c = c, .m = &m, .nbins = nbins};
  rs.dlog = log(c->emax_gev / c->emin_gev) / (double)nbins;
  if (c->source == ZP_MC_SFR) sfr_norm(&rs);
  for (size_t b = 0; b <= nbins; ++b) out->edges[b] = c->emin_gev * exp(rs.dlog * (double)b);
  out->edges[nbins] = c->emax_gev;
  size_t ne = 3 * nbins;
  size_t per = nparticles / ne;
  if (per < 2) per = 2;
  int ng = per < MC_GROUPS ? (int)per : MC_GROUPS;
  /* Each stratum fills its own sums and ledger, added up in stratum order
   * afterwards: the result is the same whatever the number of threads. */
  size_t chunk = ne * (size_t)ng + 2 * (size_t)ng;
  group_sum *all = calloc(ne * chunk, sizeof *all);
  zp_mc_result *ledgers = calloc(ne, sizeof *ledgers);
  group_sum *sums = calloc(chunk, sizeof *sums);
  if (all == NULL || ledgers == NULL || sums == NULL) {
    free(all);
    free(ledgers);
    free(sums);
    zp_mc_result_free(out);
    return zp_error_set(err, ZP_ENOMEM, "mc: out of memory");
  }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (size_t s = 0; s < ne; ++s) {
    run_state local = rs;
    group_sum *mine = all + s * chunk;
    stratum(&local, (int)(s / nbins), s % nbins, per, ng, seed, mine, mine + ne * (size_t)ng,
            &ledgers[s]);
  }
  for (size_t s = 0; s < ne; ++s) {
    for (size_t k = 0; k < chunk; ++k) {
      sums[k].a += all[s * chunk + k].a;
      sums[k].b += all[s * chunk + k].b;
    }
    const zp_mc_result *l = &ledgers[s];
    out->histories += l->histories;
    out->n_final += l->n_final;
    out->n_below += l->n_below;
    out->n_regen += l->n_regen;
    out->n_dark += l->n_dark;
    out->energy_injected += l->energy_injected;
    out->energy_final += l->energy_final;
    out->energy_below += l->energy_below;
    out->energy_dark += l->energy_dark;
  }
  free(all);
  free(ledgers);
  group_sum *scat = sums + ne * (size_t)ng;
  for (int i = 0; i < 3; ++i)
    for (size_t b = 0; b < nbins; ++b) {
      size_t e = (size_t)i * nbins + b;
      ratio_of(&sums[e * ng], ng, &out->ratio[e], &out->ratio_err[e]);
      out->phi0[e] = phi0_exact(m.weight[i], c->gamma, out->edges[b], out->edges[b + 1]);
      for (int g = 0; g < ng; ++g) out->phi0_mc[e] += sums[e * ng + g].b;
    }
  double dummy;
  ratio_of(scat, ng, &out->scatterings, &out->scatterings_err);
  ratio_of(scat + ng, ng, &out->scatterings_dark, &dummy);
  free(sums);
  return ZP_OK;
}
