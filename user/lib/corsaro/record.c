// SPDX-License-Identifier: GPL-2.0-or-later
/* Corsaro 2 records to and from big-endian bytes (reference/corsaro.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "record.h"
#include "stream.h"

void cors_buf_free(struct cors_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int cors_put_bytes(struct cors_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return tbx_err(ENOMEM, "out of memory for a Corsaro record");
		b->p = np;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int cors_put_u8(struct cors_buf *b, uint8_t v)
{
	return cors_put_bytes(b, &v, 1);
}

int cors_put_u16(struct cors_buf *b, uint16_t v)
{
	uint8_t x[2] = { v >> 8, v };

	return cors_put_bytes(b, x, 2);
}

int cors_put_u32(struct cors_buf *b, uint32_t v)
{
	uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };

	return cors_put_bytes(b, x, 4);
}

int cors_put_u64(struct cors_buf *b, uint64_t v)
{
	return cors_put_u32(b, v >> 32) ?: cors_put_u32(b, (uint32_t)v);
}

static int put_record(struct cors_buf *b, uint32_t type)
{
	return cors_put_u32(b, CORS_MAGIC_EDGR) ?: cors_put_u32(b, type);
}

int cors_enc_header(struct cors_buf *b, const struct cors_header *h)
{
	size_t ulen = h->trace_uri ? strlen(h->trace_uri) : 0;
	int err;

	if (ulen > UINT16_MAX)
		return tbx_err(EINVAL, "trace URI longer than %u bytes", UINT16_MAX);
	if (h->n_plugins > CORS_MAX_PLUGINS)
		return tbx_err(EINVAL, "more than %d plugins", CORS_MAX_PLUGINS);
	err = put_record(b, CORS_MAGIC_HEAD) ?: cors_put_u8(b, h->major) ?:
	      cors_put_u8(b, h->mid) ?: cors_put_u32(b, h->init_time) ?:
	      cors_put_u16(b, h->interval) ?: cors_put_u16(b, ulen) ?:
	      cors_put_bytes(b, h->trace_uri, ulen) ?: cors_put_u16(b, h->n_plugins);
	for (unsigned int i = 0; !err && i < h->n_plugins; i++)
		err = cors_put_u32(b, h->magic[i]);
	return err;
}

int cors_enc_interval(struct cors_buf *b, const struct cors_interval *i)
{
	return put_record(b, CORS_MAGIC_INTR) ?: cors_put_u16(b, i->number) ?:
	       cors_put_u32(b, i->time);
}

int cors_enc_trailer(struct cors_buf *b, const struct cors_trailer *t)
{
	return put_record(b, CORS_MAGIC_FOOT) ?: cors_put_u64(b, t->packets) ?:
	       cors_put_u64(b, t->accepted) ?: cors_put_u64(b, t->dropped) ?:
	       cors_put_u32(b, t->first_pkt) ?: cors_put_u32(b, t->last_pkt) ?:
	       cors_put_u32(b, t->final_time) ?: cors_put_u32(b, t->runtime);
}

int cors_enc_data_mark(struct cors_buf *b, uint32_t plugin_magic)
{
	return put_record(b, CORS_MAGIC_DATA) ?: cors_put_u32(b, plugin_magic);
}

int cors_enc_class_start(struct cors_buf *b, const struct cors_class_start *c)
{
	return cors_put_u32(b, c->magic) ?: cors_put_u16(b, c->cls) ?:
	       cors_put_u32(b, c->count);
}

int cors_enc_class_end(struct cors_buf *b, uint32_t magic, uint16_t cls)
{
	return cors_put_u32(b, magic) ?: cors_put_u16(b, cls);
}

/* The key's addresses, ports and ip_len are already in network order:
 * their bytes go out as they are.
 */
int cors_enc_tuple(struct cors_buf *b, const struct cors_tuple *t)
{
	const struct tbx_ft_key *k = &t->key;

	return cors_put_bytes(b, &k->src_ip, 4) ?: cors_put_bytes(b, &k->dst_ip, 4) ?:
	       cors_put_bytes(b, &k->src_port, 2) ?: cors_put_bytes(b, &k->dst_port, 2) ?:
	       cors_put_u8(b, k->protocol) ?: cors_put_u8(b, k->ttl) ?:
	       cors_put_u8(b, k->tcp_flags) ?: cors_put_bytes(b, &k->ip_len, 2) ?:
	       cors_put_u32(b, t->packet_cnt);
}

int cors_enc_dos_global(struct cors_buf *b, const struct cors_dos_global *g)
{
	return cors_put_u32(b, g->mismatch) ?: cors_put_u32(b, g->attacks) ?:
	       cors_put_u32(b, g->non_attacks);
}

