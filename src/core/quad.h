/* zprop: adaptive Gauss-Kronrod quadrature that leaves the GSL error
 * handler alone (library-internal).
 *
 * gsl_integration_qag and friends report a failure through the process-wide
 * GSL error handler, which aborts by default; switching it off around each
 * call would change state the caller owns, and parallel callers (batch runs
 * under OpenMP) would race on saving and restoring it.  The Kronrod rules
 * themselves (gsl_integration_qk21, qk61) never touch the handler, so the
 * adaptive bisection loop lives here and failures come back as a status.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_QUAD_H
#define ZP_QUAD_H

#include <stddef.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <math.h>

typedef enum { ZP_QUAD_GK21 = 21, ZP_QUAD_GK61 = 61 } zp_quad_rule;

/** Integrates @p f over [pts[0], pts[npts-1]] (npts >= 2, increasing; the
 *  inner points are known kinks or peaks) by bisecting the piece with the
 *  largest error estimate until the total error is at most
 *  max(@p epsabs, @p epsrel |result|), with at most @p limit pieces.
 *  Returns a GSL status without calling the error handler: GSL_SUCCESS,
 *  GSL_EMAXITER (limit reached), GSL_EROUND (round-off stops progress),
 *  GSL_ESING (a piece too small to split), GSL_EBADFUNC (non-finite value),
 *  GSL_ENOMEM, GSL_EINVAL.  *result and *abserr hold the best estimate in
 *  every case but GSL_ENOMEM and GSL_EINVAL (then 0). */
int zp_quad(const gsl_function *f, const double *pts, size_t npts, double epsabs, double epsrel,
            size_t limit, zp_quad_rule rule, double *result, double *abserr);

/** @p status, or GSL_SUCCESS where it is GSL_EROUND but the error estimate
 *  @p abserr is within @p rel of |@p val|: a tolerance at the edge of
 *  double precision stalls the bisection on round-off after the value has
 *  converged, which the estimate shows. */
static inline int zp_quad_accept_round(int status, double val, double abserr, double rel) {
  return status == GSL_EROUND && abserr <= rel * fabs(val) ? GSL_SUCCESS : status;
}

/** One piece of the bisection: [a, b], its integral and error estimate. */
typedef struct {
  double a, b, r, e;
} zp_quad_piece;

/** zp_quad() in the caller's workspace of @p limit pieces, for callers
 *  that integrate many times in a row (no allocation per call). */
int zp_quad_ws(const gsl_function *f, const double *pts, size_t npts, double epsabs, double epsrel,
               size_t limit, zp_quad_rule rule, zp_quad_piece *ws, double *result, double *abserr);

#endif
