/* zprop CLI: what a run will hold in memory, estimated before it starts
 * and compared with `max_memory`, so that a run too large for the machine
 * is refused with the size and the key to change instead of being killed
 * by the system (or swapping it to a halt) hours in.
 *
 * The estimate counts the arrays that grow with the problem: the dense
 * transfer matrices of backend=cpu (8 (3N)^2 bytes each, N bins), the
 * per-shell compact quantities (survivals, rates: ~6 N doubles a shell),
 * and a batch's result per point held at once.  It is an upper bound to
 * within the few MiB of fixed overhead.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_MEMORY_CHECK_H
#define ZP_CLI_MEMORY_CHECK_H

#include <stddef.h>

#include "cli/params.h"

/** The limit in bytes: max_memory GiB, or half of the physical memory
 *  when max_memory = 0. */
double zp_cli_memory_limit(const zp_cli_params *p);

/** Bytes one point (one spectrum) needs with p's grid and backend, not
 *  counting its result; @p dense_points matrices of backend=cpu are held
 *  at once (1 for a spectrum, the dense chunk for a batch). */
double zp_cli_point_bytes(const zp_cli_params *p, size_t dense_points);

/** Bytes of a batch result per point: @p nsources x @p ngamma spectra. */
double zp_cli_result_bytes(const zp_cli_params *p, size_t nsources, size_t ngamma);

/** ZP_EINVAL naming @p what, the estimate, the limit and the keys to
 *  change when @p bytes exceeds zp_cli_memory_limit(p). */
zp_status zp_cli_check_memory(const zp_cli_params *p, const char *what, double bytes,
                              zp_error *err);

/** zp_cli_check_memory() of @p npoints points held at once, each with
 *  @p nsources x @p ngamma spectra (a spectrum: 1, 1, 1). */
zp_status zp_cli_check_points_memory(const zp_cli_params *p, const char *what, size_t npoints,
                                     size_t nsources, size_t ngamma, zp_error *err);

/** Bytes of a scan's depth table (one mass's optical depths factorised in
 *  g, src/transport/depth_table.h), estimated. */
double zp_cli_depth_table_bytes(const zp_cli_params *p);

#endif
