/* zprop CLI: parsing and checking the keys of spectrum, batch, fit and scan.
 *
 * Every key goes through the same pipeline, driven by ZP_PARAM_LIST and
 * ZP_FIT_PARAM_LIST (a subcommand sees only the keys it takes):
 *   1. text:    default, then the parameter file, then key=value arguments
 *               (each stage may set a key once);
 *   2. convert: text -> typed value, by kind (syntax, finiteness, words);
 *   3. check:   typed value against the "allowed" column, in table order,
 *               so a bound can name a key above it;
 *   4. store:   typed value -> the field named in the table.
 * The user's own text is kept so that each error message quotes exactly
 * what was written.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strcasecmp, fstat */

#include "cli/params.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/decimal.h"
#include "core/excerpt.h" /* zp_first_control */
#include "core/file_io.h"
#include "zprop/fit.h"
#include "zprop/gm2.h"
#include "zprop/mixing.h"

typedef enum {
  KIND_REAL,
  KIND_INT,
  KIND_ENUM,
  KIND_OSC,
  KIND_RATIO,
  KIND_PATH,
  KIND_TEXT
} param_kind;

typedef struct {
  const char *name;
  param_kind kind;
  const char *def;
  const char *unit;
  const char *allowed;
  const char *help;
  unsigned cmds; /* ZP_CMD_* of a fit key; 0 for the model keys, which all take */
} param_info;

/* `zprop spectrum`: the table as it stands, no lists. */
static const zp_params_mode spectrum_mode = {"spectrum", NULL, NULL, 0, NULL};

