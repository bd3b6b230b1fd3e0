/* zprop: quoting file content in messages (library-internal).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_EXCERPT_H
#define ZP_EXCERPT_H

#include <stddef.h>

/** The longest excerpt quoted, in input bytes, before "..." cuts it. */
#define ZP_EXCERPT_MAX 40

/** A buffer that holds any excerpt: 4 bytes per input byte, "...", NUL. */
#define ZP_EXCERPT_SIZE (4 * ZP_EXCERPT_MAX + 4)

/** 1 for a control byte (below 0x20, or DEL), which no name, label or
 *  message may carry raw: it would break a line or drive the terminal. */
static inline int zp_is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/** The first control byte of @p s, or 0. */
static inline int zp_first_control(const char *s) {
  for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
    if (zp_is_control(*c)) return *c;
  return 0;
}

/** Copies @p s into @p out (ZP_EXCERPT_SIZE bytes) for a message: bytes
 *  outside printable ASCII become \xNN, so a binary file or an escape
 *  sequence cannot garble the terminal; a backslash becomes \\ so the
 *  escape is unambiguous; more than ZP_EXCERPT_MAX bytes end in "...".
 *  Returns @p out. */
const char *zp_excerpt(char out[ZP_EXCERPT_SIZE], const char *s);

#endif
