/* zprop: (M, g) scans, the two-dimensional case of scan_run.c.
 * SPDX-License-Identifier: MIT */
#include "zprop/scan.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/scan_run.h"
#include "transport/context_backend.h"

double zp_axis_value(const zp_axis *a, size_t i) {
  if (a->n <= 1) return a->lo;
  double t = (double)i / (double)(a->n - 1);
  if (a->log) return exp(log(a->lo) + t * (log(a->hi) - log(a->lo)));
  return a->lo + t * (a->hi - a->lo);
}

zp_status zp_scan_reference_fit(const zp_config *cfg, const zp_fit_opts *o, zp_scan_reference *ref,
                                zp_error *err) {
  zp_config c = *cfg;
  c.zprime.gzp = 0.0; /* the Z' part is not needed: chi2_0 comes from phi0 */
  zp_fit_result r;
  zp_status st = zp_fit(&c, o, 0, &r, err);
  if (st != ZP_OK) return st;
  ref->chi2_0 = r.chi2_0;
  ref->gamma_0 = r.gamma_0;
  ref->norm_0 = r.norm_0;
  ref->npoints = r.npoints;
  return ZP_OK;
}

zp_status zp_scan_run(const zp_config *cfg, const zp_fit_opts *o, const zp_scan_spec *spec,
                      const zp_scan_reference *ref, const unsigned char *done, zp_scan_sink sink,
                      void *user, zp_error *err) {
  zp_context_opts opts = {.workload = ZP_WORKLOAD_SCAN,
                          .npoints = spec->mzp.n * spec->gzp.n,
                          .nbins = zp_context_grid_nbins(cfg)};
  zp_context *ctx;
  zp_status st = zp_context_create(cfg->backend, &opts, &ctx, err);
  if (st != ZP_OK) return st;
  st = zp_scan_run_ctx(ctx, cfg, o, spec, ref, done, sink, user, err);
  zp_context_free(ctx);
  return st;
}

zp_status zp_scan_run_ctx(zp_context *ctx, const zp_config *cfg, const zp_fit_opts *o,
                          const zp_scan_spec *spec, const zp_scan_reference *ref,
                          const unsigned char *done, zp_scan_sink sink, void *user, zp_error *err) {
  zp_scan_grid g;
  zp_scan_grid_plane(&g, &spec->mzp, &spec->gzp);
  return zp_scan_grid_run(ctx, cfg, o, &g, spec->gm2_ref, spec->chunk, ref, done, sink, user, err);
}