static const param_info info[ZP_KEY_COUNT] = {
#define ZP_PARAM_INFO_(name, kind, def, unit, allowed, field, help) \
  {#name, KIND_##kind, def, unit, allowed, help, 0},
#define ZP_FIT_PARAM_INFO_(name, kind, def, unit, allowed, field, help, cmds) \
  {#name, KIND_##kind, def, unit, allowed, help, cmds},
    ZP_PARAM_LIST(ZP_PARAM_INFO_) ZP_FIT_PARAM_LIST(ZP_FIT_PARAM_INFO_)
#undef ZP_PARAM_INFO_
#undef ZP_FIT_PARAM_INFO_
};

/* An ENUM key stores the position of its word in the "allowed" column, so
 * the library's enum values must be those positions. */
_Static_assert(ZP_ORDERING_NO == 0 && ZP_ORDERING_IO == 1, "ordering words: NO|IO");
_Static_assert(ZP_MIXING_NUFIT50 == 0 && ZP_MIXING_NUFIT52 == 1 && ZP_MIXING_NUFIT60 == 2,
               "mixing words: nufit50|nufit52|nufit60");
_Static_assert(ZP_SOURCE_DELTA == 0 && ZP_SOURCE_SFR == 1 && ZP_SOURCE_SFR_SMOOTH == 2 &&
                   ZP_SOURCE_BLLAC == 3 && ZP_SOURCE_TABLE == 4,
               "source words: delta|sfr|sfr_smooth|bllac|table");
_Static_assert(ZP_THERMAL_AUTO == 0 && ZP_THERMAL_OFF == 1 && ZP_THERMAL_ALWAYS == 2,
               "thermal words: auto|off|always");
_Static_assert(ZP_BACKEND_AUTO == 0 && ZP_BACKEND_CPU == 1 && ZP_BACKEND_CUDA == 2 &&
                   ZP_BACKEND_CPU_FAST == 3,
               "backend words: auto|cpu|cuda|cpu_fast");
_Static_assert(ZP_ERRORS_SYMMETRIC == 0 && ZP_ERRORS_ASYMMETRIC == 1,
               "errors words: symmetric|asymmetric");
_Static_assert(ZP_UL_ZERO == 0 && ZP_UL_EXCESS == 1 && ZP_UL_HALF == 2 && ZP_UL_SKIP == 3,
               "upper_limits words: zero|excess|half|skip");
_Static_assert(ZP_FLUX_CENTRE == 0 && ZP_FLUX_AVERAGE == 1, "flux words: centre|average");
_Static_assert(ZP_GM2_WP2020 == 0 && ZP_GM2_WP2020_2023 == 1 && ZP_GM2_BMW2025 == 2 &&
                   ZP_GM2_WP2025 == 3,
               "gm2_ref words: wp2020|wp2020_2023|bmw2025|wp2025");

/** A key's value after conversion; which members mean something depends
 *  on the kind. */
typedef struct {
  double real;     /* REAL, OSC */
  long integer;    /* INT */
  int word;        /* ENUM: position in the allowed list */
  int set;         /* OSC: 0 when the text is "preset" */
  double ratio[3]; /* RATIO */
  int equal;       /* RATIO: the word "equal" */
} param_value;

/* ---------------------------------------------------------------- text */

/** Removes '+' and leading zeros from the exponent: 1e9, not 1e+09. */
static void tidy_exponent(char *s) {
  char *e = strchr(s, 'e');
  if (e == NULL) return;
  char *src = e + 1, *dst = e + 1;
  if (*src == '+') src++;
  else if (*src == '-') *dst++ = *src++;
  while (*src == '0' && src[1] != '\0') src++;
  memmove(dst, src, strlen(src) + 1);
}

/** The shortest text that reads back as exactly @p x, in fixed or
 *  exponent notation, whichever is shorter (fixed on a tie): 60, 5e-4,
 *  0.12, 1e9.  Exact, so a printed header reruns the same numbers. */
static void format_real(char *buf, size_t size, double x) {
  char sci[40], fixed[64] = "";
  for (int prec = 0; prec <= 17; prec++) {
    snprintf(sci, sizeof sci, "%.*e", prec, x);
    if (strtod(sci, NULL) == x) break;
  }
  tidy_exponent(sci);
  if (x == 0.0 || (fabs(x) >= 1e-5 && fabs(x) < 1e16))
    for (int dec = 0; dec <= 22; dec++) {
      snprintf(fixed, sizeof fixed, "%.*f", dec, x);
      if (strtod(fixed, NULL) == x) break;
      fixed[0] = '\0';
    }
  snprintf(buf, size, "%s", fixed[0] != '\0' && strlen(fixed) <= strlen(sci) ? fixed : sci);
}

/** @p x rounded up to 4 significant digits: a minimum quoted to the user
 *  must itself pass the check it is quoted for. */
static void format_real_up(char *buf, size_t size, double x) {
  snprintf(buf, size, "%.4g", x);
  if (strtod(buf, NULL) < x) {
    double scale = pow(10.0, floor(log10(fabs(x))) - 3.0);
    snprintf(buf, size, "%.4g", ceil(x / scale) * scale);
    if (strtod(buf, NULL) < x) format_real(buf, size, x);
  }
}

/** The value as written, quoted when empty so the message still reads. */
static const char *shown(const char *text) { return text[0] == '\0' ? "\"\"" : text; }

void zp_params_quote(char *buf, size_t size, const char *text) {
  /* A list of thousands of values would push the rest of the message out
   * of the fixed-size zp_error: its start is enough to recognise it. */
  enum { KEEP = 60 };
  if (strlen(text) > KEEP + 20) snprintf(buf, size, "%.*s...", (int)KEEP, text);
  else snprintf(buf, size, "%s", shown(text));
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* ---------------------------------------------------------------- keys */

/** Any key of either table, whether or not the subcommand takes it: range
 *  bounds name keys through this too. */
static int find_key(const char *name) {
  for (int k = 0; k < ZP_KEY_COUNT; k++)
    if (strcmp(info[k].name, name) == 0) return k;
  return -1;
}

int zp_params_accepts(const zp_params_mode *mode, zp_param_key k) {
  return info[k].cmds == 0 || (mode != NULL && (info[k].cmds & mode->cmd) != 0);
}

/** A key of this subcommand, or -1. */
static int find_accepted_key(const zp_cli_params *p, const char *name) {
  int k = find_key(name);
  return k >= 0 && zp_params_accepts(p->mode, (zp_param_key)k) ? k : -1;
}

/** Case-insensitive edit distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b) {
  enum { MAXLEN = 40 };
  size_t na = strlen(a), nb = strlen(b);
  if (na >= MAXLEN || nb >= MAXLEN) return (size_t)-1;
  size_t row[MAXLEN + 1];
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t cost = (strncasecmp(a + i - 1, b + j - 1, 1) != 0);
      size_t best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

/** The key of this subcommand closest to @p name within two edits, or NULL. */
static const char *suggest_key(const zp_cli_params *p, const char *name) {
  const char *best = NULL;
  size_t best_d = 3;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    if (!zp_params_accepts(p->mode, (zp_param_key)k)) continue;
    size_t d = edit_distance(name, info[k].name);
    if (d < best_d) {
      best_d = d;
      best = info[k].name;
    }
  }
  return best;
}

/** Records @p value for key @p name from @p origin (FILE or ARG);
 *  @p where names the file for messages ("" for arguments). */
static zp_status set_text(zp_cli_params *p, const char *name, const char *value,
                          zp_param_origin origin, const char *where, zp_error *err) {
  const char *in = origin == ZP_FROM_FILE ? " in " : "";
  int any = find_key(name);
  int k = any >= 0 && zp_params_accepts(p->mode, (zp_param_key)any) ? any : -1;
  if (k < 0 && any >= 0) {
    /* A fit key in a spectrum file is a mistake worth naming exactly. */
    unsigned cmds = info[any].cmds;
    return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s for zprop %s (a key of zprop %s)",
                        name, shown(value), in, where, p->mode->command,
                        (cmds & ZP_CMD_FIT) && (cmds & ZP_CMD_SCAN) ? "fit and scan"
                        : (cmds & ZP_CMD_FIT)                        ? "fit"
                                                                     : "scan");
  }
  if (k < 0) {
    const char *near = suggest_key(p, name);
    if (near != NULL)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s, did you mean %s?", name,
                          shown(value), in, where, near);
    return zp_error_set(err, ZP_EINVAL, "%s = %s: unknown key%s%s, see 'zprop %s --help'", name,
                        shown(value), in, where, p->mode->command);
  }
  if (p->origin[k] == origin) {
    if (origin == ZP_FROM_ARG)
      return zp_error_set(err, ZP_EINVAL, "%s = %s: %s given twice on the command line", name,
                          shown(value), name);
    /* inih joins an indented line to the key above it; say so, since the
     * "second" value then looks like a whole key = value line. */
    return zp_error_set(err, ZP_EINVAL, "%s = %s: %s given twice in %s%s", name, shown(value), name,
                        where,
                        strchr(value, '=') ? " (an indented line continues the key above it)" : "");
  }
  char *copy = strdup(value);
  if (copy == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  free(p->text[k]);
  p->text[k] = copy;
  p->origin[k] = origin;
  return ZP_OK;
}

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
                              name, shown(value), section, st->p->ini_path);
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
  st->status = set_text(st->p, name, trim(copy), ZP_FROM_FILE, st->p->ini_path, st->err);
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
                          info[k].def[0] != '\0' ? info[k].def : "FILE");
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
    if (trim(copy)[0] == '\0')
      st = zp_error_set(err, ZP_EINVAL, "%s: expected key=value", argv[i]);
    else
      st = set_text(p, trim(copy), trim(eq + 1), ZP_FROM_ARG, "", err);
    free(copy);
    if (st != ZP_OK) return st;
  }
  return ZP_OK;
}

