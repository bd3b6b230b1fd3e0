/* SPDX-License-Identifier: MIT */
/* The Monte Carlo reference's particle loop and tallies (mc_transport.h). */
#include "reference/mc_transport.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MC_E_REF_GEV 1e5
#define MC_STACK 32 /* a daughter only meets heavier lines: 3 generations, stack <= 7 */
#define MC_LEAVES 64

typedef struct {
  int state;
  double e0, z;
} particle;

/* Sums over the histories of one stratum for one tally entry: a is what a
 * history leaves in the entry at z = 0, b what it injected there. */
typedef struct {
  double sa, saa, sb, sbb, sab;
} moments;

/* Over all strata: the totals and the variances and covariance of each
 * stratum's sums, added (strata are independent). */
typedef struct {
  double a, b, va, vb, cab;
} totals;

typedef struct {
  const zp_mc_case *c;
  const zp_mc_model *m;
  size_t nbins;
  double dlog;               /* ln of the tally bin ratio */
  double umax, fmax;         /* star formation: ln(1 + zmax) and the rejection bound */
  int entry[MC_LEAVES];      /* one history's deposits, merged */
  double deposit[MC_LEAVES];
  int ndeposit;
  double nscat, ndark;       /* this history's scatterings */
} run_state;

static double log_density(const run_state *rs, double u) {
  double z = expm1(u);
  /* per unit ln(1+z): rho (1+z)^(1-gamma) dz / ((1+z) H) = rho (1+z)^(1-gamma) du / H */
  return zp_mc_sfr(z) * pow(1.0 + z, 1.0 - rs->c->gamma) / zp_mc_hubble_e(z);
}

static void sfr_bound(run_state *rs) {
  rs->umax = log1p(rs->c->zmax);
  double fmax = 0.0;
  /* |d ln f / du| < 8 on the whole range: 4000 steps leave < 0.2% between
   * nodes, well inside the 2% margin (the kinks at z = 1 and 4 are nodes' neighbours). */
  for (int k = 0; k <= 4000; ++k) {
    double f = log_density(rs, rs->umax * k / 4000.0);
    if (f > fmax) fmax = f;
  }
  const double kinks[2] = {log(2.0), log(5.0)};
  for (int k = 0; k < 2; ++k)
    if (kinks[k] < rs->umax && log_density(rs, kinks[k]) > fmax) fmax = log_density(rs, kinks[k]);
  rs->fmax = 1.02 * fmax;
}

static double source_z(const run_state *rs, zp_mc_rng *rng) {
  if (rs->c->source == ZP_MC_DELTA) return rs->c->z0;
  for (;;) {
    double u = rs->umax * zp_mc_uniform(rng);
    if (zp_mc_uniform(rng) * rs->fmax < log_density(rs, u)) return expm1(u);
  }
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
        deposit(rs, p.state * (int)rs->nbins + b, w);
        out->n_final++;
        out->energy_final += p.e0;
        break;
      }
      double tau = zp_mc_tau(m, p.state, j, p.e0);
      if (!(zp_mc_uniform(rng) < -expm1(-tau))) {
        p.z = zr;
        continue;
      }
      rs->nscat += 1.0;
      if (!(zp_mc_uniform(rng) < m->regen_share)) {
        rs->ndark += 1.0;
        out->n_dark++;
        out->energy_dark += p.e0;
        break;
      }
      out->n_regen++;
      double e1 = zp_mc_daughter_fraction(rng) * p.e0;
      double ed[2] = {e1, p.e0 - e1};
      for (int k = 0; k < 2; ++k) {
        if (ed[k] < rs->c->emin_gev) {
          out->n_below++;
          out->energy_below += ed[k];
          continue;
        }
        particle d = {draw_state(m, rng), ed[k], zr};
        if (n < MC_STACK) stack[n++] = d;
      }
      break;
    }
  }
}

static void add_moment(moments *mo, double a, double b) {
  mo->sa += a;
  mo->saa += a * a;
  mo->sb += b;
  mo->sbb += b * b;
  mo->sab += a * b;
}

/* Adds a stratum of n histories: its sums and their estimated variances. */
static void fold(totals *t, const moments *mo, double n) {
  double f = n / (n - 1.0);
  t->a += mo->sa;
  t->b += mo->sb;
  t->va += f * (mo->saa - mo->sa * mo->sa / n);
  t->vb += f * (mo->sbb - mo->sb * mo->sb / n);
  t->cab += f * (mo->sab - mo->sa * mo->sb / n);
}

