/* zprop tests: scan processes (support_scan.h).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* fork, kill, nanosleep, setenv, waitpid */

#include "support_scan.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

char *read_in(const char *dir, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return zp_test_read_file(path);
}

int exists_in(const char *dir, const char *name) {
  char path[256];
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &sb) == 0;
}

long size_in(const char *dir, const char *name) {
  char path[256];
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

void append_in(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "a");
  cr_assert_not_null(f, "cannot append to %s", path);
  fputs(text, f);
  fclose(f);
}

pid_t start_scan(const char *dir, const char *args) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cd '%s' && exec %s scan %s 2>>err.txt", dir, ZP_TEST_CLI, args);
  pid_t pid = fork();
  cr_assert_neq(pid, -1, "fork failed");
  if (pid == 0) {
    /* Criterion runs two tests at once on two cores: OpenMP threads that
     * spin while waiting would then slow both scans twentyfold. */
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  return pid;
}

int run_scan(const char *dir, const char *args) {
  int st;
  pid_t pid = start_scan(dir, args);
  cr_assert_eq(waitpid(pid, &st, 0), pid);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

void kill_when(pid_t pid, const char *dir, long min_bytes, int sig) {
  int st;
  for (int ms = 0; size_in(dir, "scan.tsv.journal") <= min_bytes; ms++) {
    cr_assert_eq(waitpid(pid, &st, WNOHANG), 0,
                 "the scan ended before it could be killed (make it larger)");
    cr_assert_lt(ms, 120000, "the journal never grew past %ld bytes", min_bytes);
    sleep_ms(1);
  }
  cr_assert_eq(kill(pid, sig), 0);
  cr_assert_eq(waitpid(pid, &st, 0), pid);
  cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == sig,
            "the scan was not killed by signal %d (finished already?)", sig);
}

char *uninterrupted(const char *args) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  cr_assert_eq(run_scan(dir, args), 0);
  char *table = read_in(dir, "scan.tsv");
  cr_assert_not_null(table);
  cr_assert(!exists_in(dir, "scan.tsv.journal"), "the journal outlived a finished scan");
  zp_test_remove_dir(dir);
  return table;
}

void expect_bad(const char *part, const char *args) {
  char dir[128];
  zp_test_new_dir(dir, sizeof dir);
  cr_expect_eq(run_scan(dir, args), 2, "status for %s", args);
  char *err = read_in(dir, "err.txt");
  cr_assert_not_null(err);
  cr_expect(strstr(err, part) != NULL, "'%s' not in: %s", part, err);
  cr_expect(strlen(err) > 0 && strchr(err, '\n') == err + strlen(err) - 1, "not one line: %s", err);
  cr_expect(!exists_in(dir, "out.tsv") && !exists_in(dir, "out.tsv.journal"));
  free(err);
  zp_test_remove_dir(dir);
}
