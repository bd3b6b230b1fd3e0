/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief The parameter table and parameter sets, by name.
 *
 *  Every key that a zprop command takes (name, kind, unit, default, allowed
 *  range or words, help text and the commands that use it) is declared once
 *  in the library.  A caller looks keys up or walks them (for help), sets
 *  them from text exactly as the `zprop` command line does, with the same
 *  one-line message for a bad value, and turns the set into a checked
 *  zp_config or writes it as a parameter file.
 *
 *  Thread safety: the table is read-only and may be read from any thread;
 *  one zp_params handle must not be used by two threads at once. */
#ifndef ZPROP_PARAMS_H
#define ZPROP_PARAMS_H

#include <stddef.h>
#include <stdio.h>

#include "zprop/errors.h"
#include "zprop/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a key's text is read. */
typedef enum {
  ZP_PARAM_REAL,  /**< a decimal number; allowed "(lo, hi]", a bound may name a key */
  ZP_PARAM_INT,   /**< an integer, same range syntax */
  ZP_PARAM_ENUM,  /**< one of the words of allowed ("NO|IO", any case) */
  ZP_PARAM_OSC,   /**< an oscillation override, a number or "preset" */
  ZP_PARAM_RATIO, /**< a flavour ratio e:mu:tau or "equal" */
  ZP_PARAM_PATH,  /**< a file name, kept as text */
  ZP_PARAM_TEXT   /**< free text checked by the command that uses it */
} zp_param_kind;

/** The commands a key belongs to (zp_param_info.commands, a bit mask). */
enum {
  ZP_CMD_SPECTRUM = 1, /**< `zprop spectrum` */
  ZP_CMD_BATCH = 2,    /**< `zprop batch` */
  ZP_CMD_FIT = 4,      /**< `zprop fit` */
  ZP_CMD_SCAN = 8,     /**< `zprop scan` */
  ZP_CMD_GM2 = 16,     /**< `zprop gm2` */
  ZP_CMD_PLOT = 32,    /**< figure keys, read by `zprop plot` itself (no zp_params) */
  /** not a command: a key saying how to run, not what (left out of headers) */
  ZP_CMD_RUNTIME = 64
};

/** One key of the table.  Every string is static and never NULL. */
typedef struct {
  const char *name;    /**< "mzp" */
  zp_param_kind kind;  /**< how the text is read */
  const char *def;     /**< default, as text ("" for none) */
  const char *unit;    /**< "MeV", or "" */
  const char *allowed; /**< range "(0.01, 1000]", words "NO|IO", or a description */
  const char *help;    /**< one line */
  unsigned commands;   /**< ZP_CMD_* bits of the commands that take the key */
} zp_param_info;

/** @brief The number of keys in the table, for iteration with zp_param_at().
 *  @return the count (every command's keys) */
ZP_API size_t zp_param_count(void);

/** @brief Key @p i of the table, in table order (the order of --help).
 *  @param[in] i index, below zp_param_count()
 *  @return the key (static), or NULL when @p i is out of range */
ZP_API const zp_param_info *zp_param_at(size_t i);

/** @brief Looks a key up by name.
 *  @param[in] name the key's name, exact case ("gzp")
 *  @return the key as the spectrum commands read it (static), or NULL when
 *  no command has such a key */
ZP_API const zp_param_info *zp_param_find(const char *name);

/** @brief Looks a key up as one command reads it: a command may allow a
 *  key more, or describe it otherwise (`zprop gm2` takes mzp up to 1e5 MeV).
 *  @param[in] name the key's name
 *  @param[in] command a ZP_CMD_* bit
 *  @return the command's row (static), or NULL when it takes no such key */
ZP_API const zp_param_info *zp_param_find_in(const char *name, unsigned command);

/** @brief The ZP_CMD_* bit of a command.
 *  @param[in] command "spectrum", "batch", "fit", "scan", "gm2" or "plot"
 *  @return its bit, or 0 for an unknown name */
ZP_API unsigned zp_param_command(const char *command);

/** A parameter set of one command: every key at its default until set. */
typedef struct zp_params zp_params;

/** @brief Creates a parameter set at the defaults of @p command.
 *  @param[in] command "spectrum", "batch", "fit", "scan" or "gm2"
 *  @param[out] out the new set, owned by the caller (zp_params_free())
 *  @param[out] err message on failure (unknown command, out of memory)
 *  @return ZP_OK, ZP_EINVAL or ZP_ENOMEM */
ZP_API zp_status zp_params_create(const char *command, zp_params **out, zp_error *err);

/** @brief Frees a set made by zp_params_create(), and the source table it loaded.
 *  @param[in] p the set, or NULL */
ZP_API void zp_params_free(zp_params *p);

/** @brief Sets key @p name from @p text, as `name=text` on the command line.
 *
 *  The text is read and checked against the key's range with the other
 *  keys as they stand; a refused value leaves the key as it was and the
 *  message is the CLI's, e.g. `gzp = 2: out of range, allowed [0, 1]`.
 *  Rules between keys (a bound naming a later key, the source table) are
 *  checked again by zp_params_config().  A key set again replaces the
 *  earlier value.
 *  @param[in,out] p the set
 *  @param[in] name a key of the set's command
 *  @param[in] text its value (copied)
 *  @param[out] err the one-line message on failure
 *  @return ZP_OK, ZP_EINVAL (unknown key, bad value) or ZP_ENOMEM */
ZP_API zp_status zp_params_set(zp_params *p, const char *name, const char *text, zp_error *err);

/** @brief The text key @p name holds now (the default if never set).
 *  @param[in] p the set
 *  @param[in] name the key
 *  @return a string owned by @p p, valid until the key changes; NULL for a
 *  key the command does not take */
ZP_API const char *zp_params_get(const zp_params *p, const char *name);

/** @brief Checks every key (once, in table order) and fills @p cfg.
 *
 *  The config passes zp_config_check(); when source = table the table is
 *  loaded, and @p cfg borrows it from @p p (valid until @p p is freed).
 *  Keys that take lists or ranges (batch, scan) must hold one value here.
 *  @param[in,out] p the set
 *  @param[out] cfg the checked configuration
 *  @param[out] err the one-line message of the first bad key
 *  @return ZP_OK, ZP_EINVAL, or the loader's status for the source table */
ZP_API zp_status zp_params_config(zp_params *p, zp_config *cfg, zp_error *err);

/** @brief Writes the effective parameter file, `key = value` lines, as
 *  `zprop <command> --dry-run` prints it; it reads back to the same config.
 *  @param[in] p a set that passed zp_params_config()
 *  @param[in] f where to write (the caller's stream, not closed)
 *  @param[out] err message on failure
 *  @return ZP_OK, ZP_EINVAL (set not checked) or ZP_EIO (write failed) */
ZP_API zp_status zp_params_write(const zp_params *p, FILE *f, zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
