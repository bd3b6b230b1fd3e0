/* zprop: decimal numbers (decimal.h).
 * SPDX-License-Identifier: MIT */
#include "core/decimal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

zp_num_result zp_parse_decimal(const char *s, double *x) {
  if (s[0] == '\0' || strpbrk(s, "xX") != NULL) return ZP_NUM_MALFORMED;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0') return ZP_NUM_MALFORMED;
  if (!isfinite(v)) return ZP_NUM_NONFINITE;
  *x = v;
  return errno == ERANGE ? ZP_NUM_UNDERFLOW : ZP_NUM_OK;
}
