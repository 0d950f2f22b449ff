// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Corsaro records: every type encoded, written plain, .gz and .bz2, read
 * back and decoded to the same values; the header, interval and trailer
 * against bytes spelled out from reference/corsaro.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "corsaro/record.h"
#include "corsaro/stream.h"
#include "corsaro_test.h"
#include "tmpdir.h"

static char dir[128];

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-cors-rec");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

static void assert_bytes(const struct cors_buf *b, const char *hex)
{
	uint8_t want[512];
	size_t n = hex_bytes(hex, want, sizeof(want));

	if (b->len != n || memcmp(b->p, want, n)) {
		for (size_t i = 0; i < b->len; i++)
			print_message("%02x%s", b->p[i], (i + 1) % 16 ? " " : "\n");
		fail_msg("encoded %zu bytes, wanted %zu (dump above)", b->len, n);
	}
}

static void golden_header(void **state)
{
	struct cors_header h = {
		.major = 2, .mid = 0, .init_time = 1700000000, .interval = 60,
		.trace_uri = "x.pcap", .n_plugins = 2,
		.magic = { CORS_MAGIC_SIXU, CORS_MAGIC_EDOS },
	};
	struct cors_buf b = { 0 };

	assert_int_equal(cors_enc_header(&b, &h), 0);
	assert_bytes(&b, "45444752 48454144 | 02 00 | 6553f100 | 003c | 0006 782e70636170 |"
			 "0002 | 53495855 45444f53");
	cors_buf_free(&b);
}

static void golden_interval_and_trailer(void **state)
{
	struct cors_interval i = { 3, 1700000059 };
	struct cors_trailer t = {
		.packets = 19, .accepted = CORS_UNKNOWN, .dropped = 0,
		.first_pkt = 1700000000, .last_pkt = 1700000125,
		.final_time = 1700000200, .runtime = 100,
	};
	struct cors_buf b = { 0 };

	assert_int_equal(cors_enc_interval(&b, &i), 0);
	assert_bytes(&b, "45444752 494e5452 0003 6553f13b");
	b.len = 0;
	assert_int_equal(cors_enc_trailer(&b, &t), 0);
	assert_int_equal(b.len, CORS_TRAILER_BYTES);
	assert_bytes(&b, "45444752 464f4f54 0000000000000013 ffffffffffffffff 0000000000000000"
			 "6553f100 6553f17d 6553f1c8 00000064");
	cors_buf_free(&b);
}

static void golden_dos_records(void **state)
{
	static const uint8_t pkt[3] = { 0x45, 0x00, 0x28 };
	struct cors_dos_global g = { 1, 2, 3 };
	struct cors_dos_vector v = {
		.target_ip = 0xc6120101, .attackers = 2, .interval_attackers = 1,
		.attack_ports = 3, .target_ports = 1, .packets = 31, .interval_packets = 31,
		.bytes = 1240, .interval_bytes = 1240, .max_ppm = 30,
		.start_sec = 1700000000, .start_usec = 500, .latest_sec = 1700000060,
		.latest_usec = 0, .pkt_len = 3, .pkt = pkt,
	};
	struct cors_buf b = { 0 };

	assert_int_equal(cors_enc_data_mark(&b, CORS_MAGIC_EDOS), 0);
	assert_int_equal(cors_enc_dos_global(&b, &g), 0);
	assert_bytes(&b, "45444752 44415441 45444f53 00000001 00000002 00000003");
	b.len = 0;
	assert_int_equal(cors_enc_dos_vector(&b, &v), 0);
	assert_int_equal(b.len, CORS_DOS_VECTOR_BYTES + 3);
	assert_bytes(&b, "c6120101 00000002 00000001 00000003 00000001 000000000000001f 0000001f"
			 "00000000000004d8 000004d8 000000000000001e 6553f100 000001f4 6553f13c"
			 "00000000 00000003 450028");
	cors_buf_free(&b);
}

/* Every record type in one buffer, as one file of each compression. */
static void encode_all(struct cors_buf *b, struct cors_header *h, struct cors_trailer *t,
		       struct cors_tuple *tu, struct cors_dos_vector *v)
{
	struct cors_interval s = { 7, 1700000000 }, e = { 7, 1700000299 };
	struct cors_class_start cs = { CORS_MAGIC_SIXU, 1, 1 };
	struct cors_dos_global g = { 65535, 4, 5 };

	assert_int_equal(cors_enc_header(b, h) ?: cors_enc_interval(b, &s) ?:
			 cors_enc_class_start(b, &cs) ?: cors_enc_tuple(b, tu) ?:
			 cors_enc_class_end(b, CORS_MAGIC_SIXU, 1) ?:
			 cors_enc_data_mark(b, CORS_MAGIC_EDOS) ?: cors_enc_dos_global(b, &g) ?:
			 cors_enc_data_mark(b, CORS_MAGIC_EDOS) ?: cors_put_u32(b, 1) ?:
			 cors_enc_dos_vector(b, v) ?: cors_enc_interval(b, &e) ?:
			 cors_enc_trailer(b, t), 0);
}

