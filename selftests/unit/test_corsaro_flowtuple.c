// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Corsaro writer's flowtuple and global files against bytes and text
 * spelled out here from reference/corsaro.md: class blocks, Corsaro's
 * sort order (addresses and ports compared by their low byte first),
 * gap intervals, the header and trailer; ascii mode writes what
 * cors2ascii prints for the binary files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "corsaro/ft.h"
#include "corsaro_test.h"
#include "tmpdir.h"

static char dir[128];

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-cors-ft");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

#define T0 1700000000u	/* 0x6553f100, 2023-11-14 22:13:20 UTC */

/* The hand-specified traffic: six keys (one added twice), three classes. */
static void feed(struct cors_out *o)
{
	struct cors_tuple t[] = {
		/* b: sorts after a: 1.0.0.2 is 0x02000001 read little-endian */
		tuple("1.0.0.2", "198.18.0.2", 80, 1, 6, 64, 0x12, 40, 1, TBX_FT_BACKSCATTER),
		tuple("2.0.0.1", "198.18.0.2", 80, 1, 6, 64, 0x12, 40, 3, TBX_FT_BACKSCATTER),
		tuple("9.9.9.9", "198.18.0.2", 80, 1, 6, 64, 0x04, 40, 2, TBX_FT_BACKSCATTER),
		tuple("198.18.0.9", "198.18.0.2", 53, 5353, 17, 1, 0, 60, 7, TBX_FT_OTHER),
		tuple("198.18.0.1", "198.18.0.2", 8, 0, 1, 64, 0, 84, 2, TBX_FT_ICMPREQ),
		tuple("198.18.5.5", "198.18.0.2", 0, 0, 1, 50, 0, 84, 1, TBX_FT_BACKSCATTER),
		tuple("9.9.9.9", "198.18.0.2", 80, 1, 6, 64, 0x04, 40, 3, TBX_FT_BACKSCATTER),
	};

	assert_int_equal(cors_out_time(o, T0, 0), 0);
	assert_int_equal(cors_out_tuples(o, t, 3), 0);
	assert_int_equal(cors_out_tuples(o, t + 3, 4), 0);
	/* 125 s on: interval 0 ends at 59, gap interval 1 covers 60..119;
	 * two packets at 125 (a last packet alone in its interval would
	 * leave it out, as Corsaro does: test_corsaro_files) */
	assert_int_equal(cors_out_time(o, T0 + 125, 0), 0);
	assert_int_equal(cors_out_time(o, T0 + 125, 500), 0);
	cors_out_counts(o, 19, CORS_UNKNOWN_COUNT, 0);
}

static const char ft_golden[] =
	/* interval 0 start */
	"45444752 494e5452 0000 6553f100"
	/* class 0: ICMP echo reply first (proto 1), RST (flags 04), then
	 * the two SYN-ACKs, 2.0.0.1 before 1.0.0.2
	 */
	"53495855 0000 00000004"
	"c6120505 c6120002 0000 0000 01 32 00 0054 00000001"
	"09090909 c6120002 0050 0001 06 40 04 0028 00000005"
	"02000001 c6120002 0050 0001 06 40 12 0028 00000003"
	"01000002 c6120002 0050 0001 06 40 12 0028 00000001"
	"53495855 0000"
	"53495855 0001 00000001"
	"c6120001 c6120002 0008 0000 01 40 00 0054 00000002"
	"53495855 0001"
	"53495855 0002 00000001"
	"c6120009 c6120002 0035 14e9 11 01 00 003c 00000007"
	"53495855 0002"
	"45444752 494e5452 0000 6553f13b"
	/* gap interval 1: all three classes, empty */
	"45444752 494e5452 0001 6553f13c"
	"53495855 0000 00000000 53495855 0000"
	"53495855 0001 00000000 53495855 0001"
	"53495855 0002 00000000 53495855 0002"
	"45444752 494e5452 0001 6553f177"
	/* interval 2 ends at the last packet's second */
	"45444752 494e5452 0002 6553f178"
	"53495855 0000 00000000 53495855 0000"
	"53495855 0001 00000000 53495855 0001"
	"53495855 0002 00000000 53495855 0002"
	"45444752 494e5452 0002 6553f17d";

