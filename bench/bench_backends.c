/* zprop bench: transfer-matrix assembly and application per backend.
 *
 * For every backend that can run here, N bins (n = 3N), points per chunk
 * and right-hand sides, it loads a synthetic chunk (survival in (0, 1), the
 * real regeneration kernel), then times batch_assemble and batch_apply of
 * single shells, synchronising the device before each timer stops.  The
 * application is an n x n by n x nrhs DGEMM per point (plus two source
 * updates): its rate is compared with a plain square DGEMM on the same
 * backend, measured here too.  cpu_fast never forms T_k (O(n) per shell
 * and right-hand side): its rate is the dense-equivalent 2 n^2 nrhs per
 * point over its time, i.e. how fast it does the dense path's job.
 * Writes CSV to stdout and a Markdown table to the file given with -m.  Configurations whose memory
 * exceeds what the backend offers per chunk, or whose application would take longer than the
 * per-configuration budget, are listed as skipped with the reason. usage: bench_backends [-m
 * table.md] [-b seconds] [-q]   (-q: small grid) SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "physics/regen.h"

typedef struct {
  const char *backend;
  size_t nbins, npoints, nrhs;
  double assemble_s, apply_s, apply_rate, dgemm_rate;
  const char *skipped;
} row;

static double median3(double a, double b, double c) {
  return fmax(fmin(a, b), fmin(fmax(a, b), c));
}

/* Times one configuration; fills r (or r->skipped). */
static void time_config(zp_backend *bk, size_t nb, size_t np, size_t nrhs, double budget, row *r) {
  size_t n = 3 * nb, ns = 3;
  r->nbins = nb;
  r->npoints = np;
  r->nrhs = nrhs;
  if (np > bk->ops->batch_capacity(bk, nrhs, ns)) {
    r->skipped = "exceeds the backend's chunk memory";
    return;
  }
  double flops = 2.0 * (double)n * (double)n * (double)nrhs * (double)np;
  int dense = strcmp(bk->ops->name, "cpu_fast") != 0; /* cpu_fast is far below the estimate */
  if (dense && r->dgemm_rate > 0.0 && flops / r->dgemm_rate > budget) {
    r->skipped = "over the time budget";
    return;
  }
  zp_regen_kernel k;
  double *surv = malloc(np * ns * n * sizeof *surv), *bp = malloc(nb * sizeof *bp);
  double *regen = malloc(np * sizeof *regen), *pb = malloc(3 * np * sizeof *pb);
  double *w = malloc(3 * np * sizeof *w), *norm = malloc(nrhs * sizeof *norm);
  double *pre = malloc(ns * nrhs * sizeof *pre);
  int *gi = calloc(nrhs, sizeof *gi);
  double *lnedge = malloc((nb + 1) * sizeof *lnedge);
  for (size_t b = 0; lnedge != NULL && b <= nb; ++b)
    lnedge[b] = log(1e3) + (double)b * log(10.0) / 60.0;
  if (!surv || !bp || !regen || !pb || !w || !norm || !pre || !gi || !lnedge ||
      zp_regen_kernel_init(nb, lnedge, &k, NULL) != ZP_OK) {
    r->skipped = "host memory";
    goto done;
  }
  for (size_t e = 0; e < np * ns * n; ++e) surv[e] = 0.5 + 0.49 * sin(0.37 * (double)e);
  for (size_t b = 0; b < nb; ++b) bp[b] = pow(1.04, -(double)b);
  for (size_t p = 0; p < np; ++p) {
    regen[p] = 0.97;
    for (int i = 0; i < 3; ++i) pb[3 * p + (size_t)i] = w[3 * p + (size_t)i] = 1.0 / 3.0;
  }
  for (size_t j = 0; j < nrhs; ++j) norm[j] = 1.0 + 1e-3 * (double)j;
  for (size_t e = 0; e < ns * nrhs; ++e) pre[e] = 0.5;
  zp_batch_plan plan = {.nbins = nb,
                        .nshells = ns,
                        .nrhs = nrhs,
                        .ngamma = 1,
                        .npoints = np,
                        .kernel = k.packed,
                        .bin_power = bp,
                        .rhs_gamma = gi,
                        .rhs_norm = norm,
                        .pre = pre,
                        .split = pre,
                        .survival = surv,
                        .regen_fraction = regen,
                        .p_branch = pb,
                        .weights = w};
  zp_error err;
  if (bk->ops->batch_load(bk, &plan, &err) != ZP_OK || bk->ops->sync(bk, &err) != ZP_OK) {
    r->skipped = "load failed (memory)";
    zp_regen_kernel_free(&k);
    goto done;
  }
  double ta[3], tp[3];
  for (size_t s = 0; s < ns; ++s) {
    double t0 = zp_wall_seconds();
    bk->ops->batch_assemble(bk, ns - 1 - s, &err);
    bk->ops->sync(bk, &err);
    double t1 = zp_wall_seconds();
    bk->ops->batch_apply(bk, ns - 1 - s, &err);
    bk->ops->sync(bk, &err);
    ta[s] = t1 - t0;
    tp[s] = zp_wall_seconds() - t1;
  }
  r->assemble_s = median3(ta[0], ta[1], ta[2]);
  r->apply_s = median3(tp[0], tp[1], tp[2]);
  r->apply_rate = flops / r->apply_s;
  zp_regen_kernel_free(&k);
done:
  free(surv);
  free(bp);
  free(regen);
  free(pb);
  free(w);
  free(norm);
  free(pre);
  free(gi);
  free(lnedge);
}

