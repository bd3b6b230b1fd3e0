/* zprop: the optical depths of a shell for every state and energy bin
 * (targets at rest, or thermally averaged where the relic neutrinos are
 * relativistic), turned into the survivals that T_k is built from.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "physics/physics.h"
#include "transport/problem.h"

int zp_thermal_target(const zp_grid *g, const zp_point_physics *pt, int j, size_t k) {
  double m = pt->mix.masses_ev[j] * ZP_EV_GEV;
  if (g->thermal == ZP_THERMAL_ALWAYS) return 1;
  if (g->thermal == ZP_THERMAL_OFF) return 0;
  return m < g->thermal_kappa * zp_t0_gev() * exp(g->zg.v[k + 1]);
}

void zp_survival(const zp_grid *g, const zp_point_physics *pt, size_t k, double *survival) {
  const size_t nb = g->eg.nbins;
  if (!pt->interacting) {
    for (size_t r = 0; r < 3 * nb; ++r) survival[r] = 1.0;
    return;
  }
  int thermal[3];
  for (int j = 0; j < 3; ++j) thermal[j] = zp_thermal_target(g, pt, j, k);
  const double v0 = g->zg.v[k], v1 = g->zg.v[k + 1], h = g->eg.h;
  zp_shell_weight sw;
  zp_shell_weight_init(&sw, v0, v1);
  /* depths below this change no survival by more than 1e-14 */
  const double floor = 1e-14 / pt->k_attn;
/* One bin per task: the costly bins (thermal, near a line) are neighbours. */
#pragma omp parallel for schedule(dynamic, 1)
  for (long lb = 0; lb < (long)nb; ++lb) {
    size_t b = (size_t)lb;
    double u0 = log(g->eg.edges[0]) + h * (double)b, tau_t[3];
    for (int j = 0; j < 3; ++j) {
      double mj = pt->mix.masses_ev[j] * ZP_EV_GEV;
      if (thermal[j] && zp_thermal_reaches_resonance(&g->rule, pt->res, mj, u0, h, v0, v1))
        tau_t[j] = zp_tau_thermal(&g->rule, pt->res, mj, u0, h, v0, v1);
      else tau_t[j] = mj > 0.0 ? zp_tau_at_rest_w(pt->res, mj, u0, h, &sw, floor) : 0.0;
    }
    for (int i = 0; i < 3; ++i) {
      double tau = 0.0;
      for (int j = 0; j < 3; ++j) tau += pt->mix.q2[i][j] * tau_t[j];
      survival[zp_state_index(nb, b, i)] = exp(-pt->k_attn * tau);
    }
  }
}
