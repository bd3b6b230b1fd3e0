/* The vectorised batch sweeps of the structured backend (src/backends/
 * apply_avx2.c, apply_avx512.c) against its scalar sweep: real batches on
 * cpu_fast, every path this CPU runs, element by element; and a single
 * spectrum's fused sweep (apply_fma1.c) against the scalar one.  A path
 * the CPU lacks is skipped with its name. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include "backends/apply_isa.h"
#include "backends/backend.h"
#include "support.h"
#include "zprop/zprop.h"

/* 1e-13 relative.  Each lane does the scalar sweep's operations in the same
 * order, except that a product added to a sum is one fused multiply-add
 * (one rounding instead of two), so the results differ in the last bits,
 * not bit for bit; over the tens of shells of a batch these differences
 * stay far below 1e-13 (the worst seen is logged).  The flux entries are
 * sums of positive terms, so they do not amplify them. */
#define ISA_TOL 1e-13

/* A batch of nsources x ngamma right-hand sides per point: the
 * remainders of 4 and 8 lanes for 1, 3, 4, 5, 9 and 35 of them. */
static zp_batch_result *run_batch(zp_apply_isa isa, size_t nsources, size_t ngamma) {
  zp_error err;
  cr_assert_eq(zp_apply_isa_force(isa, &err), ZP_OK, "%s", err.msg);
  zp_point pts[3] = {zp_test_point(13.0, 5e-4, 0.0, 0.12, ZP_ORDERING_NO),
                     zp_test_point(9.3, 8e-4, 1.1e-3, 0.15, ZP_ORDERING_IO),
                     zp_test_point(17.0, 3e-4, 0.0, 0.0588, ZP_ORDERING_NO)};
  pts[2].sum_mnu_ev = zp_min_sum_mnu(&pts[2].osc, ZP_ORDERING_NO); /* massless lightest */
  zp_source srcs[3] = {{ZP_SOURCE_SFR, 1.0, 6.0, 0.0, 2.5, NULL},
                       {ZP_SOURCE_DELTA, 6.0, 6.0, 0.0, 2.5, NULL},
                       {ZP_SOURCE_BLLAC, 1.0, 6.0, 0.0, 2.5, NULL}};
  double gammas[35];
  for (size_t g = 0; g < ngamma; ++g) gammas[g] = 2.0 + 1.5 * (double)g / 35.0;
  zp_batch_spec spec = {.npoints = 3,
                        .points = pts,
                        .nsources = nsources,
                        .sources = srcs,
                        .ngamma = ngamma,
                        .gammas = gammas};
  zp_config_default(&spec.base);
  spec.base.grid.bins_per_decade = 15;
  spec.base.backend = ZP_BACKEND_CPU_FAST;
  zp_batch_result *r;
  cr_assert_eq(zp_batch_compute(&spec, &r, &err), ZP_OK, "%s", err.msg);
  cr_assert_str_eq(r->backend_name, "cpu_fast");
  cr_assert_eq(zp_apply_isa_force(zp_apply_isa_best(), &err), ZP_OK, "%s", err.msg);
  return r;
}

/* Entries of @p a and @p b beyond ISA_TOL; *worst gets the largest
 * relative difference. */
static size_t count_bad(const double *a, const double *b, size_t n, double *worst) {
  size_t bad = 0;
  for (size_t e = 0; e < n; ++e) {
    double d = fabs(a[e] - b[e]) / fmax(fmax(fabs(a[e]), fabs(b[e])), 1e-300);
    *worst = fmax(*worst, d);
    if (!zp_test_close(a[e], b[e], ISA_TOL)) ++bad; /* a NaN fails */
  }
  return bad;
}

static void skip_unless_supported(zp_apply_isa isa) {
  if (!zp_apply_isa_supported(isa))
    cr_skip_test("%s: not supported by this CPU (or build)", zp_apply_isa_name(isa));
}

ParameterizedTestParameters(apply_isa, batch_equals_scalar) {
  static zp_apply_isa isas[] = {ZP_APPLY_AVX2, ZP_APPLY_AVX512};
  return cr_make_param_array(zp_apply_isa, isas, 2);
}

ParameterizedTest(zp_apply_isa *isa, apply_isa, batch_equals_scalar, .timeout = 240) {
  skip_unless_supported(*isa);
  static const size_t shape[][2] = {{1, 1}, {3, 1}, {1, 4}, {1, 5}, {3, 3}, {1, 35}};
  for (size_t c = 0; c < sizeof shape / sizeof shape[0]; ++c) {
    zp_batch_result *want = run_batch(ZP_APPLY_SCALAR, shape[c][0], shape[c][1]);
    zp_batch_result *got = run_batch(*isa, shape[c][0], shape[c][1]);
    size_t n = want->npoints * want->nsources * want->ngamma * 3 * want->nbins;
    cr_assert_eq(got->nbins, want->nbins);
    double worst = 0.0;
    size_t bad = count_bad(got->phi_mass, want->phi_mass, n, &worst) +
                 count_bad(got->phi_flavour, want->phi_flavour, n, &worst) +
                 count_bad(got->phi0_flavour, want->phi0_flavour, n, &worst);
    size_t nrhs = shape[c][0] * shape[c][1];
    cr_expect_eq(bad, 0, "%s, %zu rhs: %zu of %zu entries differ beyond %g (worst %.2e)",
                 zp_apply_isa_name(*isa), nrhs, bad, 3 * n, ISA_TOL, worst);
    cr_log_info("%s, %zu rhs: worst relative difference %.2e", zp_apply_isa_name(*isa), nrhs,
                worst);
    zp_batch_result_free(want);
    zp_batch_result_free(got);
  }
}

