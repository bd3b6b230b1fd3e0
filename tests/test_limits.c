/* zprop tests: limit-curve files (zprop/limits.h, docs/limits.md): a good
 * file is read whole, each kind of bad file is refused with one line that
 * names the file and, for content, the line.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "zprop/config.h" /* ZP_DATA_DIR */
#include "zprop/gm2.h"
#include "zprop/limits.h"

static const char good[] = "# A limit curve for the tests.\n"
                           "# label = NA64-mu 2024 (test)\n"
                           "# confidence = 90%\n"
                           "# reference = arXiv:0000.00000, Fig. 1\n"
                           "# method = digitised by hand, for the tests = not real\n"
                           "\n"
                           "1   3e-4\n"
                           "2\t4.5e-4\n"
                           "  10.5  1e-3  \n"
                           "# a comment between rows\n"
                           "20 2e-3\r\n";

static char dir[128];

static void setup(void) { zp_test_new_dir(dir, sizeof dir); }
static void teardown(void) { zp_test_remove_dir(dir); }

/** Writes @p text as DIR/NAME and loads it; returns the status. */
static zp_status load_text(const char *name, const char *text, zp_limit_curve **c, zp_error *err) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  zp_test_write_file(path, text);
  return zp_limit_curve_load(path, c, err);
}

Test(limits, reads_a_good_file, .init = setup, .fini = teardown) {
  zp_limit_curve *c = NULL;
  zp_error err;
  cr_assert_eq(load_text("good.txt", good, &c, &err), ZP_OK, "%s", err.msg);
  cr_assert_str_eq(c->label, "NA64-mu 2024 (test)");
  cr_assert_str_eq(c->confidence, "90%");
  cr_assert_str_eq(c->reference, "arXiv:0000.00000, Fig. 1");
  cr_assert_str_eq(c->method, "digitised by hand, for the tests = not real");
  cr_assert_eq(c->n, 4);
  const double m[] = {1, 2, 10.5, 20}, g[] = {3e-4, 4.5e-4, 1e-3, 2e-3};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_eq(c->mass_mev[i], m[i]);
    cr_assert_eq(c->coupling[i], g[i]);
  }
  zp_limit_curve_free(c);
  zp_limit_curve_free(NULL);
  /* Other confidence spellings. */
  const char *const conf[] = {"95%", "2sigma", "1.5sigma", "68.3%"};
  for (size_t i = 0; i < sizeof conf / sizeof conf[0]; i++) {
    char text[512];
    snprintf(text, sizeof text,
             "# label = x\n# confidence = %s\n# reference = r\n# method = m\n"
             "1 1e-3\n2 2e-3\n",
             conf[i]);
    cr_assert_eq(load_text("c.txt", text, &c, &err), ZP_OK, "%s: %s", conf[i], err.msg);
    cr_assert_str_eq(c->confidence, conf[i]);
    zp_limit_curve_free(c);
  }
}

static const char head[] = "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n";

