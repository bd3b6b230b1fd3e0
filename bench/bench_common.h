/* zprop bench: what the harnesses share, the clock and the median's sort.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_BENCH_COMMON_H
#define ZP_BENCH_COMMON_H

#include <time.h>

/** Monotonic seconds. */
static inline double zp_bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/** qsort order of doubles, ascending. */
static inline int zp_bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#endif
