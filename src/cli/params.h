/* zprop CLI: the command line of spectrum, batch, fit and scan read into
 * the library's parameter engine (config/params.h).
 *
 * What stays here is the program's part: argv (key=value, one parameter
 * file, --help, --dry-run) and the file itself (read with libinih).  The
 * keys, their ranges, their messages, --help's key table and the
 * "# key = value" header all belong to the library.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_PARAMS_H
#define ZP_CLI_PARAMS_H

#include "config/params.h"

/** A command line's parameters: the library's set, with help and dry_run. */
typedef zp_params zp_cli_params;

/** Parses `[FILE.ini] [key=value ...] [--help] [--dry-run]` (@p argv after
 *  the subcommand name) for `zprop spectrum`: zp_params_read(), then
 *  zp_params_check().  With --help it stops after the arguments.  On
 *  failure err->msg is one line naming the key, the value and what is
 *  allowed.  Call zp_params_clear() in every case. */
zp_status zp_params_parse(int argc, char **argv, zp_cli_params *p, zp_error *err);

/** The first half of zp_params_parse(), for any subcommand: defaults (with
 *  mode->defaults), the file and the arguments into p->text, and
 *  p->value[k] = p->text[k].  With --help it stops after the arguments. */
zp_status zp_params_read(int argc, char **argv, const zp_params_mode *mode, zp_cli_params *p,
                         zp_error *err);

#endif