static const char global_golden[] =
	"45444752 48454144 02 00 6553f164 003c 0000 0001 53495855"
	"45444752 494e5452 0000 6553f100 45444752 494e5452 0000 6553f13b"
	"45444752 494e5452 0001 6553f13c 45444752 494e5452 0001 6553f177"
	"45444752 494e5452 0002 6553f178 45444752 494e5452 0002 6553f17d"
	"45444752 464f4f54 0000000000000013 ffffffffffffffff 0000000000000000"
	"6553f100 6553f17d 6553f164 00000000";

static const char ft_ascii[] =
	"# CORSARO_INTERVAL_START 0 1700000000\n"
	"START flowtuple_backscatter 4\n"
	"198.18.5.5|198.18.0.2|0|0|1|50|0x00|84,1\n"
	"9.9.9.9|198.18.0.2|80|1|6|64|0x04|40,5\n"
	"2.0.0.1|198.18.0.2|80|1|6|64|0x12|40,3\n"
	"1.0.0.2|198.18.0.2|80|1|6|64|0x12|40,1\n"
	"END flowtuple_backscatter\n"
	"START flowtuple_icmpreq 1\n"
	"198.18.0.1|198.18.0.2|8|0|1|64|0x00|84,2\n"
	"END flowtuple_icmpreq\n"
	"START flowtuple_other 1\n"
	"198.18.0.9|198.18.0.2|53|5353|17|1|0x00|60,7\n"
	"END flowtuple_other\n"
	"# CORSARO_INTERVAL_END 0 1700000059\n"
	"# CORSARO_INTERVAL_START 1 1700000060\n"
	"START flowtuple_backscatter 0\nEND flowtuple_backscatter\n"
	"START flowtuple_icmpreq 0\nEND flowtuple_icmpreq\n"
	"START flowtuple_other 0\nEND flowtuple_other\n"
	"# CORSARO_INTERVAL_END 1 1700000119\n"
	"# CORSARO_INTERVAL_START 2 1700000120\n"
	"START flowtuple_backscatter 0\nEND flowtuple_backscatter\n"
	"START flowtuple_icmpreq 0\nEND flowtuple_icmpreq\n"
	"START flowtuple_other 0\nEND flowtuple_other\n"
	"# CORSARO_INTERVAL_END 2 1700000125\n";

static const char global_ascii[] =
	"# CORSARO_VERSION 2.0\n"
	"# CORSARO_INITTIME 1700000100\n"
	"# CORSARO_INTERVAL 60\n"
	"# CORSARO_PLUGIN flowtuple\n"
	"# CORSARO_INTERVAL_START 0 1700000000\n"
	"# CORSARO_INTERVAL_END 0 1700000059\n"
	"# CORSARO_INTERVAL_START 1 1700000060\n"
	"# CORSARO_INTERVAL_END 1 1700000119\n"
	"# CORSARO_INTERVAL_START 2 1700000120\n"
	"# CORSARO_INTERVAL_END 2 1700000125\n"
	"# CORSARO_PACKETCNT 19\n"
	"# CORSARO_DROPPEDCNT 0\n"
	"# CORSARO_FIRSTPKT 1700000000\n"
	"# CORSARO_LASTPKT 1700000125\n"
	"# CORSARO_FINALTIME 1700000100\n"
	"# CORSARO_RUNTIME 0\n";

static void write_run(const char *sub, const char *suffix, bool ascii)
{
	char tmpl[256];
	struct cors_out_opts opts = {
		.template = tmpl, .monitor = "m", .interval = 60,
		.flowtuple = true, .ascii = ascii, .fixed_clock = T0 + 100,
	};
	struct cors_out *o;

	snprintf(tmpl, sizeof(tmpl), "%s/%s.%%P.cors%s", dir, sub, suffix);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	feed(o);
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
}

static void assert_file_bytes(const char *path, const char *hex)
{
	static uint8_t want[8192];
	size_t n = hex_bytes(hex, want, sizeof(want)), len;
	uint8_t *got = slurp(path, &len);

	assert_non_null(got);
	for (size_t i = 0; i < n && i < len; i++)
		if (got[i] != want[i])
			fail_msg("%s: byte %zu is %02x, wanted %02x", path, i, got[i], want[i]);
	assert_int_equal(len, n);
	free(got);
}

