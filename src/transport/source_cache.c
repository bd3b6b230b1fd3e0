/* zprop: the shell integrals of the sources, kept (source_cache.h).
 * SPDX-License-Identifier: MIT */
#include "transport/source_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for every (source, gamma) of a scan: 8 sources x 171 gammas of the
 * default grid, and more; about 0.5 KiB each at 51 shells. */
enum { CACHE_MAX_ENTRIES = 4096 };

typedef struct {
  uint64_t hash;
  zp_source src; /* gamma included */
  size_t nshells;
  double *v; /* [nshells + 1] shell edges, then [nshells] shell sources */
  double pre_fraction;
} entry;

struct zp_source_cache {
  pthread_mutex_t lock;
  entry *e;
  size_t n;
};

zp_source_cache *zp_source_cache_create(void) {
  zp_source_cache *c = calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  if (pthread_mutex_init(&c->lock, NULL) != 0) {
    free(c);
    return NULL;
  }
  return c;
}

void zp_source_cache_free(zp_source_cache *c) {
  if (c == NULL) return;
  for (size_t i = 0; i < c->n; ++i) free(c->e[i].v);
  free(c->e);
  pthread_mutex_destroy(&c->lock);
  free(c);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

/* The key: every field the shell integrals read (a table by its address:
 * tables are borrowed and outlive the context's work), and the shells. */
static uint64_t key_hash(const zp_source *s, const zp_zgrid *zg) {
  uint64_t h = 1469598103934665603ull;
  h = fnv(h, &s->kind, sizeof s->kind);
  h = fnv(h, &s->z0, sizeof s->z0);
  h = fnv(h, &s->zmax, sizeof s->zmax);
  h = fnv(h, &s->density_power, sizeof s->density_power);
  h = fnv(h, &s->gamma, sizeof s->gamma);
  h = fnv(h, &s->table, sizeof s->table);
  return fnv(h, zg->v, (zg->nshells + 1) * sizeof *zg->v);
}

static int same_key(const entry *e, uint64_t h, const zp_source *s, const zp_zgrid *zg) {
  return e->hash == h && e->src.kind == s->kind && e->src.z0 == s->z0 && e->src.zmax == s->zmax &&
         e->src.density_power == s->density_power && e->src.gamma == s->gamma &&
         e->src.table == s->table && e->nshells == zg->nshells &&
         memcmp(e->v, zg->v, (zg->nshells + 1) * sizeof *zg->v) == 0;
}

static const entry *find(const zp_source_cache *c, uint64_t h, const zp_source *s,
                         const zp_zgrid *zg) {
  for (size_t i = 0; i < c->n; ++i)
    if (same_key(&c->e[i], h, s, zg)) return &c->e[i];
  return NULL;
}

/* Keeps the shell sources of @p t (a miss just computed); no room, or no
 * memory, keeps nothing. */
static void keep(zp_source_cache *c, uint64_t h, const zp_source *s, const zp_zgrid *zg,
                 const zp_source_terms *t) {
  size_t ns = zg->nshells;
  if (c->n >= CACHE_MAX_ENTRIES || find(c, h, s, zg) != NULL) return;
  if (c->n % 64 == 0) {
    entry *more = realloc(c->e, (c->n + 64) * sizeof *more);
    if (more == NULL) return;
    c->e = more;
  }
  double *v = malloc((2 * ns + 1) * sizeof *v);
  if (v == NULL) return;
  memcpy(v, zg->v, (ns + 1) * sizeof *v);
  memcpy(v + ns + 1, t->shell_source, ns * sizeof *v);
  c->e[c->n++] = (entry){
      .hash = h, .src = *s, .nshells = ns, .v = v, .pre_fraction = t->pre_fraction};
}

zp_status zp_source_cache_terms(zp_source_cache *c, const zp_source *src, double norm,
                                const zp_grid *g, zp_source_terms *out, zp_error *err) {
  if (c == NULL) return zp_source_terms_init(src, norm, g, out, err);
  const size_t ns = g->zg.nshells;
  uint64_t h = key_hash(src, &g->zg);
  zp_status st = zp_source_terms_alloc(g, out, err);
  if (st != ZP_OK) return st;
  pthread_mutex_lock(&c->lock);
  const entry *e = find(c, h, src, &g->zg);
  int hit = e != NULL;
  if (hit) {
    memcpy(out->shell_source, e->v + ns + 1, ns * sizeof *out->shell_source);
    out->pre_fraction = e->pre_fraction;
  }
  pthread_mutex_unlock(&c->lock);
  if (!hit && (st = zp_source_terms_shells(src, g, out, err)) == ZP_OK) {
    pthread_mutex_lock(&c->lock);
    keep(c, h, src, &g->zg, out);
    pthread_mutex_unlock(&c->lock);
  }
  /* the rest as zp_source_terms_init does it, from the same shell sources */
  if (st == ZP_OK) st = zp_source_terms_complete(src, norm, g, out, err);
  return st;
}
