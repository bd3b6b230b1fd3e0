/* SPDX-License-Identifier: MIT */
/* The physics of the Monte Carlo reference, from docs/physics.md only:
 * cosmology, sources, the narrow-width optical depth of one line crossing,
 * the branchings and the daughter energy of H-Eq. 11.  Nothing here comes
 * from src/physics or src/transport, on purpose: it is the yardstick. */
#include <math.h>
#include <string.h>

#include "reference/mc_transport.h"

/* Constants of physics.md sections 1-2 (CODATA, Planck 2018). */
#define MC_PI 3.14159265358979323846
#define MC_HBARC_GEV_CM 1.973269804e-14
#define MC_C_KM_S 2.99792458e5
#define MC_MPC_CM 3.0856775814913673e24
#define MC_H0 67.66
#define MC_OMEGA_M 0.3111
#define MC_OMEGA_L 0.6889
#define MC_N_RELIC 56.0

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void zp_mc_rng_seed(zp_mc_rng *rng, uint64_t seed) {
  uint64_t x = seed;
  for (int k = 0; k < 4; ++k) rng->s[k] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

double zp_mc_uniform(zp_mc_rng *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return (double)(result >> 11) * 0x1.0p-53;
}

double zp_mc_daughter_fraction(zp_mc_rng *rng) {
  /* (3/2)[x^2 + (1-x)^2] is the even mixture of 3x^2 and 3(1-x)^2, each
   * inverted exactly by a cube root. */
  double half = zp_mc_uniform(rng);
  double x = cbrt(zp_mc_uniform(rng));
  return half < 0.5 ? x : 1.0 - x;
}

double zp_mc_hubble_e(double z) {
  double a = 1.0 + z;
  return sqrt(MC_OMEGA_L + MC_OMEGA_M * a * a * a);
}

double zp_mc_sfr(double z) {
  double a = 1.0 + z;
  if (z < 1.0) return pow(a, 3.4);
  if (z < 4.0) return pow(2.0, 3.7) * pow(a, -0.3);
  return pow(2.0, 3.7) * pow(5.0, 3.2) * pow(a, -3.5);
}

zp_status zp_mc_case_from_config(const zp_config *cfg, zp_mc_case *out, zp_error *err) {
  if (cfg == NULL || out == NULL) return zp_error_set(err, ZP_EINVAL, "mc: NULL argument");
  if (cfg->source.kind != ZP_SOURCE_DELTA && cfg->source.kind != ZP_SOURCE_SFR)
    return zp_error_set(err, ZP_EINVAL, "mc: only delta and sfr sources are modelled");
  if (cfg->source.density_power != 0.0)
    return zp_error_set(err, ZP_EINVAL, "mc: density_power must be 0");
  memset(out, 0, sizeof *out);
  out->mzp_mev = cfg->zprime.mzp_mev;
  out->gzp = cfg->zprime.gzp;
  out->gchi = cfg->zprime.gchi;
  out->mchi_mev = cfg->zprime.mchi_mev;
  out->osc = cfg->osc;
  out->ordering = cfg->ordering;
  out->sum_mnu_ev = cfg->sum_mnu_ev;
  out->source = cfg->source.kind == ZP_SOURCE_DELTA ? ZP_MC_DELTA : ZP_MC_SFR;
  out->z0 = cfg->source.z0;
  out->zmax = cfg->source.zmax;
  out->gamma = cfg->source.gamma;
  memcpy(out->flavor_ratio, cfg->flavor_ratio, sizeof out->flavor_ratio);
  out->flavor_equal = cfg->flavor_equal;
  out->emin_gev = cfg->grid.emin_gev;
  out->emax_gev = cfg->grid.emax_gev;
  out->regeneration = cfg->transport.regeneration;
  out->tau_scale = 1.0;
  return ZP_OK;
}

/* Q = U^dagger diag(0, 1, -1) U from U's parts: |Q_ij|^2 of physics.md. */
static void couplings(const zp_mixing *mix, double q2[3][3]) {
  static const double d[3] = {0.0, 1.0, -1.0};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double re = 0.0, im = 0.0;
      for (int a = 0; a < 3; ++a) {
        /* conj(U_ai) U_aj */
        double ar = mix->u_re[a][i], ai = -mix->u_im[a][i];
        double br = mix->u_re[a][j], bi = mix->u_im[a][j];
        re += d[a] * (ar * br - ai * bi);
        im += d[a] * (ar * bi + ai * br);
      }
      q2[i][j] = re * re + im * im;
    }
}

