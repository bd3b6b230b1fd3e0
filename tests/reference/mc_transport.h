/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief An independent Monte Carlo reference for the transport (issue 11).
 *
 *  Written from docs/physics.md alone: it shares nothing with zprop's
 *  optical depths, regeneration kernel or transfer matrices, and takes from
 *  the library only the masses and U of the public mixing API.  Narrow width,
 *  relics at rest: a particle (mass state i, present-day energy E0, redshift
 *  z) crosses line j once, at 1 + z_r = M^2 / (2 m_j E0), where it scatters
 *  with probability 1 - exp(-tau_ij) (physics.md section 4, check 1).  A
 *  scattering regenerates with probability r: two daughters with energy
 *  fractions x and 1 - x, x drawn from H-Eq. 11, each in state k with
 *  probability P_k; otherwise it goes to the dark sector.  Daughters are
 *  followed on to z = 0, where the survivors are tallied in 10 bins per
 *  decade.  Exact in that limit up to its statistical error, which is
 *  estimated per bin from the spread of 16 interleaved groups of histories
 *  (batch means).  With zp_mc_case::split the crossings are not drawn but
 *  split by weight (same expectation, far less noise): what the benchmark
 *  uses; the analog mode is the plain method, checked against it.
 *
 *  Library-internal test code: plain values, nothing global; every function
 *  may run in several threads at once on different results. */
#ifndef ZP_TESTS_MC_TRANSPORT_H
#define ZP_TESTS_MC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "zprop/errors.h"
#include "zprop/mixing.h"
#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Tally bins per decade of E0. */
#define ZP_MC_BINS_PER_DECADE 10

/** @brief Source redshift distributions the reference knows. */
typedef enum {
  ZP_MC_DELTA = 0, /**< All sources at z0. */
  ZP_MC_SFR = 1    /**< H-Eq. 17 broken power law on [0, zmax]. */
} zp_mc_source;

/** @brief One transport problem. */
typedef struct {
  double mzp_mev;         /**< Z' mass, MeV. */
  double gzp;             /**< Coupling; 0: free streaming. */
  double gchi;            /**< Dark fermion coupling. */
  double mchi_mev;        /**< Dark fermion mass, MeV. */
  zp_oscillation osc;     /**< Oscillation parameters. */
  zp_ordering ordering;   /**< Mass ordering. */
  double sum_mnu_ev;      /**< Sum of the masses, eV. */
  zp_mc_source source;    /**< Redshift distribution. */
  double z0;              /**< Delta source redshift. */
  double zmax;            /**< Top of the star-formation sources. */
  double gamma;           /**< Source-frame spectral index. */
  double flavor_ratio[3]; /**< e:mu:tau at the source, any scale. */
  int flavor_equal;       /**< 1: mass-state weights 1/3 each. */
  double emin_gev;        /**< Lowest tally edge (= lowest injected energy), GeV. */
  double emax_gev;        /**< Highest tally edge (= highest injected energy), GeV. */
  int regeneration;       /**< 0: scatterings are lost. */
  double tau_scale;       /**< Multiplies every optical depth; 1 is physics.md. */
  int split;              /**< 0: analog, each crossing drawn (scatter or not, regenerate
                               or not); 1: each crossing splits the particle into its
                               survival, dark and regenerating shares by weight (same
                               expectation, no noise from the draws; daughters' energies
                               and states are still drawn). */
} zp_mc_case;

/** @brief Per-case constants derived from a zp_mc_case. */
typedef struct {
  double masses_ev[3]; /**< m_j, eV. */
  double q2[3][3];     /**< |Q_ij|^2, Q = U^dagger diag(0, 1, -1) U, computed here from U. */
  double p_branch[3];  /**< P_k = (1 - |U_ek|^2) / 2. */
  double weight[3];    /**< Mass-state weights at the source, summing to 1. */
  double eres_gev[3];  /**< Physical resonance energy M^2 / (2 m_j), GeV; 0 for m_j = 0. */
  double tau_coef;     /**< tau_ij = tau_coef |Q_ij|^2 (1+z_r)^2 / (E(z_r) m_j E0), GeV^2. */
  double regen_share;  /**< r = 2 Gamma_nu / (2 Gamma_nu + Gamma_chi), 0 without regeneration. */
  double ztop;         /**< Highest source redshift. */
} zp_mc_model;