static zp_spectrum *run_spectrum(zp_apply_isa isa) {
  zp_error err;
  cr_assert_eq(zp_apply_isa_force(isa, &err), ZP_OK, "%s", err.msg);
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.backend = ZP_BACKEND_CPU_FAST;
  cfg.grid.bins_per_decade = 40;
  cfg.zprime.mzp_mev = 13.0;
  cfg.zprime.gzp = 3e-3;
  zp_spectrum *sp;
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(zp_apply_isa_force(zp_apply_isa_best(), &err), ZP_OK, "%s", err.msg);
  return sp;
}

/* One spectrum (one right-hand side, no sources in the sweep) takes the
 * fused single sweep wherever AVX2 runs and the scalar one when forced:
 * equal to ISA_TOL, and not bit for bit (else the fused path did not run). */
Test(apply_isa, spectrum_sweep_equals_scalar) {
  skip_unless_supported(ZP_APPLY_AVX2);
  zp_spectrum *want = run_spectrum(ZP_APPLY_SCALAR), *got = run_spectrum(ZP_APPLY_AVX2);
  cr_assert_eq(got->nbins, want->nbins);
  double worst = 0.0;
  size_t n = 3 * want->nbins;
  size_t bad = count_bad(got->phi_mass, want->phi_mass, n, &worst) +
               count_bad(got->phi_flavour, want->phi_flavour, n, &worst);
  cr_expect_eq(bad, 0, "%zu of %zu entries differ beyond %g (worst %.2e)", bad, 2 * n, ISA_TOL,
               worst);
  cr_expect_gt(worst, 0.0, "the fused sweep gave the scalar one's bits: did it run?");
  cr_log_info("one spectrum: worst relative difference %.2e", worst);
  zp_spectrum_free(want);
  zp_spectrum_free(got);
}

ParameterizedTestParameters(apply_isa, chunk_takes_the_forced_path) {
  static zp_apply_isa isas[] = {ZP_APPLY_SCALAR, ZP_APPLY_AVX2, ZP_APPLY_AVX512};
  return cr_make_param_array(zp_apply_isa, isas, 3);
}

/* The comparison above means something only if the forced path is the one
 * the chunk is swept with. */
ParameterizedTest(zp_apply_isa *isa, apply_isa, chunk_takes_the_forced_path) {
  skip_unless_supported(*isa);
  zp_error err;
  cr_assert_eq(zp_apply_isa_force(*isa, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(zp_apply_isa_active(), *isa);
  zp_backend *bk;
  cr_assert_eq(zp_backend_cpu_fast_create(4, &bk, &err), ZP_OK, "%s", err.msg);
  double zero[12] = {0.0}, one = 1.0, third[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  int gi = 0;
  zp_batch_plan plan = {.nbins = 4,
                        .nshells = 1,
                        .nrhs = 1,
                        .ngamma = 1,
                        .npoints = 1,
                        .kernel = zero,
                        .bin_power = zero,
                        .rhs_gamma = &gi,
                        .rhs_norm = &one,
                        .pre = zero,
                        .split = zero,
                        .survival = zero,
                        .regen_fraction = zero,
                        .p_branch = third,
                        .weights = third};
  cr_assert_eq(bk->ops->batch_load(bk, &plan, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(zp_backend_cpu_fast_isa(bk), *isa, "chunk swept with %s, not %s",
               zp_apply_isa_name(zp_backend_cpu_fast_isa(bk)), zp_apply_isa_name(*isa));
  zp_backend_destroy(bk);
}

/* Forcing a set the CPU lacks fails and leaves the choice as it was. */
Test(apply_isa, unsupported_is_refused) {
  zp_error err;
  cr_expect(zp_apply_isa_supported(ZP_APPLY_SCALAR));
  cr_expect_eq(zp_apply_isa_force(ZP_APPLY_SCALAR, &err), ZP_OK);
  cr_expect_eq(zp_apply_isa_active(), ZP_APPLY_SCALAR);
  cr_expect_eq(zp_apply_isa_force(ZP_APPLY_NISA, &err), ZP_EBACKEND);
  cr_expect_eq(zp_apply_isa_active(), ZP_APPLY_SCALAR);
  if (!zp_apply_isa_supported(ZP_APPLY_AVX512)) {
    cr_expect_eq(zp_apply_isa_force(ZP_APPLY_AVX512, &err), ZP_EBACKEND);
    cr_expect(strstr(err.msg, "avx512") != NULL, "%s", err.msg);
    cr_expect_eq(zp_apply_isa_active(), ZP_APPLY_SCALAR);
  }
  cr_expect_eq(zp_apply_isa_force(zp_apply_isa_best(), &err), ZP_OK);
  cr_expect_eq(zp_apply_isa_active(), zp_apply_isa_best());
}
