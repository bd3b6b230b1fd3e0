/* Backend parity, written once and run per backend with the CPU backend as
 * the oracle (style-anchors section 6, item 7).  Where a backend cannot run
 * here (no CUDA device, or a build without CUDA) its cases are skipped with
 * the reason, or fail with ZP_REQUIRE_CUDA=1 (a GPU machine, or the host
 * emulation of tests/emul); the CPU cases always run.  Every comparison is
 * written so that a NaN fails it. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "transport/batch_refine.h"
#include "transport/context_backend.h"
#include "transport/inshell.h"
#include "transport/problem.h"
#include "support.h"
#include "zprop/zprop.h"

/* Parity target of the GPU issue: 1e-12 relative (same formula from
 * zprop/transfer.h; only the DGEMM summation order differs). */
#define PARITY_TOL 1e-12

typedef struct {
  const char *name;
  zp_ordering ordering;
  double sum_mnu, gchi, mchi;
} parity_case;

static const parity_case cases[] = {
    {"NO", ZP_ORDERING_NO, 0.12, 0.0, 0.0},
    {"IO", ZP_ORDERING_IO, 0.13, 0.0, 0.0},
    {"NO dark fermion", ZP_ORDERING_NO, 0.1, 2.3e-3, 1.7},
    {"NO massless lightest", ZP_ORDERING_NO, -1.0, 0.0, 0.0},
};

static zp_backend *backend_or_skip(zp_backend_kind kind, size_t nbins) {
  zp_backend *bk = NULL;
  zp_error err;
  zp_status st = zp_backend_create(kind, nbins, &bk, NULL, &err);
  if (st == ZP_EBACKEND) {
    const char *require = getenv("ZP_REQUIRE_CUDA");
    if (require != NULL && strcmp(require, "1") == 0)
      cr_assert_fail("ZP_REQUIRE_CUDA=1 but the backend is not available: %s", err.msg);
    cr_skip_test("backend not available here: %s", err.msg);
  }
  cr_assert_eq(st, ZP_OK, "%s", err.msg);
  return bk;
}

static zp_config case_config(const parity_case *c) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.ordering = c->ordering;
  zp_oscillation_preset(ZP_MIXING_NUFIT50, c->ordering, &cfg.osc, NULL);
  cfg.sum_mnu_ev = c->sum_mnu > 0.0 ? c->sum_mnu : zp_min_sum_mnu(&cfg.osc, c->ordering);
  cfg.zprime.gchi = c->gchi;
  cfg.zprime.mchi_mev = c->mchi;
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.grid.bins_per_decade = 15;
  return cfg;
}

static void expect_matrix_close(const double *a, const double *b, size_t n, const char *what) {
  size_t bad = 0;
  for (size_t e = 0; e < n * n; ++e)
    if (!zp_test_close(a[e], b[e], PARITY_TOL) && !(fabs(a[e] - b[e]) <= 1e-300)) ++bad;
  cr_expect_eq(bad, 0, "%s: %zu of %zu elements differ beyond %g", what, bad, n * n, PARITY_TOL);
}

ParameterizedTestParameters(parity, transfer_matrix) {
  static zp_backend_kind kinds[] = {ZP_BACKEND_CPU, ZP_BACKEND_CPU_FAST, ZP_BACKEND_CUDA};
  return cr_make_param_array(zp_backend_kind, kinds, 3);
}

/* The shell with the most in-shell pairs (so that T_k has every part), its
 * survivals and pairs. */
static size_t busiest_shell(const zp_problem *p, double *surv, zp_pair_list *pairs) {
  size_t best = 0, most = 0;
  double *tau = malloc(3 * p->grid.eg.nbins * sizeof *tau);
  for (size_t k = 0; k < p->grid.zg.nshells; ++k) {
    zp_survival_lines(&p->grid, &p->point, k, surv, NULL, tau);
    cr_assert_eq(zp_inshell_pairs(&p->grid, &p->point, k, surv, tau, pairs, NULL), ZP_OK);
    if (pairs->n > most) most = pairs->n, best = k;
  }
  zp_survival_lines(&p->grid, &p->point, best, surv, NULL, tau);
  cr_assert_eq(zp_inshell_pairs(&p->grid, &p->point, best, surv, tau, pairs, NULL), ZP_OK);
  free(tau);
  return best;
}

