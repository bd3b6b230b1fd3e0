/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief One spectrum at Earth, with and without the Z'.
 *
 *  A zp_config is a plain value (its source table borrowed); a zp_spectrum
 *  belongs to the caller (zp_spectrum_free()). */
#ifndef ZPROP_SPECTRUM_H
#define ZPROP_SPECTRUM_H

#include <stddef.h>

#include "zprop/context.h"
#include "zprop/errors.h"
#include "zprop/mixing.h"
#include "zprop/source.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Targets at rest or thermally averaged. */
typedef enum {
  ZP_THERMAL_AUTO = 0,  /**< Thermal where m_j < thermal_kappa T(z). */
  ZP_THERMAL_OFF = 1,   /**< Targets at rest everywhere. */
  ZP_THERMAL_ALWAYS = 2 /**< Thermal average everywhere. */
} zp_thermal_mode;

/** @brief The Z' model point. */
typedef struct {
  double mzp_mev;  /**< Z' mass, MeV. */
  double gzp;      /**< Lmu-Ltau coupling; 0 means free streaming. */
  double gchi;     /**< Dark fermion coupling. */
  double mchi_mev; /**< Dark fermion mass, MeV. */
} zp_zprime;

/** @brief Log-uniform E0 grid: nbins bins spanning exactly [emin, emax]. */
typedef struct {
  double emin_gev;        /**< Lowest edge, GeV. */
  double emax_gev;        /**< Highest edge, GeV. */
  double bins_per_decade; /**< nbins = max(1, round(decades * bins_per_decade)). */
} zp_grid_spec;

/** @brief How the propagation is done. */
typedef struct {
  int regeneration;        /**< 0: attenuation only. */
  zp_thermal_mode thermal; /**< Targets at rest or thermal average. */
  double thermal_kappa;    /**< Auto: thermal where m_j < kappa T(z). */
  int shells_per_bin;      /**< (1+z) ratio of a shell = bin ratio^(1/this). */
} zp_transport_opts;

/** @brief Everything one spectrum depends on. */
typedef struct {
  zp_zprime zprime;            /**< The Z' model point. */
  zp_oscillation osc;          /**< Oscillation parameters. */
  zp_ordering ordering;        /**< Mass ordering. */
  double sum_mnu_ev;           /**< Sum of the neutrino masses, eV. */
  zp_source source;            /**< Source redshift distribution and spectral index. */
  double flavor_ratio[3];      /**< At the source, e:mu:tau (any scale). */
  int flavor_equal;            /**< 1: mass-state weights 1/3 each (nuSIprop). */
  double norm;                 /**< Per-flavour free-streaming flux at 100 TeV. */
  zp_grid_spec grid;           /**< The energy grid. */
  zp_transport_opts transport; /**< Propagation options. */
  zp_backend_kind backend;     /**< Backend of the one-call conveniences. */
} zp_config;

/** Conservation ledger of one propagation, in comoving number (cm^-3) and
 *  energy (GeV cm^-3), each against the free-streaming run.  A bin's energy
 *  is its content times its mean energy (flat in ln E0).  energy_dark is
 *  what scattered without coming back: into the dark sector, or everything
 *  scattered when regeneration is off.  Closure, to rounding:
 *    energy_final + energy_below + energy_dark = energy_free
 *    number_final + number_below = number_free + scatterings - 2 scatterings_dark */
typedef struct {
  double energy_final;     /**< Energy at z = 0. */
  double energy_below;     /**< Energy regenerated below the grid. */
  double energy_dark;      /**< Energy scattered away for good. */
  double energy_free;      /**< Energy at z = 0 of the free-streaming run. */
  double number_final;     /**< Number at z = 0. */
  double number_below;     /**< Number regenerated below the grid. */
  double number_free;      /**< Number at z = 0 of the free-streaming run. */
  double scatterings;      /**< Neutrinos scattered. */
  double scatterings_dark; /**< Of those, scattered into the dark sector (or lost). */
} zp_ledger;

/** @brief Fluxes per bin, GeV^-1 cm^-2 s^-1 sr^-1, nu + nubar.  Arrays [3][nbins]. */
typedef struct {
  size_t nbins;               /**< Energy bins. */
  double *edges;              /**< nbins + 1 bin edges, GeV. */
  double *energy;             /**< Geometric bin centres, GeV. */
  double *phi_mass;           /**< With the Z', [i * nbins + b]. */
  double *phi_flavour;        /**< With the Z', [alpha * nbins + b]. */
  double *phi0_mass;          /**< Free streaming, [i * nbins + b]. */
  double *phi0_flavour;       /**< Free streaming, [alpha * nbins + b]. */
  double norm_a;              /**< The source normalisation A that was used. */
  zp_ledger ledger;           /**< Conservation ledger of the propagation. */
  const char *backend_name;   /**< The backend that ran (static string). */
  const char *backend_notice; /**< Why AUTO chose it (static string) or NULL: say it once. */
  size_t nshells;             /**< Redshift shells of the grid. */
} zp_spectrum;

/** @brief The defaults of docs/physics.md and the CLI (13 MeV, 5e-4, delta at z0 = 1, ...).
 *  @param[out] cfg configuration to fill. */
ZP_API void zp_config_default(zp_config *cfg);

/** @brief Checks every field of a configuration.
 *  @param[in] cfg the configuration.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EINVAL, the message naming the field and its allowed range. */
ZP_API zp_status zp_config_check(const zp_config *cfg, zp_error *err);

/** @brief Which backend a kind selects on this machine, without creating it.
 *  @param[in] kind the backend asked for.
 *  @param[out] name its name (static string).
 *  @param[out] notice what to tell the user once (static string), NULL when
 *              nothing needs saying.
 *  @param[out] err error report, may be NULL.
 *  @return ZP_OK; ZP_EBACKEND as the computation would fail (backend = cuda
 *          without a usable device or in a build without CUDA). */
ZP_API zp_status zp_backend_resolve(zp_backend_kind kind, const char **name, const char **notice,
                                    zp_error *err);

/**
 * @brief Propagates the spectrum of @p cfg on the backend of @p ctx.
 *
 * cfg->backend is not used: the context's backend kind is.
 * @param[in,out] ctx  the context (its backend is created or reused)
 * @param[in]     cfg  the configuration, checked here
 * @param[out]    out  the spectrum, owned by the caller (zp_spectrum_free)
 * @param[out]    err  the one-line message on failure (may be NULL)
 * @return ZP_OK, or the failure of the check, the backend or the computation.
 *
 * Thread safety: as for @p ctx (one thread at a time).
 */
ZP_API zp_status zp_spectrum_compute_ctx(zp_context *ctx, const zp_config *cfg, zp_spectrum **out,
                                         zp_error *err);

/** @brief zp_spectrum_compute_ctx() on a context of cfg->backend made for this call only.
 *  @param[in] cfg the configuration, checked here.
 *  @param[out] out the spectrum, owned by the caller (zp_spectrum_free()).
 *  @param[out] err error report, may be NULL.
 *  @return as zp_spectrum_compute_ctx().  Thread safe. */
ZP_API zp_status zp_spectrum_compute(const zp_config *cfg, zp_spectrum **out, zp_error *err);

/** @brief Releases a spectrum and its arrays.
 *  @param[in] sp the spectrum; NULL is allowed. */
ZP_API void zp_spectrum_free(zp_spectrum *sp);

#ifdef __cplusplus
}
#endif
#endif
