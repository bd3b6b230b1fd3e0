/* zprop: the one table of parameter keys (library-internal).
 *
 * ZP_PARAM_LIST is the single place where a key is declared: its kind, its
 * default (as text, parsed like user input), unit, allowed range or words,
 * the field of zp_params it sets, its help line and the commands that take
 * it.  Reading, range checks, the store into zp_config, zp_config_default,
 * zp_config_check, --help and the "# key = value" header are all generated
 * from it, so none of them can drift.
 *
 * Kinds (zp_param_kind, zprop/params.h):
 *   REAL   double; range "(lo, hi]" with ( ) open and [ ] closed bounds.  A
 *          bound may name another REAL key (checked earlier in the table)
 *          or sum_min (the smallest sum of masses for the ordering).
 *   INT    integer, same range syntax.
 *   ENUM   one of the words in the range column ("NO|IO", any case); the
 *          word's position is the stored value (static-asserted).
 *   OSC    oscillation override in the same range syntax; the default word
 *          "preset" keeps the value of the `mixing` preset.
 *   RATIO  flavor ratio e:mu:tau (three numbers >= 0, not all 0) or "equal".
 *   PATH   a file name, kept as text ("" = none).
 *   TEXT   free text, checked by the code that uses it (fit_setup.c): data
 *          sets, channels and row selections need the data files.
 * Order matters: a bound may only name a key above it, and the oscillation
 * keys sit above sum_mnu because sum_min depends on them.  A command that
 * does not take a key treats it as unknown, so `zprop spectrum data=...`
 * is an error while one parameter file can serve spectrum, fit and scan.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CORE_PARAM_TABLE_H
#define ZP_CORE_PARAM_TABLE_H

#include "zprop/params.h"

/* The model keys: every command of the spectrum family takes them. */
#define ZP_CMD_MODEL (ZP_CMD_SPECTRUM | ZP_CMD_BATCH | ZP_CMD_FIT | ZP_CMD_SCAN)

