/* zprop CLI: wall-clock time of a run, for the "wrote ... (backend ..., T s)"
 * and "fitted ... in" lines.  Monotonic, so a clock step cannot make a run
 * look negative or hours long.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_ELAPSED_H
#define ZP_CLI_ELAPSED_H

#include <time.h>

/** Seconds from @p t0 (taken with clock_gettime(CLOCK_MONOTONIC)) to now. */
double zp_cli_seconds_since(const struct timespec *t0);

#endif