/* ----------------------------------------------------------- convert */

/** Writes a value error in the one format every check uses:
 *  `key = text: problem, allowed ...` plus, in parentheses, what the
 *  reader needs to see why (values of named bounds, where the text came
 *  from). */
static zp_status value_error(const zp_cli_params *p, int k, const char *problem,
                             const char *allowed, const char *note, zp_error *err) {
  /* Checking one element of a list (or one end of a range): quote the whole
   * text as written, then the element, so the user sees both what to find
   * and what to fix. */
  char element[128] = "";
  const char *v = p->value[k];
  if (v != NULL && v != p->text[k] && strpbrk(p->text[k], ",:") != NULL && v[0] != '\0')
    snprintf(element, sizeof element, "element %.100s ", v);
  char where[256] = "";
  if (p->origin[k] == ZP_FROM_FILE)
    snprintf(where, sizeof where, "from %s", p->ini_path);
  else if (p->origin[k] == ZP_FROM_DEFAULT)
    snprintf(where, sizeof where, "default value");
  int have_note = note != NULL && note[0] != '\0';
  char text[96];
  zp_params_quote(text, sizeof text, p->text[k]);
  return zp_error_set(err, ZP_EINVAL, "%s = %s: %s%s, allowed %s%s%s%s%s%s", info[k].name, text,
                      element, problem, allowed,
                      have_note || where[0] ? " (" : "", have_note ? note : "",
                      have_note && where[0] ? "; " : "", where, have_note || where[0] ? ")" : "");
}

