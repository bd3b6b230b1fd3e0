/* zprop tests: running `zprop scan` as a separate process in a directory of
 * its own, killing it while it runs, and reading what it left
 * (test_cli_scan.c, test_cli_scan_axes.c).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_TESTS_SUPPORT_SCAN_H
#define ZP_TESTS_SUPPORT_SCAN_H

#include <sys/types.h>

/** dir/name read whole (NULL when absent). */
char *read_in(const char *dir, const char *name);

/** Whether dir/name exists. */
int exists_in(const char *dir, const char *name);

/** The size of dir/name, -1 when absent. */
long size_in(const char *dir, const char *name);

/** Appends @p text to dir/name. */
void append_in(const char *dir, const char *name, const char *text);

/** Starts `zprop scan <args>` in @p dir (so that `output` names the same
 *  relative file everywhere), stderr appended to dir/err.txt.  The shell
 *  execs zprop, so the pid is zprop's own. */
pid_t start_scan(const char *dir, const char *args);

/** Runs a scan in @p dir to its end; @return its exit status. */
int run_scan(const char *dir, const char *args);

void sleep_ms(long ms);

/** Once the journal of the running scan @p pid exceeds @p min_bytes,
 *  sends @p sig and checks the scan died of it. */
void kill_when(pid_t pid, const char *dir, long min_bytes, int sig);

/** The table of an uninterrupted run, made in its own directory. */
char *uninterrupted(const char *args);

/** `zprop scan ARGS` in a new directory fails with status 2 and one line
 *  of stderr holding @p part, leaving no out.tsv or its journal. */
void expect_bad(const char *part, const char *args);

#endif
