// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Push-back messages: CBSAT's plain form byte for byte, the authenticated
 * form (a CBSAT node still reads its entries), every malformed datagram
 * refused with the part named, a wrong key or a changed byte refused, and
 * replays refused by sequence number.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "pushback.h"
#include "tmpdir.h"

static const uint8_t key_bytes[] = "0123456789abcdef-a-shared-key";
static const struct tbx_pushback_key key = { key_bytes, sizeof(key_bytes) - 1 };
static const uint8_t other_bytes[] = "another key, 16 bytes or more";
static const struct tbx_pushback_key other = { other_bytes, sizeof(other_bytes) - 1 };

static struct tbx_pushback two(void)
{
	struct tbx_pushback m = { .n = 2, .seq = 1765000000000001ULL };

	m.e[0].uuid = 2, m.e[0].stop = true;
	m.e[1].uuid = 18446744073709551615ULL, m.e[1].stop = false;
	strcpy(m.from, "receiver-2");
	return m;
}

/*
 * What a CBSAT sender does with a datagram (sender.hpp's oob thread): the
 * bytes as a C string, split at ';', each "u,v" read with atoi. Returns
 * the value for @uuid, -1 when the message does not name it.
 */
static int cbsat_reads(const uint8_t *buf, uint64_t uuid)
{
	char copy[TBX_PUSHBACK_MAX + 1], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", (const char *)buf);	/* stops at the NUL */
	for (char *e = strtok_r(copy, ";", &save); e; e = strtok_r(NULL, ";", &save)) {
		char *comma = strchr(e, ',');

		if ((uint64_t)atoi(e) == uuid)
			return comma ? atoi(comma + 1) : 0;
	}
	return -1;
}

static void cbsat_plain_form(void **state)
{
	struct tbx_pushback m = two(), back;
	uint8_t buf[TBX_PUSHBACK_MAX];
	int n = tbx_pushback_format(&m, NULL, buf, sizeof(buf));

	/* As CBSAT's receiver writes it: sprintf "%lu,%d;" and strlen + 1 bytes. */
	assert_int_equal(n, (int)sizeof("2,1;18446744073709551615,0;"));
	assert_memory_equal(buf, "2,1;18446744073709551615,0;", n);
	assert_int_equal(0, tbx_pushback_parse(buf, n, NULL, &back));
	assert_int_equal(2, back.n);
	assert_true(back.e[0].uuid == 2 && back.e[0].stop);
	assert_true(back.e[1].uuid == UINT64_MAX && !back.e[1].stop);
	assert_false(back.authenticated);
	/* A CBSAT datagram, as its receiver sends three offenders. */
	assert_int_equal(0, tbx_pushback_parse((const uint8_t *)"1,1;2,1;3,1;", 13, NULL, &back));
	assert_int_equal(3, back.n);
}

static void authenticated_form(void **state)
{
	struct tbx_pushback m = two(), back;
	uint8_t buf[TBX_PUSHBACK_MAX];
	int n = tbx_pushback_format(&m, &key, buf, sizeof(buf));
	const char *trailer;

	assert_true(n > 0);
	trailer = (const char *)buf + strlen((const char *)buf) + 1;
	assert_int_equal(0, strncmp(trailer, "tbx-auth1 from=receiver-2 seq=1765000000000001 mac=", 51));
	assert_int_equal(0, tbx_pushback_parse(buf, n, &key, &back));
	assert_true(back.authenticated);
	assert_string_equal("receiver-2", back.from);
	assert_true(back.seq == 1765000000000001ULL);
	assert_int_equal(2, back.n);
	/* A CBSAT node reads the same entries and never sees the trailer. */
	assert_int_equal(1, cbsat_reads(buf, 2));
	assert_int_equal(-1, cbsat_reads(buf, 0));
	/* Without a key the trailer is read but not trusted. */
	assert_int_equal(0, tbx_pushback_parse(buf, n, NULL, &back));
	assert_false(back.authenticated);
	assert_int_equal(2, back.n);
}