/* X(name, kind, default, unit, allowed, field of zp_params, help, commands) */
#define ZP_PARAM_LIST(X)                                                                           \
  X(mzp, REAL, "13", "MeV", "(0.01, 1000]", cfg.zprime.mzp_mev, "Z' boson mass",                   \
    ZP_CMD_MODEL | ZP_CMD_GM2)                                                                     \
  X(gzp, REAL, "5e-4", "", "[0, 1]", cfg.zprime.gzp,                                               \
    "Z' coupling to L_mu - L_tau (0: free streaming)", ZP_CMD_MODEL | ZP_CMD_GM2)                  \
  X(gchi, REAL, "0", "", "[0, 10]", cfg.zprime.gchi, "Z' coupling to a dark Dirac fermion",        \
    ZP_CMD_MODEL)                                                                                  \
  X(mchi, REAL, "0", "MeV", "[0, 1e4]", cfg.zprime.mchi_mev, "dark fermion mass", ZP_CMD_MODEL)    \
  X(ordering, ENUM, "NO", "", "NO|IO", cfg.ordering, "neutrino mass ordering", ZP_CMD_MODEL)       \
  X(mixing, ENUM, "nufit50", "", "nufit50|nufit52|nufit60", mixing,                                \
    "oscillation parameter preset", ZP_CMD_MODEL)                                                  \
  X(theta12, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta12,                                     \
    "mixing angle, overrides the preset", ZP_CMD_MODEL)                                            \
  X(theta13, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta13,                                     \
    "mixing angle, overrides the preset", ZP_CMD_MODEL)                                            \
  X(theta23, OSC, "preset", "deg", "[0, 90]", cfg.osc.theta23,                                     \
    "mixing angle, overrides the preset", ZP_CMD_MODEL)                                            \
  X(delta_cp, OSC, "preset", "deg", "[0, 360]", cfg.osc.delta_cp,                                  \
    "Dirac CP phase, overrides the preset", ZP_CMD_MODEL)                                          \
  X(dm21, OSC, "preset", "eV^2", "(0, 1]", cfg.osc.dm21, "solar splitting, overrides the preset",  \
    ZP_CMD_MODEL)                                                                                  \
  X(dm3l, OSC, "preset", "eV^2", "[-1, 1]", cfg.osc.dm3l,                                          \
    "dm31 (NO, > 0) or dm32 (IO, < 0), overrides the preset", ZP_CMD_MODEL)                        \
  X(sum_mnu, REAL, "0.12", "eV", "[sum_min, 1]", cfg.sum_mnu_ev,                                   \
    "sum of neutrino masses; sum_min: lightest mass 0 (about 0.059 NO, 0.099 "                     \
    "IO)",                                                                                         \
    ZP_CMD_MODEL)                                                                                  \
  X(source, ENUM, "delta", "", "delta|sfr|sfr_smooth|bllac|table", cfg.source.kind,                \
    "redshift distribution of the sources", ZP_CMD_MODEL)                                          \
  X(z0, REAL, "1", "", "(0, 20]", cfg.source.z0, "redshift of a delta source", ZP_CMD_MODEL)       \
  X(zmax, REAL, "6", "", "[z0, 20]", cfg.source.zmax,                                              \
    "largest source redshift (not used by delta)", ZP_CMD_MODEL)                                   \
  X(source_table, PATH, "", "", "file of z rho rows", source_table,                                \
    "redshift density for source = table", ZP_CMD_MODEL)                                           \
  X(density_power, REAL, "0", "", "[-10, 10]", cfg.source.density_power,                           \
    "density multiplied by (1+z)^density_power", ZP_CMD_MODEL)                                     \
  X(gamma, REAL, "2.5", "", "[1, 4]", cfg.source.gamma, "spectral index at the source",            \
    ZP_CMD_MODEL)                                                                                  \
  X(flavor_ratio, RATIO, "1:2:0", "", "e:mu:tau >= 0, or equal", cfg.flavor_ratio,                 \
    "flavour ratio at the source; equal: 1/3 per mass state", ZP_CMD_MODEL)                        \
  X(norm, REAL, "1.66e-18", "GeV^-1 cm^-2 s^-1 sr^-1", "(0, 1e-10]", cfg.norm,                     \
    "per-flavour nu+nubar free-streaming flux at 100 TeV", ZP_CMD_MODEL)                           \
  X(emin, REAL, "1e3", "GeV", "[1, 1e12)", cfg.grid.emin_gev, "lowest energy at Earth",            \
    ZP_CMD_MODEL)                                                                                  \
  X(emax, REAL, "1e9", "GeV", "(emin, 1e13]", cfg.grid.emax_gev, "highest energy at Earth",        \
    ZP_CMD_MODEL)                                                                                  \
  X(bins_per_decade, REAL, "60", "", "[1, 1000]", cfg.grid.bins_per_decade,                        \
    "energy bins per decade", ZP_CMD_MODEL)                                                        \
  X(regeneration, ENUM, "on", "", "off|on", cfg.transport.regeneration,                            \
    "re-inject the neutrinos a Z' decays into", ZP_CMD_MODEL)                                      \
  X(thermal, ENUM, "auto", "", "auto|off|always", cfg.transport.thermal,                           \
    "thermal average over relic momenta", ZP_CMD_MODEL)                                            \
  X(thermal_kappa, REAL, "100", "", "[1, 1e6]", cfg.transport.thermal_kappa,                       \
    "thermal=auto: thermal where m_j < thermal_kappa T(z)", ZP_CMD_MODEL)                          \
  X(shells_per_bin, INT, "1", "", "[1, 16]", cfg.transport.shells_per_bin,                         \
    "redshift shells per energy bin ratio", ZP_CMD_MODEL)                                          \
  X(backend, ENUM, "auto", "", "auto|cpu|cuda|cpu_fast", cfg.backend,                              \
    "transfer matrix backend: cpu dense reference, cpu_fast structured O(N)", ZP_CMD_MODEL)        \
  X(max_memory, REAL, "0", "GiB", "[0, 1e6]", max_memory_gib,                                      \
    "memory a run may take, checked before it starts; 0: half of the "                             \
    "physical memory",                                                                             \
    ZP_CMD_MODEL)                                                                                  \
  X(output, PATH, "zprop_spectrum.tsv", "", "path, - for stdout", output,                          \
    "where the table is written", ZP_CMD_MODEL | ZP_CMD_GM2)                                       \
  X(data, TEXT, "cascades6yr", "", "cascades6yr|tracks9yr|hese7yr|PATH, comma list; or v2024",     \
    fit.data, "data sets fitted together; v2024: the second paper's combination",                  \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(channel, TEXT, "auto", "",                                                                     \
    "auto|flavour_average|numu|nue_nutau_average: one, or one per data set", fit.channel,          \
    "model fluxes each data set measures; auto: as its file says", ZP_CMD_FIT | ZP_CMD_SCAN)       \
  X(bins, TEXT, "all", "", "all, or rows of the data sets in order, e.g. 0-12,14-16", fit.bins,    \
    "data rows used, 0-based over the concatenated data sets", ZP_CMD_FIT | ZP_CMD_SCAN)           \
  X(errors, ENUM, "symmetric", "", "symmetric|asymmetric", fit.errors,                             \
    "sigma: half the interval, or its side facing the model", ZP_CMD_FIT | ZP_CMD_SCAN)            \
  X(upper_limits, ENUM, "zero", "", "zero|excess|half|skip", fit.upper_limits,                     \
    "limit rows: a point at 0, a penalty above the limit, a point at half, "                       \
    "unused",                                                                                      \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(flux, ENUM, "centre", "", "centre|average", fit.flux,                                          \
    "model E^2 Phi at the bin centre, or its E^-2-weighted bin average", ZP_CMD_FIT | ZP_CMD_SCAN) \
  X(gamma_min, REAL, "1.8", "", "[1, 4)", fit.gamma_min, "profiled gamma: lowest grid value",      \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(gamma_max, REAL, "3.5", "", "(gamma_min, 4]", fit.gamma_max,                                   \
    "profiled gamma: highest grid value", ZP_CMD_FIT | ZP_CMD_SCAN)                                \
  X(gamma_step, REAL, "0.01", "", "[0.001, 1]", fit.gamma_step,                                    \
    "profiled gamma: grid step (searched, then a parabola through the lowest three)",              \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(profile, ENUM, "gamma_norm", "", "gamma_norm|norm|none", fit.profile,                          \
    "parameters fitted; the others stay at the gamma and norm keys", ZP_CMD_FIT | ZP_CMD_SCAN)     \
  X(zp, ENUM, "on", "", "on|off", fit.zp, "off: the plain power law only (gzp = 0)", ZP_CMD_FIT)   \
  X(mzp_scale, ENUM, "linear", "", "linear|log", fit.mzp_scale,                                    \
    "spacing of the mzp axis when not written (mzp=lo:hi:n:log)", ZP_CMD_SCAN)                     \
  X(gm2_ref, ENUM, "wp2020", "", "wp2020|wp2020_2023|bmw2025|wp2025|bmw2021", fit.gm2_ref,         \
    "muon g-2 reference of the gm2_pull column (zprop gm2 --help)", ZP_CMD_SCAN | ZP_CMD_GM2)      \
  X(chunk, INT, "32", "", "[1, 4096]", fit.chunk, "points per batch and per journal write",        \
    ZP_CMD_SCAN)                                                                                   \
  X(resume, ENUM, "auto", "", "auto|restart", fit.resume,                                          \
    "auto: continue from OUTPUT.journal when its parameters match; restart: "                      \
    "discard it",                                                                                  \
    ZP_CMD_SCAN | ZP_CMD_RUNTIME)                                                                  \
  X(band, INT, "0", "", "[0, 2]", gm2.band,                                                        \
    "0: pull of (mzp, gzp); 1, 2: table of the n sigma band in g", ZP_CMD_GM2)                     \
  X(mzp_min, REAL, "1", "MeV", "(0.01, 1e5]", gm2.mzp_min, "band: lowest mass", ZP_CMD_GM2)        \
  X(mzp_max, REAL, "1000", "MeV", "(mzp_min, 1e5]", gm2.mzp_max, "band: highest mass", ZP_CMD_GM2) \
  X(npoints, INT, "200", "", "[2, 100000]", gm2.npoints, "band: number of masses (rows)",          \
    ZP_CMD_GM2)                                                                                    \
  X(scale, ENUM, "log", "", "log|linear", gm2.scale, "band: spacing of the masses", ZP_CMD_GM2)

/* What a command reads differently from the row above: its own default,
 * range and help, where the key means the same but is allowed more (gm2's
 * mzp and gzp) or says something else there.  Kind and unit repeat the
 * row's (tests/test_params.c checks that they agree).
 * X(command, name, kind, default, unit, allowed, help) */
#define ZP_PARAM_VIEWS(X)                                                                          \
  X(ZP_CMD_GM2, mzp, REAL, "13", "MeV", "(0.01, 1e5]", "Z' boson mass (band = 0)")                 \
  X(ZP_CMD_GM2, gzp, REAL, "5e-4", "", "[0, 10]", "Z' coupling to L_mu - L_tau (band = 0)")        \
  X(ZP_CMD_GM2, gm2_ref, ENUM, "wp2020", "", "wp2020|wp2020_2023|bmw2025|wp2025|bmw2021",          \
    "Delta a_mu reference (see above)")                                                            \
  X(ZP_CMD_GM2, output, PATH, "-", "", "a path, - for stdout", "where the result is written")

/* The keys of `zprop plot`: how a figure looks, not what is computed, so
 * plot reads them itself (src/plot/plot_keys.c) from these rows.  RANGE
 * is "auto" or lo:hi, read by plot.  No unit column: the help says it.
 * X(name, kind, default, allowed, help) */
#define ZP_PLOT_PARAM_LIST(X)                                                                      \
  X(output, PATH, "auto", "a path", "the figure; auto: the first input, format's extension")       \
  X(format, ENUM, "png", "png|pdf|svg", "file format (pdf: width, height in 1/100 inch)")          \
  X(title, TEXT, "auto", "auto, or any text (empty: none)", "title; auto: from the headers")       \
  X(xrange, TEXT, "auto", "auto|lo:hi", "x axis: E in GeV, M in MeV, z")                           \
  X(yrange, TEXT, "auto", "auto|lo:hi", "y axis: E^2 Phi, g")                                      \
  X(zrange, TEXT, "auto", "auto|lo:hi", "colour range of a scan map")                              \
  X(width, INT, "900", "[100, 10000]", "pixels")                                                   \
  X(height, INT, "650", "[100, 10000]", "pixels")                                                  \
  X(label, TEXT, "auto", "auto, or one per curve, comma-separated",                                \
    "legend entries (flux = mass: one per spectrum)")                                              \
  X(data, TEXT, "cascades6yr", "cascades6yr|tracks9yr|hese7yr|v2024|none|PATH.dat, comma list",    \
    "IceCube points on spectra; v2024 = cascades6yr,tracks9yr")                                    \
  X(flux, ENUM, "flavour_average", "flavour_average|e|mu|tau|all_flavours|mass",                   \
    "spectra: (e+mu+tau)/3, one flavour, the sum, or the mass states")                             \
  X(z, ENUM, "auto", "auto|delta_chi2|R|chi2|gamma|norm|gm2_pull|dchi2_min",                       \
    "scan column coloured; auto: dchi2_min of a profile, else delta_chi2")                         \
  X(contours, TEXT, "auto", "auto|none|numbers, comma list",                                       \
    "scan contour levels; auto: delta_chi2 -2.3,4; R 1; dchi2_min the profile's CLs")              \
  X(x, TEXT, "auto", "auto, or an axis of the table's grid",                                       \
    "map x axis; auto: the first grid axis with more than one point")                              \
  X(y, TEXT, "auto", "auto, or an axis of the table's grid",                                       \
    "map y axis; auto: the second grid axis with more than one point")                             \
  X(gm2, ENUM, "scan", "scan|none|wp2020|wp2020_2023|bmw2025|wp2025|bmw2021",                      \
    "g-2 bands on a scan map: the scan's gm2_ref, none, or this one")                              \
  X(gm2_line, ENUM, "none", "none|scan|wp2020|wp2020_2023|bmw2025|wp2025|bmw2021",                 \
    "g-2 exclusion line on a scan map: g above which Delta a_mu > central + n sigma")              \
  X(gm2_nsigma, TEXT, "2", "(0, 10]", "n of the g-2 exclusion line (sigma)")                       \
  X(limits, TEXT, "none", "none|FILE,FILE,...", "limit curves on a scan map (docs/limits.md)")     \
  X(kind, ENUM, "auto", "auto|sources",                                                            \
    "auto: from the tables' columns; sources: redshift distributions")

typedef enum {
#define ZP_PLOT_KEY_(name, ...) ZP_PLOT_KEY_##name,
  ZP_PLOT_PARAM_LIST(ZP_PLOT_KEY_)
#undef ZP_PLOT_KEY_
      ZP_PLOT_KEY_COUNT
} zp_plot_key;

/* Every key, by position in the table. */
typedef enum {
#define ZP_PARAM_KEY_(name, ...) ZP_KEY_##name,
  ZP_PARAM_LIST(ZP_PARAM_KEY_)
#undef ZP_PARAM_KEY_
      ZP_KEY_COUNT
} zp_param_key;

/* Words of the ENUM keys that the library has no enum for. */
enum { ZP_PROFILE_GAMMA_NORM = 0, ZP_PROFILE_NORM = 1, ZP_PROFILE_NONE = 2 };
enum { ZP_ZP_ON = 0, ZP_ZP_OFF = 1 };
enum { ZP_MZP_SCALE_LINEAR = 0, ZP_MZP_SCALE_LOG = 1 };
enum { ZP_RESUME_AUTO = 0, ZP_RESUME_RESTART = 1 };
enum { ZP_SCALE_LOG = 0, ZP_SCALE_LINEAR = 1 };

#endif