Test(limits, refuses_each_kind_of_bad_content, .init = setup, .fini = teardown) {
  char longline[2100];
  memset(longline, '1', sizeof longline - 1);
  longline[sizeof longline - 1] = '\0';
  char toolong[2300];
  snprintf(toolong, sizeof toolong, "%s1 1e-3\n%s 2e-3\n", head, longline);
  const struct {
    const char *name, *text, *says;
  } bad[] = {
      {"nolabel.txt", "# confidence = 95%\n# reference = r\n# method = m\n1 1e-3\n2 2e-3\n",
       "nolabel.txt: no '# label = ...' header line"},
      {"noconf.txt", "# label = x\n# reference = r\n# method = m\n1 1e-3\n2 2e-3\n",
       "noconf.txt: no '# confidence = ...'"},
      {"noref.txt", "# label = x\n# confidence = 90%\n# method = m\n1 1e-3\n2 2e-3\n",
       "noref.txt: no '# reference = ...'"},
      {"nomethod.txt", "# label = x\n# confidence = 90%\n# reference = r\n1 1e-3\n2 2e-3\n",
       "nomethod.txt: no '# method = ...'"},
      {"twice.txt", "# label = x\n# label = y\n# confidence = 90%\n# reference = r\n# method = m\n",
       "twice.txt:2: '# label' given twice"},
      {"emptyval.txt", "# label =   \n", "emptyval.txt:1: '# label' is empty"},
      {"conf.txt", "# label = x\n# confidence = likely\n", "conf.txt:2: confidence = 'likely'"},
      {"conf100.txt", "# label = x\n# confidence = 100%\n", "conf100.txt:2: confidence = '100%'"},
      {"late.txt",
       "# label = x\n# confidence = 90%\n# reference = r\n1 1e-3\n# method = m\n2 2e-3\n",
       "late.txt:5: '# method = ...' after the data rows"},
      {"order.txt",
       "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n2 1e-3\n1 2e-3\n",
       "order.txt:6: mass 1 after 2; allowed strictly increasing masses"},
      {"equal.txt",
       "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n2 1e-3\n2 2e-3\n",
       "equal.txt:6: mass 2 after 2"},
      {"neg.txt",
       "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 -1e-3\n2 2e-3\n",
       "neg.txt:5: coupling -1e-3; allowed > 0"},
      {"zero.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 1e-3\n2 0\n",
       "zero.txt:6: coupling 0; allowed > 0"},
      {"negm.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n-1 1e-3\n",
       "negm.txt:5: mass -1; allowed > 0"},
      {"nan.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 nan\n",
       "nan.txt:5: coupling 'nan' is not finite"},
      {"inf.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 1e-3\n2 inf\n",
       "inf.txt:6: coupling 'inf' is not finite"},
      {"huge.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1e999 1\n",
       "huge.txt:5: mass '1e999' is not finite"},
      {"word.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 1e-3x\n",
       "word.txt:5: coupling '1e-3x' is not a number"},
      {"hex.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n0x10 1e-3\n",
       "hex.txt:5: mass '0x10' is not a number"},
      {"onecol.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1\n",
       "onecol.txt:5: one column; allowed a row 'mass_MeV coupling'"},
      {"threecol.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 2 3\n",
       "threecol.txt:5: more than two columns"},
      {"onerow.txt", "# label = x\n# confidence = 95%\n# reference = r\n# method = m\n1 1e-3\n",
       "onerow.txt: 1 data rows; allowed at least 2"},
      {"norows.txt", head, "norows.txt: 0 data rows"},
      {"empty.txt", "", "empty.txt: empty file"},
      {"ctrl.txt", "# label = a\033[31mred\n", "ctrl.txt:1: the control character 0x1b"},
      {"long.txt", toolong, "long.txt:6: line of 2104 bytes; allowed at most 1024"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    zp_limit_curve *c = (zp_limit_curve *)1;
    zp_error err;
    zp_status st = load_text(bad[i].name, bad[i].text, &c, &err);
    cr_assert_eq(st, ZP_EFORMAT, "%s: status %d (%s)", bad[i].name, st, err.msg);
    cr_assert_null(c, "%s: out not NULL on error", bad[i].name);
    cr_assert_not_null(strstr(err.msg, bad[i].says), "%s: [%s], expected [%s]", bad[i].name,
                       err.msg, bad[i].says);
    cr_assert_null(strchr(err.msg, '\n'), "%s: two lines [%s]", bad[i].name, err.msg);
    cr_assert_not_null(strstr(err.msg, "limit file "), "%s: [%s]", bad[i].name, err.msg);
  }
}

Test(limits, refuses_links_directories_and_non_files, .init = setup, .fini = teardown) {
  char path[256], link[256], sub[256];
  zp_limit_curve *c = NULL;
  zp_error err;
  snprintf(path, sizeof path, "%s/good.txt", dir);
  zp_test_write_file(path, good);
  snprintf(link, sizeof link, "%s/link.txt", dir);
  cr_assert_eq(symlink("good.txt", link), 0);
  cr_assert_eq(zp_limit_curve_load(link, &c, &err), ZP_EIO);
  cr_assert_null(c);
  cr_assert_not_null(strstr(err.msg, "link.txt: a symbolic link; allowed a regular file"), "%s",
                     err.msg);
  snprintf(sub, sizeof sub, "%s/sub.txt", dir);
  cr_assert_eq(mkdir(sub, 0700), 0);
  cr_assert_eq(zp_limit_curve_load(sub, &c, &err), ZP_EIO);
  cr_assert_not_null(strstr(err.msg, "sub.txt: a directory; allowed a regular file"), "%s",
                     err.msg);
  cr_assert_eq(zp_limit_curve_load("/dev/zero", &c, &err), ZP_EIO);
  cr_assert_not_null(strstr(err.msg, "a character device"), "%s", err.msg);
  snprintf(sub, sizeof sub, "%s/missing.txt", dir);
  cr_assert_eq(zp_limit_curve_load(sub, &c, &err), ZP_EIO);
  cr_assert_not_null(strstr(err.msg, "missing.txt: cannot open"), "%s", err.msg);
  /* Larger than ZP_LIMIT_MAX_BYTES: refused before it is read. */
  snprintf(sub, sizeof sub, "%s/big.txt", dir);
  FILE *f = fopen(sub, "w");
  cr_assert_not_null(f);
  fputs(good, f);
  for (size_t i = 0; i < ZP_LIMIT_MAX_BYTES / 16 + 1; i++) fprintf(f, "# padding line ..\n");
  fclose(f);
  cr_assert_eq(zp_limit_curve_load(sub, &c, &err), ZP_EFORMAT);
  cr_assert_not_null(strstr(err.msg, "an input may be at most 1 MiB"), "%s", err.msg);
  /* A NUL byte: text only. */
  snprintf(sub, sizeof sub, "%s/nul.txt", dir);
  f = fopen(sub, "w");
  cr_assert_not_null(f);
  fwrite("# label = a\n\0x\n", 1, 15, f);
  fclose(f);
  cr_assert_eq(zp_limit_curve_load(sub, &c, &err), ZP_EFORMAT);
  cr_assert_not_null(strstr(err.msg, "nul.txt:2: a NUL byte"), "%s", err.msg);
  cr_assert_eq(zp_limit_curve_load(NULL, &c, &err), ZP_EINVAL);
  cr_assert_eq(zp_limit_curve_load(path, NULL, &err), ZP_EINVAL);
}

/* --------------------------------------------------- the shipped curves */

/** The next line of *@p p (cut in place), or NULL at the end. */
static char *cut_line(char **p) {
  char *line = *p;
  if (line == NULL || *line == '\0') return NULL;
  char *nl = strchr(line, '\n');
  if (nl != NULL) *nl = '\0';
  *p = nl != NULL ? nl + 1 : line + strlen(line);
  return line;
}

Test(limits, shipped_gm2_curve_is_what_zprop_computes_now, .init = setup, .fini = teardown) {
  /* data/limits/gm2_bmw2021_2sigma.txt says in its method line which
   * command made it; run that command again and compare every row, as
   * text, with the file: the curve cannot go stale. */
  const char *shipped = ZP_DATA_DIR "/limits/gm2_bmw2021_2sigma.txt";
  zp_limit_curve *c = NULL;
  zp_error err;
  cr_assert_eq(zp_limit_curve_load(shipped, &c, &err), ZP_OK, "%s", err.msg);
  cr_assert_str_eq(c->confidence, "2sigma");
  cr_assert_not_null(strstr(c->reference, "V-Eq. 7"), "%s", c->reference);
  const char *by = "computed by zprop ", *cmd = strstr(c->method, by);
  cr_assert_not_null(cmd, "%s", c->method);
  cmd += strlen(by);
  const char *end = strstr(cmd, " (columns mzp_MeV, g_high)");
  cr_assert_not_null(end, "%s", c->method);
  char args[256], out[256], errbuf[4096];
  snprintf(args, sizeof args, "%.*s", (int)(end - cmd), cmd);
  cr_assert(strstr(args, "gm2_ref=bmw2021") != NULL && strstr(args, "band=2") != NULL, "%s", args);
  snprintf(out, sizeof out, "%s/band.tsv", dir);
  cr_assert_eq(zp_test_run_cli_fmt(errbuf, sizeof errbuf, "%s output=%s", args, out), 0, "%s",
               errbuf);
  char *band = zp_test_read_file_or_fail(out), *file = zp_test_read_file_or_fail(shipped);
  char *bp = band, *fp = file, *bl, *fl;
  size_t rows = 0;
  for (;;) {
    while ((bl = cut_line(&bp)) != NULL && (bl[0] == '#' || bl[0] == '\0')) continue;
    while ((fl = cut_line(&fp)) != NULL && (fl[0] == '#' || fl[0] == '\0')) continue;
    if (bl == NULL || fl == NULL) break;
    char m[64], glo[64], ghi[64];
    cr_assert_eq(sscanf(bl, "%63s %63s %63s", m, glo, ghi), 3, "[%s]", bl);
    char want[200];
    snprintf(want, sizeof want, "%s\t%s", m, ghi);
    cr_assert_str_eq(fl, want, "row %zu: the shipped file is stale", rows);
    /* and it is the library's exclusion line */
    double g;
    cr_assert_eq(zp_gm2_exclusion(c->mass_mev[rows] * 1e-3, ZP_GM2_BMW2021, 2.0, &g, NULL), ZP_OK);
    cr_assert(zp_test_close(c->coupling[rows], g, 1e-9), "row %zu: %g vs %g", rows,
              c->coupling[rows], g);
    rows++;
  }
  cr_assert(bl == NULL && fl == NULL, "different numbers of rows");
  cr_assert_eq(rows, c->n);
  cr_assert(rows >= 100, "%zu rows", rows);
  free(band);
  free(file);
  zp_limit_curve_free(c);
}
