/* The library's parameter table and sets (zprop/params.h): lookup, setting
 * keys with the CLI's exact messages, the config they give against
 * zp_config_default(), and the parameter file written and read back. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream, strdup */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zprop/zprop.h"

static zp_params *create(const char *command) {
  zp_params *p = NULL;
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_params_create(command, &p, &err), ZP_OK, "%s", err.msg);
  return p;
}

/* Sets key=value and expects it refused with exactly @p msg. */
static void expect_message(zp_params *p, const char *key, const char *value, const char *msg) {
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_params_set(p, key, value, &err), ZP_EINVAL, "%s=%s accepted", key, value);
  cr_expect_str_eq(err.msg, msg);
}

static void expect_set(zp_params *p, const char *key, const char *value) {
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_params_set(p, key, value, &err), ZP_OK, "%s=%s: %s", key, value, err.msg);
}

Test(params, lookup_by_name) {
  const zp_param_info *g = zp_param_find("gzp");
  cr_assert_not_null(g);
  cr_expect_str_eq(g->name, "gzp");
  cr_expect_eq(g->kind, ZP_PARAM_REAL);
  cr_expect_str_eq(g->def, "5e-4");
  cr_expect_str_eq(g->allowed, "[0, 1]");
  cr_expect_str_eq(g->unit, "");
  cr_expect(g->commands & ZP_CMD_SPECTRUM);
  cr_expect(g->commands & ZP_CMD_SCAN);
  const zp_param_info *m = zp_param_find("mzp");
  cr_assert_not_null(m);
  cr_expect_str_eq(m->unit, "MeV");
  const zp_param_info *d = zp_param_find("data");
  cr_assert_not_null(d);
  cr_expect_eq(d->kind, ZP_PARAM_TEXT);
  cr_expect_eq(d->commands & ZP_CMD_SPECTRUM, 0u, "data is no key of spectrum");
  cr_expect(d->commands & ZP_CMD_FIT);
  cr_expect_null(zp_param_find("no_such_key"));
  cr_expect_null(zp_param_find(NULL));
  cr_expect_eq(zp_param_command("scan"), (unsigned)ZP_CMD_SCAN);
  cr_expect_eq(zp_param_command("nonsense"), 0u);
}

Test(params, iterate_for_help) {
  size_t n = zp_param_count();
  cr_assert_gt(n, 30u);
  cr_expect_null(zp_param_at(n));
  for (size_t i = 0; i < n; i++) {
    const zp_param_info *k = zp_param_at(i);
    cr_assert_not_null(k);
    unsigned first = k->commands & (0u - k->commands); /* its first command */
    cr_expect_eq(zp_param_find_in(k->name, first), k, "%s found as another row", k->name);
    cr_expect(k->help[0] != '\0', "%s has no help", k->name);
    cr_expect_neq(k->commands & ~(unsigned)ZP_CMD_RUNTIME, 0u, "%s: no command", k->name);
  }
}

Test(params, unknown_command) {
  zp_params *p = (zp_params *)&p;
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_params_create("nonsense", &p, &err), ZP_EINVAL);
  cr_expect_null(p);
  cr_expect(strstr(err.msg, "nonsense") != NULL, "%s", err.msg);
}

