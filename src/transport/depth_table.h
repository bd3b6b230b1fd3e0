/* zprop (internal): optical depths factorised in g.
 *
 * For one line (M and the masses) on one grid, the unit depths of
 * zp_survival_lines (per unit of the prefactor k) depend on g only through
 * the width a = M Gamma.  A table keeps, per (shell, bin, state), all the
 * rest: the at-rest pieces with their Gauss nodes, the thermal quadrature's
 * momentum nodes, and for the parts of the thermal integral at least R
 * widths from the line the power series of their exact integrals in a^2,
 * summed.  A scan point then costs a few series and the few exact
 * arctangents next to the line.  Valid for a in [a_lo, a_hi], where the
 * series hold: it equals the direct path to 1e-10 relative
 * (tests/test_depth_table.c).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_DEPTH_TABLE_H
#define ZP_DEPTH_TABLE_H

#include "transport/problem.h"

typedef struct zp_depth_table zp_depth_table;

/** The table of @p pt's line on grid @p g for widths in [a_lo, a_hi]. */
zp_status zp_depth_table_build(const zp_grid *g, const zp_point_physics *pt, double a_lo,
                               double a_hi, zp_depth_table **out, zp_error *err);

/** zp_depth_table_build into the memory of table *t (or NULL), which it
 *  replaces: a scan's next mass writes over its last one's table rather
 *  than into fresh pages.  On failure *t is freed and NULL. */
zp_status zp_depth_table_rebuild(zp_depth_table **t, const zp_grid *g, const zp_point_physics *pt,
                                 double a_lo, double a_hi, zp_error *err);

/** Whether @p t serves @p pt on @p g: same grid, line and masses, and the
 *  point's width within the table's range. */
int zp_depth_table_fits(const zp_depth_table *t, const zp_grid *g, const zp_point_physics *pt);

/** The unit depths of shell k for @p pt, tau[3 b + j] as zp_survival_lines
 *  gives them in tau_lines. */
void zp_depth_table_unit_depths(const zp_depth_table *t, const zp_point_physics *pt, size_t k,
                                double *tau);

/** Heap bytes the table holds. */
size_t zp_depth_table_bytes(const zp_depth_table *t);

void zp_depth_table_free(zp_depth_table *t);

#endif