/** @brief The Monte Carlo estimate; arrays [3 * nbins], index i * nbins + b. */
typedef struct {
  size_t nbins;            /**< Tally bins, 10 per decade. */
  double *edges;           /**< nbins + 1 edges, GeV. */
  double *ratio;           /**< phi_i / phi0_i per bin. */
  double *ratio_err;       /**< Its standard error (batch means of 16 groups). */
  double *phi0;            /**< Exact free-streaming number per bin (relative units). */
  double *phi0_mc;         /**< The injected number per bin as sampled (same units). */
  double scatterings;      /**< Scatterings per injected particle (number weighted). */
  double scatterings_err;  /**< Its standard error. */
  double scatterings_dark; /**< Of those, into the dark sector (or lost). */
  uint64_t histories;      /**< Primaries followed. */
  /* The ledger below counts each primary as 1 (not by its spectral weight), a
   * branch by its share of it: whole numbers in analog mode. */
  double n_final;         /**< Particles reaching z = 0 inside the grid. */
  double n_below;         /**< Daughters born below emin. */
  double n_regen;         /**< Regenerating scatterings. */
  double n_dark;          /**< Scatterings lost. */
  double energy_injected; /**< Sum of the primaries' E0, GeV. */
  double energy_final;    /**< Sum of E0 at z = 0 inside the grid. */
  double energy_below;    /**< Sum of E0 born below emin. */
  double energy_dark;     /**< Sum of E0 of the lost scatterings. */
} zp_mc_result;

/** @brief xoshiro256** state. */
typedef struct {
  uint64_t s[4]; /**< The state; never all zero. */
} zp_mc_rng;

/** @brief Seeds a generator through splitmix64 (any seed, 0 included).
 *  @param[out] rng the generator. @param[in] seed the seed. */
void zp_mc_rng_seed(zp_mc_rng *rng, uint64_t seed);

/** @brief A uniform deviate in [0, 1) with 53 random bits.
 *  @param[in,out] rng the generator. @return the deviate. */
double zp_mc_uniform(zp_mc_rng *rng);

/** @brief The energy fraction x = E0/E' of one daughter, density
 *  (3/2) [x^2 + (1 - x)^2] on [0, 1] (H-Eq. 11 divided by its 2 daughters).
 *  @param[in,out] rng the generator. @return x. */
double zp_mc_daughter_fraction(zp_mc_rng *rng);

/** @brief H(z) / H0 (H-Eq. 9, Planck 2018). @param[in] z redshift. @return E(z). */
double zp_mc_hubble_e(double z);

/** @brief H-Eq. 17 star-formation density (1 at z = 0). @param[in] z redshift.
 *  @return rho(z). */
double zp_mc_sfr(double z);

/** @brief The case of a zprop configuration: same model, sources, grid range
 *  and regeneration switch (tau_scale 1).
 *  @param[in] cfg configuration; its source must be delta or sfr with
 *             density_power 0, its targets at rest (thermal=off).
 *  @param[out] out the case.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for what the reference does not model. */
zp_status zp_mc_case_from_config(const zp_config *cfg, zp_mc_case *out, zp_error *err);

/** @brief Derives the constants of a case.
 *  @param[in] c the case. @param[out] m the constants.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL for a case out of range (the mixing's message). */
zp_status zp_mc_model_init(const zp_mc_case *c, zp_mc_model *m, zp_error *err);

/** @brief Redshift at which state i crosses line j with present energy e0.
 *  @param[in] m the model. @param[in] j the line. @param[in] e0_gev E0, GeV.
 *  @return z_r (may be <= 0: crossed in the future); -1 for a massless state. */
double zp_mc_crossing_z(const zp_mc_model *m, int j, double e0_gev);

/** @brief Optical depth of the crossing of line j by state i at E0 (physics.md
 *  section 4, check 1, with the dark channel's factor), whether or not it
 *  lies on the path.
 *  @param[in] m the model. @param[in] i state. @param[in] j line.
 *  @param[in] e0_gev E0, GeV. @return tau_ij (0 for a massless line). */
double zp_mc_tau(const zp_mc_model *m, int i, int j, double e0_gev);

/** @brief Line edges E_res,j / (1 + z) for z = 0 and the source top that lie
 *  inside (emin, emax).
 *  @param[in] m the model. @param[in] c its case.
 *  @param[out] out room for 6 energies, GeV. @return how many were written. */
size_t zp_mc_line_edges(const zp_mc_model *m, const zp_mc_case *c, double out[6]);

/**
 * @brief Runs the Monte Carlo.
 *
 * The primaries are stratified: nparticles / (3 nbins) (at least 2) per
 * (state, tally bin), E0 stratified log-uniformly inside the bin with weights
 * for the E^-gamma spectrum, z at z0 or, for star formation, stratified in
 * ln(1+z) with the weight of the redshift density.  Each stratum has its own generator derived
 * from @p seed, and the strata (run in parallel with OpenMP) are added up in
 * a fixed order, so the result depends on the seed and nparticles only.
 * @param[in] c the case.
 * @param[in] nparticles primaries (rounded to whole strata).
 * @param[in] seed the seed.
 * @param[out] out the estimate, owned by the caller (zp_mc_result_free()).
 * @param[out] err error report, may be NULL.
 * @return ZP_OK; ZP_EINVAL for a bad case; ZP_ENOMEM.
 */
zp_status zp_mc_run(const zp_mc_case *c, size_t nparticles, uint64_t seed, zp_mc_result *out,
                    zp_error *err);

/** @brief Releases the arrays of a result (the struct itself is the caller's).
 *  @param[in,out] r the result; NULL is allowed. */
void zp_mc_result_free(zp_mc_result *r);

#ifdef __cplusplus
}
#endif
#endif