/* The messages of `zprop spectrum key=value` for a bad value of each kind. */
Test(params, bad_value_of_every_kind) {
  zp_params *p = create("spectrum");
  expect_message(p, "gzp", "2", "gzp = 2: out of range, allowed [0, 1]");
  expect_message(p, "mzp", "abc", "mzp = abc: not a number, allowed (0.01, 1000]");
  expect_message(p, "shells_per_bin", "1.5",
                 "shells_per_bin = 1.5: not an integer, allowed [1, 16]");
  expect_message(p, "ordering", "XX", "ordering = XX: unknown word, allowed NO|IO");
  expect_message(p, "theta12", "100", "theta12 = 100: out of range, allowed [0, 90]");
  expect_message(p, "flavor_ratio", "1:2",
                 "flavor_ratio = 1:2: not a ratio, allowed e:mu:tau >= 0, or equal");
  expect_message(p, "output", "", "output = \"\": empty, allowed path, - for stdout");
  expect_message(p, "sum_mnu", "0.01",
                 "sum_mnu = 0.01: out of range, allowed [sum_min, 1] (sum_min = 0.05876 for NO)");
  expect_message(p, "emin", "1e12", "emin = 1e12: out of range, allowed [1, 1e12)");
  expect_message(p, "emax", "1e3", "emax = 1e3: out of range, allowed (emin, 1e13] (emin = 1e3)");
  expect_message(p, "gz", "1", "gz = 1: unknown key, did you mean gzp?");
  expect_message(p, "data", "v2024",
                 "data = v2024: unknown key for zprop spectrum (a key of zprop fit and scan)");
  /* A refused value leaves the key as it was. */
  cr_expect_str_eq(zp_params_get(p, "gzp"), "5e-4");
  cr_expect_str_eq(zp_params_get(p, "ordering"), "NO");
  cr_expect_null(zp_params_get(p, "data"));
  zp_params_free(p);

  p = create("fit");
  expect_message(p, "data", "a\001",
                 "data = a\001: holds a control character, allowed printable characters");
  expect_message(p, "gamma_step", "0", "gamma_step = 0: out of range, allowed [0.001, 1]");
  zp_params_free(p);
}

static void expect_same_config(const zp_config *a, const zp_config *b) {
  cr_expect_eq(memcmp(&a->zprime, &b->zprime, sizeof a->zprime), 0, "zprime");
  cr_expect_eq(memcmp(&a->osc, &b->osc, sizeof a->osc), 0, "osc");
  cr_expect_eq(a->ordering, b->ordering);
  cr_expect_eq(a->sum_mnu_ev, b->sum_mnu_ev);
  cr_expect_eq(a->source.kind, b->source.kind);
  cr_expect_eq(a->source.z0, b->source.z0);
  cr_expect_eq(a->source.zmax, b->source.zmax);
  cr_expect_eq(a->source.density_power, b->source.density_power);
  cr_expect_eq(a->source.gamma, b->source.gamma);
  cr_expect_eq(a->source.table, b->source.table);
  cr_expect_eq(memcmp(a->flavor_ratio, b->flavor_ratio, sizeof a->flavor_ratio), 0);
  cr_expect_eq(a->flavor_equal, b->flavor_equal);
  cr_expect_eq(a->norm, b->norm);
  cr_expect_eq(memcmp(&a->grid, &b->grid, sizeof a->grid), 0, "grid");
  cr_expect_eq(a->transport.regeneration, b->transport.regeneration);
  cr_expect_eq(a->transport.thermal, b->transport.thermal);
  cr_expect_eq(a->transport.thermal_kappa, b->transport.thermal_kappa);
  cr_expect_eq(a->transport.shells_per_bin, b->transport.shells_per_bin);
  cr_expect_eq(a->backend, b->backend);
}

Test(params, defaults_are_zp_config_default) {
  zp_params *p = create("spectrum");
  zp_config cfg, def;
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  zp_config_default(&def);
  expect_same_config(&cfg, &def);
  cr_expect_eq(def.zprime.mzp_mev, 13.0);
  cr_expect_eq(def.zprime.gzp, 5e-4);
  cr_expect_eq(def.grid.emin_gev, 1e3);
  cr_expect_eq(zp_config_check(&def, &err), ZP_OK, "%s", err.msg);
  zp_params_free(p);
}

/* zp_config_check() reads the same table: its message has the table's format. */
Test(params, config_check_uses_the_table) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.zprime.gzp = 2.0;
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_config_check(&cfg, &err), ZP_EINVAL);
  cr_expect_str_eq(err.msg, "gzp = 2: out of range, allowed [0, 1]");
  zp_config_default(&cfg);
  cfg.grid.emax_gev = 100.0;
  cr_expect_eq(zp_config_check(&cfg, &err), ZP_EINVAL);
  cr_expect_str_eq(err.msg, "emax = 100: out of range, allowed (emin, 1e13] (emin = 1e3)");
}

