// SPDX-License-Identifier: GPL-2.0-or-later
/* The dos plugin's vector table, in Corsaro's bucket order (vectors.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "vectors.h"

enum { VT_EMPTY, VT_LIVE, VT_DEAD };

#define VT_LOAD		0.77	/* khash's __ac_HASH_UPPER */

static uint32_t vt_hash(uint32_t key)
{
	return key * 59u;
}

static uint32_t vt_step(uint32_t h, uint32_t mask)
{
	return ((h >> 3 ^ h << 3) | 1) & mask;
}

static uint32_t vt_bound(uint32_t n_buckets)
{
	return (uint32_t)(n_buckets * VT_LOAD + 0.5);
}

bool cors_vt_live(const struct cors_vtable *t, uint32_t i)
{
	return i < t->n_buckets && t->state[i] == VT_LIVE;
}

uint32_t cors_vt_get(const struct cors_vtable *t, uint32_t key)
{
	uint32_t mask, h, i, step, first;

	if (!t->n_buckets)
		return 0;
	mask = t->n_buckets - 1;
	h = vt_hash(key);
	i = first = h & mask;
	step = vt_step(h, mask);
	while (t->state[i] != VT_EMPTY && (t->state[i] == VT_DEAD || t->key[i] != key)) {
		i = (i + step) & mask;
		if (i == first)
			return t->n_buckets;
	}
	return t->state[i] == VT_LIVE ? i : t->n_buckets;
}

/* Power of two, at least 4. */
static uint32_t vt_round(uint32_t n)
{
	uint32_t p = 4;

	while (p < n)
		p <<= 1;
	return p;
}

/*
 * Rebuilds for @want buckets (rounded), unless the live entries would not
 * fit under the load bound there. Entries move in old-bucket order; one
 * that lands on a live entry not yet moved takes its place and moves it
 * on instead, as khash's resize does.
 */
static int vt_resize(struct cors_vtable *t, uint32_t want)
{
	uint32_t n = vt_round(want), old = t->n_buckets, mask = n - 1;
	uint8_t *placed;

	if (t->size >= vt_bound(n))
		return 0;
	placed = calloc(n, 1);
	if (!placed)
		return tbx_err(ENOMEM, "out of memory for dos vectors");
	if (n > old) {
		uint32_t *k = realloc(t->key, n * sizeof(*k));
		void **v = k ? realloc(t->val, n * sizeof(*v)) : NULL;

		if (k)
			t->key = k;
		if (!v) {
			free(placed);
			return tbx_err(ENOMEM, "out of memory for dos vectors");
		}
		t->val = v;
	}
	for (uint32_t j = 0; j < old; j++) {
		uint32_t key;
		void *val;

		if (t->state[j] != VT_LIVE)
			continue;
		key = t->key[j];
		val = t->val[j];
		t->state[j] = VT_DEAD;	/* moved out of the old layout */
		for (;;) {
			uint32_t h = vt_hash(key), i = h & mask, step = vt_step(h, mask);

			while (placed[i])
				i = (i + step) & mask;
			placed[i] = 1;
			if (i < old && t->state[i] == VT_LIVE) {
				uint32_t k2 = t->key[i];
				void *v2 = t->val[i];

				t->key[i] = key;
				t->val[i] = val;
				t->state[i] = VT_DEAD;
				key = k2;
				val = v2;
				continue;
			}
			t->key[i] = key;
			t->val[i] = val;
			break;
		}
	}
	free(t->state);
	t->state = placed;	/* placed buckets are the live ones */
	t->n_buckets = n;
	t->occupied = t->size;
	t->upper_bound = vt_bound(n);
	return 0;
}

int cors_vt_put(struct cors_vtable *t, uint32_t key, void *val)
{
	uint32_t mask, h, i, x, tomb;

	if (t->occupied >= t->upper_bound) {
		int err = t->n_buckets > t->size * 2 ? vt_resize(t, t->n_buckets - 1) :
						       vt_resize(t, t->n_buckets + 1);

		if (err)
			return err;
	}
	mask = t->n_buckets - 1;
	h = vt_hash(key);
	i = h & mask;
	x = tomb = t->n_buckets;
	if (t->state[i] == VT_EMPTY) {
		x = i;
	} else {
		uint32_t step = vt_step(h, mask), first = i;

		while (t->state[i] != VT_EMPTY && (t->state[i] == VT_DEAD || t->key[i] != key)) {
			if (t->state[i] == VT_DEAD)
				tomb = i;
			i = (i + step) & mask;
			if (i == first) {
				x = tomb;
				break;
			}
		}
		if (x == t->n_buckets)
			x = t->state[i] == VT_EMPTY && tomb != t->n_buckets ? tomb : i;
	}
	if (t->state[x] == VT_LIVE)
		return 0;	/* present: the caller looked first */
	if (t->state[x] == VT_EMPTY)
		t->occupied++;
	t->state[x] = VT_LIVE;
	t->key[x] = key;
	t->val[x] = val;
	t->size++;
	return 0;
}

void cors_vt_del(struct cors_vtable *t, uint32_t i)
{
	if (cors_vt_live(t, i)) {
		t->state[i] = VT_DEAD;
		t->size--;
	}
}

void cors_vt_free(struct cors_vtable *t)
{
	free(t->state);
	free(t->key);
	free(t->val);
	memset(t, 0, sizeof(*t));
}
