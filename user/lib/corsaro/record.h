/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Corsaro 2 binary records (reference/corsaro.md): their values in host
 * form, a growable buffer they encode into (big-endian, packed) and a
 * cursor they decode from, which names the byte offset of any shortfall.
 */
#ifndef TBX_CORSARO_RECORD_H
#define TBX_CORSARO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "corsaro.h"

#define CORS_MAGIC_EDGR		0x45444752u
#define CORS_MAGIC_HEAD		0x48454144u
#define CORS_MAGIC_INTR		0x494E5452u
#define CORS_MAGIC_DATA		0x44415441u
#define CORS_MAGIC_FOOT		0x464F4F54u
#define CORS_MAGIC_SIXU		0x53495855u	/* flowtuple, default build */
#define CORS_MAGIC_SIXT		0x53495854u	/* flowtuple, /8 build */
#define CORS_MAGIC_EDOS		0x45444F53u	/* dos (never in dos files) */

#define CORS_VERSION_MAJOR	2
#define CORS_VERSION_MID	0

#define CORS_INTERVAL_BYTES	14
#define CORS_TRAILER_BYTES	48
#define CORS_TUPLE_BYTES	21
#define CORS_CLASS_START_BYTES	10
#define CORS_CLASS_END_BYTES	6
#define CORS_DATA_MARK_BYTES	12
#define CORS_DOS_GLOBAL_BYTES	12
/* the reference says 76, but its own field list (and Corsaro's writer)
 * add up to 72 */
#define CORS_DOS_VECTOR_BYTES	72
#define CORS_MAX_PLUGINS	16
/* A dos vector's initial packet longer than this (libtrace's are under
 * 64 KiB) is passed over, not held: pkt is NULL. */
#define CORS_DOS_PKT_MAX	(1u << 20)
#define CORS_UNKNOWN		UINT64_MAX

struct cors_header {
	uint8_t major, mid;
	uint32_t init_time;
	uint16_t interval;
	char *trace_uri;		/* NULL: none (length 0) */
	uint16_t n_plugins;
	uint32_t magic[CORS_MAX_PLUGINS];
};

struct cors_interval {
	uint16_t number;
	uint32_t time;
};

struct cors_trailer {
	uint64_t packets, accepted, dropped;	/* CORS_UNKNOWN where unknown */
	uint32_t first_pkt, last_pkt, final_time, runtime;
};

struct cors_class_start {
	uint32_t magic;
	uint16_t cls;
	uint32_t count;
};

struct cors_dos_global {
	uint32_t mismatch, attacks, non_attacks;
};

struct cors_dos_vector {
	uint32_t target_ip;		/* host order */
	uint32_t attackers, interval_attackers;
	uint32_t attack_ports, target_ports;
	uint64_t packets;
	uint32_t interval_packets;
	uint64_t bytes;
	uint32_t interval_bytes;
	uint64_t max_ppm;
	uint32_t start_sec, start_usec, latest_sec, latest_usec;
	uint32_t pkt_len;
	const uint8_t *pkt;		/* the initial packet's bytes */
};

/* --- encoding --- */
struct cors_buf {
	uint8_t *p;
	size_t len, cap;
};

void cors_buf_free(struct cors_buf *b);
int cors_put_u8(struct cors_buf *b, uint8_t v);
int cors_put_u16(struct cors_buf *b, uint16_t v);
int cors_put_u32(struct cors_buf *b, uint32_t v);
int cors_put_u64(struct cors_buf *b, uint64_t v);
int cors_put_bytes(struct cors_buf *b, const void *p, size_t n);

int cors_enc_header(struct cors_buf *b, const struct cors_header *h);
int cors_enc_interval(struct cors_buf *b, const struct cors_interval *i);
int cors_enc_trailer(struct cors_buf *b, const struct cors_trailer *t);
int cors_enc_data_mark(struct cors_buf *b, uint32_t plugin_magic);
int cors_enc_class_start(struct cors_buf *b, const struct cors_class_start *c);
int cors_enc_class_end(struct cors_buf *b, uint32_t magic, uint16_t cls);
int cors_enc_tuple(struct cors_buf *b, const struct cors_tuple *t);
int cors_enc_dos_global(struct cors_buf *b, const struct cors_dos_global *g);
int cors_enc_dos_vector(struct cors_buf *b, const struct cors_dos_vector *v);

