/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the Corsaro unit tests: bytes spelled in hex, whole files,
 * cors2ascii into a string, tuples built from text.
 */
#ifndef TBX_TEST_CORSARO_H
#define TBX_TEST_CORSARO_H

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corsaro/corsaro.h"
#include "err.h"

/* "45 44 47 52 ..." (spaces, newlines, "|" ignored) into bytes. */
static inline size_t hex_bytes(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (!isxdigit((unsigned char)*hex))
			continue;
		v = isdigit((unsigned char)*hex) ? *hex - '0' : (tolower(*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n < cap)
			out[n] = hi << 4 | v;
		n++;
		hi = -1;
	}
	return n;
}

/* The file's raw bytes (malloc'd), or NULL. */
static inline uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		p = realloc(p, cap += 65536);
		size_t n = fread(p + *len, 1, cap - *len, f);

		*len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	return p;
}

static inline void spill(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, len, f) != len)
		abort();
	fclose(f);
}

/* cors_to_ascii into a malloc'd string; *err gets its result. */
static inline char *ascii_of(const char *path, int *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	tbx_err_clear();
	*err = cors_to_ascii(path, f);
	fclose(f);
	return text;
}

/* A tuple from its fields in host form; the class is Corsaro's. */
static inline struct cors_tuple tuple(const char *src, const char *dst, uint16_t sport,
				      uint16_t dport, uint8_t proto, uint8_t ttl,
				      uint8_t flags, uint16_t ip_len, uint32_t cnt,
				      enum tbx_ft_class cls)
{
	struct cors_tuple t;

	memset(&t, 0, sizeof(t));
	inet_pton(AF_INET, src, &t.key.src_ip);
	inet_pton(AF_INET, dst, &t.key.dst_ip);
	t.key.src_port = htons(sport);
	t.key.dst_port = htons(dport);
	t.key.protocol = proto;
	t.key.ttl = ttl;
	t.key.tcp_flags = flags;
	t.key.ip_len = htons(ip_len);
	t.key.cls = cls;
	t.packet_cnt = cnt;
	return t;
}

#endif
