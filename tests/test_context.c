/* The reusable context (zprop/context.h): reused for many computations it
 * gives the numbers of the one-call conveniences, a scan and a fit each
 * create one backend, and the backend it names is the one that ran. */
#include <criterion/criterion.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "transport/context_backend.h"
#include "support.h"
#include "zprop/zprop.h"

static zp_config small_config(zp_backend_kind kind) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.grid.emin_gev = 1e3;
  cfg.grid.emax_gev = 1e8;
  cfg.grid.bins_per_decade = 8;
  cfg.backend = kind;
  return cfg;
}

/* 1 when AUTO would find a usable GPU here (then the CPU cases do not apply). */
static int gpu_here(void) {
  const char *name, *notice;
  zp_error err;
  return zp_backend_resolve(ZP_BACKEND_AUTO, &name, &notice, &err) == ZP_OK &&
         strcmp(name, "cuda") == 0;
}

static void expect_same_spectrum(const zp_spectrum *a, const zp_spectrum *b, const char *what) {
  cr_assert_eq(a->nbins, b->nbins, "%s", what);
  size_t bad = 0;
  for (size_t e = 0; e < 3 * a->nbins; ++e)
    if (a->phi_flavour[e] != b->phi_flavour[e] || a->phi0_mass[e] != b->phi0_mass[e]) ++bad;
  cr_expect_eq(bad, 0, "%s: %zu fluxes differ", what, bad);
  cr_expect_eq(a->ledger.energy_below, b->ledger.energy_below, "%s: ledger", what);
  cr_expect_str_eq(a->backend_name, b->backend_name, "%s", what);
}

