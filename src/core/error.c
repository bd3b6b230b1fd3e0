/* zprop: status strings and error recording. SPDX-License-Identifier: MIT */
#include "zprop/errors.h"

#include <stdarg.h>
#include <stdio.h>

const char *zp_strerror(zp_status code) {
  static const char *const text[] = {
#define ZP_STATUS_TEXT_(name, t) t,
      ZP_STATUS_LIST(ZP_STATUS_TEXT_)
#undef ZP_STATUS_TEXT_
  };
  if ((int)code < 0 || code >= ZP_STATUS_COUNT) return "unknown status";
  return text[code];
}

zp_status zp_error_set(zp_error *err, zp_status code, const char *fmt, ...) {
  if (err == NULL) return code;
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

void zp_error_clear(zp_error *err) {
  if (err == NULL) return;
  err->code = ZP_OK;
  err->msg[0] = '\0';
}
