/* zprop example: the default spectrum at Earth, read at two energies.
 *
 * Build against an installed zprop, either with pkg-config:
 *   cc spectrum.c $(pkg-config --cflags --libs zprop) -o spectrum
 * or with CMake (CMakeLists.txt here: find_package(zprop) -> zprop::zprop).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "zprop/spectrum.h"

/* The bin holding e_gev (edges[b] <= e < edges[b + 1]), or the last one. */
static size_t bin_of(const zp_spectrum *sp, double e_gev) {
  size_t b = 0;
  while (b + 1 < sp->nbins && sp->edges[b + 1] <= e_gev) ++b;
  return b;
}

int main(void) {
  /* Every field has the CLI's default (13 MeV Z', g = 5e-4, sources at
   * z0 = 1, 1e3-1e9 GeV); change any before computing. */
  zp_config cfg;
  zp_config_default(&cfg);

  /* The library never prints: a failure comes back as a status plus a
   * one-line message in err. */
  zp_spectrum *sp = NULL;
  zp_error err;
  if (zp_spectrum_compute(&cfg, &sp, &err) != ZP_OK) {
    fprintf(stderr, "spectrum: %s\n", err.msg);
    return 1;
  }

  /* Fluxes are per flavour, [alpha * nbins + bin] with alpha = 0, 1, 2 for
   * e, mu, tau; phi_flavour has the Z', phi0_flavour is free streaming. */
  const double energies[2] = {2e5, 2e6}; /* GeV */
  for (int i = 0; i < 2; ++i) {
    size_t b = bin_of(sp, energies[i]);
    double e = sp->energy[b];
    printf("E = %.6e GeV: E^2 phi_mu = %.6e, free streaming %.6e GeV cm^-2 s^-1 sr^-1\n", e,
           e * e * sp->phi_flavour[1 * sp->nbins + b], e * e * sp->phi0_flavour[1 * sp->nbins + b]);
  }

  /* The spectrum belongs to the caller. */
  zp_spectrum_free(sp);
  return 0;
}