static void refused(const uint8_t *buf, size_t len, const struct tbx_pushback_key *k,
		    const char *what)
{
	struct tbx_pushback m;

	tbx_err_clear();
	if (tbx_pushback_parse(buf, len, k, &m) == 0)
		fail_msg("accepted: %.*s", (int)len, buf);
	if (!strstr(tbx_errmsg(), what))
		fail_msg("message \"%s\", wanted \"%s\"", tbx_errmsg(), what);
	assert_int_equal(0, m.n);
}
#define REFUSED(s, what) refused((const uint8_t *)(s), sizeof(s) - 1, NULL, what)

static void malformed(void **state)
{
	static uint8_t big[TBX_PUSHBACK_MAX + 1];

	refused((const uint8_t *)"", 0, NULL, "an empty datagram");
	REFUSED("1,1;", "not NUL-terminated");
	REFUSED("\0", "no entries");
	REFUSED("1,1\0", "\"1\" is not 0; or 1;");
	REFUSED("1,2;\0", "entry 1 (uuid 1): \"2;\" is not 0; or 1;");
	REFUSED("1,1;x,1;\0", "entry 2: \"x,1;\" is not <uuid>,<0|1>;");
	REFUSED("-1,1;\0", "entry 1: \"-1,1;\" is not");
	REFUSED(" 1,1;\0", "is not <uuid>");
	REFUSED("18446744073709551616,1;\0", "uuid \"18446744073709551616,1;\" is not a decimal below 2^64");
	REFUSED("1;1;\0", "uuid \"1;1;\" is not");
	REFUSED("1,1;;\0", "entry 2: \";\" is not");
	REFUSED("1,1;\0tbx-auth1 from=x seq=1\0", "a NUL inside the trailer");
	REFUSED("1,1;\0hello", "trailer \"hello\" is not");
	REFUSED("1,1;\0tbx-auth1 from=bad/name seq=1 mac=", "sender name \"bad/name\"");
	REFUSED("1,1;\0tbx-auth1 from=r seq=-1 mac=", "seq \"-1 mac=\" is not");
	REFUSED("1,1;\0tbx-auth1 from=r seq=99999999999999999999 mac=", "seq");
	REFUSED("1,1;\0tbx-auth1 from=r seq=1 mac=abc", "64 lower-case hex digits");
	memset(big, '1', sizeof(big));
	refused(big, sizeof(big), NULL, "more than 1400");
	/* 65 entries: more than one message names. */
	{
		char text[65 * 4 + 1] = "";

		for (int i = 0; i < 65; i++)
			strcat(text, "1,1;");
		refused((const uint8_t *)text, strlen(text) + 1, NULL, "more than 64 entries");
	}
}

static void forged(void **state)
{
	struct tbx_pushback m = two(), back;
	uint8_t buf[TBX_PUSHBACK_MAX];
	int n;

	/* Plain messages, when a key is set. */
	n = tbx_pushback_format(&m, NULL, buf, sizeof(buf));
	refused(buf, n, &key, "no authentication trailer");
	/* Another key. */
	n = tbx_pushback_format(&m, &other, buf, sizeof(buf));
	refused(buf, n, &key, "bad mac from \"receiver-2\"");
	/* One entry flipped from stop to resume after signing. */
	n = tbx_pushback_format(&m, &key, buf, sizeof(buf));
	buf[2] = '0';
	refused(buf, n, &key, "bad mac");
	/* The seq changed (a replay made fresh). */
	n = tbx_pushback_format(&m, &key, buf, sizeof(buf));
	*(char *)memchr(buf + 60, '0', n - 60) = '9';
	refused(buf, n, &key, "bad mac");
	/* The mac of another message. */
	m.seq++;
	n = tbx_pushback_format(&m, &key, buf, sizeof(buf));
	assert_int_equal(0, tbx_pushback_parse(buf, n, &key, &back));
}