static void assert_ascii(const char *path, const char *want)
{
	int err;
	char *text = ascii_of(path, &err);

	if (err)
		fail_msg("%s", tbx_errmsg());
	assert_string_equal(text, want);
	free(text);
}

static void golden_binary_files(void **state)
{
	char path[256];

	write_run("bin", "", false);
	snprintf(path, sizeof(path), "%s/bin.flowtuple.cors", dir);
	assert_file_bytes(path, ft_golden);
	snprintf(path, sizeof(path), "%s/bin.global.cors", dir);
	assert_file_bytes(path, global_golden);
}

static void golden_ascii_of_binary(void **state)
{
	char path[256];

	write_run("bin2", "", false);
	snprintf(path, sizeof(path), "%s/bin2.flowtuple.cors", dir);
	assert_ascii(path, ft_ascii);
	snprintf(path, sizeof(path), "%s/bin2.global.cors", dir);
	assert_ascii(path, global_ascii);
}

static void ascii_mode_matches(void **state)
{
	char path[256];
	size_t len;
	uint8_t *got;

	write_run("txt", ".gz", true);
	snprintf(path, sizeof(path), "%s/txt.flowtuple.cors.gz", dir);
	assert_ascii(path, ft_ascii);	/* text passes through the reader */
	snprintf(path, sizeof(path), "%s/txt.global.cors.gz", dir);
	assert_ascii(path, global_ascii);
	got = slurp(path, &len);
	assert_true(len > 2 && got[0] == 0x1f && got[1] == 0x8b);
	free(got);
}

static void compressed_same_content(void **state)
{
	static const char *suffix[] = { ".gz", ".bz2" };

	for (int i = 0; i < 2; i++) {
		char sub[16], path[256];

		snprintf(sub, sizeof(sub), "c%d", i);
		write_run(sub, suffix[i], false);
		snprintf(path, sizeof(path), "%s/%s.flowtuple.cors%s", dir, sub, suffix[i]);
		assert_ascii(path, ft_ascii);
	}
}

/* The sort, key by key: each pair differs in one field only. */
static void sort_order(void **state)
{
	struct {
		struct cors_tuple lo, hi;
	} pairs[] = {
		{ tuple("9.9.9.9", "1.1.1.1", 9, 9, 1, 99, 0xff, 999, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 1, 0, 1, 1, 0) },	/* protocol */
		{ tuple("9.9.9.9", "1.1.1.1", 9, 9, 6, 1, 0xff, 999, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 2, 0, 1, 1, 0) },	/* ttl */
		{ tuple("9.9.9.9", "1.1.1.1", 9, 9, 6, 1, 0x04, 999, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 1, 0x12, 1, 1, 0) },	/* flags */
		{ tuple("2.1.1.1", "9.9.9.9", 9, 9, 6, 1, 0, 9, 1, 0),
		  tuple("1.1.1.2", "1.1.1.1", 1, 1, 6, 1, 0, 1, 1, 0) },	/* src, last octet first */
		{ tuple("1.1.1.1", "2.1.1.1", 9, 9, 6, 1, 0, 9, 1, 0),
		  tuple("1.1.1.1", "1.1.1.2", 1, 1, 6, 1, 0, 1, 1, 0) },	/* dst */
		{ tuple("1.1.1.1", "1.1.1.1", 256, 9, 6, 1, 0, 9, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 1, 0, 1, 1, 0) },	/* sport, low byte first */
		{ tuple("1.1.1.1", "1.1.1.1", 1, 512, 6, 1, 0, 9, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 2, 6, 1, 0, 1, 1, 0) },	/* dport */
		{ tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 1, 0, 0x0100, 1, 0),
		  tuple("1.1.1.1", "1.1.1.1", 1, 1, 6, 1, 0, 0x0002, 1, 0) },	/* ip_len */
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (cors_ft_cmp(&pairs[i].lo.key, &pairs[i].hi.key) >= 0 ||
		    cors_ft_cmp(&pairs[i].hi.key, &pairs[i].lo.key) <= 0)
			fail_msg("pair %zu sorts the wrong way", i);
		assert_int_equal(cors_ft_cmp(&pairs[i].lo.key, &pairs[i].lo.key), 0);
	}
}

