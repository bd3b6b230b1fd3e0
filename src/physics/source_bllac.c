/* zprop: BL Lac redshift density, Ajello et al. 2014 LDDE1 (physics.md
 * section 2), integrated over luminosity and photon index.
 *
 * rho(z) = integral over log10 L in [log10 7e43, 52] and Gamma in
 * [1.45, 2.80] of ln(10) L Phi(L, z, Gamma): a comoving number density.
 * The Gamma integral is an erf; the L integral is GSL quadrature.  Since it
 * costs a quadrature per z, it is tabulated once on a grid uniform in
 * u = ln(1+z) and interpolated in ln rho, where the tail beyond the peak
 * is close to a power law.  Normalised so rho(0) = 1, like the SFR forms.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "physics/source_bllac.h"

#include <math.h>
#include <pthread.h>

#include <gsl/gsl_errno.h>

#include "core/quad.h"
#include "physics/physics.h"

/* LDDE1, all BL Lacs (Ajello et al. 2014 Table 3). */
static const double GAMMA1 = 1.12, GAMMA2 = 3.71, LSTAR = 2.43e48;
static const double ZC_STAR = 1.67, ALPHA = 0.0446;
static const double P1_STAR = 4.50, TAU = 0.0, P2_STAR = -12.88, DELTA = 0.0;
static const double MU_STAR = 2.12, BETA = 0.0604, SIGMA = 0.26;
static const double LOG10_LMIN = 43.84509804001426; /* log10 7e43 erg/s */
static const double LOG10_LMAX = 52.0;
static const double GAMMA_MIN = 1.45, GAMMA_MAX = 2.80;

/* 4-point Lagrange interpolation of ln rho on this grid (h = 1.5e-3 in u),
 * measured against zp_bllac_density_exact at 4000 points inside the cells
 * over [0, 20]: max relative error in rho 1.2e-9, at the peak (z = 1.12).
 * Building the table costs under 0.1 s, once per process. */
enum { BLLAC_N = 2001 };

static double bl_z[BLLAC_N];
static double bl_lnrho[BLLAC_N];
static double bl_h; /* grid step in u = ln(1+z) */
static zp_error bl_err;
static pthread_once_t bl_once = PTHREAD_ONCE_INIT;

static double ldde_integrand(double l, void *p) {
  double z = *(const double *)p;
  double dl = l - 46.0;
  double lr = pow(10.0, l) / LSTAR;
  double lf = 1.0 / (pow(lr, GAMMA1) + pow(lr, GAMMA2));
  double zc = ZC_STAR * pow(10.0, ALPHA * (l - 48.0));
  double p1 = P1_STAR + TAU * dl, p2 = P2_STAR + DELTA * dl;
  double x = (1.0 + z) / (1.0 + zc);
  /* Corrected sign (physics.md): rises as x^p1 below zc, falls as x^p2. */
  double evo = 1.0 / (pow(x, -p1) + pow(x, -p2));
  double mu = MU_STAR + BETA * dl;
  double s = SIGMA * sqrt(2.0);
  /* integral of exp(-(G - mu)^2 / (2 sigma^2)) over the index range */
  double gint = SIGMA * sqrt(0.5 * ZP_PI) * (erf((GAMMA_MAX - mu) / s) - erf((GAMMA_MIN - mu) / s));
  return lf * evo * gint;
}

zp_status zp_bllac_density_exact(double z, double *out, zp_error *err) {
  if (!(z >= 0.0 && z <= ZP_BLLAC_ZMAX))
    return zp_error_set(err, ZP_EINVAL, "BL Lac density: z = %g is outside [0, %g]", z,
                        ZP_BLLAC_ZMAX);
  enum { LIMIT = 200 };
  gsl_function f = {ldde_integrand, &z};
  const double range[2] = {LOG10_LMIN, LOG10_LMAX};
  double val = 0.0, abserr = 0.0;
  int status = zp_quad(&f, range, 2, 0.0, 1e-13, LIMIT, ZP_QUAD_GK61, &val, &abserr);
  if (status == GSL_ENOMEM) return zp_error_set(err, ZP_ENOMEM, "BL Lac density: quadrature");
  status = zp_quad_accept_round(status, val, abserr, 1e-12);
  if (status != GSL_SUCCESS || !(val > 0.0) || !isfinite(val))
    return zp_error_set(err, ZP_ENUMERIC, "BL Lac luminosity integral failed at z = %g: %s", z,
                        gsl_strerror(status));
  *out = val;
  return ZP_OK;
}

static void build_table(void) {
  bl_h = log1p(ZP_BLLAC_ZMAX) / (BLLAC_N - 1);
  double rho0 = 0.0;
  for (int k = 0; k < BLLAC_N; ++k) {
    double z = (k == BLLAC_N - 1) ? ZP_BLLAC_ZMAX : expm1(k * bl_h);
    double rho = 0.0;
    if (zp_bllac_density_exact(z, &rho, &bl_err) != ZP_OK) return;
    if (k == 0) rho0 = rho;
    bl_z[k] = z;
    bl_lnrho[k] = log(rho / rho0);
  }
  zp_error_clear(&bl_err);
}

zp_status zp_bllac_table(const double **z_nodes, size_t *count, zp_error *err) {
  /* A failed build leaves its report in bl_err for every later caller. */
  if (pthread_once(&bl_once, build_table) != 0)
    return zp_error_set(err, ZP_ENUMERIC, "BL Lac density table: pthread_once failed");
  if (bl_err.code != ZP_OK) return zp_error_set(err, bl_err.code, "%s", bl_err.msg);
  if (z_nodes != NULL) *z_nodes = bl_z;
  if (count != NULL) *count = BLLAC_N;
  return ZP_OK;
}

double zp_bllac_density(double z) {
  if (zp_bllac_table(NULL, NULL, NULL) != ZP_OK) return NAN;
  if (!(z >= 0.0 && z <= ZP_BLLAC_ZMAX)) return 0.0;
  double t = log1p(z) / bl_h;
  int k0 = (int)floor(t) - 1; /* stencil k0..k0+3 centred on the cell */
  if (k0 < 0) k0 = 0;
  if (k0 > BLLAC_N - 4) k0 = BLLAC_N - 4;
  t -= k0;
  const double *y = bl_lnrho + k0;
  double a = t - 1.0, b = t - 2.0, c = t - 3.0;
  double lnrho = -a * b * c / 6.0 * y[0] + t * b * c / 2.0 * y[1] - t * a * c / 2.0 * y[2] +
                 t * a * b / 6.0 * y[3];
  return exp(lnrho);
}