static void reused_for_spectra(zp_backend_kind kind) {
  zp_context *ctx;
  zp_error err;
  cr_assert_eq(zp_context_create(kind, NULL, &ctx, &err), ZP_OK, "%s", err.msg);
  unsigned long before = zp_backend_creations();
  const double gzp[] = {0.0, 1e-4, 5e-4, 2e-3}, bpd[] = {8, 8, 12, 8};
  for (size_t i = 0; i < 4; ++i) {
    zp_config cfg = small_config(kind);
    cfg.zprime.gzp = gzp[i];
    cfg.zprime.mzp_mev = 5.0 + 3.0 * (double)i;
    cfg.source.gamma = 2.0 + 0.2 * (double)i;
    cfg.grid.bins_per_decade = bpd[i]; /* another grid replaces the backend */
    zp_spectrum *a, *b;
    cr_assert_eq(zp_spectrum_compute_ctx(ctx, &cfg, &a, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(zp_spectrum_compute(&cfg, &b, &err), ZP_OK, "%s", err.msg);
    expect_same_spectrum(a, b, "context against one call");
    cr_expect_str_eq(zp_context_backend_name(ctx), a->backend_name);
    zp_spectrum_free(a);
    zp_spectrum_free(b);
  }
  /* context: 8, 12, 8 bins -> 3 backends; the 4 one-call spectra: 4 */
  cr_expect_eq(zp_backend_creations() - before, 7);
  zp_context_free(ctx);
}

Test(context, reused_for_many_spectra_cpu_fast) { reused_for_spectra(ZP_BACKEND_CPU_FAST); }
Test(context, reused_for_many_spectra_cpu) { reused_for_spectra(ZP_BACKEND_CPU); }
Test(context, reused_for_many_spectra_auto) { reused_for_spectra(ZP_BACKEND_AUTO); }

Test(context, reused_for_batches) {
  zp_context *ctx;
  zp_error err;
  zp_context_opts opts = {.workload = ZP_WORKLOAD_BATCH};
  cr_assert_eq(zp_context_create(ZP_BACKEND_CPU_FAST, &opts, &ctx, &err), ZP_OK, "%s", err.msg);
  zp_config base = small_config(ZP_BACKEND_CPU_FAST);
  double gammas[2] = {2.2, 2.7};
  for (int round = 0; round < 3; ++round) {
    zp_point pt = {base.zprime, base.sum_mnu_ev, base.ordering, base.osc};
    pt.zprime.gzp = 1e-4 * (1 + round);
    zp_batch_spec spec = {.base = base,
                          .npoints = 1,
                          .points = &pt,
                          .nsources = 1,
                          .sources = &base.source,
                          .ngamma = 2,
                          .gammas = gammas};
    zp_batch_result *a, *b;
    cr_assert_eq(zp_batch_compute_ctx(ctx, &spec, &a, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(zp_batch_compute(&spec, &b, &err), ZP_OK, "%s", err.msg);
    size_t total = 2 * 3 * a->nbins, bad = 0;
    for (size_t e = 0; e < total; ++e)
      if (a->phi_flavour[e] != b->phi_flavour[e]) ++bad;
    cr_expect_eq(bad, 0, "round %d: %zu fluxes differ", round, bad);
    zp_batch_result_free(a);
    zp_batch_result_free(b);
  }
  zp_context_free(ctx);
}

static unsigned long max_threads(void) {
#ifdef _OPENMP
  return (unsigned long)omp_get_max_threads();
#else
  return 1;
#endif
}

static int count_points(void *user, const zp_scan_point *pts, size_t n) {
  (void)pts;
  *(size_t *)user += n;
  return 0;
}

/* The scans' data and options: the 6-year cascades, a coarse gamma grid. */
static void scan_opts(zp_dataset **casc, zp_fit_opts *o) {
  zp_error err;
  cr_assert_eq(zp_dataset_builtin("cascades6yr", casc, &err), ZP_OK, "%s", err.msg);
  zp_fit_opts_default(o);
  o->data = casc;
  o->ndata = 1;
  o->gamma_step = 0.25;
}

/* Three chunks of a 3 x 2 scan on one backend. */
static void scan_makes_one_backend(zp_backend_kind kind) {
  zp_config cfg = small_config(kind);
  zp_dataset *casc;
  zp_fit_opts o;
  scan_opts(&casc, &o);
  zp_error err;
  zp_scan_spec spec = {.mzp = {5, 6, 3, 0}, .gzp = {1e-4, 1e-3, 2, 1}, .chunk = 2};
  zp_scan_reference ref;
  cr_assert_eq(zp_scan_reference_fit(&cfg, &o, &ref, &err), ZP_OK, "%s", err.msg);
  zp_context *ctx;
  zp_context_opts opts = {.workload = ZP_WORKLOAD_SCAN, .npoints = 6};
  cr_assert_eq(zp_context_create(kind, &opts, &ctx, &err), ZP_OK, "%s", err.msg);
  unsigned long before = zp_backend_creations();
  size_t npts = 0;
  cr_assert_eq(zp_scan_run_ctx(ctx, &cfg, &o, &spec, &ref, NULL, count_points, &npts, &err), ZP_OK,
               "%s", err.msg);
  cr_expect_eq(npts, 6);
  /* one backend, and on the CPU one per thread for the gamma search's
   * rounds, made once for all chunks */
  unsigned long most = 1 + (kind == ZP_BACKEND_CUDA ? 0 : max_threads());
  cr_expect_leq(zp_backend_creations() - before, most, "a scan of 3 chunks made %lu backends",
                zp_backend_creations() - before);
  zp_context_free(ctx);
  /* the convenience too */
  before = zp_backend_creations();
  npts = 0;
  cr_assert_eq(zp_scan_run(&cfg, &o, &spec, &ref, NULL, count_points, &npts, &err), ZP_OK, "%s",
               err.msg);
  cr_expect_leq(zp_backend_creations() - before, most);
  /* a fit: one batch and two spectra on one backend */
  zp_fit_result r;
  before = zp_backend_creations();
  cr_assert_eq(zp_fit(&cfg, &o, 0, &r, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(zp_backend_creations() - before, 1, "a fit made %lu backends",
               zp_backend_creations() - before);
  zp_dataset_free(casc);
}

/* The couplings of a mass share one depth table, the grid's last (a power
 * of ten of its logs, an ulp or so off the axis's hi) included: two
 * masses, chunks of 3 over 7 couplings each, two tables.  Coupling grids of
 * several decades, as a scan's, are where the end's rounding shows. */
Test(context, scan_builds_one_depth_table_per_mass) {
  zp_config cfg = small_config(ZP_BACKEND_CPU_FAST);
  zp_dataset *casc;
  zp_fit_opts o;
  scan_opts(&casc, &o);
  zp_error err;
  zp_scan_reference ref;
  cr_assert_eq(zp_scan_reference_fit(&cfg, &o, &ref, &err), ZP_OK, "%s", err.msg);
  const double hi[] = {1e-1, 3e-2, 7e-3};
  for (size_t c = 0; c < sizeof hi / sizeof hi[0]; ++c) {
    zp_scan_spec spec = {.mzp = {5, 8, 2, 0}, .gzp = {1e-5, hi[c], 7, 1}, .chunk = 3};
    zp_context *ctx;
    zp_context_opts opts = {.workload = ZP_WORKLOAD_SCAN, .npoints = 14};
    cr_assert_eq(zp_context_create(ZP_BACKEND_CPU_FAST, &opts, &ctx, &err), ZP_OK, "%s", err.msg);
    size_t npts = 0;
    cr_assert_eq(zp_scan_run_ctx(ctx, &cfg, &o, &spec, &ref, NULL, count_points, &npts, &err),
                 ZP_OK, "%s", err.msg);
    cr_expect_eq(npts, 14);
    cr_expect_eq(zp_context_depth_builds(ctx), 2, "gzp up to %g: %zu tables for 2 masses", hi[c],
                 zp_context_depth_builds(ctx));
    zp_context_free(ctx);
  }
  zp_dataset_free(casc);
}

Test(context, scan_creates_one_backend_cpu_fast) { scan_makes_one_backend(ZP_BACKEND_CPU_FAST); }
Test(context, scan_creates_one_backend_cpu) { scan_makes_one_backend(ZP_BACKEND_CPU); }
Test(context, scan_creates_one_backend_auto) {
  if (gpu_here()) cr_skip_test("a GPU is usable here: auto's scan backend is cuda");
  scan_makes_one_backend(ZP_BACKEND_AUTO);
}

/* Without a GPU, AUTO names cpu_fast, the backend that ran, and says why. */
Test(context, auto_names_the_cpu_backend_that_ran) {
  if (gpu_here()) cr_skip_test("a GPU is usable here");
  zp_context *ctx;
  zp_error err;
  zp_context_opts opts = {.workload = ZP_WORKLOAD_SCAN};
  cr_assert_eq(zp_context_create(ZP_BACKEND_AUTO, &opts, &ctx, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(zp_context_backend_name(ctx), "cpu_fast", "chosen up front for a scan");
  cr_assert_not_null(zp_context_notice(ctx));
  cr_expect(strstr(zp_context_notice(ctx), "using the CPU backend (cpu_fast)") != NULL);
  zp_context_free(ctx);

  cr_assert_eq(zp_context_create(ZP_BACKEND_AUTO, NULL, &ctx, &err), ZP_OK, "%s", err.msg);
  cr_expect_null(zp_context_backend_name(ctx), "AUTO chooses at the first computation");
  zp_config cfg = small_config(ZP_BACKEND_AUTO);
  zp_point pt = {cfg.zprime, cfg.sum_mnu_ev, cfg.ordering, cfg.osc};
  zp_batch_spec spec = {.base = cfg,
                        .npoints = 1,
                        .points = &pt,
                        .nsources = 1,
                        .sources = &cfg.source,
                        .ngamma = 1,
                        .gammas = &cfg.source.gamma};
  zp_batch_result *r;
  cr_assert_eq(zp_batch_compute_ctx(ctx, &spec, &r, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(r->backend_name, "cpu_fast");
  cr_expect_str_eq(zp_context_backend_name(ctx), r->backend_name);
  cr_assert_not_null(zp_context_notice(ctx));
  cr_expect_str_eq(zp_context_notice(ctx), r->backend_notice);
  zp_batch_result_free(r);
  zp_spectrum *sp;
  cr_assert_eq(zp_spectrum_compute_ctx(ctx, &cfg, &sp, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(sp->backend_name, "cpu_fast");
  cr_expect_str_eq(zp_context_backend_name(ctx), sp->backend_name);
  zp_spectrum_free(sp);
  zp_context_free(ctx);
}

Test(context, explicit_kind_is_named_up_front) {
  zp_context *ctx;
  zp_error err;
  cr_assert_eq(zp_context_create(ZP_BACKEND_CPU, NULL, &ctx, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(zp_context_backend_name(ctx), "cpu");
  cr_expect_null(zp_context_notice(ctx));
  zp_context_free(ctx);
}

Test(context, free_null_is_fine) { zp_context_free(NULL); }
