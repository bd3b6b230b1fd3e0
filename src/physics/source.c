/* zprop: source redshift densities rho(z) and their shell integrals
 * (physics.md section 2, "Sources").  SFR forms and the BL Lac density are
 * normalised to rho(0) = 1; the normalisation A carries the units.
 * SPDX-License-Identifier: MIT */
#include "zprop/source.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "core/quad.h"
#include "physics/source_bllac.h"
#include "physics/physics.h"

/* Largest redshift any source may sit at (z0, zmax). */
#define ZP_SOURCE_ZLIMIT 20.0

/* Kinks of the broken power law. */
static const double sfr_breaks[2] = {1.0, 4.0};

/* H-Eq. 17, continuous at the breaks z = 1 and 4, rho(0) = 1. */
static double sfr_broken(double z) {
  double a = 1.0 + z;
  if (z < 1.0) return pow(a, 3.4);
  if (z < 4.0) return pow(2.0, 3.7) * pow(a, -0.3);
  return pow(2.0, 3.7) * pow(5.0, 3.2) * pow(a, -3.5);
}

/* Yuksel et al. 2008: [(1+z)^(a eta) + ((1+z)/B)^(b eta) + ((1+z)/C)^(c eta)]^(1/eta). */
static double sfr_smooth_raw(double z) {
  const double eta = -10.0, b_ = 5160.64, c_ = 9.0634;
  double a = 1.0 + z;
  return pow(pow(a, 3.4 * eta) + pow(a / b_, -0.3 * eta) + pow(a / c_, -3.5 * eta), 1.0 / eta);
}

static double table_density(const zp_source_table *t, double z) {
  if (t == NULL || t->size < 2 || z < t->z[0] || z > t->z[t->size - 1]) return 0.0;
  size_t lo = 0, hi = t->size - 1; /* bisection: z[lo] <= z <= z[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->z[mid] <= z) lo = mid;
    else hi = mid;
  }
  double w = (z - t->z[lo]) / (t->z[hi] - t->z[lo]);
  return t->rho[lo] + w * (t->rho[hi] - t->rho[lo]);
}

double zp_source_density(const zp_source *src, double z) {
  if (src == NULL || src->kind == ZP_SOURCE_DELTA) return 0.0;
  /* No sources in the future, none beyond zmax. */
  if (!(z >= 0.0) || z > src->zmax) return 0.0;
  double rho;
  switch (src->kind) {
    case ZP_SOURCE_SFR: rho = sfr_broken(z); break;
    case ZP_SOURCE_SFR_SMOOTH: rho = sfr_smooth_raw(z) / sfr_smooth_raw(0.0); break;
    case ZP_SOURCE_BLLAC: rho = zp_bllac_density(z); break;
    case ZP_SOURCE_TABLE: rho = table_density(src->table, z); break;
    default: return 0.0;
  }
  if (src->density_power != 0.0) rho *= pow(1.0 + z, src->density_power);
  return rho;
}

size_t zp_source_breakpoints(const zp_source *src, double *out, size_t cap) {
  if (src == NULL) return 0;
  size_t n = 0;
  if (src->kind == ZP_SOURCE_SFR) {
    for (int k = 0; k < 2; ++k) {
      if (sfr_breaks[k] < src->zmax) {
        if (n < cap && out != NULL) out[n] = sfr_breaks[k];
        ++n;
      }
    }
  } else if (src->kind == ZP_SOURCE_TABLE && src->table != NULL) {
    for (size_t k = 0; k < src->table->size; ++k) {
      double z = src->table->z[k];
      if (z > 0.0 && z < src->zmax) {
        if (n < cap && out != NULL) out[n] = z;
        ++n;
      }
    }
  }
  return n;
}

/* rho(z) (1+z)^(1-gamma) / ((1+z) E(z)) */
static double shell_integrand(double z, void *p) {
  const zp_source *src = p;
  return zp_source_density(src, z) * pow(1.0 + z, -src->gamma) / zp_hubble_e(z);
}

typedef struct {
  const zp_source *src;
  double sum;
  zp_quad_piece *ws; /* ZP_SHELL_LIMIT pieces, shared by every piece of the shell */
} piece_acc;

enum { ZP_SHELL_LIMIT = 500 };

/* Adds the integral over one smooth piece [a, b]. */
static zp_status add_piece(piece_acc *acc, double a, double b, zp_error *err) {
  if (!(b > a)) return ZP_OK;
  gsl_function f = {shell_integrand, (void *)acc->src};
  const double range[2] = {a, b};
  double val = 0.0, abserr = 0.0;
  int status = zp_quad_ws(&f, range, 2, 0.0, 1e-13, ZP_SHELL_LIMIT, ZP_QUAD_GK21, acc->ws, &val,
                          &abserr);
  status = zp_quad_accept_round(status, val, abserr, 1e-12);
  if (status != GSL_SUCCESS || !isfinite(val))
    return zp_error_set(err, ZP_ENUMERIC, "source shell integral over z in [%.17g, %.17g]: %s", a,
                        b, gsl_strerror(status));
  acc->sum += val;
  return ZP_OK;
}

