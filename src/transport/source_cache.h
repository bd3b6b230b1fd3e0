/* zprop (internal): the shell integrals of the sources, kept for a
 * context's later batches.
 *
 * A source's integral over a redshift shell (zp_source_shell_integral: an
 * adaptive quadrature of rho(z) (1+z)^-gamma / E(z)) depends on the source,
 * its spectral index and the shell, not on the model point; a scan asks for
 * the same (source, gamma, shells) at every point (each chunk's first
 * indices, each point's refinements).  For a BL Lac source, whose density
 * is an interpolated table, they were half of a scan.  The cache returns
 * what zp_source_terms_init computes, bit for bit.  Thread-safe: refinements
 * run on several threads.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_SOURCE_CACHE_H
#define ZP_SOURCE_CACHE_H

#include "transport/problem.h"

typedef struct zp_source_cache zp_source_cache;

/** An empty cache; NULL when out of memory (then callers compute). */
zp_source_cache *zp_source_cache_create(void);
void zp_source_cache_free(zp_source_cache *c);

/** zp_source_terms_init(src, norm, g, out, err), its shell integrals from
 *  @p c when @p c holds those of (src, its gamma, g's shells), else computed
 *  and kept (while the cache has room).  @p c may be NULL. */
zp_status zp_source_cache_terms(zp_source_cache *c, const zp_source *src, double norm,
                                const zp_grid *g, zp_source_terms *out, zp_error *err);

#endif
