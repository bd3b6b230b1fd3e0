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
 * Configurations whose memory exceeds what the backend offers per chunk,
 * or whose application would take longer than the per-configuration
 * budget, are listed as skipped with the reason.
 *
 * With -i instead: cpu_fast's batch apply of 35 right-hand sides (a scan
 * point's spectral indices) in ns per bin x shell x right-hand side, its
 * scalar sweep against the one dispatched on this CPU (apply_isa.h), both
 * chunks in this process and timed alternately, the median of -r
 * repetitions; the chunk has inject shares, in-shell pairs and a bin power
 * row per right-hand side, as a scan's does.
 *
 * Writes CSV to stdout and a Markdown table to the file given with -m.
 * usage: bench_backends [-m table.md] [-b seconds] [-q] [-i [-r reps]]
 * (-q: small grids)  SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/apply_isa.h"
#include "backends/backend.h"
#include "backends/backend_debug.h"
#include "backends/dense_blas.h"
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

/* A synthetic chunk: survivals in (0, 1), the real regeneration kernel of
 * a uniform 60/decade grid.  With @p real_shape also what a scan's chunk
 * has besides: inject shares, a few in-shell pairs per shell and a bin
 * power row per right-hand side (one spectral index each). */
typedef struct {
  zp_regen_kernel k;
  double *surv, *bp, *regen, *pb, *w, *norm, *pre, *inject;
  int *gi;
  zp_inshell_pair *pairs;
  size_t *offset;
  zp_batch_plan plan;
} chunk;

static void chunk_free(chunk *c) {
  free(c->surv);
  free(c->bp);
  free(c->regen);
  free(c->pb);
  free(c->w);
  free(c->norm);
  free(c->pre);
  free(c->inject);
  free(c->gi);
  free(c->pairs);
  free(c->offset);
  zp_regen_kernel_free(&c->k);
}

enum { PAIRS_PER_SHELL = 8 }; /* a scan point has 3-8 (bench/README.md) */

/* The pairs of one (point, shell): bins spread over the grid, sorted by q
 * from the top, each column two bins above its row. */
static void fill_pairs(size_t nb, zp_inshell_pair *e) {
  for (size_t t = 0; t < PAIRS_PER_SHELL; ++t) {
    e[t].q = nb - 3 - t * (nb - 3) / PAIRS_PER_SHELL;
    e[t].c = e[t].q + 2;
    for (int m = 0; m < 9; ++m) e[t].v[m] = 0.01 * (1.0 + 0.1 * m);
  }
}

