/* zprop tests: what the command line does with the files it is given.
 *
 * Outputs: never replace an input of the same run, a device or a FIFO
 * (streams are written into, a block device or directory is refused), and
 * a temporary left by a killed run is gone after the next run on the same
 * output.  Inputs: only regular files are read (a FIFO or /dev/zero must
 * fail at once, not hang or fill memory), lines longer than the parser
 * takes and NUL bytes are refused, not misread.  Every refusal is one line
 * on stderr with exit status 2 and leaves the inputs byte for byte.
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* flock, mkfifo, symlink */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "support.h"
#include "zprop/config.h"

static char errbuf[8192];
#define run(...) zp_test_run_cli_fmt(errbuf, sizeof errbuf, __VA_ARGS__)

/** Exit status 2 and one line naming @p part. */
static void expect_refused(int rc, const char *part) {
  cr_expect_eq(rc, 2, "exit %d, expected 2: [%s]", rc, errbuf);
  size_t n = strlen(errbuf);
  cr_expect(n > 0 && strchr(errbuf, '\n') == errbuf + n - 1, "not one line: [%s]", errbuf);
  cr_expect(strstr(errbuf, part) != NULL, "message must say '%s': [%s]", part, errbuf);
}

static void expect_content(const char *path, const char *want) {
  char *got = zp_test_read_file(path);
  cr_expect(got != NULL && strcmp(got, want) == 0, "%s was changed", path);
  free(got);
}

/* A quick spectrum: the defaults at 5 bins per decade. */
#define QUICK "bins_per_decade=5"

/* ------------------------------------------------ outputs against inputs */

Test(cli_files, output_equal_to_parameter_file_refused) {
  char dir[64], ini[128], text[256];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(ini, sizeof ini, "%s/run.ini", dir);
  snprintf(text, sizeof text, "bins_per_decade = 5\noutput = %s\n", ini);
  zp_test_write_file(ini, text);
  expect_refused(run("spectrum %s", ini), "parameter file");
  expect_content(ini, text);
  zp_test_remove_dir(dir);
}

Test(cli_files, output_equal_to_source_table_refused) {
  char dir[64], rho[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(rho, sizeof rho, "%s/rho.txt", dir);
  const char *table = "0 1\n1 2\n2 1\n";
  zp_test_write_file(rho, table);
  expect_refused(run("spectrum " QUICK " source=table zmax=2 source_table=%s output=%s", rho, rho),
                 "source_table");
  expect_content(rho, table);
  /* the same file under another name is the same file */
  char alias[128];
  snprintf(alias, sizeof alias, "%s/./rho.txt", dir);
  expect_refused(run("spectrum " QUICK " source=table zmax=2 source_table=%s output=%s", rho,
                     alias),
                 "source_table");
  expect_content(rho, table);
  zp_test_remove_dir(dir);
}

Test(cli_files, output_equal_to_data_file_refused) {
  char dir[64], data[128], cmd[512];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(data, sizeof data, "%s/c.dat", dir);
  snprintf(cmd, sizeof cmd, "cp '%s/cascades6yr.dat' '%s'", ZP_DATA_DIR, data);
  cr_assert_eq(system(cmd), 0);
  char *before = zp_test_read_file_or_fail(data);
  expect_refused(run("fit " QUICK " data=%s output=%s", data, data), "data");
  expect_refused(run("scan " QUICK " mzp=5:10:2 gzp=1e-4:1e-3:2 data=%s output=%s", data, data),
                 "data");
  expect_content(data, before);
  free(before);
  zp_test_remove_dir(dir);
}

/* ------------------------------------------------------- output kinds */

/* A character device as output means "discard" or "this terminal":
 * written into, never replaced by a regular file (which, as root, is what
 * rename() would do).  The device is a null device of the test's own
 * (mknod, as root) so that a regression cannot replace the system's. */
Test(cli_files, character_device_output_is_streamed) {
  char dir[64], dev[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(dev, sizeof dev, "%s/null", dir);
  if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) != 0) {
    zp_test_remove_dir(dir);
    cr_skip_test("mknod needs root here: %s", strerror(errno));
  }
  cr_expect_eq(run("spectrum " QUICK " output=%s", dev), 0, "[%s]", errbuf);
  struct stat sb;
  cr_assert_eq(stat(dev, &sb), 0);
  cr_expect(S_ISCHR(sb.st_mode), "the character device was replaced by a regular file");
  zp_test_remove_dir(dir);
}

