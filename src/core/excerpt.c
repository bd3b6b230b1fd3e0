/* zprop: quoting file content in messages (see excerpt.h).
 * SPDX-License-Identifier: MIT */
#include "core/excerpt.h"

#include <stdio.h>

const char *zp_excerpt(char out[ZP_EXCERPT_SIZE], const char *s) {
  size_t n = 0, k = 0;
  for (; s[k] != '\0' && k < ZP_EXCERPT_MAX; ++k) {
    unsigned char c = (unsigned char)s[k];
    if (c == '\\') {
      out[n++] = '\\';
      out[n++] = '\\';
    } else if (c >= 0x20 && c < 0x7f) {
      out[n++] = (char)c;
    } else {
      snprintf(out + n, 5, "\\x%02x", c);
      n += 4;
    }
  }
  if (s[k] != '\0') {
    out[n++] = '.';
    out[n++] = '.';
    out[n++] = '.';
  }
  out[n] = '\0';
  return out;
}
