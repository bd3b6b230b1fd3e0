/* zprop bench: the default `zprop spectrum` run at several resolutions.
 *
 * Runs the CLI as a child process (so peak memory is the whole program's,
 * from wait4's ru_maxrss) REPS times per backend (auto, cpu) and resolution and writes CSV:
 *   backend,bins_per_decade,nbins,reps,wall_s_median,wall_s_min,peak_rss_mb
 * then, in-process, the default run's energy ledger residual and the
 * free-streaming normalisation error as a second CSV block.
 * usage: bench_spectrum ZPROP_BINARY [REPS]   (CSV on stdout)
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "physics/physics.h"
#include "bench_common.h"
#include "zprop/zprop.h"

/* One CLI run; returns wall seconds and stores peak RSS in MB. */
static double run_cli(const char *bin, const char *backend, int bpd, double *rss_mb) {
  char arg[64], bk[64];
  snprintf(arg, sizeof arg, "bins_per_decade=%d", bpd);
  snprintf(bk, sizeof bk, "backend=%s", backend);
  double t0 = zp_bench_now();
  pid_t pid = fork();
  if (pid == 0) {
    FILE *devnull = freopen("/dev/null", "w", stderr);
    (void)devnull;
    execl(bin, bin, "spectrum", arg, "output=/tmp/zprop_bench_spectrum.tsv", bk, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench_spectrum: %s failed\n", bin);
    exit(1);
  }
  *rss_mb = (double)ru.ru_maxrss / 1024.0;
  return zp_bench_now() - t0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s ZPROP_BINARY [REPS]\n", argv[0]);
    return 2;
  }
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  if (reps < 1 || reps > 100) reps = 5;
  /* auto is what the default run uses (cpu_fast without a GPU); cpu is the
   * dense reference */
  const int bpds[] = {20, 60, 120};
  const char *backends[] = {"auto", "cpu"};
  printf("backend,bins_per_decade,nbins,reps,wall_s_median,wall_s_min,peak_rss_mb\n");
  for (int ib = 0; ib < 2; ++ib)
    for (int k = 0; k < 3; ++k) {
      double t[100], rss = 0.0, r;
      for (int i = 0; i < reps; ++i) {
        t[i] = run_cli(argv[1], backends[ib], bpds[k], &r);
        rss = fmax(rss, r);
      }
      qsort(t, (size_t)reps, sizeof t[0], zp_bench_cmp_double);
      printf("%s,%d,%d,%d,%.4f,%.4f,%.1f\n", backends[ib], bpds[k], 6 * bpds[k], reps, t[reps / 2],
             t[0], rss);
    }

  zp_config cfg;
  zp_config_default(&cfg);
  cfg.backend = ZP_BACKEND_CPU;
  zp_spectrum *sp;
  zp_error err;
  if (zp_spectrum_compute(&cfg, &sp, &err) != ZP_OK) {
    fprintf(stderr, "bench_spectrum: %s\n", err.msg);
    return 1;
  }
  const zp_ledger *l = &sp->ledger;
  double eres = (l->energy_final + l->energy_below + l->energy_dark - l->energy_free) /
                l->energy_free;
  zp_spectrum_free(sp);
  cfg.zprime.gzp = 0.0;
  if (zp_spectrum_compute(&cfg, &sp, &err) != ZP_OK) {
    fprintf(stderr, "bench_spectrum: %s\n", err.msg);
    return 1;
  }
  /* per-flavour free-streaming flux, bin-averaged, against norm times the
   * bin average of (E/E_ref)^-gamma */
  double worst = 0.0, g1 = 1.0 - cfg.source.gamma;
  for (size_t b = 0; b < sp->nbins; ++b) {
    double lo = sp->edges[b] / ZP_E_REF_GEV, hi = sp->edges[b + 1] / ZP_E_REF_GEV;
    double avg = (pow(hi, g1) - pow(lo, g1)) / g1 / (hi - lo), sum = 0.0;
    for (int a = 0; a < 3; ++a) sum += sp->phi_flavour[(size_t)a * sp->nbins + b];
    worst = fmax(worst, fabs(sum / 3.0 / (cfg.norm * avg) - 1.0));
  }
  zp_spectrum_free(sp);
  printf("\nquantity,value\nenergy_ledger_residual,%.3e\nfree_streaming_norm_error,%.3e\n", eres,
         worst);
  return 0;
}
