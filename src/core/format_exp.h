/* zprop: printf's "%.*e" for the tables, without its exact big-number
 * conversion (library-internal).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_FORMAT_EXP_H
#define ZP_FORMAT_EXP_H

/** The longest text zp_format_exp writes, with its NUL ("-1.<14>e-308"). */
#define ZP_FORMAT_EXP_SIZE 32

/** The largest precision zp_format_exp converts itself; above it, and
 *  where the scaling to prec + 1 digits needs a power of ten beyond 1e44
 *  (for prec 10: below 1e-34, from 1e55 on) or the number is subnormal,
 *  infinite or NaN, it asks snprintf. */
#define ZP_FORMAT_EXP_MAX_PREC 14

/** Writes @p x into @p out exactly as snprintf(out, ZP_FORMAT_EXP_SIZE,
 *  "%.*e", prec, x) does in the default rounding mode, and returns its
 *  length.  A row of a 1000-bin table is 13 such numbers; glibc converts
 *  each through multi-precision arithmetic, 5 ms of a 20 ms run. */
int zp_format_exp(char out[ZP_FORMAT_EXP_SIZE], double x, int prec);

#endif