/* Many keys come out sorted whatever order they went in. */
static void sort_many(void **state)
{
	struct cors_ft *ft;
	struct cors_buf b = { 0 };
	uint32_t count;

	assert_int_equal(cors_ft_new(&ft), 0);
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t x = i * 2654435761u;
		struct cors_tuple t = tuple("0.0.0.0", "198.18.0.1", x & 0xffff, 0, 17,
					    x >> 28, 0, 28 + (x >> 24 & 7), 1, TBX_FT_OTHER);

		t.key.src_ip = x;
		assert_int_equal(cors_ft_add(ft, &t), 0);
	}
	assert_int_equal(cors_ft_count(ft, TBX_FT_OTHER), 5000);
	assert_int_equal(cors_ft_emit(ft, &b, false), 0);
	/* class 2 starts after two empty classes (16 bytes each) */
	count = (uint32_t)b.p[32 + 6] << 24 | b.p[32 + 7] << 16 | b.p[32 + 8] << 8 | b.p[32 + 9];
	assert_int_equal(count, 5000);
	for (uint32_t i = 1; i < 5000; i++) {
		const uint8_t *p = b.p + 32 + 10 + (size_t)(i - 1) * 21;
		struct cors_tuple a, c;
		struct cors_cur cur = { .p = p, .len = 42, .name = "buf" };

		assert_int_equal(cors_dec_tuple(&cur, &a) ?: cors_dec_tuple(&cur, &c), 0);
		if (cors_ft_cmp(&a.key, &c.key) >= 0)
			fail_msg("tuples %u and %u out of order", i - 1, i);
	}
	/* emitting empties the table */
	assert_int_equal(cors_ft_count(ft, TBX_FT_OTHER), 0);
	cors_buf_free(&b);
	cors_ft_free(ft);
}

/* A key whose class does not fit its fields is refused. */
static void wrong_class_refused(void **state)
{
	char tmpl[256];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = 60,
				      .flowtuple = true, .fixed_clock = 1 };
	struct cors_tuple t = tuple("1.1.1.1", "2.2.2.2", 1, 2, 17, 64, 0, 28, 1,
				    TBX_FT_BACKSCATTER);
	struct cors_out *o;

	snprintf(tmpl, sizeof(tmpl), "%s/wrong.%%P", dir);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);	/* no time yet */
	assert_int_equal(cors_out_time(o, T0, 0), 0);
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "class 0 does not fit protocol 17"));
	t.key.cls = TBX_FT_OTHER;
	assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	/* ICMP echo request (type 8) is icmpreq, not other */
	t = tuple("1.1.1.1", "2.2.2.2", 8, 0, 1, 64, 0, 28, 1, TBX_FT_OTHER);
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);
	t.key.cls = TBX_FT_ICMPREQ;
	assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	/* ICMP cut short: type and code 0 fit every class (the class came
	 * from a type byte the key does not keep, or from no header) */
	for (int c = 0; c < TBX_FT_CLASS_MAX; c++) {
		t = tuple("1.1.1.1", "2.2.2.2", 0, 0, 1, 64, 0, 24, 1, c);
		assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	}
	/* UDP cut short is "other" only */
	t = tuple("1.1.1.1", "2.2.2.2", 0, 0, 17, 64, 0, 22, 1, TBX_FT_ICMPREQ);
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);
	/* TCP without flags (a header of 4..19 bytes): classed by a flags
	 * byte the key does not keep, so backscatter or other, never icmpreq;
	 * with flags, by them */
	t = tuple("1.1.1.1", "2.2.2.2", 80, 81, 6, 64, 0, 34, 1, TBX_FT_BACKSCATTER);
	assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	t.key.cls = TBX_FT_ICMPREQ;
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);
	t = tuple("1.1.1.1", "2.2.2.2", 80, 81, 6, 64, 0x02, 40, 1, TBX_FT_BACKSCATTER);
	assert_int_equal(cors_out_tuples(o, &t, 1), -EINVAL);
	/* 6in4 is classed by what it carries: any class */
	for (int c = 0; c < TBX_FT_CLASS_MAX; c++) {
		t = tuple("1.1.1.1", "2.2.2.2", 0, 0, 41, 64, 0, 80, 1, c);
		assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	}
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
}

