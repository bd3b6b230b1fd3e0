/* zprop CLI: memory estimates against max_memory (memory_check.h).
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* sysconf(_SC_PHYS_PAGES) */

#include "cli/memory_check.h"

#include <math.h>
#include <unistd.h>

static const double GIB = 1073741824.0;

double zp_cli_memory_limit(const zp_cli_params *p) {
  if (p->max_memory_gib > 0.0) return p->max_memory_gib * GIB;
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  /* Unknown physical memory: no limit rather than a made-up one. */
  if (pages <= 0 || size <= 0) return INFINITY;
  return 0.5 * (double)pages * (double)size;
}

/** Bins and shells as grid.c makes them (shells: one per bin ratio in
 *  1 + z up to zmax, times shells_per_bin). */
static void grid_size(const zp_cli_params *p, double *nbins, double *nshells) {
  const zp_config *c = &p->cfg;
  double nb = fmax(1.0,
                   round(log10(c->grid.emax_gev / c->grid.emin_gev) * c->grid.bins_per_decade));
  double h = log(c->grid.emax_gev / c->grid.emin_gev) / nb;
  double ztop = fmax(c->source.z0, c->source.zmax);
  *nbins = nb;
  *nshells = ceil(log1p(ztop) / h) * fmax(1.0, (double)c->transport.shells_per_bin);
}

double zp_cli_point_bytes(const zp_cli_params *p, size_t dense_points) {
  double nb, ns;
  grid_size(p, &nb, &ns);
  double n = 3.0 * nb;
  double compact = 6.0 * n * ns * 8.0;
  double dense = p->cfg.backend == ZP_BACKEND_CPU ? (double)dense_points * n * n * 8.0 : 0.0;
  return compact + dense;
}

double zp_cli_result_bytes(const zp_cli_params *p, size_t nsources, size_t ngamma) {
  double nb, ns;
  grid_size(p, &nb, &ns);
  /* phi_mass, phi_flavour, phi0_flavour: 3 x 3 N doubles a spectrum */
  return (double)nsources * (double)ngamma * 9.0 * nb * 8.0;
}

double zp_cli_depth_table_bytes(const zp_cli_params *p) {
  double nb, ns;
  grid_size(p, &nb, &ns);
  /* measured: about 1.1 kB per (bin, shell, state) at the default grid
   * for couplings 1e-5 to 0.1 (docs/fast_scans.md), transport bins about
   * 1.45 user bins */
  return 3.0 * 1.45 * nb * ns * 1100.0;
}

zp_status zp_cli_check_memory(const zp_cli_params *p, const char *what, double bytes,
                              zp_error *err) {
  double limit = zp_cli_memory_limit(p);
  if (bytes <= limit) return ZP_OK;
  /* The user can change this input: a usage error (exit 2), not a failure. */
  return zp_error_set(err, ZP_EINVAL,
                      "max_memory = %.3g GiB: %s needs about %.3g GiB; lower bins_per_decade, "
                      "use backend=cpu_fast (O(N) memory) or raise max_memory",
                      limit / GIB, what, bytes / GIB);
}

zp_status zp_cli_check_points_memory(const zp_cli_params *p, const char *what, size_t npoints,
                                     size_t nsources, size_t ngamma, zp_error *err) {
  double bytes = zp_cli_point_bytes(p, npoints) +
                 (double)npoints * zp_cli_result_bytes(p, nsources, ngamma);
  return zp_cli_check_memory(p, what, bytes, err);
}