/* Reads `key = value` lines of @p text into a new set of @p command. */
static zp_params *read_back(const char *command, const char *text) {
  zp_params *p = create(command);
  char *copy = strdup(text), *save = NULL;
  cr_assert_not_null(copy);
  for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *eq = strstr(line, " = ");
    cr_assert_not_null(eq, "line '%s'", line);
    *eq = '\0';
    expect_set(p, line, eq + 3);
  }
  free(copy);
  return p;
}

static char *write_text(const zp_params *p) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_params_write(p, f, &err), ZP_OK, "%s", err.msg);
  fclose(f);
  return buf;
}

Test(params, write_read_round_trip) {
  zp_params *p = create("fit");
  zp_error err;
  zp_error_clear(&err);
  /* Not checked yet: nothing to write. */
  cr_expect_eq(zp_params_write(p, stdout, &err), ZP_EINVAL);
  expect_set(p, "mzp", "20");
  expect_set(p, "gzp", "1e-3");
  expect_set(p, "ordering", "io");
  expect_set(p, "sum_mnu", "0.2");
  expect_set(p, "theta12", "34");
  expect_set(p, "flavor_ratio", "equal");
  expect_set(p, "source", "sfr");
  expect_set(p, "errors", "asymmetric");
  expect_set(p, "gamma_step", "0.1");
  zp_config a, b;
  cr_assert_eq(zp_params_config(p, &a, &err), ZP_OK, "%s", err.msg);
  char *text = write_text(p);
  cr_expect(strstr(text, "mzp = 20\n") != NULL, "%s", text);
  cr_expect(strstr(text, "ordering = IO\n") != NULL, "%s", text);
  cr_expect(strstr(text, "errors = asymmetric\n") != NULL, "%s", text);

  zp_params *q = read_back("fit", text);
  cr_assert_eq(zp_params_config(q, &b, &err), ZP_OK, "%s", err.msg);
  expect_same_config(&a, &b);
  char *again = write_text(q);
  cr_expect_str_eq(again, text);
  free(text);
  free(again);
  zp_params_free(p);
  zp_params_free(q);
}

/* A key set again replaces the value, and a rule between keys is checked
 * again when the config is made. */
Test(params, set_again_and_rules_between_keys) {
  zp_params *p = create("spectrum");
  zp_error err;
  zp_error_clear(&err);
  expect_set(p, "emax", "1e11");
  expect_set(p, "emin", "1e10");
  expect_set(p, "emin", "1e9");
  cr_expect_str_eq(zp_params_get(p, "emin"), "1e9");
  zp_config cfg;
  cr_assert_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(cfg.grid.emin_gev, 1e9);
  expect_set(p, "emin", "1e8");
  expect_set(p, "emax", "1e9");
  expect_set(p, "emin", "1e5");
  cr_expect_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  zp_params_free(p);
}

/* gm2 reads mzp and gzp with its own, wider ranges, declared in the table;
 * a command's view of a key keeps the key's kind and unit. */
