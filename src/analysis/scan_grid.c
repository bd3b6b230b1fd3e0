/* zprop: the grid of a scan over any of its keys (scan_grid.h).
 * SPDX-License-Identifier: MIT */
#include "analysis/scan_grid.h"

#include <string.h>

/* The role of a key a scan may run over. */
static zp_scan_dim_role key_role(zp_param_key k) {
  switch (k) {
    case ZP_KEY_z0:
    case ZP_KEY_zmax:
    case ZP_KEY_density_power: return ZP_DIM_SOURCE;
    case ZP_KEY_gamma: return ZP_DIM_GAMMA;
    case ZP_KEY_norm: return ZP_DIM_NORM;
    default: return ZP_DIM_MODEL;
  }
}

/* Sort key of a dimension: role first, then mzp and gzp last of the model
 * keys, then the table's order. */
static int rank(zp_param_key k) {
  int r = (int)key_role(k) * 4 * ZP_KEY_COUNT;
  if (k == ZP_KEY_mzp) r += 2 * ZP_KEY_COUNT;
  else if (k == ZP_KEY_gzp) r += 3 * ZP_KEY_COUNT;
  return r + (int)k;
}

static void count(zp_scan_grid *g) {
  g->nmodel = g->nsource = g->ngamma = g->nnorm = 1;
  g->imzp = g->igzp = -1;
  for (size_t d = 0; d < g->ndim; d++) {
    size_t n = g->dim[d].axis.n;
    switch (g->dim[d].role) {
      case ZP_DIM_MODEL: g->nmodel *= n; break;
      case ZP_DIM_SOURCE: g->nsource *= n; break;
      case ZP_DIM_GAMMA: g->ngamma *= n; break;
      case ZP_DIM_NORM: g->nnorm *= n; break;
    }
    if (g->dim[d].key == ZP_KEY_mzp) g->imzp = (int)d;
    if (g->dim[d].key == ZP_KEY_gzp) g->igzp = (int)d;
  }
  g->ninner = g->nsource * g->ngamma * g->nnorm;
  g->total = g->nmodel * g->ninner;
}

void zp_scan_grid_add(zp_scan_grid *g, zp_param_key k, const zp_axis *a) {
  size_t at = 0;
  while (at < g->ndim && rank(g->dim[at].key) < rank(k)) at++;
  memmove(&g->dim[at + 1], &g->dim[at], (g->ndim - at) * sizeof g->dim[0]);
  g->dim[at] = (zp_scan_dim){k, *a, key_role(k)};
  g->ndim++;
  count(g);
}

void zp_scan_grid_plane(zp_scan_grid *g, const zp_axis *mzp, const zp_axis *gzp) {
  memset(g, 0, sizeof *g);
  zp_scan_grid_add(g, ZP_KEY_mzp, mzp);
  zp_scan_grid_add(g, ZP_KEY_gzp, gzp);
}

double zp_scan_grid_value(const zp_scan_grid *g, size_t row, size_t d) {
  size_t stride = 1;
  for (size_t e = d + 1; e < g->ndim; e++) stride *= g->dim[e].axis.n;
  return zp_axis_value(&g->dim[d].axis, (row / stride) % g->dim[d].axis.n);
}

double *zp_scan_key_field(zp_config *cfg, zp_param_key k) {
  switch (k) {
    case ZP_KEY_mzp: return &cfg->zprime.mzp_mev;
    case ZP_KEY_gzp: return &cfg->zprime.gzp;
    case ZP_KEY_gchi: return &cfg->zprime.gchi;
    case ZP_KEY_mchi: return &cfg->zprime.mchi_mev;
    case ZP_KEY_sum_mnu: return &cfg->sum_mnu_ev;
    case ZP_KEY_z0: return &cfg->source.z0;
    case ZP_KEY_zmax: return &cfg->source.zmax;
    case ZP_KEY_density_power: return &cfg->source.density_power;
    case ZP_KEY_gamma: return &cfg->source.gamma;
    case ZP_KEY_norm: return &cfg->norm;
    default: return NULL;
  }
}

void zp_scan_grid_apply(const zp_scan_grid *g, size_t row, zp_config *cfg) {
  for (size_t d = 0; d < g->ndim; d++)
    *zp_scan_key_field(cfg, g->dim[d].key) = zp_scan_grid_value(g, row, d);
}

const char *zp_scan_column_name(zp_param_key k) {
  switch (k) {
    case ZP_KEY_mzp: return "mzp_MeV";
    case ZP_KEY_mchi: return "mchi_MeV";
    case ZP_KEY_sum_mnu: return "sum_mnu_eV";
    default: return zp_params_key_name(k);
  }
}