zp_status zp_params_value_error(const zp_cli_params *p, zp_param_key k, const char *problem,
                                const char *note, zp_error *err) {
  return value_error(p, (int)k, problem, info[k].allowed, note, err);
}

/** zp_parse_decimal(), keeping *out unchanged unless the number is taken:
 *  1e-400 (underflow) is out of range, not 0. */
static zp_num_result parse_real(const char *s, double *out) {
  double x;
  zp_num_result r = zp_parse_decimal(s, &x);
  if (r == ZP_NUM_OK) *out = x;
  return r;
}

/** Position of @p word in the '|'-separated @p list (any case), or -1. */
static int find_word(const char *list, const char *word) {
  size_t n = strlen(word);
  int pos = 0;
  for (const char *s = list;; pos++) {
    const char *bar = strchr(s, '|');
    size_t len = bar ? (size_t)(bar - s) : strlen(s);
    if (len == n && n > 0 && strncasecmp(s, word, n) == 0) return pos;
    if (bar == NULL) return -1;
    s = bar + 1;
  }
}

static zp_status convert_real(const zp_cli_params *p, int k, double *out, zp_error *err) {
  switch (parse_real(p->value[k], out)) {
    case ZP_NUM_OK: return ZP_OK;
    case ZP_NUM_NONFINITE: return value_error(p, k, "not a finite number", info[k].allowed, NULL, err);
    case ZP_NUM_UNDERFLOW:
      return value_error(p, k, "beyond the range of a double", info[k].allowed, NULL, err);
    case ZP_NUM_MALFORMED: break;
  }
  return value_error(p, k, "not a number", info[k].allowed, NULL, err);
}

/** Whether key @p k, as written, is a list of several values that this
 *  subcommand accepts (then p->value[k] is one element of it). */
static int is_list(const zp_cli_params *p, int k) {
  return p->mode != NULL && p->mode->lists != NULL && p->mode->lists[k] &&
         strchr(p->text[k], ',') != NULL;
}

static zp_status convert(const zp_cli_params *p, int k, param_value *v, zp_error *err) {
  const char *t = p->value[k];
  const char *allowed = info[k].allowed;
  param_kind kind = info[k].kind;
  if (is_list(p, k) && t[0] == '\0')
    return value_error(p, k, "empty element", allowed, NULL, err);
  /* Where lists exist, a comma in a key without one would otherwise read
   * as a malformed number; say what is really wrong.  Paths and ratios
   * may hold commas of their own. */
  if (p->mode->lists != NULL && !p->mode->lists[k] && kind != KIND_PATH && kind != KIND_RATIO &&
      kind != KIND_TEXT && strchr(t, ',') != NULL)
    return value_error(p, k, "lists not accepted for this key", allowed, NULL, err);
  switch (kind) {
    case KIND_REAL:
      return convert_real(p, k, &v->real, err);
    case KIND_OSC:
      v->set = strcasecmp(t, "preset") != 0;
      return v->set ? convert_real(p, k, &v->real, err) : ZP_OK;
    case KIND_INT: {
      char *end;
      errno = 0;
      v->integer = strtol(t, &end, 10);
      if (end != t && *end == '\0') return ZP_OK; /* ERANGE: clamped, fails the range */
      double x;
      return value_error(p, k, parse_real(t, &x) == ZP_NUM_OK ? "not an integer" : "not a number",
                         allowed, NULL, err);
    }
    case KIND_ENUM:
      v->word = find_word(allowed, t);
      if (v->word >= 0) return ZP_OK;
      return value_error(p, k, "unknown word", allowed, NULL, err);
    case KIND_RATIO: {
      if (strcasecmp(t, "equal") == 0) {
        v->equal = 1;
        v->ratio[0] = v->ratio[1] = v->ratio[2] = 1.0;
        return ZP_OK;
      }
      char buf[256];
      if (strlen(t) >= sizeof buf) return value_error(p, k, "not a ratio", allowed, NULL, err);
      memcpy(buf, t, strlen(t) + 1);
      char *part = buf;
      double sum = 0.0;
      for (int i = 0; i < 3; i++) {
        char *colon = strchr(part, ':');
        if ((i < 2) != (colon != NULL)) return value_error(p, k, "not a ratio", allowed, NULL, err);
        if (colon != NULL) *colon = '\0';
        if (parse_real(trim(part), &v->ratio[i]) != ZP_NUM_OK || v->ratio[i] < 0.0)
          return value_error(p, k, "not a ratio", allowed, NULL, err);
        sum += v->ratio[i];
        part = colon + 1;
      }
      if (!(sum > 0.0)) return value_error(p, k, "all zero", allowed, NULL, err);
      return ZP_OK;
    }
    case KIND_PATH:
    case KIND_TEXT:
      /* A name goes into messages and the table header: a newline there
       * would forge a header line, an escape would drive the terminal. */
      if (zp_first_control(t) != 0)
        return value_error(p, k, "holds a control character", "printable characters", NULL, err);
      return ZP_OK;
  }
  return ZP_OK;
}

