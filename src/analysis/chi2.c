/* zprop: chi-squared of model fluxes against data sets, and its minimum over
 * the normalisation.  SPDX-License-Identifier: MIT */
#include <math.h>

#include "zprop/fit.h"

void zp_fit_opts_default(zp_fit_opts *o) {
  *o = (zp_fit_opts){.ndata = 0,
                     .data = NULL,
                     .errors = ZP_ERRORS_SYMMETRIC,
                     .upper_limits = ZP_UL_ZERO,
                     .flux = ZP_FLUX_CENTRE,
                     .gamma_min = 1.8,
                     .gamma_max = 3.5,
                     .gamma_step = 0.01,
                     .profile_gamma = 1,
                     .profile_norm = 1};
}

/* The model flux a data set measures, in bin b of the grid. */
static double channel_flux(zp_channel ch, size_t nbins, const double *phi, size_t b) {
  double e = phi[b], mu = phi[nbins + b], tau = phi[2 * nbins + b];
  switch (ch) {
    case ZP_CHANNEL_NUMU: return mu;
    case ZP_CHANNEL_NUE_NUTAU_AVERAGE: return 0.5 * (e + tau);
    case ZP_CHANNEL_FLAVOUR_AVERAGE: break;
  }
  return (e + mu + tau) / 3.0;
}

zp_status zp_model_in_data_bins(const zp_dataset *d, zp_flux_mode mode, size_t nbins,
                                const double *edges, const double *phi, double *out,
                                zp_error *err) {
  for (size_t i = 0; i < d->nbins; ++i) {
    double a = d->bins[i].emin, b = d->bins[i].emax;
    if (a < edges[0] * (1.0 - 1e-12) || b > edges[nbins] * (1.0 + 1e-12))
      return zp_error_set(err, ZP_EINVAL,
                          "data %s bin %zu [%g, %g] GeV lies outside the energy grid [%g, %g] "
                          "GeV: widen emin/emax",
                          d->name, i, a, b, edges[0], edges[nbins]);
    if (mode == ZP_FLUX_AVERAGE) {
      /* fluxes are bin averages: integrate piecewise constant */
      double integral = 0.0;
      /* the grid bins that overlap [a, b] only: the first ending above a */
      size_t g0 = 0, g1 = nbins;
      while (g0 < g1) {
        size_t mid = (g0 + g1) / 2;
        if (edges[mid + 1] > a) g1 = mid;
        else g0 = mid + 1;
      }
      for (size_t g = g0; g < nbins && edges[g] < b; ++g) {
        double lo = a > edges[g] ? a : edges[g], hi = b < edges[g + 1] ? b : edges[g + 1];
        if (hi > lo) integral += channel_flux(d->channel, nbins, phi, g) * (hi - lo);
      }
      out[i] = integral / (1.0 / a - 1.0 / b);
    } else {
      /* log-log interpolation between grid-bin centres */
      double ec = sqrt(a * b), lec = log(ec);
      size_t g = 0;
      while (g + 1 < nbins && sqrt(edges[g + 1] * edges[g + 2]) < ec) ++g;
      double c0 = 0.5 * (log(edges[g]) + log(edges[g + 1]));
      size_t g1 = g + 1 < nbins ? g + 1 : g;
      double c1 = 0.5 * (log(edges[g1]) + log(edges[g1 + 1]));
      double f0 = channel_flux(d->channel, nbins, phi, g),
             f1 = channel_flux(d->channel, nbins, phi, g1);
      double f = f0;
      if (g1 != g && f0 > 0.0 && f1 > 0.0) {
        double t = (lec - c0) / (c1 - c0);
        t = fmin(fmax(t, 0.0), 1.0);
        f = exp((1.0 - t) * log(f0) + t * log(f1));
      }
      out[i] = ec * ec * f;
    }
    if (!isfinite(out[i]))
      return zp_error_set(err, ZP_ENUMERIC, "model flux in data %s bin %zu is not finite", d->name,
                          i);
  }
  return ZP_OK;
}

size_t zp_fit_npoints(const zp_fit_opts *o) {
  size_t n = 0;
  for (size_t k = 0; k < o->ndata; ++k)
    for (size_t i = 0; i < o->data[k]->nbins; ++i)
      if (!o->data[k]->bins[i].is_ul || o->upper_limits != ZP_UL_SKIP) ++n;
  return n;
}

size_t zp_fit_ngamma(const zp_fit_opts *o) {
  if (!o->profile_gamma || !(o->gamma_max > o->gamma_min && o->gamma_step > 0.0)) return 1;
  return (size_t)floor((o->gamma_max - o->gamma_min) / o->gamma_step + 1e-9) + 1;
}

