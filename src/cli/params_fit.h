/* zprop CLI: the keys that only `zprop fit` and `zprop scan` take, as a
 * second X-macro table beside ZP_PARAM_LIST (params.h).
 *
 * Both tables are read, converted, checked, printed and documented by the
 * one pipeline of params.c; this table only adds a column saying which
 * subcommands accept a key.  A subcommand that does not accept a key
 * treats it as unknown, so `zprop spectrum data=...` is still an error,
 * while one parameter file can serve spectrum, fit and scan alike (the
 * fit keys in it then need fit or scan to read it).
 *
 * Kinds and ranges as in params.h, plus:
 *   TEXT   free text, checked by the subcommand that uses it (fit_setup.c):
 *          data sets, channels and row selections need the data files.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PARAMS_FIT_H
#define ZP_CLI_PARAMS_FIT_H

/* Which subcommands take a key of ZP_FIT_PARAM_LIST (zp_params_mode.cmd). */
enum {
  ZP_CMD_FIT = 1,
  ZP_CMD_SCAN = 2,
  /* how to run, not what: left out of headers and the scan fingerprint, so
   * that it can change between a run and its resumption */
  ZP_CMD_RUNTIME = 4
};

/* X(name, kind, default, unit, allowed, field of zp_cli_params, help, commands) */
#define ZP_FIT_PARAM_LIST(X)                                                                       \
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
    "limit rows: a point at 0, a penalty above the limit, a point at half, unused",                \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(flux, ENUM, "centre", "", "centre|average", fit.flux,                                          \
    "model E^2 Phi at the bin centre, or its E^-2-weighted bin average", ZP_CMD_FIT | ZP_CMD_SCAN) \
  X(gamma_min, REAL, "1.8", "", "[1, 4)", fit.gamma_min, "profiled gamma: lowest grid value",      \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(gamma_max, REAL, "3.5", "", "(gamma_min, 4]", fit.gamma_max,                                   \
    "profiled gamma: highest grid value", ZP_CMD_FIT | ZP_CMD_SCAN)                                \
  X(gamma_step, REAL, "0.05", "", "[0.001, 1]", fit.gamma_step,                                    \
    "profiled gamma: grid step (then a parabola through the lowest three)",                        \
    ZP_CMD_FIT | ZP_CMD_SCAN)                                                                      \
  X(profile, ENUM, "gamma_norm", "", "gamma_norm|norm|none", fit.profile,                          \
    "parameters fitted; the others stay at the gamma and norm keys", ZP_CMD_FIT | ZP_CMD_SCAN)     \
  X(zp, ENUM, "on", "", "on|off", fit.zp, "off: the plain power law only (gzp = 0)", ZP_CMD_FIT)   \
  X(mzp_scale, ENUM, "linear", "", "linear|log", fit.mzp_scale,                                    \
    "spacing of the mzp axis (gzp is always log-spaced)", ZP_CMD_SCAN)                             \
  X(gm2_ref, ENUM, "wp2020", "", "wp2020|wp2020_2023|bmw2025|wp2025", fit.gm2_ref,                 \
    "muon g-2 reference of the gm2_pull column (zprop gm2 --help)", ZP_CMD_SCAN)                   \
  X(chunk, INT, "32", "", "[1, 4096]", fit.chunk, "points per batch and per journal write",        \
    ZP_CMD_SCAN)                                                                                   \
  X(resume, ENUM, "auto", "", "auto|restart", fit.resume,                                          \
    "auto: continue from OUTPUT.journal when its parameters match; restart: discard it",           \
    ZP_CMD_SCAN | ZP_CMD_RUNTIME)

/* Words of the ENUM keys that the library has no enum for. */
enum { ZP_PROFILE_GAMMA_NORM = 0, ZP_PROFILE_NORM = 1, ZP_PROFILE_NONE = 2 };
enum { ZP_ZP_ON = 0, ZP_ZP_OFF = 1 };
enum { ZP_MZP_SCALE_LINEAR = 0, ZP_MZP_SCALE_LOG = 1 };
enum { ZP_RESUME_AUTO = 0, ZP_RESUME_RESTART = 1 };

/** The fit and scan keys once checked (zp_cli_params.fit).  The TEXT keys
 *  point into zp_cli_params.text; ENUM keys hold the word's position,
 *  which for errors, upper_limits, flux and gm2_ref is the library's enum
 *  value (static-asserted in params.c). */
typedef struct {
  const char *data, *channel, *bins;
  int errors, upper_limits, flux, profile, zp, mzp_scale, gm2_ref, resume;
  double gamma_min, gamma_max, gamma_step;
  int chunk;
} zp_fit_keys;

#endif