/* ------------------------------------------------------------- check */

/** The oscillation parameters the run will use: the preset of `mixing`
 *  and `ordering` with every set override on top. */
static zp_status effective_osc(const param_value *v, zp_oscillation *osc, zp_error *err) {
  zp_status st = zp_oscillation_preset((zp_mixing_preset)v[ZP_KEY_mixing].word,
                                       (zp_ordering)v[ZP_KEY_ordering].word, osc, err);
  if (st != ZP_OK) return st;
  if (v[ZP_KEY_theta12].set) osc->theta12 = v[ZP_KEY_theta12].real;
  if (v[ZP_KEY_theta13].set) osc->theta13 = v[ZP_KEY_theta13].real;
  if (v[ZP_KEY_theta23].set) osc->theta23 = v[ZP_KEY_theta23].real;
  if (v[ZP_KEY_delta_cp].set) osc->delta_cp = v[ZP_KEY_delta_cp].real;
  if (v[ZP_KEY_dm21].set) osc->dm21 = v[ZP_KEY_dm21].real;
  if (v[ZP_KEY_dm3l].set) osc->dm3l = v[ZP_KEY_dm3l].real;
  return ZP_OK;
}

/** One end of a range: a number, a key's value or sum_min. */
static zp_status resolve_bound(const char *token, const param_value *v, double *out, char *note,
                               size_t note_size, zp_error *err) {
  if (parse_real(token, out) == ZP_NUM_OK) return ZP_OK;
  char num[32];
  if (strcmp(token, "sum_min") == 0) {
    zp_oscillation osc;
    zp_status st = effective_osc(v, &osc, err);
    if (st != ZP_OK) return st;
    zp_ordering ord = (zp_ordering)v[ZP_KEY_ordering].word;
    *out = zp_min_sum_mnu(&osc, ord);
    format_real_up(num, sizeof num, *out);
    snprintf(note, note_size, "sum_min = %s for %s", num, ord == ZP_ORDERING_IO ? "IO" : "NO");
    return ZP_OK;
  }
  int k = find_key(token);
  if (k < 0 || info[k].kind != KIND_REAL)
    return zp_error_set(err, ZP_EINVAL, "internal error: bad bound '%s' in the key table", token);
  *out = v[k].real;
  format_real(num, sizeof num, *out);
  snprintf(note, note_size, "%s = %s", token, num);
  return ZP_OK;
}

/** Checks a REAL, INT or OSC value against its "(lo, hi]" range text. */
static zp_status check_range(const zp_cli_params *p, int k, double x, const param_value *v,
                             zp_error *err) {
  const char *r = info[k].allowed;
  char lo_tok[32], hi_tok[32], lo_note[96] = "", hi_note[96] = "", note[200];
  char open_c, close_c;
  /* The table is ours: a malformed range is a bug, reported as one. */
  if (sscanf(r, "%c%31[^,], %31[^])]%c", &open_c, lo_tok, hi_tok, &close_c) != 4 ||
      (open_c != '(' && open_c != '[') || (close_c != ')' && close_c != ']'))
    return zp_error_set(err, ZP_EINVAL, "internal error: bad range '%s' for %s", r, info[k].name);
  double lo = 0.0, hi = 0.0;
  zp_status st = resolve_bound(lo_tok, v, &lo, lo_note, sizeof lo_note, err);
  if (st == ZP_OK) st = resolve_bound(hi_tok, v, &hi, hi_note, sizeof hi_note, err);
  if (st != ZP_OK) return st;
  int ok = (open_c == '[' ? x >= lo : x > lo) && (close_c == ']' ? x <= hi : x < hi);
  if (ok) return ZP_OK;
  snprintf(note, sizeof note, "%s%s%s", lo_note, lo_note[0] && hi_note[0] ? "; " : "", hi_note);
  return value_error(p, k, "out of range", r, note, err);
}