/* T_k element by element, single and batched assembly, every case. */
ParameterizedTest(zp_backend_kind *kind, parity, transfer_matrix) {
  for (size_t ic = 0; ic < sizeof cases / sizeof cases[0]; ++ic) {
    zp_config cfg = case_config(&cases[ic]);
    zp_problem p;
    zp_error err;
    cr_assert_eq(zp_problem_init(&cfg, &p, &err), ZP_OK, "%s", err.msg);
    size_t nb = p.grid.eg.nbins, n = 3 * nb;
    double *surv = malloc(n * sizeof *surv), *want = malloc(n * n * sizeof *want),
           *got = malloc(n * n * sizeof *got);
    zp_pair_list pairs = {0};
    size_t k = busiest_shell(&p, surv, &pairs);
    /* NO and IO have three narrow lines inside the grid: the pairs part is
     * exercised (with the lightest state massless, or thermal, there may be
     * one narrow line only) */
    if (cases[ic].sum_mnu > 0.0 && cases[ic].gchi == 0.0)
      cr_expect_gt(pairs.n, 0, "%s: no in-shell pairs in any shell", cases[ic].name);
    zp_shell sh = {
        nb,     p.point.regen_fraction, p.point.mix.p_branch, p.grid.kern.packed, surv, pairs.pair,
        pairs.n};
    zp_backend *oracle, *bk = backend_or_skip(*kind, nb);
    cr_assert_eq(zp_backend_cpu_create(nb, &oracle, NULL), ZP_OK);
    cr_assert_eq(oracle->ops->assemble(oracle, &sh, NULL), ZP_OK);
    cr_assert_eq(zp_backend_debug(oracle)->read_matrix(oracle, want, NULL), ZP_OK);
    cr_assert_eq(bk->ops->assemble(bk, &sh, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(zp_backend_debug(bk)->read_matrix(bk, got, &err), ZP_OK, "%s", err.msg);
    expect_matrix_close(got, want, n, cases[ic].name);

    /* the same point as the second of a two-point batch chunk */
    size_t ns = p.grid.zg.nshells;
    double *bsurv = malloc(2 * ns * n * sizeof *bsurv);
    for (size_t s = 0; s < ns; ++s) {
      zp_survival(&p.grid, &p.point, s, bsurv + (ns + s) * n, NULL);
      for (size_t r = 0; r < n; ++r) bsurv[s * n + r] = 1.0; /* a free-streaming point */
    }
    /* the pairs of shell k for point 1 only */
    size_t *offset = calloc(2 * ns + 1, sizeof *offset);
    for (size_t e = ns + k + 1; e <= 2 * ns; ++e) offset[e] = pairs.n;
    double regen[2] = {0.0, p.point.regen_fraction}, pb[6], w[6], norm = 1.0;
    int gidx = 0;
    for (int i = 0; i < 3; ++i) {
      pb[i] = pb[3 + i] = p.point.mix.p_branch[i];
      w[i] = w[3 + i] = p.point.weights[i];
    }
    double *pre = calloc(ns, sizeof *pre);
    zp_batch_plan plan = {.nbins = nb,
                          .nshells = ns,
                          .nrhs = 1,
                          .ngamma = 1,
                          .npoints = 2,
                          .kernel = p.grid.kern.packed,
                          .bin_power = p.src.bin_power,
                          .rhs_gamma = &gidx,
                          .rhs_norm = &norm,
                          .pre = pre,
                          .split = pre,
                          .survival = bsurv,
                          .pairs = pairs.pair,
                          .pair_offset = offset,
                          .regen_fraction = regen,
                          .p_branch = pb,
                          .weights = w};
    cr_assert_eq(bk->ops->batch_load(bk, &plan, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(bk->ops->batch_assemble(bk, k, &err), ZP_OK, "%s", err.msg);
    cr_assert_eq(zp_backend_debug(bk)->batch_read_matrix(bk, 1, got, &err), ZP_OK, "%s", err.msg);
    expect_matrix_close(got, want, n, cases[ic].name);
    zp_backend_destroy(bk);
    zp_backend_destroy(oracle);
    zp_problem_free(&p);
    free(surv);
    free(want);
    free(got);
    free(bsurv);
    free(pre);
    free(offset);
    zp_pair_list_free(&pairs);
  }
}

ParameterizedTestParameters(parity, batch_spectra) {
  static zp_backend_kind kinds[] = {ZP_BACKEND_CPU, ZP_BACKEND_CPU_FAST, ZP_BACKEND_CUDA};
  return cr_make_param_array(zp_backend_kind, kinds, 3);
}

/* Final spectra of a batch (all cases as points, two sources, three
 * spectral indices) through the backend against the dense CPU batch, and
 * for single spectra (one point at a time through zp_spectrum_compute). */
ParameterizedTest(zp_backend_kind *kind, parity, batch_spectra) {
  zp_backend *probe = backend_or_skip(*kind, 4);
  zp_backend_destroy(probe);
  enum { NP = sizeof cases / sizeof cases[0] };
  zp_point pts[NP];
  for (size_t ic = 0; ic < NP; ++ic) {
    zp_config cfg = case_config(&cases[ic]);
    pts[ic] = (zp_point){cfg.zprime, cfg.sum_mnu_ev, cfg.ordering, cfg.osc};
  }
  zp_source srcs[2] = {{ZP_SOURCE_SFR, 1.0, 6.0, 0.0, 2.5, NULL},
                       {ZP_SOURCE_DELTA, 2.0, 6.0, 0.0, 2.5, NULL}};
  double gammas[3] = {2.1, 2.55, 3.2};
  zp_batch_spec spec = {
      .npoints = NP, .points = pts, .nsources = 2, .sources = srcs, .ngamma = 3, .gammas = gammas};
  zp_config_default(&spec.base);
  spec.base.grid.bins_per_decade = 15;
  spec.base.backend = ZP_BACKEND_CPU;
  zp_batch_result *want, *got;
  zp_error err;
  cr_assert_eq(zp_batch_compute(&spec, &want, &err), ZP_OK, "%s", err.msg);
  spec.base.backend = *kind;
  cr_assert_eq(zp_batch_compute(&spec, &got, &err), ZP_OK, "%s", err.msg);
  static const char *const names[] = {"auto", "cpu", "cuda", "cpu_fast"};
  cr_expect_str_eq(got->backend_name, names[*kind]);
  size_t total = NP * 2 * 3 * 3 * want->nbins, bad = 0;
  for (size_t e = 0; e < total; ++e)
    if (!zp_test_close(got->phi_flavour[e], want->phi_flavour[e], PARITY_TOL)) ++bad;
  cr_expect_eq(bad, 0, "%zu of %zu fluxes differ beyond %g", bad, total, PARITY_TOL);
  for (size_t ic = 0; ic < NP; ++ic) {
    zp_config cfg = case_config(&cases[ic]);
    zp_spectrum *a, *b;
    cfg.backend = ZP_BACKEND_CPU;
    cr_assert_eq(zp_spectrum_compute(&cfg, &a, &err), ZP_OK, "%s", err.msg);
    cfg.backend = *kind;
    cr_assert_eq(zp_spectrum_compute(&cfg, &b, &err), ZP_OK, "%s", err.msg);
    size_t nbad = 0;
    for (size_t e = 0; e < 3 * a->nbins; ++e)
      if (!zp_test_close(a->phi_mass[e], b->phi_mass[e], PARITY_TOL)) ++nbad;
    cr_expect_eq(nbad, 0, "%s single spectrum: %zu fluxes differ", cases[ic].name, nbad);
    /* the ledger is booked from the same compact quantities */
    cr_expect(
        zp_test_close(a->ledger.energy_below, b->ledger.energy_below, PARITY_TOL)); /* NaN fails */
    zp_spectrum_free(a);
    zp_spectrum_free(b);
  }
  zp_batch_result_free(want);
  zp_batch_result_free(got);
}

/* Without a usable device: backend=auto gives the CPU result with one
 * notice, backend=cuda is an input error (exit 2) naming the backend; the
 * same for every subcommand that propagates. */
static void expect_fallback(const char *command, const char *dir) {
  char err1[2048], err2[2048], args[1024];
  snprintf(args, sizeof args, "%s backend=cuda output=%s/c.tsv", command, dir);
  int rc = zp_test_run_cli(args, err1, sizeof err1);
  if (rc == 0) cr_skip_test("a CUDA device is usable here: the fallback path does not apply");
  cr_expect_eq(rc, 2, "%s backend=cuda without a device: exit %d, stderr %s", command, rc, err1);
  cr_expect(strstr(err1, "backend = cuda") != NULL, "%s: %s", command, err1);
  cr_expect(strchr(err1, '\n') == strrchr(err1, '\n'), "%s: one line: %s", command, err1);
  snprintf(args, sizeof args, "%s backend=auto output=%s/a.tsv >/dev/null", command, dir);
  cr_assert_eq(zp_test_run_cli(args, err2, sizeof err2), 0, "%s: %s", command, err2);
  const char *notice = strstr(err2, "using the CPU backend");
  cr_expect(notice != NULL, "%s: auto must say it uses the CPU: %s", command, err2);
  if (notice != NULL)
    cr_expect(strstr(notice + 1, "using the CPU backend") == NULL, "%s: said twice: %s", command,
              err2);
}

Test(parity, fallback_without_device) {
  static const char grid[] = "emin=1e3 emax=1e8 bins_per_decade=10";
  const char *dir = zp_test_tmpdir();
  char cmd[256];
  snprintf(cmd, sizeof cmd, "spectrum %s", grid);
  expect_fallback(cmd, dir);
  snprintf(cmd, sizeof cmd, "batch gamma=2,2.5 %s", grid);
  expect_fallback(cmd, dir);
  snprintf(cmd, sizeof cmd, "fit gamma_step=0.1 %s", grid);
  expect_fallback(cmd, dir);
  snprintf(cmd, sizeof cmd, "scan mzp=5:6:2 gzp=1e-4:1e-3:2 gamma_step=0.1 %s", grid);
  expect_fallback(cmd, dir);
}

/* zp_backend_resolve names what zp_backend_create would build, without
 * building it: a notice exactly when auto falls back to the CPU. */
Test(parity, resolve_names_the_backend) {
  const char *name, *notice;
  zp_error err;
  cr_assert_eq(zp_backend_resolve(ZP_BACKEND_CPU, &name, &notice, &err), ZP_OK);
  cr_expect_str_eq(name, "cpu");
  cr_expect_null(notice);
  cr_assert_eq(zp_backend_resolve(ZP_BACKEND_CPU_FAST, &name, &notice, &err), ZP_OK);
  cr_expect_str_eq(name, "cpu_fast");
  cr_expect_null(notice);
  cr_assert_eq(zp_backend_resolve(ZP_BACKEND_AUTO, &name, &notice, &err), ZP_OK);
  int gpu = strcmp(name, "cuda") == 0;
  cr_expect(gpu || strcmp(name, "cpu_fast") == 0, "auto resolved to %s", name);
  cr_expect((notice == NULL) == gpu, "notice '%s' with backend %s", notice ? notice : "", name);
  zp_status st = zp_backend_resolve(ZP_BACKEND_CUDA, &name, &notice, &err);
  cr_expect_eq(st == ZP_OK, gpu, "cuda resolves exactly when auto finds a device");
  if (st != ZP_OK) cr_expect(strstr(err.msg, "backend = cuda") != NULL, "%s", err.msg);
}

ParameterizedTestParameters(parity, factorised_chunk_refined) {
  static zp_backend_kind kinds[] = {ZP_BACKEND_CPU_FAST, ZP_BACKEND_CUDA};
  return cr_make_param_array(zp_backend_kind, kinds, 2);
}

/* What a refiner saw: the fluxes of the gammas it asked for, per point. */
enum { REFINE_NP = 4, REFINE_NG = 2 };
typedef struct {
  size_t nbins;
  double phi[REFINE_NP][REFINE_NG][3 * 64];
  int round[REFINE_NP];
} refine_record;

static size_t ask_twice(void *user, size_t point, const double *gammas, size_t ng,
                        const double *phi, size_t nbins, const double *edges, size_t fill,
                        double *next) {
  (void)gammas;
  (void)edges;
  (void)fill;
  refine_record *r = user;
  if (r->round[point]++ > 0) {
    cr_assert_eq(ng, REFINE_NG);
    cr_assert_leq(3 * nbins, sizeof r->phi[0][0] / sizeof(double));
    r->nbins = nbins;
    for (size_t g = 0; g < ng; ++g)
      memcpy(r->phi[point][g], phi + g * 3 * nbins, 3 * nbins * sizeof *phi);
    return 0;
  }
  next[0] = 2.33;
  next[1] = 2.91;
  return REFINE_NG;
}

/* A chunk of one mass at several couplings: its survivals from one depth
 * table (the factorised path, zp_context_set_gzp_span as a scan sets it),
 * refined by further gammas, through the backend against the dense CPU. */
ParameterizedTest(zp_backend_kind *kind, parity, factorised_chunk_refined) {
  zp_backend *probe = backend_or_skip(*kind, 4);
  zp_backend_destroy(probe);
  zp_config cfg = case_config(&cases[0]);
  cfg.grid.emin_gev = 1e3;
  cfg.grid.emax_gev = 1e8;
  cfg.grid.bins_per_decade = 4; /* 20 bins: the record holds 64 */
  zp_point pts[REFINE_NP];
  const double gzp[REFINE_NP] = {1e-4, 5e-4, 2e-3, 1e-2};
  for (size_t p = 0; p < REFINE_NP; ++p) {
    pts[p] = (zp_point){cfg.zprime, cfg.sum_mnu_ev, cfg.ordering, cfg.osc};
    pts[p].zprime.gzp = gzp[p];
  }
  double gammas[2] = {2.2, 2.7};
  zp_batch_spec spec = {.base = cfg,
                        .npoints = REFINE_NP,
                        .points = pts,
                        .nsources = 1,
                        .sources = &cfg.source,
                        .ngamma = 2,
                        .gammas = gammas};
  static refine_record want, got;
  zp_batch_result *r[2];
  zp_backend_kind kinds[2] = {ZP_BACKEND_CPU, *kind};
  refine_record *rec[2] = {&want, &got};
  for (int run = 0; run < 2; ++run) {
    memset(rec[run], 0, sizeof *rec[run]);
    zp_context_opts opts = {.workload = ZP_WORKLOAD_BATCH};
    zp_context *ctx;
    zp_error err;
    cr_assert_eq(zp_context_create(kinds[run], &opts, &ctx, &err), ZP_OK, "%s", err.msg);
    zp_context_set_gzp_span(ctx, 1e-5, 1e-1);
    zp_gamma_refiner rf = {.more = ask_twice, .user = rec[run], .cap = 4};
    cr_assert_eq(zp_batch_compute_refined(ctx, &spec, &rf, &r[run], &err), ZP_OK, "%s", err.msg);
    zp_context_free(ctx);
  }
  size_t total = REFINE_NP * 2 * 3 * r[0]->nbins, bad = 0;
  for (size_t e = 0; e < total; ++e)
    if (!zp_test_close(r[1]->phi_flavour[e], r[0]->phi_flavour[e], PARITY_TOL)) ++bad;
  cr_expect_eq(bad, 0, "first gammas: %zu of %zu fluxes differ beyond %g", bad, total, PARITY_TOL);
  bad = 0;
  for (size_t p = 0; p < REFINE_NP; ++p)
    for (size_t g = 0; g < REFINE_NG; ++g)
      for (size_t e = 0; e < 3 * want.nbins; ++e)
        if (!zp_test_close(got.phi[p][g][e], want.phi[p][g][e], PARITY_TOL)) ++bad;
  cr_expect_gt(want.nbins, 0, "the refiner saw no second round");
  cr_expect_eq(bad, 0, "refined gammas: %zu fluxes differ beyond %g", bad, PARITY_TOL);
  zp_batch_result_free(r[0]);
  zp_batch_result_free(r[1]);
}
