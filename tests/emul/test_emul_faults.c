/* The CUDA backend on the emulated device (emul.h) with failures injected:
 * AUTO falls back naming the cause, explicit cuda stays an error, device
 * buffers survive failed reallocations, launches respect the grid limit,
 * a scan keeps one backend, and a single spectrum stays on the CPU. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <criterion/criterion.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "emul.h"
#include "physics/regen.h"
#include "support.h"
#include "transport/shell_loop.h"
#include "zprop/zprop.h"

#define TOL 1e-12

/* A synthetic chunk: the numbers need no physics, only to be the same for
 * both backends. */
typedef struct {
  zp_batch_plan pl;
  zp_regen_kernel kern;
  double *bin_power, *norm, *pre, *split, *surv, *inject, *regen, *pb, *w;
  int *gamma;
  zp_inshell_pair *pairs;
  size_t *offset;
} plan_buf;

static double pseudo(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xffff) / 65536.0;
}

static void plan_make(plan_buf *b, size_t nbins, size_t nshells, size_t nrhs, size_t npoints) {
  size_t n = 3 * nbins, ng = nrhs < 3 ? nrhs : 3;
  unsigned s = 7;
  memset(b, 0, sizeof *b);
  double *lnedge = malloc((nbins + 1) * sizeof *lnedge);
  cr_assert(lnedge);
  for (size_t i = 0; i <= nbins; ++i) lnedge[i] = log(1e3) + 0.04 * (double)i;
  cr_assert_eq(zp_regen_kernel_init(nbins, lnedge, &b->kern, NULL), ZP_OK);
  free(lnedge);
  b->bin_power = malloc(ng * nbins * sizeof(double));
  b->gamma = malloc(nrhs * sizeof(int));
  b->norm = malloc(nrhs * sizeof(double));
  b->pre = malloc(nshells * nrhs * sizeof(double));
  b->split = malloc(nshells * nrhs * sizeof(double));
  b->surv = malloc(npoints * nshells * n * sizeof(double));
  b->inject = malloc(npoints * nshells * n * sizeof(double));
  /* two pairs per (point, shell) at the top of the grid */
  b->offset = malloc((npoints * nshells + 1) * sizeof *b->offset);
  b->pairs = malloc(2 * npoints * nshells * sizeof *b->pairs);
  b->regen = malloc(npoints * sizeof(double));
  b->pb = malloc(3 * npoints * sizeof(double));
  b->w = malloc(3 * npoints * sizeof(double));
  cr_assert(b->bin_power && b->surv && b->inject && b->w && b->pb && b->pre && b->split &&
            b->offset && b->pairs);
  for (size_t e = 0; e <= npoints * nshells; ++e) b->offset[e] = nbins >= 2 ? 2 * e : 0;
  for (size_t e = 0; e < 2 * npoints * nshells; ++e) {
    b->pairs[e].q = nbins - 2;
    b->pairs[e].c = nbins - 1 - e % 2;
    for (int i = 0; i < 9; ++i) b->pairs[e].v[i] = 0.01 * pseudo(&s);
  }
  for (size_t i = 0; i < ng * nbins; ++i) b->bin_power[i] = pseudo(&s);
  for (size_t j = 0; j < nrhs; ++j) {
    b->gamma[j] = (int)(j % ng);
    b->norm[j] = 1.0 + pseudo(&s);
  }
  for (size_t i = 0; i < nshells * nrhs; ++i) {
    b->pre[i] = pseudo(&s);
    b->split[i] = pseudo(&s);
  }
  for (size_t i = 0; i < npoints * nshells * n; ++i) b->surv[i] = 0.5 + 0.5 * pseudo(&s);
  for (size_t i = 0; i < npoints * nshells * n; ++i) b->inject[i] = pseudo(&s);
  for (size_t p = 0; p < npoints; ++p) {
    b->regen[p] = 0.5 * pseudo(&s);
    for (int i = 0; i < 3; ++i) {
      b->pb[3 * p + (size_t)i] = pseudo(&s);
      b->w[3 * p + (size_t)i] = pseudo(&s);
    }
  }
  b->pl = (zp_batch_plan){.nbins = nbins,
                          .nshells = nshells,
                          .nrhs = nrhs,
                          .ngamma = ng,
                          .npoints = npoints,
                          .kernel = b->kern.packed,
                          .bin_power = b->bin_power,
                          .rhs_gamma = b->gamma,
                          .rhs_norm = b->norm,
                          .pre = b->pre,
                          .split = b->split,
                          .survival = b->surv,
                          .inject = b->inject,
                          .pairs = nbins >= 2 ? b->pairs : NULL,
                          .pair_offset = nbins >= 2 ? b->offset : NULL,
                          .regen_fraction = b->regen,
                          .p_branch = b->pb,
                          .weights = b->w};
}