static int chunk_init(size_t nb, size_t np, size_t nrhs, size_t ns, int real_shape, chunk *c) {
  memset(c, 0, sizeof *c);
  size_t n = 3 * nb, ngamma = real_shape ? nrhs : 1, npairs = real_shape ? np * ns : 0;
  c->surv = malloc(np * ns * n * sizeof *c->surv);
  c->bp = malloc(ngamma * nb * sizeof *c->bp);
  c->regen = malloc(np * sizeof *c->regen);
  c->pb = malloc(3 * np * sizeof *c->pb);
  c->w = malloc(3 * np * sizeof *c->w);
  c->norm = malloc(nrhs * sizeof *c->norm);
  c->pre = malloc(ns * nrhs * sizeof *c->pre);
  c->gi = calloc(nrhs, sizeof *c->gi);
  if (real_shape) {
    c->inject = malloc(np * ns * n * sizeof *c->inject);
    c->pairs = malloc(npairs * PAIRS_PER_SHELL * sizeof *c->pairs);
    c->offset = malloc((npairs + 1) * sizeof *c->offset);
  }
  double *lnedge = malloc((nb + 1) * sizeof *lnedge);
  for (size_t b = 0; lnedge != NULL && b <= nb; ++b)
    lnedge[b] = log(1e3) + (double)b * log(10.0) / 60.0;
  int ok = c->surv && c->bp && c->regen && c->pb && c->w && c->norm && c->pre && c->gi && lnedge &&
           (!real_shape || (c->inject && c->pairs && c->offset)) &&
           zp_regen_kernel_init(nb, lnedge, &c->k, NULL) == ZP_OK;
  free(lnedge);
  if (!ok) return 0;
  for (size_t e = 0; e < np * ns * n; ++e) c->surv[e] = 0.5 + 0.49 * sin(0.37 * (double)e);
  for (size_t e = 0; c->inject != NULL && e < np * ns * n; ++e)
    c->inject[e] = 0.5 + 0.3 * cos(0.23 * (double)e);
  for (size_t j = 0; j < ngamma; ++j)
    for (size_t b = 0; b < nb; ++b) c->bp[j * nb + b] = pow(1.04 + 0.001 * (double)j, -(double)b);
  for (size_t p = 0; p < np; ++p) {
    c->regen[p] = 0.97;
    for (int i = 0; i < 3; ++i) c->pb[3 * p + (size_t)i] = c->w[3 * p + (size_t)i] = 1.0 / 3.0;
  }
  for (size_t j = 0; j < nrhs; ++j) {
    c->norm[j] = 1.0 + 1e-3 * (double)j;
    c->gi[j] = real_shape ? (int)j : 0;
  }
  for (size_t e = 0; e < ns * nrhs; ++e) c->pre[e] = 0.5;
  for (size_t e = 0; e < npairs; ++e) {
    fill_pairs(nb, c->pairs + e * PAIRS_PER_SHELL);
    c->offset[e] = e * PAIRS_PER_SHELL;
  }
  if (c->offset != NULL) c->offset[npairs] = npairs * PAIRS_PER_SHELL;
  c->plan = (zp_batch_plan){.nbins = nb,
                            .nshells = ns,
                            .nrhs = nrhs,
                            .ngamma = ngamma,
                            .npoints = np,
                            .kernel = c->k.packed,
                            .bin_power = c->bp,
                            .rhs_gamma = c->gi,
                            .rhs_norm = c->norm,
                            .pre = c->pre,
                            .split = c->pre,
                            .survival = c->surv,
                            .inject = c->inject,
                            .pairs = c->pairs,
                            .pair_offset = c->offset,
                            .regen_fraction = c->regen,
                            .p_branch = c->pb,
                            .weights = c->w};
  return 1;
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
  chunk c;
  zp_error err;
  if (!chunk_init(nb, np, nrhs, ns, 0, &c)) {
    r->skipped = "host memory";
  } else if (bk->ops->batch_load(bk, &c.plan, &err) != ZP_OK || bk->ops->sync(bk, &err) != ZP_OK) {
    r->skipped = "load failed (memory)";
  } else {
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
  }
  chunk_free(&c);
}

/* Structured batch apply, scalar sweep against the dispatched one
 * (backends/apply_isa.h), side by side in this process. */
typedef struct {
  size_t nbins, npoints, nrhs, applies;
  const char *scalar_path, *path;
  double scalar_ns, ns;
} isa_row;