Test(cli_files, fifo_output_without_reader_fails_at_once, .timeout = 30) {
  char dir[64], fifo[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(fifo, sizeof fifo, "%s/f", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  expect_refused(run("spectrum " QUICK " output=%s", fifo), "FIFO");
  struct stat sb;
  cr_expect(stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode), "the FIFO was replaced");
  zp_test_remove_dir(dir);
}

/* A symbolic link as output is replaced by the table; its target is not
 * written through. */
Test(cli_files, link_output_leaves_target) {
  char dir[64], victim[128], link[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(victim, sizeof victim, "%s/victim", dir);
  snprintf(link, sizeof link, "%s/out.tsv", dir);
  zp_test_write_file(victim, "precious\n");
  cr_assert_eq(symlink(victim, link), 0);
  cr_expect_eq(run("spectrum " QUICK " output=%s", link), 0, "[%s]", errbuf);
  expect_content(victim, "precious\n");
  struct stat sb;
  cr_expect(lstat(link, &sb) == 0 && S_ISREG(sb.st_mode), "the table is not in place");
  zp_test_remove_dir(dir);
}

/* A killed run's temporary (unlocked) is removed by the next run on the
 * same output; a live run's (locked) and files of other names are kept. */
Test(cli_files, stale_temporary_removed) {
  char dir[64], stale[128], live[128], other[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(stale, sizeof stale, "%s/.x.tsv.zptmp-0", dir);
  snprintf(live, sizeof live, "%s/.x.tsv.zptmp-1", dir);
  /* a user's own file of the old mkstemp shape: never ours to remove */
  snprintf(other, sizeof other, "%s/.x.tsv.backup", dir);
  zp_test_write_file(stale, "half a table");
  zp_test_write_file(live, "being written");
  zp_test_write_file(other, "not ours");
  int fd = open(live, O_RDONLY);
  cr_assert(fd >= 0 && flock(fd, LOCK_EX) == 0);
  cr_expect_eq(run("spectrum " QUICK " output=%s/x.tsv", dir), 0, "[%s]", errbuf);
  cr_expect(access(stale, F_OK) != 0, "the stale temporary is still there");
  cr_expect(access(live, F_OK) == 0, "a live writer's temporary was removed");
  cr_expect(access(other, F_OK) == 0, "a file of another pattern was removed");
  close(fd);
  zp_test_remove_dir(dir);
}

/* --------------------------------------------------------------- inputs */

Test(cli_files, fifo_and_device_inputs_fail_at_once, .timeout = 30) {
  char dir[64], fifo[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(fifo, sizeof fifo, "%s/f", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  expect_refused(run("spectrum %s output=%s/x.tsv", fifo, dir), "FIFO");
  expect_refused(run("spectrum /dev/zero output=%s/x.tsv", dir), "character device");
  expect_refused(run("spectrum /dev/urandom output=%s/x.tsv", dir), "character device");
  cr_expect_eq(zp_test_dir_entries(dir), 1, "a refused run left a file");
  zp_test_remove_dir(dir);
}

/* libinih reads a long line in pieces: the tail of a long comment would
 * set a key. */
Test(cli_files, long_line_refused_not_split) {
  char dir[64], ini[128], text[512];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(ini, sizeof ini, "%s/run.ini", dir);
  char pad[260];
  memset(pad, 'x', sizeof pad - 1);
  pad[sizeof pad - 1] = '\0';
  snprintf(text, sizeof text, "# %s gzp = 0.9\n", pad);
  zp_test_write_file(ini, text);
  expect_refused(run("spectrum %s --dry-run", ini), "at most 198");
  /* a line just within the limit is read as it stands */
  snprintf(text, sizeof text, "# %.190s\ngzp = 0.25\n", pad);
  zp_test_write_file(ini, text);
  cr_assert_eq(run("spectrum %s --dry-run > %s/out.txt", ini, dir), 0, "[%s]", errbuf);
  char out[128];
  snprintf(out, sizeof out, "%s/out.txt", dir);
  char *printed = zp_test_read_file_or_fail(out);
  cr_expect(strstr(printed, "gzp = 0.25") != NULL, "%s", printed);
  free(printed);
  zp_test_remove_dir(dir);
}

Test(cli_files, nul_byte_refused) {
  char dir[64], ini[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(ini, sizeof ini, "%s/run.ini", dir);
  FILE *f = fopen(ini, "w");
  cr_assert_not_null(f);
  fwrite("mzp = 1\0"
         "3\n",
         1, 10, f);
  fclose(f);
  expect_refused(run("spectrum %s --dry-run", ini), "NUL");
  zp_test_remove_dir(dir);
}

/* 1e-400 reads as 0 (free streaming): out of range, not silently zero. */
Test(cli_files, underflow_is_out_of_range) {
  expect_refused(run("spectrum gzp=1e-400 --dry-run"), "gzp = 1e-400");
  expect_refused(run("spectrum mzp=1e-320 --dry-run"), "mzp");
}

/* ------------------------------------------------------------- messages */

/* Bytes of a file name or file content are data: an escape sequence in a
 * message is shown as \x1b, never sent to the terminal. */
Test(cli_files, control_bytes_escaped_in_messages) {
  int rc = run("spectrum source=table source_table=$(printf '/no/such\\033[31mred') --dry-run");
  expect_refused(rc, "\\x1b[31mred");
  cr_expect(strchr(errbuf, '\033') == NULL, "a raw escape reached stderr");
}

Test(cli_files, help_into_full_device_fails) {
  cr_expect_neq(run("--help > /dev/full"), 0);
  cr_expect_neq(run("spectrum --help > /dev/full"), 0);
  cr_expect(strstr(errbuf, "standard output") != NULL, "[%s]", errbuf);
}

/* Data outside the energy grid is bad input, said in one line before the
 * backend notice or any computing. */
Test(cli_files, data_outside_grid_is_one_line) {
  expect_refused(run("fit emin=1e5"), "emin = 100000");
  expect_refused(run("scan emin=1e5 mzp=5:6:2 gzp=1e-4:1e-3:2 output=/dev/null"), "emin = 100000");
}

/* gm2 trims values like the other subcommands: output=' ' is no name. */
Test(cli_files, gm2_blank_output_refused) {
  char dir[64];
  zp_test_new_dir(dir, sizeof dir);
  expect_refused(run("gm2 'output= '"), "output");
  cr_expect_eq(run("gm2 'mzp= 13 ' > /dev/null"), 0, "[%s]", errbuf);
  zp_test_remove_dir(dir);
}

/* ---------------------------------------------------------------- memory */

/* A run above max_memory is refused before it starts, naming the key. */
Test(cli_files, above_max_memory_refused) {
  char dir[64];
  zp_test_new_dir(dir, sizeof dir);
  expect_refused(run("spectrum backend=cpu max_memory=1e-6 output=%s/x.tsv", dir), "max_memory");
  expect_refused(run("batch mzp=5,10 max_memory=1e-6 output=%s/x.tsv", dir), "max_memory");
  expect_refused(run("scan mzp=5:6:2 gzp=1e-4:1e-3:2 max_memory=1e-6 output=%s/x.tsv", dir),
                 "max_memory");
  cr_expect_eq(zp_test_dir_entries(dir), 0, "a refused run left a file");
  zp_test_remove_dir(dir);
}

/** The rows of a table (lines not starting with '#'); caller frees. */
static char *rows_of(const char *path) {
  char *t = zp_test_read_file_or_fail(path);
  char *out = calloc(strlen(t) + 1, 1);
  for (char *line = strtok(t, "\n"); line != NULL; line = strtok(NULL, "\n"))
    if (line[0] != '#') strcat(strcat(out, line), "\n");
  free(t);
  return out;
}

/* A batch larger than max_memory in one piece is computed and written a
 * chunk at a time: the same rows as in one piece. */
Test(cli_files, batch_streams_in_chunks) {
  char dir[64], a[128], b[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(a, sizeof a, "%s/whole.tsv", dir);
  snprintf(b, sizeof b, "%s/chunked.tsv", dir);
  /* 8 points x 4 gammas x 60 bins: 0.13 MiB of results and 0.08 MiB per point
   * besides; 0.12 MiB allows chunks of 3 points, not the whole batch */
  const char *keys = "batch mzp=5,7,9,11,13,15,17,19 gamma=2,2.3,2.6,2.9 bins_per_decade=10";
  cr_assert_eq(run("%s output=%s", keys, a), 0, "[%s]", errbuf);
  cr_assert_eq(run("%s max_memory=1.2e-4 output=%s", keys, b), 0, "[%s]", errbuf);
  char *whole = rows_of(a), *chunked = rows_of(b);
  cr_expect_eq(zp_test_count_lines(whole), 8 * 4 * 60);
  cr_expect(strcmp(whole, chunked) == 0, "a chunked batch differs from the whole one");
  free(whole);
  free(chunked);
  zp_test_remove_dir(dir);
}

/* /dev/stdout is a link to the stream, written into; a new file in the
 * tmpfs /dev/shm is an ordinary file. */
Test(cli_files, dev_links_streamed_dev_shm_files_created) {
  char dir[64];
  zp_test_new_dir(dir, sizeof dir);
  cr_expect_eq(run("spectrum " QUICK " output=/dev/stdout > %s/o.tsv", dir), 0, "[%s]", errbuf);
  char out[128];
  snprintf(out, sizeof out, "%s/o.tsv", dir);
  char *t = zp_test_read_file_or_fail(out);
  cr_expect(strstr(t, "# E_GeV") != NULL, "no table on stdout");
  free(t);
  struct stat sb;
  if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0) {
    snprintf(out, sizeof out, "/dev/shm/zp_test_%ld.tsv", (long)getpid());
    cr_expect_eq(run("spectrum " QUICK " output=%s", out), 0, "[%s]", errbuf);
    cr_expect(stat(out, &sb) == 0 && S_ISREG(sb.st_mode), "no file in /dev/shm");
    unlink(out);
  }
  zp_test_remove_dir(dir);
}

/* ----------------------------------------------- found by the attack review */

/* The journal is the scan's own file: not a second name of another file,
 * not an input, and none is kept beside a stream. */
Test(cli_files, journal_is_its_own_file, .timeout = 120) {
  char dir[64], victim[128], journal[160];
  zp_test_new_dir(dir, sizeof dir);
  const char *grid = "scan mzp=5:10:2 gzp=1e-4:1e-3:2 bins_per_decade=5";
  snprintf(victim, sizeof victim, "%s/victim.txt", dir);
  snprintf(journal, sizeof journal, "%s/v.tsv.journal", dir);
  zp_test_write_file(victim, "precious\n");
  cr_assert_eq(link(victim, journal), 0);
  expect_refused(run("%s output=%s/v.tsv resume=restart", grid, dir), "hard links");
  expect_content(victim, "precious\n");
  unlink(journal);
  char data[128], cmd[512];
  snprintf(data, sizeof data, "%s/x.tsv.journal", dir);
  snprintf(cmd, sizeof cmd, "cp '%s/cascades6yr.dat' '%s'", ZP_DATA_DIR, data);
  cr_assert_eq(system(cmd), 0);
  char *before = zp_test_read_file_or_fail(data);
  expect_refused(run("%s data=%s output=%s/x.tsv resume=restart", grid, data, dir), "data");
  expect_content(data, before);
  free(before);
  char dev[128];
  snprintf(dev, sizeof dev, "%s/null", dir);
  if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0) {
    cr_expect_eq(run("%s output=%s", grid, dev), 0, "[%s]", errbuf);
    snprintf(journal, sizeof journal, "%s.journal", dev);
    cr_expect(access(journal, F_OK) != 0, "a journal was kept beside a device");
  }
  zp_test_remove_dir(dir);
}

/* output=- into a file that is an input (`>> run.ini`) is refused too. */
Test(cli_files, stdout_redirected_into_an_input_refused) {
  char dir[64], ini[128];
  zp_test_new_dir(dir, sizeof dir);
  snprintf(ini, sizeof ini, "%s/run.ini", dir);
  zp_test_write_file(ini, "bins_per_decade = 5\n");
  expect_refused(run("spectrum %s output=- >> %s", ini, ini), "parameter file");
  expect_content(ini, "bins_per_decade = 5\n");
  zp_test_remove_dir(dir);
}

/* A control character in a file name would forge a header line of the
 * table or drive the terminal through the success message. */
Test(cli_files, control_character_in_output_refused) {
  char dir[64];
  zp_test_new_dir(dir, sizeof dir);
  expect_refused(run("spectrum \"output=%s/j.tsv$(printf '\\n# mzp = 500')\"", dir), "output");
  expect_refused(run("spectrum \"output=%s/a$(printf '\\033')[2J.tsv\"", dir), "control character");
  cr_expect_eq(zp_test_dir_entries(dir), 0, "a refused run left a file");
  zp_test_remove_dir(dir);
}
