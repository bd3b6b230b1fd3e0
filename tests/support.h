/* zprop tests: shared helpers. */
#ifndef ZP_TEST_SUPPORT_H
#define ZP_TEST_SUPPORT_H

#include <stddef.h>

/** |a - b| <= tol * max(|a|, |b|, tiny). */
int zp_test_close(double a, double b, double tol);

/** Runs the zprop binary with @p args (a shell-quoted string), capturing
 *  stderr into @p errbuf (size @p errcap). @return the exit status. */
int zp_test_run_cli(const char *args, char *errbuf, size_t errcap);

/** Makes a fresh empty directory under /tmp; returns its path (static). */
const char *zp_test_tmpdir(void);

#endif
