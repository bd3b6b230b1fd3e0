/* zprop: status codes and error reports.
 *
 * The library never prints or exits: every fallible function returns a
 * zp_status and, when the caller passes a zp_error, fills it with a message
 * that names the offending parameter or call.
 * SPDX-License-Identifier: MIT */
#ifndef ZPROP_ERRORS_H
#define ZPROP_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: one line per status, so the enum and its strings cannot drift. */
#define ZP_STATUS_LIST(X)                                              \
  X(ZP_OK, "success")                                                  \
  X(ZP_EINVAL, "invalid parameter")                                    \
  X(ZP_ENOMEM, "out of memory")                                        \
  X(ZP_EIO, "input/output error")                                      \
  X(ZP_EFORMAT, "malformed input file")                                \
  X(ZP_ENUMERIC, "non-finite or failed numerical result")              \
  X(ZP_EBACKEND, "backend unavailable")                                \
  X(ZP_ECUDA, "CUDA runtime error")                                    \
  X(ZP_ECUBLAS, "cuBLAS error")

typedef enum {
#define ZP_STATUS_ENUM_(name, text) name,
  ZP_STATUS_LIST(ZP_STATUS_ENUM_)
#undef ZP_STATUS_ENUM_
      ZP_STATUS_COUNT
} zp_status;

enum { ZP_ERROR_MSG_SIZE = 512 };

/** Detailed error report: code plus a message naming what failed. */
typedef struct {
  zp_status code;
  char msg[ZP_ERROR_MSG_SIZE];
} zp_error;

/** @return a static description of @p code. */
const char *zp_strerror(zp_status code);

/** Records @p code and a printf-style message in @p err (which may be NULL).
 *  @return @p code, so callers can write `return zp_error_set(...)`. */
zp_status zp_error_set(zp_error *err, zp_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Resets @p err (may be NULL) to ZP_OK with an empty message. */
void zp_error_clear(zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