/* --- decoding --- */
struct cors_in;

/*
 * A cursor over decoded bytes: all of them in memory (@in NULL), or a
 * window onto a stream (cors_cur_stream) that slides as records are
 * read, so a file of any size needs the window's memory only. Offsets in
 * messages count from the stream's first byte.
 */
struct cors_cur {
	const uint8_t *p;	/* the window */
	size_t len, off;	/* its bytes, the read position in it */
	size_t base;		/* the stream offset of p[0] */
	const char *name;	/* for messages: the file's path */
	struct cors_in *in;	/* NULL: p holds everything */
	uint8_t *buf;		/* the window's memory, when streaming */
	size_t cap;
	int err;		/* a stream read failed (sticky) */
};

/* A cursor reading @in (not owned); cors_cur_clear frees its window. */
void cors_cur_stream(struct cors_cur *c, struct cors_in *in, const char *name);
void cors_cur_clear(struct cors_cur *c);
/* The stream offset of the read position. */
static inline size_t cors_cur_pos(const struct cors_cur *c)
{
	return c->base + c->off;
}
/* True at the end of the data, or when reading more failed (c->err). */
bool cors_cur_end(struct cors_cur *c);
/* True and *v when 4 bytes are there @at bytes past the position. */
bool cors_peek_u32(struct cors_cur *c, size_t at, uint32_t *v);
/* Up to @n bytes from the position on, without decoding (*got 0: end). */
int cors_get_some(struct cors_cur *c, const uint8_t **p, size_t n, size_t *got);

/* Each fails with "NAME: truncated at byte offset N: ..." or names the
 * offset of the bad value; @what says which record was being read.
 */
int cors_get_u8(struct cors_cur *c, uint8_t *v, const char *what);
int cors_get_u16(struct cors_cur *c, uint16_t *v, const char *what);
int cors_get_u32(struct cors_cur *c, uint32_t *v, const char *what);
int cors_get_u64(struct cors_cur *c, uint64_t *v, const char *what);
int cors_get_bytes(struct cors_cur *c, const uint8_t **p, size_t n, const char *what);
/* Reads a u32 and fails unless it is @magic. */
int cors_expect_magic(struct cors_cur *c, uint32_t magic, const char *what);
/* True when the next 4+4 bytes are EDGR and @type (no bytes consumed). */
bool cors_peek_record(struct cors_cur *c, uint32_t type);
/* Passes over @n bytes (a dos vector's initial packet, which cors2ascii
 * does not print), however many. */
int cors_skip(struct cors_cur *c, size_t n, const char *what);

/* Decoders start after nothing: they read the EDGR/type magics too. */
int cors_dec_header(struct cors_cur *c, struct cors_header *h); /* frees with cors_header_clear */
void cors_header_clear(struct cors_header *h);
int cors_dec_interval(struct cors_cur *c, struct cors_interval *i, bool start);
int cors_dec_trailer(struct cors_cur *c, struct cors_trailer *t);
int cors_dec_data_mark(struct cors_cur *c, uint32_t *plugin_magic);
int cors_dec_class_start(struct cors_cur *c, struct cors_class_start *s);
int cors_dec_class_end(struct cors_cur *c, uint32_t magic, uint16_t cls);
int cors_dec_tuple(struct cors_cur *c, struct cors_tuple *t);
int cors_dec_dos_global(struct cors_cur *c, struct cors_dos_global *g);
int cors_dec_dos_vector(struct cors_cur *c, struct cors_dos_vector *v);

/* Plugin names by magic ("flowtuple", "dos"); NULL when unknown. */
const char *cors_plugin_name(uint32_t magic);

#endif
