/* zprop tests: the context's cache of the sources' shell integrals
 * (src/transport/source_cache.c).
 *
 * What it returns must be what zp_source_terms_init computes, bit for bit
 * (a scan with it writes the same table as without: every term is the
 * direct one), for every kind of source, on a hit as on the miss that
 * filled it; and a different gamma, source or set of shells is a miss.
 * SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "transport/problem.h"
#include "transport/source_cache.h"
#include "zprop/zprop.h"

static zp_grid grid_for(const zp_source *src, double zmax_extra) {
  zp_config cfg;
  zp_config_default(&cfg);
  cfg.source = *src;
  zp_grid g;
  zp_error err;
  double extra = zmax_extra;
  cr_assert_eq(zp_grid_init(&cfg, zp_source_ztop(src), zmax_extra > 0 ? &extra : NULL,
                            zmax_extra > 0, NULL, &g, &err),
               ZP_OK, "%s", err.msg);
  return g;
}

/* Bit for bit: the same doubles, not merely close ones. */
static void expect_same(const zp_source_terms *a, const zp_source_terms *b, const zp_grid *g) {
  size_t ns = g->zg.nshells, nb = g->eg.nbins;
  cr_expect(memcmp(a->shell_source, b->shell_source, ns * sizeof(double)) == 0);
  cr_expect(memcmp(a->bin_power, b->bin_power, nb * sizeof(double)) == 0);
  cr_expect(memcmp(&a->norm_a, &b->norm_a, sizeof(double)) == 0);
  cr_expect(memcmp(&a->source_total, &b->source_total, sizeof(double)) == 0);
  cr_expect(memcmp(&a->pre_fraction, &b->pre_fraction, sizeof(double)) == 0);
}

static void check_kind(zp_source_kind kind) {
  zp_source src = {.kind = kind, .z0 = 1.0, .zmax = 6.0, .density_power = 0.0, .gamma = 2.5};
  zp_grid g = grid_for(&src, 0.0);
  zp_source_cache *c = zp_source_cache_create();
  cr_assert_not_null(c);
  for (int round = 0; round < 2; ++round) /* the miss, then the hit */
    for (double gamma = 2.0; gamma < 3.05; gamma += 0.25) {
      src.gamma = gamma;
      zp_source_terms direct, cached;
      cr_assert_eq(zp_source_terms_init(&src, 1.4e-18, &g, &direct, NULL), ZP_OK);
      cr_assert_eq(zp_source_cache_terms(c, &src, 1.4e-18, &g, &cached, NULL), ZP_OK);
      expect_same(&direct, &cached, &g);
      zp_source_terms_free(&direct);
      zp_source_terms_free(&cached);
    }
  zp_source_cache_free(c);
  zp_grid_free(&g);
}

Test(source_cache, bllac_equals_the_direct_terms) { check_kind(ZP_SOURCE_BLLAC); }
Test(source_cache, sfr_equals_the_direct_terms) { check_kind(ZP_SOURCE_SFR); }
Test(source_cache, sfr_smooth_equals_the_direct_terms) { check_kind(ZP_SOURCE_SFR_SMOOTH); }
Test(source_cache, delta_equals_the_direct_terms) { check_kind(ZP_SOURCE_DELTA); }

/* A hit only for the same source on the same shells: after filling the
 * cache with one, another zmax, density power or grid of shells gets its
 * own integrals (different numbers), each equal to the direct ones. */
Test(source_cache, another_source_or_shells_is_a_miss) {
  zp_source a = {.kind = ZP_SOURCE_BLLAC, .z0 = 1.0, .zmax = 6.0, .gamma = 2.5};
  zp_grid g = grid_for(&a, 0.0), g2 = grid_for(&a, 2.5); /* an extra shell edge at z = 2.5 */
  cr_assert_neq(g.zg.nshells, g2.zg.nshells);
  zp_source_cache *c = zp_source_cache_create();
  zp_source_terms t0, t;
  cr_assert_eq(zp_source_cache_terms(c, &a, 1e-18, &g, &t0, NULL), ZP_OK);
  zp_source variants[2] = {a, a};
  variants[0].zmax = 5.0;
  variants[1].density_power = 1.0;
  for (int v = 0; v < 2; ++v) {
    zp_source_terms direct;
    cr_assert_eq(zp_source_cache_terms(c, &variants[v], 1e-18, &g, &t, NULL), ZP_OK);
    cr_assert_eq(zp_source_terms_init(&variants[v], 1e-18, &g, &direct, NULL), ZP_OK);
    expect_same(&direct, &t, &g);
    cr_expect(t.source_total != t0.source_total, "variant %d took the first source's", v);
    zp_source_terms_free(&direct);
    zp_source_terms_free(&t);
  }
  zp_source_terms direct;
  cr_assert_eq(zp_source_cache_terms(c, &a, 1e-18, &g2, &t, NULL), ZP_OK);
  cr_assert_eq(zp_source_terms_init(&a, 1e-18, &g2, &direct, NULL), ZP_OK);
  expect_same(&direct, &t, &g2);
  zp_source_terms_free(&direct);
  zp_source_terms_free(&t);
  zp_source_terms_free(&t0);
  zp_source_cache_free(c);
  zp_grid_free(&g);
  zp_grid_free(&g2);
}

/* No cache: the direct computation. */
Test(source_cache, null_cache_computes) {
  zp_source a = {.kind = ZP_SOURCE_SFR, .z0 = 1.0, .zmax = 6.0, .gamma = 2.5};
  zp_grid g = grid_for(&a, 0.0);
  zp_source_terms direct, t;
  cr_assert_eq(zp_source_cache_terms(NULL, &a, 1e-18, &g, &t, NULL), ZP_OK);
  cr_assert_eq(zp_source_terms_init(&a, 1e-18, &g, &direct, NULL), ZP_OK);
  expect_same(&direct, &t, &g);
  zp_source_terms_free(&direct);
  zp_source_terms_free(&t);
  zp_grid_free(&g);
}