static void round_trip(const char *suffix, const uint8_t *magic, size_t mlen)
{
	static const uint8_t pkt[20] = { 0x45, 0, 0, 20, [8] = 64, [9] = 6 };
	struct cors_header h = {
		.major = 2, .mid = 0, .init_time = 1, .interval = 300,
		.trace_uri = "pcapfile:/tmp/t.pcap", .n_plugins = 2,
		.magic = { CORS_MAGIC_SIXU, CORS_MAGIC_EDOS },
	}, h2;
	struct cors_trailer t = { 1ull << 40, CORS_UNKNOWN, 7, 1, 2, 3, 4 }, t2;
	struct cors_tuple tu = tuple("198.18.0.1", "198.18.200.3", 8, 0, 1, 63, 0, 84,
				     123456, TBX_FT_ICMPREQ), tu2;
	struct cors_dos_vector v = {
		.target_ip = 0xc6120303, .attackers = 9, .packets = 1ull << 33,
		.max_ppm = 77, .start_sec = 5, .latest_usec = 999999, .pkt_len = 20, .pkt = pkt,
	}, v2;
	struct cors_interval i;
	struct cors_class_start cs;
	struct cors_dos_global g;
	struct cors_buf b = { 0 };
	struct cors_stream *s;
	struct cors_in *in;
	char path[256];
	uint8_t *data, *raw;
	size_t len, rawlen;
	uint32_t m, n;

	encode_all(&b, &h, &t, &tu, &v);
	snprintf(path, sizeof(path), "%s/all.cors%s", dir, suffix);
	assert_int_equal(cors_stream_open(path, &s), 0);
	assert_int_equal(cors_stream_write(s, b.p, b.len), 0);
	assert_int_equal(cors_stream_close(s), 0);

	/* the file really is compressed as its name says */
	raw = slurp(path, &rawlen);
	assert_non_null(raw);
	assert_true(rawlen >= mlen);
	assert_memory_equal(raw, magic, mlen);
	free(raw);

	/* read back as a stream, in small pieces and through the cursor */
	assert_int_equal(cors_in_open(path, &in), 0);
	data = malloc(b.len + 64);
	for (len = 0;;) {
		size_t got;

		assert_int_equal(cors_in_read(in, data + len, 7, &got), 0);
		if (!got)
			break;
		len += got;
		assert_true(len <= b.len);
	}
	cors_in_close(in);
	assert_int_equal(len, b.len);
	assert_memory_equal(data, b.p, len);
	assert_int_equal(cors_in_open(path, &in), 0);

	struct cors_cur c;

	cors_cur_stream(&c, in, path);

	assert_int_equal(cors_dec_header(&c, &h2), 0);
	assert_int_equal(h2.major, 2);
	assert_int_equal(h2.interval, 300);
	assert_string_equal(h2.trace_uri, h.trace_uri);
	assert_int_equal(h2.n_plugins, 2);
	assert_int_equal(h2.magic[1], CORS_MAGIC_EDOS);
	cors_header_clear(&h2);
	assert_int_equal(cors_dec_interval(&c, &i, true), 0);
	assert_int_equal(i.number, 7);
	assert_int_equal(cors_dec_class_start(&c, &cs), 0);
	assert_int_equal(cs.cls, 1);
	assert_int_equal(cs.count, 1);
	assert_int_equal(cors_dec_tuple(&c, &tu2), 0);
	tu2.key.cls = TBX_FT_ICMPREQ;
	assert_memory_equal(&tu2, &tu, sizeof(tu));
	assert_int_equal(cors_dec_class_end(&c, CORS_MAGIC_SIXU, 1), 0);
	assert_int_equal(cors_dec_data_mark(&c, &m), 0);
	assert_int_equal(m, CORS_MAGIC_EDOS);
	assert_int_equal(cors_dec_dos_global(&c, &g), 0);
	assert_int_equal(g.mismatch, 65535);
	assert_int_equal(g.non_attacks, 5);
	assert_int_equal(cors_dec_data_mark(&c, &m), 0);
	assert_int_equal(cors_get_u32(&c, &n, "count"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cors_dec_dos_vector(&c, &v2), 0);
	assert_int_equal(v2.packets, 1ull << 33);
	assert_int_equal(v2.latest_usec, 999999);
	assert_int_equal(v2.pkt_len, 20);
	assert_memory_equal(v2.pkt, pkt, 20);
	assert_int_equal(cors_dec_interval(&c, &i, false), 0);
	assert_int_equal(i.time, 1700000299);
	assert_int_equal(cors_dec_trailer(&c, &t2), 0);
	assert_memory_equal(&t2, &t, sizeof(t));
	assert_true(cors_cur_end(&c));
	assert_int_equal(c.err, 0);
	cors_cur_clear(&c);
	cors_in_close(in);
	free(data);
	cors_buf_free(&b);
}

static void round_trip_plain(void **state)
{
	round_trip("", (const uint8_t *)"EDGRHEAD", 8);
}

static void round_trip_gz(void **state)
{
	round_trip(".gz", (const uint8_t *)"\x1f\x8b", 2);
}

static void round_trip_bz2(void **state)
{
	round_trip(".bz2", (const uint8_t *)"BZh", 3);
}

/* Short input names the offset where the missing bytes were wanted. */
static void truncated_record_names_offset(void **state)
{
	struct cors_interval i = { 1, 2 };
	struct cors_buf b = { 0 };
	struct cors_cur c;

	assert_int_equal(cors_enc_interval(&b, &i), 0);
	c = (struct cors_cur){ .p = b.p, .len = 11, .name = "f" };
	assert_int_equal(cors_dec_interval(&c, &i, true), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "f: truncated at byte offset 10"));
	b.p[5] = 'X';
	c = (struct cors_cur){ .p = b.p, .len = b.len, .name = "f" };
	assert_int_equal(cors_dec_interval(&c, &i, true), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "bad magic at byte offset 4"));
	cors_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_header),
		cmocka_unit_test(golden_interval_and_trailer),
		cmocka_unit_test(golden_dos_records),
		cmocka_unit_test(round_trip_plain),
		cmocka_unit_test(round_trip_gz),
		cmocka_unit_test(round_trip_bz2),
		cmocka_unit_test(truncated_record_names_offset),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
