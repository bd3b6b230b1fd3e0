/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief The five transport cases of issue 11 that zprop is compared on
 *  against the Monte Carlo reference: bench/bench_accuracy.c (at several
 *  resolutions, many particles) and tests/test_accuracy.c (default grid, CI
 *  particle counts) both take them from here, so the two measure one thing.
 *
 *  Each is the built-in default configuration with regeneration on, relics
 *  at rest (thermal=off, what the reference models) and the cpu_fast
 *  backend, changed as its name says.  Header only (static inline), test
 *  and bench code, not part of the library. */
#ifndef ZP_TESTS_ACCURACY_CASES_H
#define ZP_TESTS_ACCURACY_CASES_H

#include "zprop/zprop.h"

/** @brief Number of cases. */
#define ZP_ACCURACY_NCASE 5

/** @brief Writes case @p k (0 .. ZP_ACCURACY_NCASE - 1) into @p cfg.
 *  @param[in] k the case. @param[out] cfg its configuration.
 *  @return its name (static), NULL for a @p k out of range. */
static inline const char *zp_accuracy_case(int k, zp_config *cfg) {
  zp_config_default(cfg);
  cfg->transport.regeneration = 1;
  cfg->transport.thermal = ZP_THERMAL_OFF;
  cfg->backend = ZP_BACKEND_CPU_FAST;
  switch (k) {
    case 0: return "default point, delta z0 = 1";
    case 1:
      cfg->source.kind = ZP_SOURCE_SFR;
      cfg->source.zmax = 6.0;
      return "same, star formation to z = 6";
    case 2:
      cfg->zprime.mzp_mev = 6.5;
      cfg->zprime.gzp = 5e-4;
      cfg->sum_mnu_ev = 0.1;
      cfg->source.kind = ZP_SOURCE_SFR;
      cfg->source.zmax = 6.0;
      cfg->flavor_equal = 1;
      return "P1 (6.5 MeV, 5e-4, 0.1 eV), SFR, equal";
    case 3:
      cfg->ordering = ZP_ORDERING_IO;
      zp_oscillation_preset(ZP_MIXING_NUFIT50, ZP_ORDERING_IO, &cfg->osc, NULL);
      cfg->zprime.mzp_mev = 10.0;
      cfg->zprime.gzp = 3e-4;
      cfg->source.z0 = 3.0;
      return "IO, 0.12 eV, 10 MeV, 3e-4, delta z0 = 3";
    case 4:
      cfg->zprime.mzp_mev = 7.0;
      cfg->zprime.gchi = 7e-3;
      return "dark fermion gchi = 7e-3, 7 MeV, delta z0 = 1";
    default: return NULL;
  }
}

/** phi/phi0 of mass state @p i over the reference bin @p b, the @p f
 *  consecutive bins of @p sp it holds (content summed over them). */
static inline double zp_accuracy_rebinned(const zp_spectrum *sp, int i, size_t b, size_t f) {
  double num = 0.0, den = 0.0;
  for (size_t k = b * f; k < (b + 1) * f; ++k) {
    double de = sp->edges[k + 1] - sp->edges[k];
    num += sp->phi_mass[(size_t)i * sp->nbins + k] * de;
    den += sp->phi0_mass[(size_t)i * sp->nbins + k] * de;
  }
  return num / den;
}

#endif
