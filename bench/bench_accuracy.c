/* zprop bench: transport accuracy against the Monte Carlo reference (issue 11).
 *
 * For the five cases (regeneration on, thermal=off) it runs zprop at
 * 20, 60, 120 and 240 bins per decade (backend cpu_fast), rebins phi/phi0 per
 * mass state to the reference's 10 bins per decade and reports, against
 * tests/reference (narrow width, relics at rest, particle by particle):
 * the largest error in bins holding a line edge (E_res,j/(1+z) for z = 0 and
 * the source's top), the largest and the median error in the other bins
 * (errors in units of phi0, over the 3 states x bins), and the relative error
 * of the total scatterings per injected neutrino.  CSV on stdout; with -m the
 * markdown table too.
 * usage: bench_accuracy [-n PARTICLES] [-s SEED] [-m TABLE.md]
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference/accuracy_cases.h"
#include "reference/mc_transport.h"
#include "bench_common.h"
#include "zprop/zprop.h"

#define NCASE ZP_ACCURACY_NCASE
#define NRES 4
static const double resolutions[NRES] = {20, 60, 120, 240};

typedef struct {
  const char *name;
  zp_config cfg;
} bench_case;

/* The cases, shared with tests/test_accuracy.c. */
static void make_cases(bench_case *cs) {
  for (int k = 0; k < NCASE; ++k) cs[k].name = zp_accuracy_case(k, &cs[k].cfg);
}

typedef struct {
  double edge_max, other_max, other_median, affected_median, scat_zprop, scat_err;
} metrics;

