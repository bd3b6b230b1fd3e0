/* The transfer matrix T_k and the discrete regeneration kernel. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "transport/grid.h"
#include "physics/regen.h"
#include "support.h"

/* Daughters per parent in [lo, hi] (ln E0), the parent flat over
 * [pa, pa + pw], from H-Eq. 11 by nested quadrature. */
typedef struct {
  double lo, hi;
} kctx;

static double kernel_f(double x) { return 3.0 * (x * x + (1.0 - x) * (1.0 - x)); }

static double daughters_of_parent(double up, void *vp) {
  const kctx *c = vp;
  /* parent at ln E' = up; daughters with x = E0/E' in [e^(lo-up), e^(hi-up)] */
  double xa = fmin(1.0, exp(c->lo - up)), xb = fmin(1.0, exp(c->hi - up));
  if (!(xb > xa)) return 0.0;
  /* Simpson's rule is exact for the quadratic kernel */
  return (xb - xa) / 6.0 * (kernel_f(xa) + 4.0 * kernel_f(0.5 * (xa + xb)) + kernel_f(xb));
}

/* A grid of log-uniform bins cut at pseudo-random places, as the transport
 * grid is: widths from 1e-2 to 1 of h. */
static double *cut_grid(size_t nb, double h, double *lnedge) {
  unsigned s = 12345u;
  lnedge[0] = log(1e3);
  for (size_t b = 0; b < nb; ++b) {
    s = s * 1103515245u + 12345u;
    double r = (double)(s >> 8) / (double)(1u << 24);
    lnedge[b + 1] = lnedge[b] + h * (r < 0.15 ? 0.01 + 0.05 * r : r);
  }
  return lnedge;
}

static double mean_energy(const double *lnedge, size_t b) {
  double w = lnedge[b + 1] - lnedge[b];
  return exp(lnedge[b]) * expm1(w) / w;
}

Test(kernel, matches_continuum_and_keeps_moments) {
  gsl_set_error_handler_off();
  enum { NB = 60 };
  double h = log(10.0) / 37.0, e[NB + 1];
  cut_grid(NB, h, e);
  zp_regen_kernel k;
  cr_assert_eq(zp_regen_kernel_init(NB, e, &k, NULL), ZP_OK);
  gsl_integration_workspace *wo = gsl_integration_workspace_alloc(100);
  size_t checked = 0;
  for (size_t b = 0; b < NB; b += 7) {
    const double *kp = k.packed + (NB - 1 - b) * ZP_KERN_STRIDE;
    for (size_t q = 0; q <= b; ++q) {
      /* the energy move changes two entries per parent: compare the rest */
      double o = (double)(b - q);
      if (kp[ZP_KERN_MOVE] != 0.0 && (o == kp[ZP_KERN_FROM] || o == kp[ZP_KERN_TO])) continue;
      kctx c = {e[q], e[q + 1]};
      gsl_function f = {daughters_of_parent, &c};
      double v, err;
      gsl_integration_qag(&f, e[b], e[b + 1], 0.0, 1e-13, 100, 6, wo, &v, &err);
      v /= e[b + 1] - e[b];
      double d = zp_kernel_entry(k.packed, NB - 1 - q, NB - 1 - b);
      /* 1e-11: both are exact up to quadrature and rounding */
      cr_expect(zp_test_close(d, v, 1e-11) || fabs(d - v) < 1e-15,
                "D(%zu, %zu) = %.15g, quadrature %.15g", q, b, d, v);
      ++checked;
    }
  }
  cr_expect_gt(checked, 100);
  /* moments with the tails, for every parent bin: number 2, energy its own;
   * every entry positive, the move under half its donor */
  for (size_t b = 0; b < NB; ++b) {
    double num = k.tail_number[b], en = k.tail_energy[b] * mean_energy(e, b);
    for (size_t q = 0; q <= b; ++q) {
      double d = zp_kernel_entry(k.packed, NB - 1 - q, NB - 1 - b);
      cr_expect(d > 0.0, "D(%zu, %zu) = %g", q, b, d);
      num += d;
      en += d * mean_energy(e, q);
    }
    cr_expect(fabs(num - 2.0) < 1e-13, "parent %zu: number %.17g", b, num);
    cr_expect(fabs(en / mean_energy(e, b) - 1.0) < 1e-13, "parent %zu: energy %.17g", b,
              en / mean_energy(e, b));
  }
  gsl_integration_workspace_free(wo);
  zp_regen_kernel_free(&k);
}

Test(transfer, structure_and_column_moments) {
  size_t nb = 23, n = 3 * nb;
  double h = log(10.0) / 20.0, e[24];
  cut_grid(nb, h, e);
  zp_regen_kernel k;
  cr_assert_eq(zp_regen_kernel_init(nb, e, &k, NULL), ZP_OK);
  double *surv = malloc(n * sizeof *surv), *t = malloc(n * n * sizeof *t);
  for (size_t r = 0; r < n; ++r) surv[r] = 0.5 + 0.45 * sin(1.7 * (double)r + 0.3);
  const double p[3] = {0.2137, 0.3711, 0.4152};
  zp_shell sh = {nb, 0.83, p, k.packed, surv, NULL, 0};
  zp_backend *bk;
  cr_assert_eq(zp_backend_cpu_create(nb, &bk, NULL), ZP_OK);
  cr_assert_eq(bk->ops->assemble(bk, &sh, NULL), ZP_OK);
  cr_assert_eq(zp_backend_debug(bk)->read_matrix(bk, t, NULL), ZP_OK);
  for (size_t c = 0; c < n; ++c) {
    size_t bcol = nb - 1 - c / 3; /* energy bin of the column */
    double num = 0.0, en = 0.0;
    for (size_t r = 0; r < n; ++r) {
      double v = t[r + c * n];
      if (r / 3 < c / 3) cr_assert_eq(v, 0.0, "above the diagonal blocks at (%zu, %zu)", r, c);
      size_t brow = nb - 1 - r / 3;
      num += v;
      en += v * mean_energy(e, brow) / mean_energy(e, bcol);
    }
    double s = surv[c], scat = 1.0 - s;
    /* survivors + 2 per regenerating scattering, minus what leaves the grid */
    double want_num = s + 0.83 * scat * (2.0 - k.tail_number[bcol]);
    double want_en = s + 0.83 * scat * (1.0 - k.tail_energy[bcol]);
    cr_expect(zp_test_close(num, want_num, 1e-13), "column %zu number %.16g vs %.16g", c, num,
              want_num);
    cr_expect(zp_test_close(en, want_en, 1e-13), "column %zu energy %.16g vs %.16g", c, en,
              want_en);
  }
  /* applying equals the explicit matrix-vector product */
  double *y = malloc(n * sizeof *y), *want = calloc(n, sizeof *want);
  for (size_t r = 0; r < n; ++r) y[r] = 1.0 + 0.37 * cos(0.9 * (double)r);
  for (size_t c = 0; c < n; ++c)
    for (size_t r = 0; r < n; ++r) want[r] += t[r + c * n] * y[c];
  cr_assert_eq(bk->ops->apply(bk, y, 1, n, NULL), ZP_OK);
  for (size_t r = 0; r < n; ++r) cr_expect(zp_test_close(y[r], want[r], 1e-13));
  zp_backend_destroy(bk);
  zp_regen_kernel_free(&k);
  free(surv);
  free(t);
  free(y);
  free(want);
}