zp_status zp_mc_model_init(const zp_mc_case *c, zp_mc_model *m, zp_error *err) {
  if (c == NULL || m == NULL) return zp_error_set(err, ZP_EINVAL, "mc: NULL argument");
  if (!(c->mzp_mev > 0.0) || !(c->gzp >= 0.0) || !(c->gchi >= 0.0) || !(c->mchi_mev >= 0.0))
    return zp_error_set(err, ZP_EINVAL, "mc: Z' mass must be > 0 and couplings >= 0");
  if (!(c->emin_gev > 0.0) || !(c->emax_gev > c->emin_gev) || !(c->gamma >= 0.0) ||
      !(c->tau_scale >= 0.0))
    return zp_error_set(err, ZP_EINVAL, "mc: need 0 < emin < emax, gamma >= 0, tau_scale >= 0");
  double ztop = c->source == ZP_MC_DELTA ? c->z0 : c->zmax;
  if (!(ztop > 0.0) || ztop > 1e3)
    return zp_error_set(err, ZP_EINVAL, "mc: source top out of range");
  zp_mixing mix;
  zp_status st = zp_mixing_init(&c->osc, c->ordering, c->sum_mnu_ev, &mix, err);
  if (st != ZP_OK) return st;
  memset(m, 0, sizeof *m);
  m->ztop = ztop;
  couplings(&mix, m->q2);
  double rsum = c->flavor_ratio[0] + c->flavor_ratio[1] + c->flavor_ratio[2];
  if (!c->flavor_equal && !(rsum > 0.0))
    return zp_error_set(err, ZP_EINVAL, "mc: flavour ratio sums to zero");
  double mgev = c->mzp_mev * 1e-3;
  for (int i = 0; i < 3; ++i) {
    double ue2 = mix.u_re[0][i] * mix.u_re[0][i] + mix.u_im[0][i] * mix.u_im[0][i];
    m->p_branch[i] = 0.5 * (1.0 - ue2);
    double w = 0.0;
    for (int a = 0; a < 3; ++a) {
      double u2 = mix.u_re[a][i] * mix.u_re[a][i] + mix.u_im[a][i] * mix.u_im[a][i];
      w += c->flavor_ratio[a] * u2;
    }
    m->weight[i] = c->flavor_equal ? 1.0 / 3.0 : w / rsum;
    m->masses_ev[i] = mix.masses_ev[i];
    m->eres_gev[i] = mix.masses_ev[i] > 0.0 ? mgev * mgev / (2.0 * mix.masses_ev[i] * 1e-9) : 0.0;
  }
  if (c->gzp == 0.0) {
    m->tau_coef = 0.0;
    m->regen_share = c->regeneration ? 1.0 : 0.0;
    return ZP_OK;
  }
  /* Widths over M/(12 pi); H-Eq. 6 and 19. */
  double gnu = c->gzp * c->gzp, gchi = 0.0;
  double x = c->mchi_mev / c->mzp_mev;
  if (c->gchi > 0.0 && 2.0 * x < 1.0)
    gchi = c->gchi * c->gchi * (1.0 + 2.0 * x * x) * sqrt(1.0 - 4.0 * x * x);
  /* Integral over s of sigma + sigma_chi = 8 pi g^2 |Q|^2 (2 G_nu + G_chi) / (2 G): the
   * Breit-Wigner's area shrinks by G_nu / G, the dark channel adds G_chi / (2 G_nu). */
  double dark = (2.0 * gnu + gchi) / (2.0 * (gnu + gchi));
  double hubble_cm = MC_C_KM_S / MC_H0 * MC_MPC_CM;
  /* tau = n0 (1+z)^3 c/((1+z) H) * 8 pi g^2 |Q|^2 / (ds/dz = 2 m E0), (hbar c)^2 for cm^2. */
  m->tau_coef = c->tau_scale * MC_N_RELIC * hubble_cm * 4.0 * MC_PI * gnu * MC_HBARC_GEV_CM *
                MC_HBARC_GEV_CM * dark;
  m->regen_share = c->regeneration ? 2.0 * gnu / (2.0 * gnu + gchi) : 0.0;
  return ZP_OK;
}

double zp_mc_crossing_z(const zp_mc_model *m, int j, double e0_gev) {
  if (m->eres_gev[j] <= 0.0) return -1.0;
  return m->eres_gev[j] / e0_gev - 1.0;
}

double zp_mc_tau(const zp_mc_model *m, int i, int j, double e0_gev) {
  if (m->eres_gev[j] <= 0.0) return 0.0;
  double a = m->eres_gev[j] / e0_gev;
  return m->tau_coef * m->q2[i][j] * a * a /
         (zp_mc_hubble_e(a - 1.0) * m->masses_ev[j] * 1e-9 * e0_gev);
}

size_t zp_mc_line_edges(const zp_mc_model *m, const zp_mc_case *c, double out[6]) {
  size_t n = 0;
  for (int j = 0; j < 3; ++j) {
    if (m->eres_gev[j] <= 0.0) continue;
    double e[2] = {m->eres_gev[j], m->eres_gev[j] / (1.0 + m->ztop)};
    for (int k = 0; k < 2; ++k)
      if (e[k] > c->emin_gev && e[k] < c->emax_gev) out[n++] = e[k];
  }
  return n;
}