/** Rules that span keys and do not fit a range: the sign of dm3l, and the
 *  source table (loaded here so that a bad file is an input error). */
static zp_status check_extra(zp_cli_params *p, int k, const param_value *v, zp_error *err) {
  if (k == ZP_KEY_dm3l) {
    zp_oscillation osc;
    zp_status st = effective_osc(v, &osc, err);
    if (st != ZP_OK) return st;
    /* m1 < m2 < m3 (NO) needs dm31 > dm21; m3 < m1 < m2 (IO) needs
     * -dm32 > dm21, or the lightest mass has no solution. */
    int io = v[ZP_KEY_ordering].word == ZP_ORDERING_IO;
    if (io ? -osc.dm3l > osc.dm21 : osc.dm3l > osc.dm21) return ZP_OK;
    char num[32], note[64], allowed[64];
    format_real(num, sizeof num, osc.dm21);
    snprintf(note, sizeof note, "dm21 = %s", num);
    snprintf(allowed, sizeof allowed, io ? "[-1, -dm21) for IO" : "(dm21, 1] for NO");
    return value_error(p, k, "does not fit the ordering", allowed, note, err);
  }
  /* zp_params_check() runs once per element of a list: load the file once. */
  if (k == ZP_KEY_source_table && v[ZP_KEY_source].word == ZP_SOURCE_TABLE && p->table == NULL) {
    if (p->text[k][0] == '\0')
      return value_error(p, k, "needed by source = table", info[k].allowed, NULL, err);
    zp_error lerr;
    zp_error_clear(&lerr);
    zp_status st = zp_source_table_load(p->text[k], &p->table, &lerr);
    /* A message that names the key already (the file could not be read)
     * stands as it is; one about its content gets the key in front. */
    if (st != ZP_OK && strncmp(lerr.msg, "source_table '", 14) == 0)
      return zp_error_set(err, st, "%s", lerr.msg);
    if (st != ZP_OK)
      return zp_error_set(err, st, "%s = %s: %s", info[k].name, p->text[k],
                          lerr.msg[0] ? lerr.msg : zp_strerror(st));
  }
  if (k == ZP_KEY_output && p->text[k][0] == '\0')
    return value_error(p, k, "empty", info[k].allowed, NULL, err);
  return ZP_OK;
}

/* -------------------------------------------------------------- store */

#define STORE_REAL(field, v, text) ((field) = (v)->real)
#define STORE_INT(field, v, text) ((field) = (int)(v)->integer)
#define STORE_ENUM(field, v, text) ((field) = (v)->word)
#define STORE_OSC(field, v, text) \
  do {                            \
    if ((v)->set) (field) = (v)->real; \
  } while (0)
#define STORE_PATH(field, v, text) ((field) = (text))
#define STORE_TEXT(field, v, text) ((field) = (text))
/* RATIO is flavor_ratio's kind, and "equal" lives in a sibling field. */
#define STORE_RATIO(field, v, text)                     \
  do {                                                  \
    memcpy((field), (v)->ratio, sizeof (v)->ratio);     \
    p->cfg.flavor_equal = (v)->equal;                   \
  } while (0)

/** Moves every value into p (p->cfg.osc must hold the preset already);
 *  keys the subcommand does not take were not converted and stay zero. */