int cors_enc_dos_vector(struct cors_buf *b, const struct cors_dos_vector *v)
{
	return cors_put_u32(b, v->target_ip) ?: cors_put_u32(b, v->attackers) ?:
	       cors_put_u32(b, v->interval_attackers) ?:
	       cors_put_u32(b, v->attack_ports) ?: cors_put_u32(b, v->target_ports) ?:
	       cors_put_u64(b, v->packets) ?: cors_put_u32(b, v->interval_packets) ?:
	       cors_put_u64(b, v->bytes) ?: cors_put_u32(b, v->interval_bytes) ?:
	       cors_put_u64(b, v->max_ppm) ?: cors_put_u32(b, v->start_sec) ?:
	       cors_put_u32(b, v->start_usec) ?: cors_put_u32(b, v->latest_sec) ?:
	       cors_put_u32(b, v->latest_usec) ?: cors_put_u32(b, v->pkt_len) ?:
	       cors_put_bytes(b, v->pkt, v->pkt_len);
}

/* --- decoding --- */

#define CUR_CHUNK	(256 * 1024)	/* a streaming window reads this much at a time */

void cors_cur_stream(struct cors_cur *c, struct cors_in *in, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->in = in;
	c->name = name;
}

void cors_cur_clear(struct cors_cur *c)
{
	free(c->buf);
	c->buf = NULL;
	c->p = NULL;
	c->len = c->off = c->cap = 0;
}

/*
 * Makes @n bytes past the position readable, when the stream has them:
 * what is left of the window slides to its front and more is read after
 * it. 0, or the stream's error (kept in c->err).
 */
static int cur_fill(struct cors_cur *c, size_t n)
{
	size_t have = c->len - c->off, want = n > CUR_CHUNK ? n : CUR_CHUNK;

	if (have >= n || !c->in)
		return 0;
	if (c->err)
		return c->err;
	if (c->off) {
		memmove(c->buf, c->buf + c->off, have);
		c->base += c->off;
		c->off = 0;
		c->len = have;
	}
	if (want > c->cap) {
		uint8_t *b = realloc(c->buf, want);

		if (!b)
			return c->err = tbx_err(ENOMEM, "out of memory reading %s", c->name);
		c->buf = b;
		c->cap = want;
	}
	c->p = c->buf;
	while (c->len < n) {
		size_t got;
		int err = cors_in_read(c->in, c->buf + c->len, c->cap - c->len, &got);

		if (err)
			return c->err = err;
		if (!got)
			break;
		c->len += got;
	}
	return 0;
}

bool cors_cur_end(struct cors_cur *c)
{
	if (c->off < c->len)
		return false;
	return cur_fill(c, 1) || c->off >= c->len;
}

static int truncated(const struct cors_cur *c, size_t at, const char *what, size_t n, size_t left)
{
	return tbx_err(EINVAL, "%s: truncated at byte offset %zu: %s needs %zu bytes, %zu left",
		       c->name, at, what, n, left);
}

int cors_get_bytes(struct cors_cur *c, const uint8_t **p, size_t n, const char *what)
{
	int err = cur_fill(c, n);

	if (err)
		return err;
	if (c->len - c->off < n)
		return truncated(c, cors_cur_pos(c), what, n, c->len - c->off);
	*p = c->p + c->off;
	c->off += n;
	return 0;
}

int cors_skip(struct cors_cur *c, size_t n, const char *what)
{
	size_t at = cors_cur_pos(c), done = 0;

	while (done < n) {
		size_t take;

		if (c->off == c->len && cur_fill(c, 1))
			return c->err;
		if (c->off == c->len)
			return truncated(c, at, what, n, done);
		take = c->len - c->off < n - done ? c->len - c->off : n - done;
		c->off += take;
		done += take;
	}
	return 0;
}

int cors_get_some(struct cors_cur *c, const uint8_t **p, size_t n, size_t *got)
{
	int err = c->off == c->len ? cur_fill(c, 1) : 0;

	*got = 0;
	if (err)
		return err;
	*got = c->len - c->off < n ? c->len - c->off : n;
	*p = c->p + c->off;
	c->off += *got;
	return 0;
}

static int get_be(struct cors_cur *c, unsigned int n, uint64_t *v, const char *what)
{
	const uint8_t *p = NULL;
	int err = cors_get_bytes(c, &p, n, what);

	*v = 0;
	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		*v = *v << 8 | p[i];
	return 0;
}

int cors_get_u8(struct cors_cur *c, uint8_t *v, const char *what)
{
	uint64_t x = 0;
	int err = get_be(c, 1, &x, what);

	*v = x;
	return err;
}

int cors_get_u16(struct cors_cur *c, uint16_t *v, const char *what)
{
	uint64_t x = 0;
	int err = get_be(c, 2, &x, what);

	*v = x;
	return err;
}