static double term(const zp_fit_opts *o, const zp_data_bin *x, double m) {
  if (x->is_ul) {
    double lim = x->value;
    switch (o->upper_limits) {
      case ZP_UL_ZERO: return (m / lim) * (m / lim);
      case ZP_UL_HALF: return (m - 0.5 * lim) * (m - 0.5 * lim) / (0.25 * lim * lim);
      case ZP_UL_EXCESS: return m > lim ? (m - lim) * (m - lim) / (lim * lim) : 0.0;
      case ZP_UL_SKIP: return 0.0;
    }
  }
  double sigma = 0.5 * (x->upper - x->lower);
  if (o->errors == ZP_ERRORS_ASYMMETRIC)
    sigma = m > x->value ? x->upper - x->value : x->value - x->lower;
  if (!(sigma > 0.0)) sigma = 0.5 * (x->upper - x->lower); /* a one-sided interval */
  double r = (m - x->value) / sigma;
  return r * r;
}

double zp_chi2_eval(const zp_fit_opts *o, const double *model, double scale) {
  double chi2 = 0.0;
  size_t idx = 0;
  for (size_t k = 0; k < o->ndata; ++k)
    for (size_t i = 0; i < o->data[k]->nbins; ++i, ++idx)
      chi2 += term(o, &o->data[k]->bins[i], scale * model[idx]);
  return chi2;
}

typedef struct {
  const zp_fit_opts *o;
  const double *model;
  double s0;
} scale_ctx;

static double chi2_of_log_scale(double x, const scale_ctx *c) {
  return zp_chi2_eval(c->o, c->model, c->s0 * exp(x));
}

/* Golden-section search on a < *x < b with f(*x) below both ends, to a
 * bracket of 1e-10 in ln(scale).  The chi2 is convex in ln(scale), so the
 * bracket keeps the minimum; GSL's Brent minimiser is not used because it
 * reports through the process-wide GSL error handler. */
static void golden_min(const scale_ctx *c, double a, double b, double *x, double *fx) {
  const double g = 0.38196601125010515; /* (3 - sqrt 5) / 2 */
  double xm = *x, fm = *fx;
  for (int it = 0; it < 200 && b - a > 1e-10; ++it) {
    double u = (b - xm > xm - a) ? xm + g * (b - xm) : xm - g * (xm - a);
    double fu = chi2_of_log_scale(u, c);
    if (fu < fm) {
      if (u > xm) a = xm;
      else b = xm;
      xm = u;
      fm = fu;
    } else if (u > xm) {
      b = u;
    } else {
      a = u;
    }
  }
  *x = xm;
  *fx = fm;
}

double zp_chi2_profile_scale(const zp_fit_opts *o, const double *model, double *best_scale) {
  /* With symmetric errors and upper limits as points the chi2 is quadratic
   * in the scale: the minimum is a ratio of sums. */
  double num = 0.0, den = 0.0;
  size_t idx = 0;
  for (size_t k = 0; k < o->ndata; ++k)
    for (size_t i = 0; i < o->data[k]->nbins; ++i, ++idx) {
      const zp_data_bin *x = &o->data[k]->bins[i];
      double d, sigma, m = model[idx];
      if (x->is_ul) {
        if (o->upper_limits == ZP_UL_SKIP || o->upper_limits == ZP_UL_EXCESS) continue;
        d = o->upper_limits == ZP_UL_HALF ? 0.5 * x->value : 0.0;
        sigma = o->upper_limits == ZP_UL_HALF ? 0.5 * x->value : x->value;
      } else {
        d = x->value;
        sigma = 0.5 * (x->upper - x->lower);
      }
      num += d * m / (sigma * sigma);
      den += m * m / (sigma * sigma);
    }
  double s = den > 0.0 ? fmax(num / den, 0.0) : 0.0;
  int quadratic = o->errors == ZP_ERRORS_SYMMETRIC && o->upper_limits != ZP_UL_EXCESS;
  if (quadratic || !(s > 0.0)) {
    *best_scale = s;
    return zp_chi2_eval(o, model, s);
  }
  /* Otherwise convex but piecewise: a minimum search on ln(scale). */
  scale_ctx c = {o, model, s};
  double a = -3.0, b = 3.0, x = 0.0;
  double fa = chi2_of_log_scale(a, &c), fb = chi2_of_log_scale(b, &c),
         fx = chi2_of_log_scale(x, &c);
  /* walk the bracket until the middle is lowest */
  for (int it = 0; it < 60 && !(fx < fa && fx < fb); ++it) {
    if (fa <= fx) {
      b = x, fb = fx, x = a, fx = fa, a -= 1.0, fa = chi2_of_log_scale(a, &c);
    } else {
      a = x, fa = fx, x = b, fx = fb, b += 1.0, fb = chi2_of_log_scale(b, &c);
    }
  }
  if (fx < fa && fx < fb) golden_min(&c, a, b, &x, &fx);
  *best_scale = s * exp(x);
  return fx;
}