static void store(zp_cli_params *p, const param_value *values) {
#define ZP_PARAM_STORE_(name, kind, def, unit, allowed, field, ...)        \
  if (zp_params_accepts(p->mode, ZP_KEY_##name))                           \
    STORE_##kind(p->field, &values[ZP_KEY_##name], p->text[ZP_KEY_##name]);
  ZP_PARAM_LIST(ZP_PARAM_STORE_)
  ZP_FIT_PARAM_LIST(ZP_PARAM_STORE_)
#undef ZP_PARAM_STORE_
}

/* -------------------------------------------------------------- parse */

zp_status zp_params_read(int argc, char **argv, const zp_params_mode *mode, zp_cli_params *p,
                         zp_error *err) {
  memset(p, 0, sizeof *p);
  zp_error_clear(err);
  p->mode = mode;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    const char *def = mode->defaults && mode->defaults[k] ? mode->defaults[k] : info[k].def;
    p->text[k] = strdup(def);
    if (p->text[k] == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  }
  /* --help wins over anything else on the line, even a mistake. */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) p->help = 1;
  if (p->help) return ZP_OK;

  zp_status st = scan_args(argc, argv, p, err);
  if (st == ZP_OK && p->ini_path != NULL) st = read_ini(p, err);
  if (st == ZP_OK) st = apply_args(argc, argv, p, err);
  for (int k = 0; k < ZP_KEY_COUNT; k++) p->value[k] = p->text[k];
  return st;
}

zp_status zp_params_parse(int argc, char **argv, zp_cli_params *p, zp_error *err) {
  zp_status st = zp_params_read(argc, argv, &spectrum_mode, p, err);
  if (st != ZP_OK || p->help) return st;
  return zp_params_check(p, err);
}

zp_status zp_params_check(zp_cli_params *p, zp_error *err) {
  zp_status st = ZP_OK;
  param_value values[ZP_KEY_COUNT];
  memset(values, 0, sizeof values);
  for (int k = 0; k < ZP_KEY_COUNT && st == ZP_OK; k++)
    if (zp_params_accepts(p->mode, (zp_param_key)k)) st = convert(p, k, &values[k], err);
  for (int k = 0; k < ZP_KEY_COUNT && st == ZP_OK; k++) {
    if (!zp_params_accepts(p->mode, (zp_param_key)k)) continue;
    param_kind kind = info[k].kind;
    if (kind == KIND_REAL || (kind == KIND_OSC && values[k].set))
      st = check_range(p, k, values[k].real, values, err);
    else if (kind == KIND_INT)
      st = check_range(p, k, (double)values[k].integer, values, err);
    if (st == ZP_OK) st = check_extra(p, k, values, err);
  }
  if (st != ZP_OK) return st;

  zp_config_default(&p->cfg);
  st = zp_oscillation_preset((zp_mixing_preset)values[ZP_KEY_mixing].word,
                             (zp_ordering)values[ZP_KEY_ordering].word, &p->cfg.osc, err);
  if (st != ZP_OK) return st;
  store(p, values);
  p->cfg.source.table = p->table;
  /* The library has the last word: its message names the field. */
  return zp_config_check(&p->cfg, err);
}

void zp_params_free(zp_cli_params *p) {
  if (p == NULL) return;
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    free(p->text[k]);
    p->text[k] = NULL;
  }
  zp_source_table_free(p->table);
  p->table = NULL;
  p->cfg.source.table = NULL;
  for (int k = 0; k < ZP_KEY_COUNT; k++) p->value[k] = NULL;
}

/* -------------------------------------------------------------- print */

static void print_real(FILE *f, double x) {
  char buf[40];
  format_real(buf, sizeof buf, x);
  fputs(buf, f);
}

/** The word at @p pos of the '|'-separated @p list ("" past its end). */
static const char *word_at(const char *list, int pos, int *len) {
  for (; pos > 0 && list != NULL; pos--) {
    list = strchr(list, '|');
    if (list != NULL) list++;
  }
  *len = list == NULL ? 0 : (int)strcspn(list, "|");
  return list == NULL ? "" : list;
}

static void print_word(FILE *f, const char *list, int pos) {
  int len;
  const char *w = word_at(list, pos, &len);
  fprintf(f, "%.*s", len, w);
}

const char *zp_params_key_name(zp_param_key k) { return info[k].name; }

