/* zprop: the check, before any computing, that a run's output can be
 * written and is none of the files the run reads.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_ANALYSIS_OUTPUT_CHECK_H
#define ZP_ANALYSIS_OUTPUT_CHECK_H

#include "analysis/fit_setup.h"
#include "config/params.h"

/** zp_table_check_path() of p->output, then zp_table_check_distinct()
 *  against the parameter file, every `source_table` (a batch's list
 *  included) and, when @p s is not NULL, every data file of the fit. */
zp_status zp_output_check(const zp_params *p, const zp_fit_setup *s, zp_error *err);

/** The second half of zp_output_check() for any file the run writes
 *  (@p path: the output, a scan journal). */
zp_status zp_output_check_not_input(const zp_params *p, const zp_fit_setup *s, const char *path,
                                    zp_error *err);

#endif
