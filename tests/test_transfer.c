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

/* Daughters per parent in [lo, hi] (ln E0 relative to the parent bin's lower
 * edge), from H-Eq. 11 by nested adaptive quadrature. */
typedef struct {
  double lo, hi, h;
} kctx;

static double kernel_f(double x, void *vp) {
  (void)vp;
  return 3.0 * (x * x + (1.0 - x) * (1.0 - x));
}

static double daughters_of_parent(double up, void *vp) {
  const kctx *c = vp;
  /* parent at ln E' = up; daughters with x = E0/E' in [e^(lo-up), e^(hi-up)] */
  double xa = fmin(1.0, exp(c->lo - up)), xb = fmin(1.0, exp(c->hi - up));
  if (!(xb > xa)) return 0.0;
  /* Simpson's rule is exact for the quadratic kernel */
  return (xb - xa) / 6.0 *
         (kernel_f(xa, NULL) + 4.0 * kernel_f(0.5 * (xa + xb), NULL) + kernel_f(xb, NULL));
}

Test(kernel, matches_continuum_and_keeps_moments) {
  gsl_set_error_handler_off();
  double h = log(10.0) / 37.0;
  size_t nb = 50;
  zp_regen_kernel k;
  cr_assert_eq(zp_regen_kernel_init(nb, h, &k, NULL), ZP_OK);
  gsl_integration_workspace *wo = gsl_integration_workspace_alloc(100);
  for (size_t d = 2; d < 12; ++d) { /* D_0, D_1 carry the moment correction */
    kctx c = {-(double)d * h, -(double)d * h + h, h};
    gsl_function f = {daughters_of_parent, &c};
    double v, e;
    gsl_integration_qag(&f, 0.0, h, 0.0, 1e-13, 100, 6, wo, &v, &e);
    /* 1e-11: both are exact up to quadrature and rounding */
    cr_expect(zp_test_close(k.d[d], v / h, 1e-11), "D_%zu = %.15g, quadrature %.15g", d, k.d[d],
              v / h);
  }
  /* moments with the tails, for every parent bin: number 2, energy 1 */
  for (size_t b = 0; b < nb; ++b) {
    double num = k.tail_number[b], en = k.tail_energy[b];
    for (size_t d = 0; d <= b; ++d) {
      num += k.d[d];
      en += k.d[d] * exp(-(double)d * h);
    }
    cr_expect(fabs(num - 2.0) < 1e-13, "parent %zu: number %.17g", b, num);
    cr_expect(fabs(en - 1.0) < 1e-13, "parent %zu: energy %.17g", b, en);
  }
  /* the correction is small: second-order in h relative to D_1 */
  cr_expect(fabs(k.correction) < 0.1 * k.d[1]);
  /* beyond D_1 the kernel is exactly three exponentials (the fast path) */
  for (size_t d = 2; d < nb; ++d) {
    double sum = 0.0;
    for (int m = 0; m < 3; ++m) sum += k.tail[m] * pow(k.tail[3 + m], (double)d);
    cr_expect(zp_test_close(sum, k.d[d], 1e-12), "D_%zu: %.16g vs %.16g", d, sum, k.d[d]);
  }
  gsl_integration_workspace_free(wo);
  zp_regen_kernel_free(&k);
}

Test(transfer, structure_and_column_moments) {
  size_t nb = 23, n = 3 * nb;
  double h = log(10.0) / 20.0;
  zp_regen_kernel k;
  cr_assert_eq(zp_regen_kernel_init(nb, h, &k, NULL), ZP_OK);
  double *surv = malloc(n * sizeof *surv), *t = malloc(n * n * sizeof *t);
  for (size_t r = 0; r < n; ++r) surv[r] = 0.5 + 0.45 * sin(1.7 * (double)r + 0.3);
  const double p[3] = {0.2137, 0.3711, 0.4152};
  zp_shell sh = {nb, 0.83, p, k.d, k.tail, surv};
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
      en += v * exp((double)brow * h - (double)bcol * h);
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