int cors_get_u32(struct cors_cur *c, uint32_t *v, const char *what)
{
	uint64_t x = 0;
	int err = get_be(c, 4, &x, what);

	*v = x;
	return err;
}

int cors_get_u64(struct cors_cur *c, uint64_t *v, const char *what)
{
	return get_be(c, 8, v, what);
}

static void magic_text(uint32_t m, char s[5])
{
	for (int i = 0; i < 4; i++) {
		uint8_t ch = m >> (24 - 8 * i);

		s[i] = ch >= 0x20 && ch < 0x7f ? ch : '?';
	}
	s[4] = '\0';
}

int cors_expect_magic(struct cors_cur *c, uint32_t magic, const char *what)
{
	size_t at = cors_cur_pos(c);
	uint32_t got;
	int err = cors_get_u32(c, &got, what);
	char g[5], w[5];

	if (err)
		return err;
	if (got == magic)
		return 0;
	magic_text(got, g);
	magic_text(magic, w);
	return tbx_err(EINVAL, "%s: bad magic at byte offset %zu in %s: 0x%08x (\"%s\"), wanted 0x%08x (\"%s\")",
		       c->name, at, what, got, g, magic, w);
}

bool cors_peek_u32(struct cors_cur *c, size_t at, uint32_t *v)
{
	const uint8_t *p;

	if (cur_fill(c, at + 4) || c->len - c->off < at + 4)
		return false;
	p = c->p + c->off + at;
	*v = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	return true;
}

bool cors_peek_record(struct cors_cur *c, uint32_t type)
{
	uint32_t a, b;

	return cors_peek_u32(c, 0, &a) && cors_peek_u32(c, 4, &b) && a == CORS_MAGIC_EDGR &&
	       b == type;
}

static int get_record(struct cors_cur *c, uint32_t type, const char *what)
{
	return cors_expect_magic(c, CORS_MAGIC_EDGR, what) ?:
	       cors_expect_magic(c, type, what);
}

void cors_header_clear(struct cors_header *h)
{
	free(h->trace_uri);
	h->trace_uri = NULL;
}

int cors_dec_header(struct cors_cur *c, struct cors_header *h)
{
	const char *w = "the header";
	const uint8_t *uri = NULL;
	uint16_t ulen = 0;
	size_t at;
	int err;

	memset(h, 0, sizeof(*h));
	err = get_record(c, CORS_MAGIC_HEAD, w);
	at = cors_cur_pos(c);
	err = err ?: cors_get_u8(c, &h->major, w) ?: cors_get_u8(c, &h->mid, w);
	if (!err && h->major != CORS_VERSION_MAJOR)
		return tbx_err(EINVAL, "%s: byte offset %zu: Corsaro version %u.%u, only 2.x is read",
			       c->name, at, h->major, h->mid);
	err = err ?: cors_get_u32(c, &h->init_time, w) ?: cors_get_u16(c, &h->interval, w) ?:
	      cors_get_u16(c, &ulen, w) ?: cors_get_bytes(c, &uri, ulen, "the header's trace URI");
	if (err)
		return err;
	if (ulen) {
		if (memchr(uri, '\0', ulen))
			return tbx_err(EINVAL, "%s: byte offset %zu: NUL byte in the trace URI",
				       c->name, cors_cur_pos(c) - ulen);
		h->trace_uri = strndup((const char *)uri, ulen);
		if (!h->trace_uri)
			return tbx_err(ENOMEM, "out of memory");
	}
	at = cors_cur_pos(c);
	err = cors_get_u16(c, &h->n_plugins, w);
	if (!err && h->n_plugins > CORS_MAX_PLUGINS)
		err = tbx_err(EINVAL, "%s: byte offset %zu: %u plugins, at most %d are read",
			      c->name, at, h->n_plugins, CORS_MAX_PLUGINS);
	for (unsigned int i = 0; !err && i < h->n_plugins; i++)
		err = cors_get_u32(c, &h->magic[i], "the header's plugin list");
	if (err)
		cors_header_clear(h);
	return err;
}

int cors_dec_interval(struct cors_cur *c, struct cors_interval *i, bool start)
{
	const char *w = start ? "an interval start record" : "an interval end record";

	return get_record(c, CORS_MAGIC_INTR, w) ?: cors_get_u16(c, &i->number, w) ?:
	       cors_get_u32(c, &i->time, w);
}

int cors_dec_trailer(struct cors_cur *c, struct cors_trailer *t)
{
	const char *w = "the trailer";

	return get_record(c, CORS_MAGIC_FOOT, w) ?: cors_get_u64(c, &t->packets, w) ?:
	       cors_get_u64(c, &t->accepted, w) ?: cors_get_u64(c, &t->dropped, w) ?:
	       cors_get_u32(c, &t->first_pkt, w) ?: cors_get_u32(c, &t->last_pkt, w) ?:
	       cors_get_u32(c, &t->final_time, w) ?: cors_get_u32(c, &t->runtime, w);
}

