// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One interval's tuples in user space: an open-addressing hash over the
 * key bytes (the key has no holes: its pad is always zero), with the
 * tuples kept in a dense array so a flush hands them over in one call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap/tap.h"

struct tbx_tap_table {
	struct cors_tuple *tuples;	/* dense, n of cap */
	size_t n, cap;
	uint32_t *slots;		/* index + 1; 0 is empty */
	size_t nslots;			/* power of two, > 2 * cap */
};

/* The key as three words, mixed (a multiply-xorshift: fast, and good
 * enough for addresses that differ in a few bits). */
static uint32_t key_hash(const struct tbx_ft_key *k)
{
	uint64_t w[3] = { 0 }, h;

	_Static_assert(sizeof(*k) <= sizeof(w), "key fits three words");
	memcpy(w, k, sizeof(*k));
	h = w[0] * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 29) ^ w[1]) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 32) ^ w[2]) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

struct tbx_tap_table *tbx_tap_table_new(void)
{
	return calloc(1, sizeof(struct tbx_tap_table));
}

static int grow(struct tbx_tap_table *tb)
{
	size_t cap = tb->cap ? tb->cap * 2 : 1024, nslots = cap * 4;
	struct cors_tuple *t = realloc(tb->tuples, cap * sizeof(*t));
	uint32_t *slots;

	if (!t)
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	tb->tuples = t;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return tbx_err(ENOMEM, "tap: %s", strerror(ENOMEM));
	for (size_t i = 0; i < tb->n; i++) {
		size_t s = key_hash(&t[i].key) & (nslots - 1);

		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = i + 1;
	}
	free(tb->slots);
	tb->slots = slots;
	tb->nslots = nslots;
	tb->cap = cap;
	return 0;
}

int tbx_tap_table_add(struct tbx_tap_table *tb, const struct tbx_ft_key *k, uint64_t n)
{
	size_t s;
	int err;

	if (tb->n == tb->cap && (err = grow(tb)))
		return err;
	s = key_hash(k) & (tb->nslots - 1);
	while (tb->slots[s]) {
		struct cors_tuple *t = &tb->tuples[tb->slots[s] - 1];

		if (!memcmp(&t->key, k, sizeof(*k))) {
			/* Corsaro's count is 32 bits: saturate, never wrap */
			uint64_t sum = t->packet_cnt + n;

			t->packet_cnt = sum > UINT32_MAX ? UINT32_MAX : sum;
			return 0;
		}
		s = (s + 1) & (tb->nslots - 1);
	}
	tb->tuples[tb->n].key = *k;
	tb->tuples[tb->n].packet_cnt = n > UINT32_MAX ? UINT32_MAX : n;
	tb->slots[s] = ++tb->n;
	return 0;
}

const struct cors_tuple *tbx_tap_table_tuples(struct tbx_tap_table *tb, size_t *n)
{
	*n = tb->n;
	return tb->tuples;
}

void tbx_tap_table_reset(struct tbx_tap_table *tb)
{
	if (tb->n)
		memset(tb->slots, 0, tb->nslots * sizeof(*tb->slots));
	tb->n = 0;
}

void tbx_tap_table_free(struct tbx_tap_table *tb)
{
	if (!tb)
		return;
	free(tb->tuples);
	free(tb->slots);
	free(tb);
}
