/* zprop: a growable array (store.h).  SPDX-License-Identifier: MIT */
#include "core/store.h"

#include <stdint.h>
#include <stdlib.h>

void zp_store_init(zp_store *s, size_t size) {
  s->data = NULL;
  s->n = s->cap = 0;
  s->size = size;
}

void *zp_store_push(zp_store *s, size_t count) {
  if (count > SIZE_MAX / s->size - s->n) return NULL;
  if (s->n + count > s->cap) {
    size_t cap = s->cap ? s->cap : 64;
    while (cap < s->n + count) cap = cap > SIZE_MAX / 2 / s->size ? s->n + count : 2 * cap;
    void *p = realloc(s->data, cap * s->size);
    if (p == NULL) return NULL;
    s->data = p;
    s->cap = cap;
  }
  void *at = (char *)s->data + s->n * s->size;
  s->n += count;
  return at;
}

size_t zp_store_bytes(const zp_store *s) { return s->cap * s->size; }

void zp_store_clear(zp_store *s) { s->n = 0; }

void zp_store_free(zp_store *s) {
  free(s->data);
  zp_store_init(s, s->size);
}
