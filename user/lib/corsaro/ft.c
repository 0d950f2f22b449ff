// SPDX-License-Identifier: GPL-2.0-or-later
/* Flowtuple counting, classification and Corsaro's sort order. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "err.h"
#include "ft.h"

struct cors_ft {
	struct cors_tuple *slot;	/* open addressing; packet_cnt 0 = empty */
	size_t cap, used;
	size_t per_class[TBX_FT_CLASS_MAX];
};

int cors_ft_new(struct cors_ft **out)
{
	struct cors_ft *t = calloc(1, sizeof(*t));

	if (!t)
		return tbx_err(ENOMEM, "out of memory");
	*out = t;
	return 0;
}

void cors_ft_free(struct cors_ft *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t);
}

size_t cors_ft_count(const struct cors_ft *t, unsigned int cls)
{
	return cls < TBX_FT_CLASS_MAX ? t->per_class[cls] : 0;
}

static uint64_t key_hash(const struct tbx_ft_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < offsetof(struct tbx_ft_key, pad); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	/* FNV's low bits are weak; the table indexes by them */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static bool key_eq(const struct tbx_ft_key *a, const struct tbx_ft_key *b)
{
	return !memcmp(a, b, offsetof(struct tbx_ft_key, pad));
}

static struct cors_tuple *find(struct cors_tuple *slot, size_t cap, const struct tbx_ft_key *k)
{
	size_t i = key_hash(k) & (cap - 1);

	while (slot[i].packet_cnt && !key_eq(&slot[i].key, k))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static int grow(struct cors_ft *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct cors_tuple *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return tbx_err(ENOMEM, "out of memory for the flowtuple table");
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].packet_cnt)
			*find(slot, cap, &t->slot[i].key) = t->slot[i];
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

int cors_ft_add(struct cors_ft *t, const struct cors_tuple *tu)
{
	struct tbx_ft_key k = tu->key;
	struct cors_tuple *s;

	if (!tu->packet_cnt)
		return 0;
	if (k.cls >= TBX_FT_CLASS_MAX)
		return tbx_err(EINVAL, "flowtuple class %u, wanted 0..%d", k.cls, TBX_FT_CLASS_MAX - 1);
	k.pad = 0;
	if ((t->used + 1) * 4 > t->cap * 3 && grow(t))
		return -ENOMEM;
	s = find(t->slot, t->cap, &k);
	if (!s->packet_cnt) {
		s->key = k;
		t->used++;
		t->per_class[k.cls]++;
	}
	/* Corsaro's counter is 32 bits and wraps; so does this one, but a
	 * wrap to 0 would read as an empty slot.
	 */
	s->packet_cnt += tu->packet_cnt;
	if (!s->packet_cnt)
		s->packet_cnt = UINT32_MAX;
	return 0;
}

enum tbx_ft_class cors_ft_classify(const struct tbx_ft_key *k)
{
	if (k->protocol == IPPROTO_TCP) {
		bool synack = (k->tcp_flags & 0x12) == 0x12, rst = k->tcp_flags & 0x04;

		return synack || rst ? TBX_FT_BACKSCATTER : TBX_FT_OTHER;
	}
	if (k->protocol == IPPROTO_ICMP) {
		switch (ntohs(k->src_port)) {
		case 0: case 3: case 4: case 5: case 11: case 12: case 14: case 16: case 18:
			return TBX_FT_BACKSCATTER;
		}
		return TBX_FT_ICMPREQ;
	}
	return TBX_FT_OTHER;
}

/* Corsaro compares the network-order fields as host integers on x86:
 * the value below is what such a little-endian load gives, on any host.
 */
static uint32_t le_view(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t v = 0;

	while (n--)
		v = v << 8 | b[n];
	return v;
}

#define CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

int cors_ft_cmp(const struct tbx_ft_key *a, const struct tbx_ft_key *b)
{
	CMP(a->protocol, b->protocol);
	CMP(a->ttl, b->ttl);
	CMP(a->tcp_flags, b->tcp_flags);
	CMP(le_view(&a->src_ip, 4), le_view(&b->src_ip, 4));
	CMP(le_view(&a->dst_ip, 4), le_view(&b->dst_ip, 4));
	CMP(le_view(&a->src_port, 2), le_view(&b->src_port, 2));
	CMP(le_view(&a->dst_port, 2), le_view(&b->dst_port, 2));
	CMP(le_view(&a->ip_len, 2), le_view(&b->ip_len, 2));
	return 0;
}

static int tuple_cmp(const void *a, const void *b)
{
	return cors_ft_cmp(&((const struct cors_tuple *)a)->key,
			   &((const struct cors_tuple *)b)->key);
}

int cors_ft_emit(struct cors_ft *t, struct cors_buf *b, bool ascii)
{
	struct cors_tuple *all = NULL;
	size_t n = 0;
	int err = 0;

	if (t->used) {
		all = malloc(t->used * sizeof(*all));
		if (!all)
			return tbx_err(ENOMEM, "out of memory sorting flowtuples");
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].packet_cnt)
				all[n++] = t->slot[i];
		/* by class first, so each class is one run of the array */
		for (unsigned int c = 0, start = 0; c < TBX_FT_CLASS_MAX; c++) {
			size_t j = start;

			for (size_t i = start; i < n; i++)
				if (all[i].key.cls == c) {
					struct cors_tuple x = all[i];

					all[i] = all[j];
					all[j++] = x;
				}
			qsort(all + start, j - start, sizeof(*all), tuple_cmp);
			start = j;
		}
	}
	n = 0;
	for (unsigned int c = 0; !err && c < TBX_FT_CLASS_MAX; c++) {
		struct cors_class_start cs = { CORS_MAGIC_SIXU, c, t->per_class[c] };

		err = ascii ? cors_ascii_class_start(b, &cs) : cors_enc_class_start(b, &cs);
		for (size_t i = 0; !err && i < t->per_class[c]; i++, n++)
			err = ascii ? cors_ascii_tuple(b, &all[n]) : cors_enc_tuple(b, &all[n]);
		if (!err)
			err = ascii ? cors_ascii_class_end(b, c) :
				      cors_enc_class_end(b, CORS_MAGIC_SIXU, c);
	}
	free(all);
	if (t->slot)
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
	t->used = 0;
	memset(t->per_class, 0, sizeof(t->per_class));
	return err;
}
