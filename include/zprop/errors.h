/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Status codes and error reports.
 *
 *  The library never prints or exits: every fallible function returns a
 *  zp_status and, when the caller passes a zp_error, fills it with a one-line
 *  message that names the offending parameter or call.  A zp_error belongs to
 *  the caller (usually on its stack); the library only writes into it. */
#ifndef ZPROP_ERRORS_H
#define ZPROP_ERRORS_H

#include "zprop/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief X-macro with one row `X(name, text)` per status, so the enum and its
 *  strings (zp_strerror()) cannot drift. */
#define ZP_STATUS_LIST(X)                                                                          \
  X(ZP_OK, "success")                                                                              \
  X(ZP_EINVAL, "invalid parameter")                                                                \
  X(ZP_ENOMEM, "out of memory")                                                                    \
  X(ZP_EIO, "input/output error")                                                                  \
  X(ZP_EFORMAT, "malformed input file")                                                            \
  X(ZP_ENUMERIC, "non-finite or failed numerical result")                                          \
  X(ZP_EBACKEND, "backend unavailable")                                                            \
  X(ZP_ECUDA, "CUDA runtime error")                                                                \
  X(ZP_ECUBLAS, "cuBLAS error")                                                                    \
  X(ZP_ESTOPPED, "stopped by the caller")

/** @brief One enumerator of zp_status from a ZP_STATUS_LIST row (undefined after use). */
#define ZP_STATUS_ENUM_(name, text) name,
/** @brief Result of every fallible call; ZP_OK (0) is success. */
typedef enum {
  ZP_STATUS_LIST(ZP_STATUS_ENUM_)
  /** Number of statuses (not a status). */
  ZP_STATUS_COUNT
} zp_status;
#undef ZP_STATUS_ENUM_

/** @var ZP_OK
 *  Success. */
/** @var ZP_EINVAL
 *  An argument or parameter is out of its range, malformed or NULL. */
/** @var ZP_ENOMEM
 *  An allocation failed. */
/** @var ZP_EIO
 *  A file could not be opened, read or written. */
/** @var ZP_EFORMAT
 *  An input file departs from its format; the message names file and line. */
/** @var ZP_ENUMERIC
 *  A result is not finite, or a quadrature or minimisation failed. */
/** @var ZP_EBACKEND
 *  The requested backend is not available in this build or on this machine. */
/** @var ZP_ECUDA
 *  A CUDA runtime call failed. */
/** @var ZP_ECUBLAS
 *  A cuBLAS call failed. */
/** @var ZP_ESTOPPED
 *  A callback of the caller asked to stop (zp_scan_job_run()); the work
 *  done until then is kept. */

enum {
  ZP_ERROR_MSG_SIZE = 512 /**< Size of zp_error::msg, terminating NUL included. */
};

/** @brief Detailed error report: code plus a message naming what failed. */
typedef struct {
  zp_status code;              /**< Status of the last failure, ZP_OK if none. */
  char msg[ZP_ERROR_MSG_SIZE]; /**< One line, NUL-terminated, no trailing newline. */
} zp_error;

/** @brief Describes a status code.
 *  @param[in] code any value; out-of-range ones get a generic text.
 *  @return a static string (never NULL, never to be freed). */
ZP_API const char *zp_strerror(zp_status code);

/** @brief Records a status and a printf-style message.
 *
 *  The message is truncated to fit zp_error::msg.
 *  @param[out] err report to fill; NULL is allowed (then only @p code is returned).
 *  @param[in] code status to record.
 *  @param[in] fmt printf format of the message, followed by its arguments.
 *  @return @p code, so callers can write `return zp_error_set(...)`. */
ZP_API zp_status zp_error_set(zp_error *err, zp_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** @brief Resets a report to ZP_OK with an empty message.
 *  @param[out] err report to reset; NULL is allowed. */
ZP_API void zp_error_clear(zp_error *err);

#ifdef __cplusplus
}
#endif
#endif
