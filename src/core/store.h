/* zprop (internal): a growable array of fixed-size elements.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_STORE_H
#define ZP_STORE_H

#include <stddef.h>

typedef struct {
  void *data;
  size_t n, cap, size; /* elements held, room, bytes per element */
} zp_store;

void zp_store_init(zp_store *s, size_t size);

/** Room for @p count more elements at the end (uninitialised); NULL when
 *  memory runs out, the store unchanged.  Earlier pointers may move. */
void *zp_store_push(zp_store *s, size_t count);

size_t zp_store_bytes(const zp_store *s);

/** Empties the store, keeping its memory for the next pushes. */
void zp_store_clear(zp_store *s);

void zp_store_free(zp_store *s);

#endif
