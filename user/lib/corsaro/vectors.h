/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dos plugin's attack vectors by target address, in a table that
 * keeps them in Corsaro's order. Corsaro dumps its vectors in the order
 * of its hash table's buckets (khash 0.2, the version in its common/),
 * so the same buckets give the same dos file bytes. What decides the
 * order, and is reproduced here:
 * - buckets: a power of two, at least 4; the hash is target * 59 (32
 *   bits); collisions probe by double hashing, step ((h >> 3) ^ (h << 3))
 *   | 1, masked;
 * - a removed entry leaves a tombstone, which lookups skip and an insert
 *   reuses (the last one its probe passed before an empty bucket);
 * - an insert into a table whose occupied buckets (live and tombstones)
 *   reached 77 % of them first rebuilds it: at the same size when fewer
 *   than half the buckets are live (tombstones dropped), else twice as
 *   big; the rebuild walks the old buckets in order and moves each entry
 *   to its new place, moving an entry it lands on along in turn.
 */
#ifndef TBX_CORSARO_VECTORS_H
#define TBX_CORSARO_VECTORS_H

#include <stdbool.h>
#include <stdint.h>

struct cors_vtable {
	uint32_t n_buckets, size, occupied, upper_bound;
	uint8_t *state;		/* per bucket: VT_EMPTY, VT_LIVE, VT_DEAD */
	uint32_t *key;
	void **val;
};

/* The bucket holding @key, or t->n_buckets. */
uint32_t cors_vt_get(const struct cors_vtable *t, uint32_t key);
/* Adds @key (absent) with @val: 0 or -ENOMEM (err.h). */
int cors_vt_put(struct cors_vtable *t, uint32_t key, void *val);
/* Removes bucket @i's entry (the caller frees its value). */
void cors_vt_del(struct cors_vtable *t, uint32_t i);
bool cors_vt_live(const struct cors_vtable *t, uint32_t i);
/* Frees the table, not the values. */
void cors_vt_free(struct cors_vtable *t);

#endif
