/* zprop CLI: argv and the parameter file of spectrum, batch, fit and scan.
 *
 * Defaults, then the parameter file, then key=value arguments, each stage
 * setting a key at most once (zp_params_set_from() says so otherwise); the
 * library's engine converts and checks them all (config/params.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "cli/params.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "core/file_io.h"

/* ----------------------------------------------------------- ini file */

typedef struct {
  zp_cli_params *p;
  zp_error *err;
  zp_status status; /* the first handler error; inih keeps reading after it */
} ini_state;

static int handle_ini_line(void *user, const char *section, const char *name, const char *value) {
  ini_state *st = user;
  if (st->status != ZP_OK) return 0;
  if (section[0] != '\0') {
    st->status = zp_error_set(st->err, ZP_EINVAL,
                              "%s = %s: in section [%s] of %s; keys must come before any [section]",
                              name, value[0] != '\0' ? value : "\"\"", section, st->p->ini_path);
    return 0;
  }
  /* inih strips only ';' inline comments; '#' after a blank is a comment too,
   * so that a header line "# mzp = 13" or "mzp = 13  # MeV" reads as meant. */
  char *copy = strdup(value);
  if (copy == NULL) {
    st->status = zp_error_set(st->err, ZP_ENOMEM, "out of memory");
    return 0;
  }
  for (char *h = strchr(copy, '#'); h != NULL; h = strchr(h + 1, '#'))
    if (h > copy && (h[-1] == ' ' || h[-1] == '\t')) {
      *h = '\0';
      break;
    }
  st->status = zp_params_set_from(st->p, name, zp_params_trim(copy), ZP_FROM_FILE, st->p->ini_path,
                                  st->err);
  free(copy);
  return st->status == ZP_OK;
}

/* libinih reads a line in pieces of INI_MAX_LINE - 1 bytes and parses each
 * piece as a line of its own, so the tail of a long comment could set a
 * key; such lines are refused before inih sees them. */
enum { INI_LINE_MAX = 200 };

static zp_status check_line_lengths(const char *text, const char *path, zp_error *err) {
  size_t lineno = 1;
  for (const char *s = text; *s != '\0'; lineno++) {
    size_t len = strcspn(s, "\n");
    if (len >= INI_LINE_MAX - 1)
      return zp_error_set(err, ZP_EFORMAT, "%s:%zu: line of %zu characters, at most %d allowed",
                          path, lineno, len, INI_LINE_MAX - 2);
    s += len + (s[len] == '\n');
  }
  return ZP_OK;
}

static zp_status read_ini(zp_cli_params *p, zp_error *err) {
  const char *path = p->ini_path;
  char *text;
  size_t len;
  /* Read whole and checked: a directory, FIFO or device is refused, not
   * read as an empty run or waited on. */
  zp_status st = zp_read_input(path, path, &text, &len, err);
  if (st == ZP_OK) st = check_line_lengths(text, path, err);
  if (st != ZP_OK) {
    free(text);
    return st;
  }
  ini_state ini = {p, err, ZP_OK};
  int line = ini_parse_string(text, handle_ini_line, &ini);
  free(text);
  if (ini.status != ZP_OK) return ini.status;
  if (line == -2) return zp_error_set(err, ZP_ENOMEM, "out of memory reading %s", path);
  if (line != 0)
    return zp_error_set(err, ZP_EFORMAT, "%s:%d: expected a 'key = value' line", path, line);
  return ZP_OK;
}

/* ------------------------------------------------------------ arguments */

/** key=value when what precedes the first '=' looks like a key; anything
 *  else (runs/a=1.ini) is a file name. */
static int is_assignment(const char *arg) {
  const char *eq = strchr(arg, '=');
  if (eq == NULL) return 0;
  for (const char *c = arg; c < eq; c++)
    if (!(*c == '_' || *c == ' ' || (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
          (*c >= 'A' && *c <= 'Z')))
      return 0;
  return 1;
}

/** A key of this subcommand, or -1. */
static int find_accepted_key(const zp_cli_params *p, const char *name) {
  int k = zp_params_find_key(name);
  return k >= 0 && zp_params_accepts(p->mode, (zp_param_key)k) ? k : -1;
}

/** Sorts the arguments into flags, the parameter file and key=value pairs
 *  (applied later, after the file), rejecting everything else. */
static zp_status scan_args(int argc, char **argv, zp_cli_params *p, zp_error *err) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int k;
    if (strcmp(a, "--dry-run") == 0) {
      p->dry_run = 1;
    } else if (a[0] == '-' && a[1] != '\0') {
      return zp_error_set(err, ZP_EINVAL, "%s: unknown option, allowed --help, --dry-run", a);
    } else if (is_assignment(a)) {
      continue;
    } else if ((k = find_accepted_key(p, a)) >= 0) {
      return zp_error_set(err, ZP_EINVAL, "%s: expected key=value, e.g. %s=%s", a, a,
                          zp_params_info((zp_param_key)k)->def[0] != '\0'
                              ? zp_params_info((zp_param_key)k)->def
                              : "FILE");
    } else if (p->ini_path != NULL) {
      return zp_error_set(err, ZP_EINVAL,
                          "%s: a second parameter file, allowed only one (%s is the first)", a,
                          p->ini_path);
    } else {
      p->ini_path = a;
    }
  }
  return ZP_OK;
}

static zp_status apply_args(int argc, char **argv, zp_cli_params *p, zp_error *err) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' || !is_assignment(argv[i])) continue;
    char *copy = strdup(argv[i]);
    if (copy == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
    char *eq = strchr(copy, '=');
    *eq = '\0';
    zp_status st;
    if (zp_params_trim(copy)[0] == '\0')
      st = zp_error_set(err, ZP_EINVAL, "%s: expected key=value", argv[i]);
    else
      st = zp_params_set_from(p, zp_params_trim(copy), zp_params_trim(eq + 1), ZP_FROM_ARG, "",
                              err);
    free(copy);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

/* -------------------------------------------------------------- parse */

zp_status zp_params_read(int argc, char **argv, const zp_params_mode *mode, zp_cli_params *p,
                         zp_error *err) {
  zp_error_clear(err);
  zp_status st = zp_params_init(p, mode, err);
  if (st != ZP_OK) return st;
  /* --help wins over anything else on the line, even a mistake. */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) p->help = 1;
  if (p->help) return ZP_OK;

  st = scan_args(argc, argv, p, err);
  if (st == ZP_OK && p->ini_path != NULL) st = read_ini(p, err);
  if (st == ZP_OK) st = apply_args(argc, argv, p, err);
  for (int k = 0; k < ZP_KEY_COUNT; k++) p->value[k] = p->text[k];
  return st;
}

zp_status zp_params_parse(int argc, char **argv, zp_cli_params *p, zp_error *err) {
  zp_status st = zp_params_read(argc, argv, &zp_mode_spectrum, p, err);
  if (st != ZP_OK || p->help) return st;
  return zp_params_check(p, err);
}