enum { ISA_SHELLS = 3 };

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Seconds of @p m shells (assemble and apply, cycling over the chunk's). */
static double shells_s(zp_backend *bk, size_t m) {
  zp_error err;
  double t0 = zp_wall_seconds();
  for (size_t i = 0; i < m; ++i) {
    size_t k = ISA_SHELLS - 1 - i % ISA_SHELLS;
    bk->ops->batch_assemble(bk, k, &err);
    bk->ops->batch_apply(bk, k, &err);
  }
  return zp_wall_seconds() - t0;
}

/* A cpu_fast backend whose chunk @p c is swept with @p isa. */
static zp_backend *loaded(zp_apply_isa isa, const chunk *c) {
  zp_backend *bk = NULL;
  zp_error err;
  if (zp_apply_isa_force(isa, &err) != ZP_OK ||
      zp_backend_cpu_fast_create(c->plan.nbins, &bk, &err) != ZP_OK ||
      bk->ops->batch_load(bk, &c->plan, &err) != ZP_OK) {
    fprintf(stderr, "bench_backends: %s\n", err.msg);
    zp_backend_destroy(bk);
    return NULL;
  }
  return bk;
}

/* Each repetition times both paths on groups of shells lasting ~30 ms, in
 * alternating order, so that drifts in the machine's load hit both. */
static int isa_config(size_t nb, size_t np, size_t nrhs, int reps, isa_row *r) {
  chunk c;
  zp_backend *bs = NULL, *bd = NULL;
  int ok = chunk_init(nb, np, nrhs, ISA_SHELLS, 1, &c) &&
           (bs = loaded(ZP_APPLY_SCALAR, &c)) != NULL &&
           (bd = loaded(zp_apply_isa_best(), &c)) != NULL;
  double ts[64], td[64], per = (double)nb * (double)np * (double)nrhs * 1e-9;
  if (ok) {
    r->nbins = nb;
    r->npoints = np;
    r->nrhs = nrhs;
    r->scalar_path = zp_apply_isa_name(zp_backend_cpu_fast_isa(bs));
    r->path = zp_apply_isa_name(zp_backend_cpu_fast_isa(bd));
    double one = shells_s(bs, ISA_SHELLS) / ISA_SHELLS; /* also the warm-up */
    shells_s(bd, ISA_SHELLS);
    r->applies = one > 0.0 && one < 0.03 ? (size_t)(0.03 / one) + 1 : 1;
    for (int i = 0; i < reps; ++i) {
      if (i % 2) td[i] = shells_s(bd, r->applies);
      ts[i] = shells_s(bs, r->applies);
      if (i % 2 == 0) td[i] = shells_s(bd, r->applies);
    }
    r->scalar_ns = median(ts, (size_t)reps) / (double)r->applies / per;
    r->ns = median(td, (size_t)reps) / (double)r->applies / per;
  }
  zp_backend_destroy(bs);
  zp_backend_destroy(bd);
  chunk_free(&c);
  return ok;
}

static int isa_compare(const char *md, int reps, int quick) {
  const size_t nbins[] = {100, 300, 516, 1000}, points[] = {1, 16}, nrhs = 35;
  isa_row rows[8];
  size_t nrows = 0;
  const char *threads = getenv("OMP_NUM_THREADS");
  printf("nbins,npoints,nrhs,shells,pairs_per_shell,reps,applies_per_rep,scalar_path,path,"
         "scalar_ns,ns,speedup,omp_num_threads\n");
  for (int in = 0; in < (quick ? 2 : 4); ++in)
    for (int ip = 0; ip < 2; ++ip) {
      isa_row *r = &rows[nrows];
      if (!isa_config(nbins[in], points[ip], nrhs, reps, r)) return 1;
      ++nrows;
      printf("%zu,%zu,%zu,%d,%d,%d,%zu,%s,%s,%.3f,%.3f,%.3f,%s\n", r->nbins, r->npoints, r->nrhs,
             ISA_SHELLS, PAIRS_PER_SHELL, reps, r->applies, r->scalar_path, r->path, r->scalar_ns,
             r->ns, r->scalar_ns / r->ns, threads != NULL ? threads : "unset");
      fflush(stdout);
    }
  FILE *f = md != NULL ? fopen(md, "w") : NULL;
  if (md != NULL && f == NULL) {
    fprintf(stderr, "bench_backends: cannot write %s\n", md);
    return 1;
  }
  if (f == NULL) return 0;
  fprintf(f, "| N | points x rhs | scalar (ns) | path | path (ns) | speed-up |\n"
             "| --- | --- | --- | --- | --- | --- |\n");
  for (size_t i = 0; i < nrows; ++i)
    fprintf(f, "| %zu | %zu x %zu | %.2f | %s | %.2f | %.2f |\n", rows[i].nbins, rows[i].npoints,
            rows[i].nrhs, rows[i].scalar_ns, rows[i].path, rows[i].ns,
            rows[i].scalar_ns / rows[i].ns);
  fclose(f);
  return 0;
}

/* Every backend, grid, chunk and right-hand side count of the table. */
static int dense_vs_fast(const char *md, double budget, int quick) {
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
      const zp_dense_blas *blas;
      if (kinds[ik] == ZP_BACKEND_CPU && in == 0 && zp_dense_blas_get(&blas, &err) == ZP_OK)
        fprintf(stderr, "bench_backends: backend cpu multiplies with %s (%.1f GFLOP/s in DGEMM)\n",
                blas->path, dgemm * 1e-9);
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

int main(int argc, char **argv) {
  const char *md = NULL;
  double budget = 2.0;
  int quick = 0, isa = 0, reps = 15;
  for (int a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "-m") == 0 && a + 1 < argc) md = argv[++a];
    else if (strcmp(argv[a], "-b") == 0 && a + 1 < argc) budget = atof(argv[++a]);
    else if (strcmp(argv[a], "-r") == 0 && a + 1 < argc) reps = atoi(argv[++a]);
    else if (strcmp(argv[a], "-q") == 0) quick = 1;
    else if (strcmp(argv[a], "-i") == 0) isa = 1;
    else {
      fprintf(stderr, "usage: %s [-m table.md] [-b seconds] [-q] [-i [-r reps]]\n", argv[0]);
      return 2;
    }
  }
  if (reps < 1 || reps > 64) {
    fprintf(stderr, "bench_backends: -r takes 1 to 64 repetitions\n");
    return 2;
  }
  return isa ? isa_compare(md, reps, quick) : dense_vs_fast(md, budget, quick);
}
