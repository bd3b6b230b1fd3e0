/* zprop tests: shared helpers. */
#ifndef ZP_TEST_SUPPORT_H
#define ZP_TEST_SUPPORT_H

#include <stddef.h>

#include "zprop/zprop.h"

/** |a - b| <= tol * max(|a|, |b|, tiny). */
int zp_test_close(double a, double b, double tol);

/** Runs the zprop binary with @p args (a shell-quoted string), capturing
 *  stderr into @p errbuf (size @p errcap). @return the exit status. */
int zp_test_run_cli(const char *args, char *errbuf, size_t errcap);

/** Like zp_test_run_cli, with the arguments from printf(@p fmt, ...). */
int zp_test_run_cli_fmt(char *errbuf, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Makes a fresh empty directory under /tmp; returns its path (static). */
const char *zp_test_tmpdir(void);

/** Makes a fresh temp directory (zp_test_tmpdir) and copies its path into @p out. */
void zp_test_new_dir(char *out, size_t size);

/** `rm -rf` of @p dir; fails the test if that fails. */
void zp_test_remove_dir(const char *dir);

/** Number of entries in @p dir other than . and .. (dot files count). */
int zp_test_dir_entries(const char *dir);

/** Writes @p text to a new file at @p path; fails the test if it cannot. */
void zp_test_write_file(const char *path, const char *text);

/** Reads a whole file (caller frees), NULL if missing. */
char *zp_test_read_file(const char *path);

/** Like zp_test_read_file, but fails the test if the file is missing. */
char *zp_test_read_file_or_fail(const char *path);

/** Number of newline characters in @p text. */
int zp_test_count_lines(const char *text);

/** A small g-2 band table as `zprop gm2 band=1` writes it (3 masses), for
 *  the plot tests. */
extern const char zp_test_band_table[];

/** A batch point: Z' mass (MeV), coupling, dark coupling (dark fermion
 *  massless), sum of the neutrino masses (eV) and ordering, NuFIT 5.0
 *  mixing; fails the test if the preset does. */
zp_point zp_test_point(double mzp, double g, double gchi, double sum, zp_ordering ord);

#endif