static void plan_free(plan_buf *b) {
  zp_regen_kernel_free(&b->kern);
  free(b->bin_power), free(b->gamma), free(b->norm), free(b->pre), free(b->split);
  free(b->surv), free(b->inject), free(b->regen), free(b->pb), free(b->w);
  free(b->pairs), free(b->offset);
}

static zp_backend *make(zp_backend_kind kind, size_t nbins) {
  zp_backend *bk = NULL;
  zp_error err;
  cr_assert_eq(zp_backend_create(kind, nbins, &bk, NULL, &err), ZP_OK, "%s", err.msg);
  return bk;
}

/* The plan through @p bk against the dense CPU backend, element by element. */
static void expect_batch_matches(zp_backend *bk, const plan_buf *b) {
  const zp_batch_plan *pl = &b->pl;
  size_t count = pl->npoints * pl->nrhs * 3 * pl->nbins;
  double *want = malloc(count * sizeof *want), *got = malloc(count * sizeof *got);
  zp_backend *cpu = make(ZP_BACKEND_CPU, pl->nbins);
  zp_error err;
  cr_assert_eq(zp_chunk_run(cpu, pl, want, &err), ZP_OK, "%s", err.msg);
  cr_assert_eq(zp_chunk_run(bk, pl, got, &err), ZP_OK, "%s", err.msg);
  size_t bad = 0;
  for (size_t e = 0; e < count; ++e)
    if (!zp_test_close(got[e], want[e], TOL)) ++bad;
  cr_expect_eq(bad, 0, "%zu of %zu batch values differ (or are NaN)", bad, count);
  zp_backend_destroy(cpu);
  free(want);
  free(got);
}

/* Fails the next call of @p name (counting from now). */
static void fail_next(const char *name) {
  char spec[64];
  snprintf(spec, sizeof spec, "%s:%ld", name, zp_emul_calls(name) + 1);
  setenv("ZP_EMUL_FAIL", spec, 1);
}

Test(emul, device_memory_starts_as_nan) {
  double *d = NULL, h[4];
  cr_assert_eq(cudaMalloc((void **)&d, sizeof h), cudaSuccess);
  cr_assert_eq(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost), cudaSuccess);
  for (int i = 0; i < 4; ++i) cr_expect(isnan(h[i]), "element %d is %g", i, h[i]);
  cr_assert_eq(cudaFree(d), cudaSuccess);
  cr_expect_eq(zp_emul_live_allocations(), 0);
}

/* ---------------------------------------------- AUTO falls back (16) */

static const zp_backend_work large = {ZP_WORK_BATCH, 1000, 16, 360, 40};

/* With @p key=@p value, AUTO on a large batch takes cpu_fast and says
 * @p cause; explicit cuda is refused (ZP_EBACKEND) or fails naming it. */