/* Keys from packets, as the flowtuple plugin makes them. */
static void key_from_packet(void **state)
{
	uint8_t tcp[40] = { 0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 198, 18, 1, 1,
			    198, 18, 9, 9, 0, 80, 0x30, 0x39, [32] = 0x50, [33] = 0x12 };
	uint8_t icmp[28] = { 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 198, 18, 1, 1,
			     198, 18, 9, 9, 8, 0 };
	struct tbx_ft_key k;

	assert_int_equal(cors_ft_key_of(tcp, sizeof(tcp), &k), 0);
	assert_int_equal(ntohs(k.src_port), 80);
	assert_int_equal(ntohs(k.dst_port), 12345);
	assert_int_equal(k.tcp_flags, 0x12);
	assert_int_equal(ntohs(k.ip_len), 40);
	assert_int_equal(k.cls, TBX_FT_BACKSCATTER);
	tcp[33] = 0x02;		/* a SYN is not backscatter */
	assert_int_equal(cors_ft_key_of(tcp, sizeof(tcp), &k), 0);
	assert_int_equal(k.cls, TBX_FT_OTHER);
	assert_int_equal(cors_ft_key_of(icmp, sizeof(icmp), &k), 0);
	assert_int_equal(k.cls, TBX_FT_ICMPREQ);
	assert_int_equal(ntohs(k.src_port), 8);
	icmp[20] = 11;		/* time exceeded: backscatter */
	assert_int_equal(cors_ft_key_of(icmp, sizeof(icmp), &k), 0);
	assert_int_equal(k.cls, TBX_FT_BACKSCATTER);
	/* ICMP cut short, as the flowtuple plugin classes it: with 2..7
	 * bytes of header by its type (type and code stay 0 in the key),
	 * with fewer, or in a later fragment, "other"; a TCP header of
	 * 14..19 bytes gives ports, no flags, and is classed by its flags
	 * byte (tbx/flowtuple_parse.h; selftests/unit/ft_edges.h has more)
	 */
	assert_int_equal(cors_ft_key_of(icmp, 22, &k), 0);
	assert_int_equal(k.cls, TBX_FT_BACKSCATTER);	/* type 11 */
	assert_int_equal(k.src_port, 0);
	assert_int_equal(k.dst_port, 0);
	icmp[20] = 8;
	assert_int_equal(cors_ft_key_of(icmp, 24, &k), 0);
	assert_int_equal(k.cls, TBX_FT_ICMPREQ);
	assert_int_equal(k.src_port, 0);
	assert_int_equal(cors_ft_key_of(icmp, 21, &k), 0);
	assert_int_equal(k.cls, TBX_FT_OTHER);
	assert_int_equal(k.protocol, 1);
	assert_int_equal(cors_ft_key_of(icmp, 20, &k), 0);
	assert_int_equal(k.cls, TBX_FT_OTHER);
	icmp[6] = 0x20;		/* a later fragment, header bytes or not */
	icmp[7] = 0x01;
	assert_int_equal(cors_ft_key_of(icmp, sizeof(icmp), &k), 0);
	assert_int_equal(k.cls, TBX_FT_OTHER);
	assert_int_equal(k.src_port, 0);
	icmp[6] = icmp[7] = 0;
	tcp[33] = 0x12;
	assert_int_equal(cors_ft_key_of(tcp, 39, &k), 0);
	assert_int_equal(ntohs(k.src_port), 80);
	assert_int_equal(k.tcp_flags, 0);
	assert_int_equal(k.cls, TBX_FT_BACKSCATTER);
	tcp[6] = 0x20;		/* a later fragment: no transport header */
	tcp[7] = 0x01;
	assert_int_equal(cors_ft_key_of(tcp, sizeof(tcp), &k), 0);
	assert_int_equal(k.src_port, 0);
	assert_int_equal(k.cls, TBX_FT_OTHER);
	icmp[0] = 0x60;		/* not IPv4 */
	assert_int_equal(cors_ft_key_of(icmp, sizeof(icmp), &k), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_binary_files),
		cmocka_unit_test(golden_ascii_of_binary),
		cmocka_unit_test(ascii_mode_matches),
		cmocka_unit_test(compressed_same_content),
		cmocka_unit_test(sort_order),
		cmocka_unit_test(sort_many),
		cmocka_unit_test(wrong_class_refused),
		cmocka_unit_test(key_from_packet),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