static double median(double *v, size_t n) {
  if (n == 0) return 0.0;
  qsort(v, n, sizeof *v, zp_bench_cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* zprop at one resolution against the reference. */
static int compare(const zp_config *cfg, const zp_mc_result *mc, const int *is_edge, metrics *out) {
  zp_spectrum *sp = NULL;
  zp_error err;
  if (zp_spectrum_compute(cfg, &sp, &err) != ZP_OK) {
    fprintf(stderr, "bench_accuracy: %s\n", err.msg);
    return -1;
  }
  size_t n = sp->nbins, nb = mc->nbins;
  if (n % nb != 0) {
    fprintf(stderr, "bench_accuracy: %zu bins do not nest in %zu\n", n, nb);
    zp_spectrum_free(sp);
    return -1;
  }
  size_t f = n / nb, nother = 0, naffected = 0;
  double *other = malloc(3 * nb * sizeof *other);
  double *affected = malloc(3 * nb * sizeof *affected);
  if (other == NULL || affected == NULL) {
    free(other);
    free(affected);
    zp_spectrum_free(sp);
    return -1;
  }
  memset(out, 0, sizeof *out);
  for (int i = 0; i < 3; ++i)
    for (size_t b = 0; b < nb; ++b) {
      double ref = mc->ratio[(size_t)i * nb + b];
      double d = fabs(zp_accuracy_rebinned(sp, i, b, f) - ref);
      if (is_edge[b]) {
        if (d > out->edge_max) out->edge_max = d;
      } else {
        other[nother++] = d;
        /* The bins the Z' changes at all: most of the grid is untouched. */
        if (fabs(1.0 - ref) > 1e-3) affected[naffected++] = d;
        if (d > out->other_max) out->other_max = d;
      }
    }
  out->other_median = median(other, nother);
  out->affected_median = median(affected, naffected);
  free(affected);
  out->scat_zprop = sp->ledger.scatterings / sp->ledger.number_free;
  out->scat_err = out->scat_zprop / mc->scatterings - 1.0;
  free(other);
  zp_spectrum_free(sp);
  return 0;
}

int main(int argc, char **argv) {
  size_t particles = 20000000;
  unsigned long long seed = 2026;
  const char *md_path = NULL;
  for (int a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) particles = (size_t)atof(argv[++a]);
    else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc) seed = strtoull(argv[++a], NULL, 10);
    else if (strcmp(argv[a], "-m") == 0 && a + 1 < argc) md_path = argv[++a];
    else {
      fprintf(stderr, "usage: %s [-n PARTICLES] [-s SEED] [-m TABLE.md]\n", argv[0]);
      return 2;
    }
  }
  FILE *md = md_path ? fopen(md_path, "w") : NULL;
  if (md_path && md == NULL) {
    perror(md_path);
    return 1;
  }
  if (md) {
    fprintf(md, "| case | bins/decade | edge bins, max | other bins, max / median (changed bins) | "
                "scatterings | MC standard error, max (edge / other / scatterings) |\n"
                "| --- | --- | --- | --- | --- | --- |\n");
  }
  printf("case,bins_per_decade,particles,edge_max,other_max,other_median,affected_median,"
         "scat_zprop,scat_mc,"
         "scat_err,mc_err_edge_max,mc_err_other_max,mc_scat_err,mc_seconds\n");
  bench_case cs[NCASE];
  make_cases(cs);
  for (int c = 0; c < NCASE; ++c) {
    zp_mc_case mcase;
    zp_mc_model model;
    zp_mc_result mc;
    zp_error err;
    if (zp_mc_case_from_config(&cs[c].cfg, &mcase, &err) != ZP_OK ||
        zp_mc_model_init(&mcase, &model, &err) != ZP_OK) {
      fprintf(stderr, "bench_accuracy: %s\n", err.msg);
      return 1;
    }
    mcase.split = 1;
    double t0 = zp_bench_now();
    if (zp_mc_run(&mcase, particles, seed + (unsigned long long)c, &mc, &err) != ZP_OK) {
      fprintf(stderr, "bench_accuracy: %s\n", err.msg);
      return 1;
    }
    double mc_s = zp_bench_now() - t0;
    double edges[6];
    size_t nedges = zp_mc_line_edges(&model, &mcase, edges);
    int *is_edge = calloc(mc.nbins, sizeof *is_edge);
    if (is_edge == NULL) return 1;
    double mc_edge = 0.0, mc_other = 0.0;
    for (size_t b = 0; b < mc.nbins; ++b) {
      for (size_t k = 0; k < nedges; ++k)
        is_edge[b] |= edges[k] > mc.edges[b] && edges[k] < mc.edges[b + 1];
      for (int i = 0; i < 3; ++i) {
        double se = mc.ratio_err[(size_t)i * mc.nbins + b];
        double *m = is_edge[b] ? &mc_edge : &mc_other;
        if (se > *m) *m = se;
      }
    }
    for (int r = 0; r < NRES; ++r) {
      zp_config cfg = cs[c].cfg;
      cfg.grid.bins_per_decade = resolutions[r];
      metrics mt;
      if (compare(&cfg, &mc, is_edge, &mt) != 0) return 1;
      double scat_se = mc.scatterings_err / mc.scatterings;
      printf("\"%s\",%g,%zu,%.6e,%.6e,%.6e,%.6e,%.8e,%.8e,%.6e,%.3e,%.3e,%.3e,%.2f\n", cs[c].name,
             resolutions[r], (size_t)mc.histories, mt.edge_max, mt.other_max, mt.other_median,
             mt.affected_median, mt.scat_zprop, mc.scatterings, mt.scat_err, mc_edge, mc_other,
             scat_se, mc_s);
      if (md)
        fprintf(md, "| %s | %g | %.2f%% | %.2f%% / %.2g%% | %+.2f%% | %.2g%% / %.2g%% / %.2g%% |\n",
                r == 0 ? cs[c].name : "", resolutions[r], 100 * mt.edge_max, 100 * mt.other_max,
                100 * mt.affected_median, 100 * mt.scat_err, 100 * mc_edge, 100 * mc_other,
                100 * scat_se);
    }
    fflush(stdout);
    free(is_edge);
    zp_mc_result_free(&mc);
  }
  if (md) fclose(md);
  return 0;
}
