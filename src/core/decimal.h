/* zprop: the one reader of decimal numbers, for parameters, tables and
 * the scan journal alike.  Decimal only: strtod's hex floats are no format
 * a user file should need, and NaN or infinity never makes a valid input.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_DECIMAL_H
#define ZP_CLI_DECIMAL_H

typedef enum {
  ZP_NUM_OK,
  ZP_NUM_MALFORMED, /* empty, hex, or text after the number */
  ZP_NUM_NONFINITE, /* nan, inf, or beyond the largest double */
  ZP_NUM_UNDERFLOW  /* finite but below the smallest normal double (1e-400 reads as 0) */
} zp_num_result;

/** Reads all of @p s as one decimal number into *x (also on
 *  ZP_NUM_UNDERFLOW, where *x is the rounded value). */
zp_num_result zp_parse_decimal(const char *s, double *x);

#endif