/* Splits [lo, hi] at the sorted nodes strictly inside it. */
static zp_status add_split(piece_acc *acc, double lo, double hi, const double *nodes, size_t count,
                           zp_error *err) {
  size_t k = 0;
  while (k < count && nodes[k] <= lo) ++k; /* few nodes or once per call */
  double a = lo;
  for (; k < count && nodes[k] < hi; ++k) {
    zp_status st = add_piece(acc, a, nodes[k], err);
    if (st != ZP_OK) return st;
    a = nodes[k];
  }
  return add_piece(acc, a, hi, err);
}

zp_status zp_source_shell_integral(const zp_source *src, double z_lo, double z_hi, double *out,
                                   zp_error *err) {
  if (src == NULL || out == NULL)
    return zp_error_set(err, ZP_EINVAL, "zp_source_shell_integral: src or out is NULL");
  if (!isfinite(z_lo) || !isfinite(z_hi) || z_lo > z_hi)
    return zp_error_set(err, ZP_EINVAL, "source shell [%g, %g] is not an interval", z_lo, z_hi);
  *out = 0.0;
  if (src->kind == ZP_SOURCE_DELTA) {
    /* J ~ delta(z - z0): the integral picks the integrand at z0.  A
     * (1+z0)^density_power would be a constant the normalisation absorbs,
     * so it is left out. */
    double z0 = src->z0;
    if (z_lo <= z0 && z0 < z_hi) *out = pow(1.0 + z0, -src->gamma) / zp_hubble_e(z0);
    return ZP_OK;
  }

  const double *nodes = NULL;
  size_t count = 0;
  double lo = fmax(z_lo, 0.0), hi = fmin(z_hi, src->zmax);
  switch (src->kind) {
    case ZP_SOURCE_SFR:
      nodes = sfr_breaks;
      count = 2;
      break;
    case ZP_SOURCE_SFR_SMOOTH: break;
    case ZP_SOURCE_BLLAC: {
      zp_status st = zp_bllac_table(&nodes, &count, err);
      if (st != ZP_OK) return st;
      hi = fmin(hi, ZP_BLLAC_ZMAX);
      break;
    }
    case ZP_SOURCE_TABLE:
      if (src->table == NULL || src->table->size < 2)
        return zp_error_set(err, ZP_EINVAL, "source_table is required for the table source");
      nodes = src->table->z;
      count = src->table->size;
      lo = fmax(lo, nodes[0]);
      hi = fmin(hi, nodes[count - 1]);
      break;
    default: return zp_error_set(err, ZP_EINVAL, "source kind %d is unknown", (int)src->kind);
  }
  if (!(hi > lo)) return ZP_OK;

  /* One workspace for the shell: a table source has a piece per row. */
  piece_acc acc = {src, 0.0, malloc(ZP_SHELL_LIMIT * sizeof *acc.ws)};
  if (acc.ws == NULL) return zp_error_set(err, ZP_ENOMEM, "source shell integral: out of memory");
  zp_status st = add_split(&acc, lo, hi, nodes, count, err);
  free(acc.ws);
  if (st == ZP_OK) *out = acc.sum;
  return st;
}

zp_status zp_source_check(const zp_source *src, zp_error *err) {
  if (src == NULL) return zp_error_set(err, ZP_EINVAL, "source is NULL");
  if ((int)src->kind < ZP_SOURCE_DELTA || (int)src->kind > ZP_SOURCE_TABLE)
    return zp_error_set(err, ZP_EINVAL, "source kind %d is unknown", (int)src->kind);
  if (!(src->gamma >= 1.0 && src->gamma <= 4.0))
    return zp_error_set(err, ZP_EINVAL, "gamma = %g is out of range [1, 4]", src->gamma);
  if (!(src->density_power >= -10.0 && src->density_power <= 10.0))
    return zp_error_set(err, ZP_EINVAL, "density_power = %g is out of range [-10, 10]",
                        src->density_power);
  if (src->kind == ZP_SOURCE_DELTA) {
    if (!(src->z0 > 0.0 && src->z0 <= ZP_SOURCE_ZLIMIT))
      return zp_error_set(err, ZP_EINVAL, "z0 = %g is out of range (0, %g]", src->z0,
                          ZP_SOURCE_ZLIMIT);
    return ZP_OK;
  }
  if (!(src->zmax > 0.0 && src->zmax <= ZP_SOURCE_ZLIMIT))
    return zp_error_set(err, ZP_EINVAL, "zmax = %g is out of range (0, %g]", src->zmax,
                        ZP_SOURCE_ZLIMIT);
  if (src->kind == ZP_SOURCE_TABLE) {
    const zp_source_table *t = src->table;
    if (t == NULL)
      return zp_error_set(err, ZP_EINVAL, "source_table is required for the table source");
    if (t->size < 2 || t->z == NULL || t->rho == NULL)
      return zp_error_set(err, ZP_EINVAL, "source_table has %zu rows, needs at least 2", t->size);
  }
  if (src->kind == ZP_SOURCE_BLLAC) return zp_bllac_table(NULL, NULL, err);
  return ZP_OK;
}
