/* zprop: physics shared by the CPU library and the CUDA kernels.
 *
 * Everything here is a static inline function of plain doubles, compiled
 * by both the C compiler and nvcc, so both backends compute the same
 * numbers by construction.  Conventions: docs/physics.md, sections 1-2.
 * Units: energies, masses and s in GeV unless a name says otherwise.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_PHYSICS_H
#define ZPROP_PHYSICS_H

#include <math.h>

#if defined(__CUDACC__)
#define ZP_HD __host__ __device__ static inline
#else
#define ZP_HD static inline
#endif

#define ZP_PI 3.14159265358979323846
#define ZP_HBARC2_CM2_GEV2 0.3893793721e-27 /* (hbar c)^2, GeV^2 cm^2 */
#define ZP_C_CM_S 2.99792458e10
#define ZP_C_KM_S 2.99792458e5
#define ZP_MPC_CM 3.0856775814913673e24
#define ZP_KB_EV_K 8.617333262e-5
#define ZP_H0_KM_S_MPC 67.66
#define ZP_OMEGA_M 0.3111
#define ZP_OMEGA_L 0.6889
#define ZP_T0_K 1.9454
#define ZP_N_RELIC_CM3 56.0 /* per mass state and helicity, today */
#define ZP_M_MU_GEV 0.1056583755
#define ZP_EV_GEV 1e-9
#define ZP_MEV_GEV 1e-3

/** Hubble distance c/H0 in cm. */
ZP_HD double zp_hubble_distance_cm(void) { return ZP_C_KM_S / ZP_H0_KM_S_MPC * ZP_MPC_CM; }

/** H(z)/H0 for flat LCDM (H-Eq. 9). */
ZP_HD double zp_hubble_e(double z) {
  double a = 1.0 + z;
  return sqrt(ZP_OMEGA_L + ZP_OMEGA_M * a * a * a);
}

/** Relic temperature today in GeV. */
ZP_HD double zp_t0_gev(void) { return ZP_T0_K * ZP_KB_EV_K * ZP_EV_GEV; }

/** Optical-depth weight per unit ln(1+z) and unit cross section (cm^-2 per
 *  cm^2 of sigma): n_j(z) c / H(z) for one target state, with
 *  v = ln(1+z).  d tau = W(v) sigma dv. */
ZP_HD double zp_depth_weight(double v) {
  double a = exp(v);
  return ZP_N_RELIC_CM3 * a * a * a * zp_hubble_distance_cm() / zp_hubble_e(a - 1.0);
}

/** atan(p) - atan(q) without the cancellation of two values near pi/2. */
ZP_HD double zp_atan_diff(double p, double q) {
  double pq = p * q;
  if (pq > -1.0) return atan((p - q) / (1.0 + pq));
  /* Opposite signs with |pq| >= 1: the difference passes pi/2 in size. */
  return atan(p) - atan(q);
}

/** Z' partial width into neutrinos, Gamma = g^2 M / (12 pi) (H-Eq. 6). */
ZP_HD double zp_width_nu(double g, double m) { return g * g * m / (12.0 * ZP_PI); }

/** Z' width into a dark Dirac fermion pair (H-Eq. 19); zero below threshold. */
ZP_HD double zp_width_chi(double gchi, double mchi, double m) {
  double x = mchi * mchi / (m * m);
  if (4.0 * x >= 1.0) return 0.0;
  return gchi * gchi * m / (12.0 * ZP_PI) * (1.0 + 2.0 * x) * sqrt(1.0 - 4.0 * x);
}

/** Resonance shape: sigma(s) = k s / ((s - M^2)^2 + a^2), a = M Gamma.
 *  k carries g^4 |Q|^2 and the units; these helpers integrate the shape. */
typedef struct {
  double m2; /* M^2 */
  double a;  /* M Gamma */
} zp_resonance;

/** Integral of s / ((s-M^2)^2 + a^2) over [s0, s1]: the exact s-antiderivative
 *  G of physics.md, written as differences so a resonance narrower than the
 *  interval by any factor is integrated exactly. */
ZP_HD double zp_res_int_sigma(zp_resonance r, double s0, double s1) {
  double y0 = s0 - r.m2, y1 = s1 - r.m2;
  double lnr = 0.5 * log((y1 * y1 + r.a * r.a) / (y0 * y0 + r.a * r.a));
  return lnr + r.m2 / r.a * zp_atan_diff(y1 / r.a, y0 / r.a);
}

/** Moments of the Lorentzian L(s) = 1/((s-M^2)^2 + a^2) over [s0, s1] in
 *  y = s - M^2: out[n] = integral of y^n L, n = 0, 1, 2. */
ZP_HD void zp_res_moments(zp_resonance r, double s0, double s1, double out[3]) {
  double y0 = s0 - r.m2, y1 = s1 - r.m2;
  double dat = zp_atan_diff(y1 / r.a, y0 / r.a);
  out[0] = dat / r.a;
  out[1] = 0.5 * log((y1 * y1 + r.a * r.a) / (y0 * y0 + r.a * r.a));
  out[2] = (y1 - y0) - r.a * dat;
}

/** Integral of L(s) = 1/((s-M^2)^2+a^2) over [s0, s1] (= sigma/s up to k). */
ZP_HD double zp_res_int_lorentz(zp_resonance r, double s0, double s1) {
  return zp_atan_diff((s1 - r.m2) / r.a, (s0 - r.m2) / r.a) / r.a;
}

/** Cumulative regeneration kernel: integral over x' in [0, x] of
 *  3 (x'^2 + (1-x')^2), x = E0/E' in [0, 1] (H-Eq. 11); F(1) = 2. */
ZP_HD double zp_regen_cdf(double x) {
  if (x >= 1.0) return 2.0;
  if (x <= 0.0) return 0.0;
  return x * (3.0 + x * (-3.0 + 2.0 * x));
}

#endif