static void replays(void **state)
{
	struct tbx_pushback_peers peers = { 0 };
	struct tbx_pushback m = two();

	assert_true(tbx_pushback_fresh(&peers, &m));
	tbx_err_clear();
	assert_false(tbx_pushback_fresh(&peers, &m));
	assert_non_null(strstr(tbx_errmsg(), "a replay"));
	m.seq--;
	assert_false(tbx_pushback_fresh(&peers, &m));
	m.seq += 2;
	assert_true(tbx_pushback_fresh(&peers, &m));
	/* Another sender's numbers are its own. */
	strcpy(m.from, "receiver-3");
	m.seq = 5;
	assert_true(tbx_pushback_fresh(&peers, &m));
	/* A full table forgets the lowest seq: that sender's old messages pass again. */
	for (int i = 0; i < TBX_PUSHBACK_PEERS; i++) {
		snprintf(m.from, sizeof(m.from), "r%d", i);
		m.seq = 1000 + i;
		assert_true(tbx_pushback_fresh(&peers, &m));
	}
	assert_int_equal(TBX_PUSHBACK_PEERS, peers.n);
	strcpy(m.from, "receiver-3");
	m.seq = 5;
	assert_true(tbx_pushback_fresh(&peers, &m));
	/* seqs from the clock grow, even called twice in a microsecond. */
	assert_true(tbx_pushback_next_seq(UINT64_MAX - 1) == UINT64_MAX);
	assert_true(tbx_pushback_next_seq(0) > 1700000000000000ULL);
}

static void formatting_limits(void **state)
{
	struct tbx_pushback m = two();
	uint8_t buf[TBX_PUSHBACK_MAX];

	tbx_err_clear();
	assert_true(tbx_pushback_format(&m, NULL, buf, 10) < 0);
	assert_non_null(strstr(tbx_errmsg(), "do not fit 10 bytes"));
	assert_true(tbx_pushback_format(&m, &key, buf, 60) < 0);
	strcpy(m.from, "no spaces allowed");
	assert_true(tbx_pushback_format(&m, &key, buf, sizeof(buf)) < 0);
	assert_non_null(strstr(tbx_errmsg(), "sender name \"no spaces allowed\""));
	m.n = 0;
	assert_true(tbx_pushback_format(&m, NULL, buf, sizeof(buf)) < 0);
}

static void key_files(void **state)
{
	char dir[96], path[160];
	uint8_t k[64];
	size_t n;
	FILE *f;

	assert_int_equal(0, tmpdir_make(dir, sizeof(dir), "tbx-pushback"));
	snprintf(path, sizeof(path), "%s/key", dir);
	f = fopen(path, "w");
	fputs("0123456789abcdef0123\n", f);
	fclose(f);
	assert_int_equal(0, tbx_pushback_key_load(path, k, sizeof(k), &n));
	assert_int_equal(20, n);
	f = fopen(path, "w");
	fputs("short\n", f);
	fclose(f);
	assert_true(tbx_pushback_key_load(path, k, sizeof(k), &n) < 0);
	assert_non_null(strstr(tbx_errmsg(), "a key of 5 bytes; at least 16"));
	f = fopen(path, "w");
	for (int i = 0; i < 65; i++)
		fputc('k', f);
	fclose(f);
	assert_true(tbx_pushback_key_load(path, k, sizeof(k), &n) < 0);
	assert_non_null(strstr(tbx_errmsg(), "more than 64 bytes"));
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_true(tbx_pushback_key_load(path, k, sizeof(k), &n) < 0);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cbsat_plain_form),
		cmocka_unit_test(authenticated_form),
		cmocka_unit_test(malformed),
		cmocka_unit_test(forged),
		cmocka_unit_test(replays),
		cmocka_unit_test(formatting_limits),
		cmocka_unit_test(key_files),
	};

	return cmocka_run_group_tests_name("push-back messages", tests, NULL, NULL);
}
