/* zprop: muon g-2 shift from a Lmu-Ltau Z' (H-Eq. 4), by GSL quadrature.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include <gsl/gsl_errno.h>

#include "core/quad.h"
#include "zprop/gm2.h"
#include "physics/physics.h"

static double gm2_integrand(double x, void *p) {
  double r = *(const double *)p; /* m_mu^2 / M^2 */
  return x * x * (1.0 - x) / (1.0 - x + r * x * x);
}

zp_status zp_gm2_delta_amu(double mzp_gev, double g, double *out, zp_error *err) {
  if (out == NULL) return zp_error_set(err, ZP_EINVAL, "zp_gm2_delta_amu: out is NULL");
  if (!(mzp_gev > 0.0 && isfinite(mzp_gev)))
    return zp_error_set(err, ZP_EINVAL, "Z' mass mzp = %g GeV must be positive and finite",
                        mzp_gev);
  if (!isfinite(g)) return zp_error_set(err, ZP_EINVAL, "Z' coupling gzp = %g is not finite", g);

  double r = ZP_M_MU_GEV * ZP_M_MU_GEV / (mzp_gev * mzp_gev);
  gsl_function f = {gm2_integrand, &r};
  /* For a light Z' the integrand rises and turns over near x = 1/sqrt(r);
   * a break point there keeps the adaptive rule from hunting for it.  For a
   * heavy one it falls from x^2 to 0 in a layer of width ~r below x = 1:
   * break points at 1 - 10^-k down to ~r lead the bisection into the layer
   * before its round-off test mistakes the slow progress for noise (1e-14:
   * thinner layers are below the resolution of doubles near 1). */
  double pts[20] = {0.0};
  size_t npts = 1;
  if (r > 4.0) pts[npts++] = 1.0 / sqrt(r);
  for (double t = 0.1; t >= r && t >= 1e-14; t *= 0.1) pts[npts++] = 1.0 - t;
  pts[npts++] = 1.0;

  enum { LIMIT = 1000 };
  double val = 0.0, abserr = 0.0;
  int status = zp_quad(&f, pts, npts, 0.0, 1e-12, LIMIT, ZP_QUAD_GK21, &val, &abserr);
  if (status == GSL_ENOMEM) return zp_error_set(err, ZP_ENOMEM, "zp_gm2_delta_amu: quadrature");
  status = zp_quad_accept_round(status, val, abserr, 1e-10);
  if (status != GSL_SUCCESS || !isfinite(val))
    return zp_error_set(err, ZP_ENUMERIC, "g-2 integral failed for mzp = %g GeV: %s", mzp_gev,
                        gsl_strerror(status));

  *out = g * g * r / (4.0 * ZP_PI * ZP_PI) * val;
  return ZP_OK;
}