int cors_dec_data_mark(struct cors_cur *c, uint32_t *plugin_magic)
{
	const char *w = "a plugin data marker";

	return get_record(c, CORS_MAGIC_DATA, w) ?: cors_get_u32(c, plugin_magic, w);
}

int cors_dec_class_start(struct cors_cur *c, struct cors_class_start *s)
{
	const char *w = "a flowtuple class start";
	size_t at = cors_cur_pos(c);
	int err = cors_get_u32(c, &s->magic, w);

	if (!err && s->magic != CORS_MAGIC_SIXU)
		return tbx_err(EINVAL, "%s: bad magic at byte offset %zu in %s: 0x%08x, wanted 0x%08x (SIXU)%s",
			       c->name, at, w, s->magic, CORS_MAGIC_SIXU,
			       s->magic == CORS_MAGIC_SIXT ? "; SIXT (/8 build) files are not read" : "");
	at = cors_cur_pos(c);
	err = err ?: cors_get_u16(c, &s->cls, w);
	if (!err && s->cls >= TBX_FT_CLASS_MAX)
		return tbx_err(EINVAL, "%s: byte offset %zu: flowtuple class %u, wanted 0..%d",
			       c->name, at, s->cls, TBX_FT_CLASS_MAX - 1);
	return err ?: cors_get_u32(c, &s->count, w);
}

int cors_dec_class_end(struct cors_cur *c, uint32_t magic, uint16_t cls)
{
	const char *w = "a flowtuple class end";
	size_t at;
	uint16_t got;
	int err = cors_expect_magic(c, magic, w);

	at = cors_cur_pos(c);
	err = err ?: cors_get_u16(c, &got, w);
	if (!err && got != cls)
		return tbx_err(EINVAL, "%s: byte offset %zu: class end for class %u inside class %u",
			       c->name, at, got, cls);
	return err;
}

int cors_dec_tuple(struct cors_cur *c, struct cors_tuple *t)
{
	const uint8_t *p = NULL;
	int err = cors_get_bytes(c, &p, CORS_TUPLE_BYTES, "a flowtuple");

	if (err)
		return err;
	memset(t, 0, sizeof(*t));
	memcpy(&t->key.src_ip, p, 4);
	memcpy(&t->key.dst_ip, p + 4, 4);
	memcpy(&t->key.src_port, p + 8, 2);
	memcpy(&t->key.dst_port, p + 10, 2);
	t->key.protocol = p[12];
	t->key.ttl = p[13];
	t->key.tcp_flags = p[14];
	memcpy(&t->key.ip_len, p + 15, 2);
	t->packet_cnt = (uint32_t)p[17] << 24 | p[18] << 16 | p[19] << 8 | p[20];
	return 0;
}

int cors_dec_dos_global(struct cors_cur *c, struct cors_dos_global *g)
{
	const char *w = "the dos global block";

	return cors_get_u32(c, &g->mismatch, w) ?: cors_get_u32(c, &g->attacks, w) ?:
	       cors_get_u32(c, &g->non_attacks, w);
}

int cors_dec_dos_vector(struct cors_cur *c, struct cors_dos_vector *v)
{
	const char *w = "a dos attack vector";

	return cors_get_u32(c, &v->target_ip, w) ?: cors_get_u32(c, &v->attackers, w) ?:
	       cors_get_u32(c, &v->interval_attackers, w) ?:
	       cors_get_u32(c, &v->attack_ports, w) ?: cors_get_u32(c, &v->target_ports, w) ?:
	       cors_get_u64(c, &v->packets, w) ?: cors_get_u32(c, &v->interval_packets, w) ?:
	       cors_get_u64(c, &v->bytes, w) ?: cors_get_u32(c, &v->interval_bytes, w) ?:
	       cors_get_u64(c, &v->max_ppm, w) ?: cors_get_u32(c, &v->start_sec, w) ?:
	       cors_get_u32(c, &v->start_usec, w) ?: cors_get_u32(c, &v->latest_sec, w) ?:
	       cors_get_u32(c, &v->latest_usec, w) ?: cors_get_u32(c, &v->pkt_len, w) ?:
	       (v->pkt_len <= CORS_DOS_PKT_MAX ?
		cors_get_bytes(c, &v->pkt, v->pkt_len, "a dos vector's initial packet") :
		(v->pkt = NULL, cors_skip(c, v->pkt_len, "a dos vector's initial packet")));
}

const char *cors_plugin_name(uint32_t magic)
{
	switch (magic) {
	case CORS_MAGIC_SIXU:
	case CORS_MAGIC_SIXT:
		return "flowtuple";
	case CORS_MAGIC_EDOS:
		return "dos";
	}
	return NULL;
}