Test(params, per_command_views) {
  const zp_param_info *m = zp_param_find_in("mzp", ZP_CMD_GM2);
  cr_assert_not_null(m);
  cr_expect_str_eq(m->allowed, "(0.01, 1e5]");
  cr_expect_str_eq(zp_param_find_in("mzp", ZP_CMD_SPECTRUM)->allowed, "(0.01, 1000]");
  cr_expect_null(zp_param_find_in("band", ZP_CMD_SPECTRUM));
  cr_expect_null(zp_param_find_in("theta12", ZP_CMD_GM2));
  for (size_t i = 0; i < zp_param_count(); i++) {
    const zp_param_info *k = zp_param_at(i);
    const zp_param_info *v = zp_param_find_in(k->name, ZP_CMD_GM2);
    if (v == NULL) continue;
    cr_expect_eq(v->kind, k->kind, "%s: kind of the gm2 view", k->name);
    cr_expect_str_eq(v->unit, k->unit, "%s: unit of the gm2 view", k->name);
  }
  zp_params *p = create("gm2");
  expect_set(p, "mzp", "2000");
  expect_message(p, "mzp", "2e5", "mzp = 2e5: out of range, allowed (0.01, 1e5]");
  expect_message(p, "gzp", "nan", "gzp = nan: not a number, allowed [0, 10]");
  expect_message(p, "theta12", "30", "theta12 = 30: unknown key, see 'zprop gm2 --help'");
  expect_set(p, "band", "1");
  expect_set(p, "scale", "linear");
  zp_config cfg;
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(cfg.zprime.mzp_mev, 2000.0);
  zp_params_free(p);
}

/* The keys of zprop plot are rows of the table too, with their own mask. */
Test(params, plot_keys_in_the_table) {
  cr_expect_eq(zp_param_command("plot"), (unsigned)ZP_CMD_PLOT);
  const zp_param_info *f = zp_param_find("format");
  cr_assert_not_null(f);
  cr_expect_eq(f->commands, (unsigned)ZP_CMD_PLOT);
  cr_expect_str_eq(f->allowed, "png|pdf|svg");
  const zp_param_info *o = zp_param_find_in("output", ZP_CMD_PLOT);
  cr_assert_not_null(o);
  cr_expect_str_eq(o->def, "auto");
  cr_expect_str_eq(zp_param_find("output")->def, "zprop_spectrum.tsv");
  cr_expect_null(zp_param_find_in("mzp", ZP_CMD_PLOT));
}

/* batch and scan keep a list or a range as written; their other keys are
 * checked as for any command, whatever the list keys hold. */
Test(params, lists_and_ranges_kept_as_written) {
  zp_params *p = create("scan");
  expect_set(p, "chunk", "8");
  expect_set(p, "mzp", "1:5:3");
  cr_expect_str_eq(zp_params_get(p, "mzp"), "1:5:3");
  expect_message(p, "chunk", "0", "chunk = 0: out of range, allowed [1, 4096]");
  zp_params_free(p);
  p = create("batch");
  expect_set(p, "gzp", "1e-4, 2e-4");
  expect_set(p, "gzp", "3e-4");
  zp_config cfg;
  zp_error err;
  zp_error_clear(&err);
  cr_expect_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(cfg.zprime.gzp, 3e-4);
  zp_params_free(p);
}

/* A new source_table is read anew, not the one loaded before. */
Test(params, source_table_reloaded) {
  char dir[64], a[128], b[128];
  snprintf(dir, sizeof dir, "%s", "/tmp/zp_params_XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(a, sizeof a, "%s/a.txt", dir);
  snprintf(b, sizeof b, "%s/b.txt", dir);
  FILE *f = fopen(a, "w");
  cr_assert_not_null(f);
  fputs("0 1\n1 1\n2 1\n", f);
  fclose(f);
  f = fopen(b, "w");
  cr_assert_not_null(f);
  fputs("0 1\n1 2\n2 3\n3 4\n", f);
  fclose(f);
  zp_params *p = create("spectrum");
  expect_set(p, "source", "table");
  expect_set(p, "zmax", "2");
  expect_set(p, "source_table", a);
  zp_config cfg;
  zp_error err;
  zp_error_clear(&err);
  cr_assert_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  cr_assert_not_null(cfg.source.table);
  cr_expect_eq(cfg.source.table->size, 3u);
  expect_set(p, "source_table", b);
  cr_assert_eq(zp_params_config(p, &cfg, &err), ZP_OK, "%s", err.msg);
  cr_expect_eq(cfg.source.table->size, 4u);
  zp_params_free(p);
  remove(a);
  remove(b);
  rmdir(dir);
}