zp_status zp_params_set_text(zp_cli_params *p, zp_param_key k, const char *text, zp_error *err) {
  char *copy = strdup(text);
  if (copy == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  free(p->text[k]);
  p->text[k] = copy;
  p->value[k] = copy;
  return ZP_OK;
}

void zp_params_format_real(char *buf, size_t size, double x) { format_real(buf, size, x); }

void zp_params_format_word(char *buf, size_t size, zp_param_key k, int pos) {
  int len;
  const char *w = word_at(info[k].allowed, pos, &len);
  snprintf(buf, size, "%.*s", len, w);
}

/** A list as given, less its blanks ("10, 13" -> "10,13"): it reads back
 *  the same, and the elements themselves hold no blanks once checked. */
static void print_list(FILE *f, const char *text) {
  for (const char *c = text; *c != '\0'; c++)
    if (*c != ' ' && *c != '\t') fputc(*c, f);
}

static void print_ratio(FILE *f, const double *r, int equal) {
  if (equal) {
    fputs("equal", f);
    return;
  }
  for (int i = 0; i < 3; i++) {
    if (i > 0) fputc(':', f);
    print_real(f, r[i]);
  }
}

#define PRINT_REAL(f, field, k) print_real(f, field)
#define PRINT_OSC(f, field, k) print_real(f, field)
#define PRINT_INT(f, field, k) fprintf(f, "%d", field)
#define PRINT_ENUM(f, field, k) print_word(f, info[k].allowed, (int)(field))
#define PRINT_RATIO(f, field, k) print_ratio(f, field, p->cfg.flavor_equal)
#define PRINT_PATH(f, field, k) fputs(field, f)
#define PRINT_TEXT(f, field, k) fputs(field, f)

/** Whether key @p k must be printed as written rather than from p->cfg,
 *  which holds only the last element checked: a list, or a preset
 *  oscillation value that differs between the orderings of a list. */
static int print_as_written(const zp_cli_params *p, int k) {
  if (is_list(p, k) || (p->mode->ranges != NULL && p->mode->ranges[k])) return 1;
  return info[k].kind == KIND_OSC && is_list(p, ZP_KEY_ordering) &&
         strcasecmp(p->text[k], "preset") == 0;
}

/** Whether zp_params_print() writes key @p k. */
static int printed(const zp_cli_params *p, int k) {
  return zp_params_accepts(p->mode, (zp_param_key)k) && !(info[k].cmds & ZP_CMD_RUNTIME);
}

void zp_params_print(FILE *f, const char *prefix, const zp_cli_params *p) {
#define ZP_PARAM_PRINT_(name, kind, def, unit, allowed, field, ...) \
  if (printed(p, ZP_KEY_##name)) {                                 \
    fprintf(f, "%s%s = ", prefix, #name);                          \
    if (print_as_written(p, ZP_KEY_##name))                         \
      print_list(f, p->text[ZP_KEY_##name]);                        \
    else                                                            \
      PRINT_##kind(f, p->field, ZP_KEY_##name);                     \
    fputc('\n', f);                                                 \
  }
  ZP_PARAM_LIST(ZP_PARAM_PRINT_)
  ZP_FIT_PARAM_LIST(ZP_PARAM_PRINT_)
#undef ZP_PARAM_PRINT_
}

void zp_params_print_help(FILE *f) { zp_params_print_help_mode(f, &spectrum_mode); }

void zp_params_print_help_mode(FILE *f, const zp_params_mode *mode) {
  const char *defs[ZP_KEY_COUNT];
  for (int k = 0; k < ZP_KEY_COUNT; k++)
    defs[k] = mode->defaults && mode->defaults[k] ? mode->defaults[k]
              : info[k].def[0]                    ? info[k].def
                                                  : "\"\"";
  /* Column widths from the table itself, so the help lines up whatever it holds. */
  size_t wn = strlen("key"), wd = strlen("default"), wa = strlen("allowed");
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    if (!zp_params_accepts(mode, (zp_param_key)k)) continue;
    if (strlen(info[k].name) > wn) wn = strlen(info[k].name);
    if (strlen(defs[k]) > wd) wd = strlen(defs[k]);
    if (strlen(info[k].allowed) > wa) wa = strlen(info[k].allowed);
  }
  const char *list_col = mode->lists != NULL ? "list  " : "";
  fprintf(f, "  %-*s  %s%-*s  %-*s  %s\n", (int)wn, "key", list_col, (int)wd, "default", (int)wa,
          "allowed", "unit; meaning");
  for (int k = 0; k < ZP_KEY_COUNT; k++) {
    if (!zp_params_accepts(mode, (zp_param_key)k)) continue;
    const param_info *in = &info[k];
    if (mode->lists != NULL) list_col = mode->lists[k] ? "yes   " : "      ";
    fprintf(f, "  %-*s  %s%-*s  %-*s  %s%s%s\n", (int)wn, in->name, list_col, (int)wd, defs[k],
            (int)wa, in->allowed, in->unit, in->unit[0] ? "; " : "", in->help);
  }
}