static void expect_auto_falls_back(const char *key, const char *value, const char *cause) {
  setenv(key, value, 1);
  zp_emul_reset();
  zp_backend *bk = NULL;
  const char *notice = NULL;
  zp_error err;
  cr_assert_eq(zp_backend_create_for(ZP_BACKEND_AUTO, &large, &bk, &notice, &err), ZP_OK,
               "%s=%s: auto must fall back, got: %s", key, value, err.msg);
  cr_expect_str_eq(bk->ops->name, "cpu_fast");
  cr_assert_not_null(notice);
  cr_expect(strstr(notice, cause) != NULL, "%s=%s: notice '%s' lacks '%s'", key, value, notice,
            cause);
  cr_expect(strstr(notice, "using the CPU backend") != NULL, "%s", notice);
  zp_backend_destroy(bk);
  const char *name, *said;
  cr_assert_eq(zp_backend_resolve(ZP_BACKEND_AUTO, &name, &said, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(name, "cpu_fast");
  cr_expect(said != NULL && strstr(said, cause) != NULL, "resolve: %s", said ? said : "(none)");
  cr_expect_neq(zp_backend_create_for(ZP_BACKEND_CUDA, &large, &bk, NULL, &err), ZP_OK);
  cr_expect(strstr(err.msg, cause) != NULL, "cuda: %s", err.msg);
  cr_expect_eq(zp_emul_live_allocations(), 0, "device memory left behind");
}

Test(emul, auto_falls_back_when_cublas_create_fails) {
  expect_auto_falls_back("ZP_EMUL_FAIL", "cublasCreate:*", "cublasCreate failed");
}
Test(emul, auto_falls_back_when_cuda_malloc_fails) {
  expect_auto_falls_back("ZP_EMUL_FAIL", "cudaMalloc:*", "cudaMalloc");
}
Test(emul, auto_falls_back_below_sm80) {
  expect_auto_falls_back("ZP_EMUL_CC", "7.5", "compute capability 7.5");
}
Test(emul, auto_falls_back_without_cublas) {
  expect_auto_falls_back("ZP_EMUL_CUBLAS_PATH", "/nonexistent/libcublas.so.13", "cannot load");
}
Test(emul, auto_names_an_old_driver) {
  expect_auto_falls_back("ZP_EMUL_DRIVER", "12040", "driver version is insufficient");
}
Test(emul, auto_names_a_missing_driver) {
  expect_auto_falls_back("ZP_EMUL_DRIVER", "0", "no CUDA driver");
}
Test(emul, auto_names_no_device) {
  expect_auto_falls_back("ZP_EMUL_DEVICES", "0", "no CUDA-capable device");
}

/* Through the CLI: exit 2 for backend=cuda, one notice naming the cause
 * for auto (a scan takes the GPU whatever its size). */
Test(emul, cli_falls_back_once_naming_the_cause) {
  static const char grid[] = "emin=1e3 emax=1e8 bins_per_decade=10";
  const char *dir = zp_test_tmpdir();
  char e1[4096], e2[4096];
  setenv("ZP_EMUL_FAIL", "cublasCreate:*", 1);
  int rc = zp_test_run_cli_fmt(
      e1, sizeof e1,
      "scan mzp=5:6:2 gzp=1e-4:1e-3:2 gamma_step=0.1 %s backend=cuda output=%s/c.tsv", grid, dir);
  cr_expect_eq(rc, 2, "backend=cuda without cuBLAS: exit %d: %s", rc, e1);
  cr_expect(strstr(e1, "cublasCreate failed") != NULL, "%s", e1);
  rc = zp_test_run_cli_fmt(
      e2, sizeof e2,
      "scan mzp=5:6:2 gzp=1e-4:1e-3:2 gamma_step=0.1 %s backend=auto output=%s/a.tsv", grid, dir);
  cr_assert_eq(rc, 0, "auto: exit %d: %s", rc, e2);
  const char *n1 = strstr(e2, "cublasCreate failed");
  cr_expect(n1 != NULL, "auto must name the cause: %s", e2);
  if (n1 != NULL) cr_expect(strstr(n1 + 1, "cublasCreate failed") == NULL, "said twice: %s", e2);
}

/* ------------------------------------------------ chunk memory (18) */

Test(emul, failed_reallocation_then_smaller_plan) {
  zp_backend *bk = make(ZP_BACKEND_CUDA, 6);
  plan_buf small, big, smaller;
  plan_make(&small, 6, 5, 2, 2);
  plan_make(&big, 6, 5, 2, 8);
  plan_make(&smaller, 6, 5, 2, 1);
  zp_error err;
  cr_assert_eq(bk->ops->batch_load(bk, &small.pl, &err), ZP_OK, "%s", err.msg);
  fail_next("cudaMalloc");
  cr_assert_neq(bk->ops->batch_load(bk, &big.pl, &err), ZP_OK, "the injected failure must show");
  unsetenv("ZP_EMUL_FAIL");
  expect_batch_matches(bk, &smaller);
  expect_batch_matches(bk, &big);
  zp_backend_destroy(bk);
  cr_expect_eq(zp_emul_live_allocations(), 0);
  plan_free(&small), plan_free(&big), plan_free(&smaller);
}

/* A chunk of as many points as the capacity says must fit: the survivals
 * of every shell count, not an assumed 64. */
Test(emul, capacity_counts_every_shell) {
  setenv("ZP_EMUL_MEM_BYTES", "8388608", 1); /* 8 MiB */
  zp_backend *bk = make(ZP_BACKEND_CUDA, 10);
  size_t ns = 400, nrhs = 2, cap = bk->ops->batch_capacity(bk, nrhs, ns);
  cr_assert_gt(cap, 1);
  plan_buf b;
  plan_make(&b, 10, ns, nrhs, cap);
  zp_error err;
  cr_expect_eq(bk->ops->batch_load(bk, &b.pl, &err), ZP_OK, "%zu points: %s", cap, err.msg);
  zp_backend_destroy(bk);
  plan_free(&b);
}

Test(emul, dgemm_rate_frees_its_buffer_on_failure) {
  zp_backend *bk = make(ZP_BACKEND_CUDA, 4);
  size_t live = zp_emul_live_allocations();
  double rate;
  zp_error err;
  fail_next("cudaMemset");
  cr_expect_neq(zp_backend_debug(bk)->dgemm_rate(bk, 16, &rate, &err), ZP_OK);
  cr_expect_eq(zp_emul_live_allocations(), live, "dgemm_rate leaked its device buffer");
  unsetenv("ZP_EMUL_FAIL");
  cr_expect_eq(zp_backend_debug(bk)->dgemm_rate(bk, 16, &rate, &err), ZP_OK, "%s", err.msg);
  zp_backend_destroy(bk);
}

/* A device whose grid y limit (ZP_EMUL_MAX_GRID_Y) is below the matrix
 * columns and the right-hand sides: the launches must be split. */
Test(emul, launches_split_at_the_grid_limit) {
  setenv("ZP_EMUL_MAX_GRID_Y", "7", 1);
  zp_backend *bk = make(ZP_BACKEND_CUDA, 5);
  plan_buf b;
  plan_make(&b, 5, 4, 9, 3);
  expect_batch_matches(bk, &b);
  zp_backend_destroy(bk);
  plan_free(&b);
}

/* ------------------------------------------ one backend per scan (19) */

/* cublasCreate calls of a 6-point scan in chunks of @p chunk (the CLI's
 * resolve and reference fit make theirs too: only the difference counts). */
static long scan_creates(int chunk) {
  const char *dir = zp_test_tmpdir();
  char e1[4096];
  setenv("ZP_EMUL_REPORT", "1", 1);
  int rc = zp_test_run_cli_fmt(e1, sizeof e1,
                               "scan mzp=5:6:3 gzp=1e-4:1e-3:2 gamma_step=0.25 chunk=%d emin=1e3 "
                               "emax=1e8 bins_per_decade=8 backend=cuda output=%s/s.tsv",
                               chunk, dir);
  unsetenv("ZP_EMUL_REPORT");
  cr_assert_eq(rc, 0, "%s", e1);
  const char *c = strstr(e1, "cublasCreate calls: ");
  cr_assert_not_null(c, "%s", e1);
  return strtol(c + strlen("cublasCreate calls: "), NULL, 10);
}

Test(emul, scan_creates_one_backend) {
  long one_chunk = scan_creates(6), three_chunks = scan_creates(2);
  cr_expect_eq(three_chunks, one_chunk,
               "a scan of 3 chunks made %ld cuBLAS handles, of 1 chunk %ld", three_chunks,
               one_chunk);
}

static int count_points(void *user, const zp_scan_point *pts, size_t n) {
  (void)pts;
  *(size_t *)user += n;
  return 0;
}

/* cublasCreate calls (one per CUDA set-up: device buffers and a handle) of
 * a whole 3-chunk scan through zp_scan_run, its context included.  The
 * reference only scales the output, so a made-up one does. */
static long scan_setups(zp_backend_kind kind) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.backend = kind;
  cfg.grid = (zp_grid_spec){.emin_gev = 1e3, .emax_gev = 1e8, .bins_per_decade = 8};
  zp_dataset *data[1];
  zp_error err;
  cr_assert_eq(zp_dataset_builtin("cascades6yr", &data[0], &err), ZP_OK, "%s", err.msg);
  zp_fit_opts fo;
  zp_fit_opts_default(&fo);
  fo.data = data;
  fo.ndata = 1;
  fo.gamma_step = 0.25;
  const zp_scan_reference ref = {.chi2_0 = 10.0, .gamma_0 = 2.5, .norm_0 = 1.0, .npoints = 20};
  const zp_scan_spec spec = {.mzp = {5, 6, 3, 0}, .gzp = {1e-4, 1e-3, 2, 1}, .chunk = 2};
  size_t npts = 0;
  zp_emul_reset();
  zp_status st = zp_scan_run(&cfg, &fo, &spec, &ref, NULL, count_points, &npts, &err);
  long setups = zp_emul_calls("cublasCreate");
  zp_dataset_free(data[0]);
  cr_assert_eq(st, ZP_OK, "%s", err.msg);
  cr_expect_eq(npts, 6);
  cr_expect_eq(zp_emul_live_allocations(), 0, "device memory left behind");
  return setups;
}

/* The choice made up front is the scan's backend: no trial set-up first. */
Test(emul, scan_sets_cuda_up_once) {
  long cuda = scan_setups(ZP_BACKEND_CUDA), automatic = scan_setups(ZP_BACKEND_AUTO);
  cr_expect_eq(cuda, 1, "backend = cuda: a scan set CUDA up %ld times", cuda);
  cr_expect_eq(automatic, 1, "backend = auto: a scan set CUDA up %ld times", automatic);
}

Test(emul, auto_keeps_a_single_spectrum_on_the_cpu) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.backend = ZP_BACKEND_AUTO;
  zp_spectrum *sp;
  zp_error err;
  zp_emul_reset();
  cr_assert_eq(zp_spectrum_compute(&cfg, &sp, &err), ZP_OK, "%s", err.msg);
  cr_expect_str_eq(sp->backend_name, "cpu_fast");
  cr_expect_eq(zp_emul_calls("cudaGetDeviceCount"), 0, "a single spectrum must not touch CUDA");
  zp_spectrum_free(sp);
  zp_backend *bk = NULL;
  cr_assert_eq(zp_backend_create_for(ZP_BACKEND_AUTO, &large, &bk, NULL, &err), ZP_OK, "%s",
               err.msg);
  cr_expect_str_eq(bk->ops->name, "cuda", "a large batch takes the GPU");
  zp_backend_destroy(bk);
}