int main(int argc, char **argv) {
  const char *md = NULL;
  double budget = 2.0;
  int quick = 0;
  for (int a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "-m") == 0 && a + 1 < argc) md = argv[++a];
    else if (strcmp(argv[a], "-b") == 0 && a + 1 < argc) budget = atof(argv[++a]);
    else if (strcmp(argv[a], "-q") == 0) quick = 1;
    else {
      fprintf(stderr, "usage: %s [-m table.md] [-b seconds] [-q]\n", argv[0]);
      return 2;
    }
  }
  const size_t nbins[] = {100, 300, 1000}, points[] = {1, 16, 256}, rhs[] = {1, 16, 256, 4096};
  const zp_backend_kind kinds[] = {ZP_BACKEND_CPU, ZP_BACKEND_CPU_FAST, ZP_BACKEND_CUDA};
  enum { NKINDS = sizeof kinds / sizeof kinds[0] };
  row rows[NKINDS * 3 * 3 * 4];
  size_t nrows = 0;
  printf("backend,nbins,n,npoints,nrhs,assemble_s_per_shell,apply_s_per_shell,apply_gflops,"
         "dgemm_gflops,fraction_of_dgemm,skipped\n");
  double host_dgemm = 0.0;
  for (int ik = 0; ik < NKINDS; ++ik) {
    double dgemm = 0.0; /* the backend's BLAS, measured once at its first N */
    for (int in = 0; in < (quick ? 1 : 3); ++in) {
      zp_backend *bk = NULL;
      zp_error err;
      if (zp_backend_create(kinds[ik], nbins[in], &bk, NULL, &err) != ZP_OK) {
        fprintf(stderr, "bench_backends: %s\n", err.msg);
        break;
      }
      /* large enough to reach the BLAS's peak: 2048^3 on a CPU, 8192^3 on a GPU */
      size_t ref = quick ? 1024 : (kinds[ik] == ZP_BACKEND_CUDA ? 8192 : 2048);
      if (in == 0 && zp_backend_debug(bk)->dgemm_rate(bk, ref, &dgemm, &err) != ZP_OK)
        dgemm = host_dgemm; /* cpu_fast has no DGEMM: compare with the host's BLAS */
      if (kinds[ik] == ZP_BACKEND_CPU) host_dgemm = dgemm;
      for (int ip = 0; ip < (quick ? 2 : 3); ++ip)
        for (int ir = 0; ir < (quick ? 3 : 4); ++ir) {
          row *r = &rows[nrows++];
          memset(r, 0, sizeof *r);
          r->backend = bk->ops->name;
          r->dgemm_rate = dgemm;
          time_config(bk, nbins[in], points[ip], rhs[ir], budget, r);
          printf("%s,%zu,%zu,%zu,%zu,%.4e,%.4e,%.2f,%.2f,%.3f,%s\n", r->backend, r->nbins,
                 3 * r->nbins, r->npoints, r->nrhs, r->assemble_s, r->apply_s, r->apply_rate * 1e-9,
                 r->dgemm_rate * 1e-9, r->skipped ? 0.0 : r->apply_rate / r->dgemm_rate,
                 r->skipped ? r->skipped : "");
          fflush(stdout);
        }
      zp_backend_destroy(bk);
    }
  }
  if (md != NULL) {
    FILE *f = fopen(md, "w");
    if (f == NULL) {
      fprintf(stderr, "bench_backends: cannot write %s\n", md);
      return 1;
    }
    fprintf(
        f, "| backend | N | points | rhs | assemble (s/shell) | apply (s/shell) | apply GFLOP/s | "
           "DGEMM GFLOP/s | fraction |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < nrows; ++i) {
      const row *r = &rows[i];
      if (r->skipped)
        fprintf(f, "| %s | %zu | %zu | %zu | skipped: %s | | | | |\n", r->backend, r->nbins,
                r->npoints, r->nrhs, r->skipped);
      else
        fprintf(f, "| %s | %zu | %zu | %zu | %.3g | %.3g | %.1f | %.1f | %.2f |\n", r->backend,
                r->nbins, r->npoints, r->nrhs, r->assemble_s, r->apply_s, r->apply_rate * 1e-9,
                r->dgemm_rate * 1e-9, r->apply_rate / r->dgemm_rate);
    }
    fclose(f);
  }
  return 0;
}
