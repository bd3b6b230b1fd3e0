/* zprop: the one wall clock, for run times, progress and benchmarks.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_WALL_CLOCK_H
#define ZP_WALL_CLOCK_H

/** Monotonic wall clock in seconds, from an arbitrary origin: only
 *  differences mean anything, and a clock step cannot make them negative. */
double zp_wall_seconds(void);

#endif