/* Ratio a/b and the standard error of the ratio estimator. */
static void ratio_of(const totals *t, double *r, double *se) {
  if (!(t->b > 0.0)) {
    *r = 0.0;
    *se = 0.0;
    return;
  }
  *r = t->a / t->b;
  double v = t->va - 2.0 * *r * t->cab + *r * *r * t->vb;
  *se = v > 0.0 ? sqrt(v) / t->b : 0.0;
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

/* Runs one stratum (state i0, bin b0) of n histories into its moments. */
static void stratum(run_state *rs, int i0, size_t b0, size_t n, uint64_t seed, moments *mo,
                    moments *scat, zp_mc_result *out) {
  const zp_mc_case *c = rs->c;
  size_t ne = 3 * rs->nbins;
  zp_mc_rng rng;
  /* One stream per stratum: the result does not depend on the order they run in. */
  zp_mc_rng_seed(&rng, seed ^ (0xD1B54A32D192ED03ULL * (uint64_t)(i0 * rs->nbins + b0 + 1)));
  memset(mo, 0, ne * sizeof *mo);
  int own = i0 * (int)rs->nbins + (int)b0;
  for (size_t k = 0; k < n; ++k) {
    /* E0 stratified inside the bin, log-uniform (density 1/(E0 dlog)): the weight
     * w_i (E0/E_ref)^(1-gamma) dlog / n gives the number of phi0_exact(). */
    double t = ((double)k + zp_mc_uniform(&rng)) / (double)n;
    double e0 = c->emin_gev * exp(rs->dlog * ((double)b0 + t));
    double w = rs->m->weight[i0] * pow(e0 / MC_E_REF_GEV, 1.0 - c->gamma) * rs->dlog / (double)n;
    particle p = {i0, e0, source_z(rs, &rng)};
    history(rs, &rng, p, w, out);
    int seen_own = 0;
    for (int d = 0; d < rs->ndeposit; ++d) {
      int is_own = rs->entry[d] == own;
      seen_own |= is_own;
      add_moment(&mo[rs->entry[d]], rs->deposit[d], is_own ? w : 0.0);
    }
    if (!seen_own) add_moment(&mo[own], 0.0, w);
    add_moment(&scat[0], rs->nscat * w, w);
    add_moment(&scat[1], rs->ndark * w, w);
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
  if (c->source == ZP_MC_SFR) sfr_bound(&rs);
  for (size_t b = 0; b <= nbins; ++b) out->edges[b] = c->emin_gev * exp(rs.dlog * (double)b);
  out->edges[nbins] = c->emax_gev;
  size_t ne = 3 * nbins;
  size_t per = nparticles / ne;
  if (per < 2) per = 2;
  moments *mo = calloc(ne, sizeof *mo);
  totals *tot = calloc(ne, sizeof *tot);
  if (mo == NULL || tot == NULL) {
    free(mo);
    free(tot);
    zp_mc_result_free(out);
    return zp_error_set(err, ZP_ENOMEM, "mc: out of memory");
  }
  totals tscat[2];
  memset(tscat, 0, sizeof tscat);
  for (int i = 0; i < 3; ++i)
    for (size_t b = 0; b < nbins; ++b) {
      moments scat[2];
      memset(scat, 0, sizeof scat);
      stratum(&rs, i, b, per, seed, mo, scat, out);
      for (size_t e = 0; e < ne; ++e) fold(&tot[e], &mo[e], (double)per);
      fold(&tscat[0], &scat[0], (double)per);
      fold(&tscat[1], &scat[1], (double)per);
    }
  for (int i = 0; i < 3; ++i)
    for (size_t b = 0; b < nbins; ++b) {
      size_t e = (size_t)i * nbins + b;
      ratio_of(&tot[e], &out->ratio[e], &out->ratio_err[e]);
      out->phi0[e] = phi0_exact(m.weight[i], c->gamma, out->edges[b], out->edges[b + 1]);
      out->phi0_mc[e] = tot[e].b;
    }
  double dummy;
  ratio_of(&tscat[0], &out->scatterings, &out->scatterings_err);
  ratio_of(&tscat[1], &out->scatterings_dark, &dummy);
  free(mo);
  free(tot);
  return ZP_OK;
}
