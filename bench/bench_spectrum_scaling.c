/* zprop bench: one spectrum in-process against its size, for the
 * fast-scans issue's single-spectrum target.
 *
 * The issue's case: 1e3-1e8 GeV, relics at rest, regeneration on, the
 * smooth star-formation source to z = 5, M = 13 MeV, g = 3e-3, at bins per
 * decade 20 ... 600 (100 ... 3000 bins; 200 per decade is the 1000-bin
 * target).  Each size is computed REPS times on one context (its backend
 * made once, as in a scan), and the median, the minimum, the work in
 * (transport bin x shell) units and the ratio to the method's floor are
 * written as CSV on stdout:
 *   bins_per_decade,bins,transport_bins,shells,reps,median_s,min_s,ns_per_bin_shell,floor_ratio
 * The floor is the issue's: 3 exponentials and about 60 flops per
 * bin x shell at 5.8 ns per exponential and 8 GFLOP/s, 25 ns.  The last
 * line gives the exponent of median time against bins (least squares in
 * log-log).  usage: bench_spectrum_scaling [REPS]
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "transport/problem.h"
#include "bench_common.h"
#include "zprop/zprop.h"

#define FLOOR_NS (3.0 * 5.8 + 60.0 / 8.0)

static zp_config issue_case(int bpd) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.grid.emin_gev = 1e3;
  cfg.grid.emax_gev = 1e8;
  cfg.grid.bins_per_decade = bpd;
  cfg.transport.thermal = ZP_THERMAL_OFF;
  cfg.transport.regeneration = 1;
  cfg.source.kind = ZP_SOURCE_SFR;
  cfg.source.zmax = 5.0;
  cfg.zprime.mzp_mev = 13.0;
  cfg.zprime.gzp = 3e-3;
  cfg.backend = ZP_BACKEND_CPU_FAST;
  return cfg;
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 7;
  if (reps < 1 || reps > 1000) {
    fprintf(stderr, "usage: %s [REPS in 1..1000]\n", argv[0]);
    return 2;
  }
  const int bpds[] = {20, 60, 100, 200, 400, 600};
  const size_t nsizes = sizeof bpds / sizeof bpds[0];
  double lx[8], ly[8];
  printf("bins_per_decade,bins,transport_bins,shells,reps,median_s,min_s,ns_per_bin_shell,"
         "floor_ratio\n");
  for (size_t s = 0; s < nsizes; ++s) {
    zp_config cfg = issue_case(bpds[s]);
    zp_error err;
    zp_problem p; /* only for the grid's sizes */
    if (zp_problem_init(&cfg, &p, &err) != ZP_OK) {
      fprintf(stderr, "bench: %s\n", err.msg);
      return 1;
    }
    size_t nt = p.grid.eg.nbins, ns = p.grid.zg.nshells, nu = p.grid.eg.nuser;
    zp_problem_free(&p);
    zp_context *ctx;
    zp_context_opts opts = {.workload = ZP_WORKLOAD_BATCH};
    if (zp_context_create(cfg.backend, &opts, &ctx, &err) != ZP_OK) {
      fprintf(stderr, "bench: %s\n", err.msg);
      return 1;
    }
    double *t = malloc((size_t)reps * sizeof *t);
    for (int r = 0; r < reps; ++r) {
      zp_spectrum *sp;
      double t0 = zp_bench_now();
      zp_status st = zp_spectrum_compute_ctx(ctx, &cfg, &sp, &err);
      t[r] = zp_bench_now() - t0;
      if (st != ZP_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
      }
      zp_spectrum_free(sp);
    }
    zp_context_free(ctx);
    qsort(t, (size_t)reps, sizeof *t, zp_bench_cmp_double);
    double med = t[reps / 2], per = med / ((double)nt * (double)ns) * 1e9;
    printf("%d,%zu,%zu,%zu,%d,%.6g,%.6g,%.4g,%.3g\n", bpds[s], nu, nt, ns, reps, med, t[0], per,
           per / FLOOR_NS);
    lx[s] = log((double)nu);
    ly[s] = log(med);
    free(t);
  }
  double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0;
  for (size_t s = 0; s < nsizes; ++s) mx += lx[s] / (double)nsizes, my += ly[s] / (double)nsizes;
  for (size_t s = 0; s < nsizes; ++s) {
    sxy += (lx[s] - mx) * (ly[s] - my);
    sxx += (lx[s] - mx) * (lx[s] - mx);
  }
  printf("# time ~ bins^%.2f over %d..%d bins per decade\n", sxy / sxx, bpds[0], bpds[nsizes - 1]);
  return 0;
}
