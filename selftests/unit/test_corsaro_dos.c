// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RS DoS plugin through the writer: the attack thresholds (packets,
 * duration, peak packets per minute), the 300 s dump cadence, vector
 * timeout, ICMP-quoted targets and mismatches, only backscatter counted,
 * and a dump's bytes against the record layout in reference/corsaro.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "corsaro_test.h"
#include "tmpdir.h"

#define T0 1700000000u

static char dir[128];

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-cors-dos");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

/* A 40-byte TCP packet from 198.18.1.1:80 (the target) to a darknet
 * address 198.18.9.(1+i%3), port 1000+i, with @flags (0x12: SYN-ACK).
 */
static void tcp_packet(uint8_t p[40], unsigned int i, uint8_t flags)
{
	uint16_t dport = 1000 + i;

	memset(p, 0, 40);
	p[0] = 0x45;
	p[3] = 40;
	p[8] = 60;
	p[9] = 6;
	memcpy(p + 12, (uint8_t[]){ 198, 18, 1, 1 }, 4);
	memcpy(p + 16, (uint8_t[]){ 198, 18, 9, 1 + i % 3 }, 4);
	p[21] = 80;
	p[22] = dport >> 8;
	p[23] = dport;
	p[32] = 0x50;
	p[33] = flags;
}

/* A raw IP frame (pcap DLT_RAW: the stored packet starts at the IP
 * header) to the DoS plugin, parsed as the tap parses it. */
static int send_ip(struct cors_out *o, uint32_t sec, uint32_t usec, const uint8_t *p,
		   size_t len)
{
	struct tbx_ft_parsed r;

	tbx_ft_parse_frame(p, p + len, p + len, TBX_FT_LINK_RAW, &r);
	return cors_out_packet(o, sec, usec, p, len, &r);
}

static struct cors_out *start(const char *name, uint16_t interval)
{
	char tmpl[256];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = interval,
				      .flowtuple = true, .dos = true, .fixed_clock = T0 };
	struct cors_out *o;

	snprintf(tmpl, sizeof(tmpl), "%s/%s.%%P.cors", dir, name);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	return o;
}

/* Sends @n SYN-ACKs at T0 + secs[i]. */
static void syn_acks(struct cors_out *o, const uint32_t *secs, unsigned int n)
{
	uint8_t p[40];

	for (unsigned int i = 0; i < n; i++) {
		tcp_packet(p, i, 0x12);
		assert_int_equal(send_ip(o, T0 + secs[i], i ? 0 : 500, p, 40), 0);
	}
}

/* Moves time to @until, closes, and returns the global file's text. */
static char *finish(struct cors_out *o, const char *name, uint32_t until)
{
	char path[256];
	char *text;
	int err;

	assert_int_equal(cors_out_time(o, T0 + until, 0), 0);
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
	snprintf(path, sizeof(path), "%s/%s.global.cors", dir, name);
	text = ascii_of(path, &err);
	if (err)
		fail_msg("%s", tbx_errmsg());
	return text;
}

static void assert_block(const char *global, const char *counts)
{
	char want[256];

	snprintf(want, sizeof(want), "# CORSARO_PLUGIN_DATA_START dos\n%s# CORSARO_PLUGIN_DATA_END dos\n",
		 counts);
	if (!strstr(global, want))
		fail_msg("global file lacks\n%s\nit is:\n%s", want, global);
}

static uint32_t one_per_second[40];

static int fill_secs(void **state)
{
	for (uint32_t i = 0; i < 40; i++)
		one_per_second[i] = i;
	return 0;
}

/* 24 packets, one a second: too few (and too short) for an attack. */
static void packets_24_not_attack(void **state)
{
	struct cors_out *o = start("p24", 300);
	char *g;

	syn_acks(o, one_per_second, 24);
	g = finish(o, "p24", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	free(g);
}

/* 30 packets in the first minute and one at +61 s (the first came at
 * +0.0005 s): 31 packets over 60 s with a peak of 30 a minute, the
 * smallest attack there is.
 */
static const uint32_t attack_secs[31] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 61,
};

static void threshold_attack(void **state)
{
	struct cors_out *o = start("att", 300);
	char *g;

	syn_acks(o, attack_secs, 31);
	g = finish(o, "att", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 1\nnon-attack_vectors: 0\n");
	free(g);
}

/* One packet fewer in the first minute: the peak is 29 a minute. */
static void ppm_29_not_attack(void **state)
{
	uint32_t secs[30];
	struct cors_out *o = start("ppm", 300);
	char *g;

	memcpy(secs, attack_secs, 29 * sizeof(secs[0]));
	secs[29] = 61;
	syn_acks(o, secs, 30);
	g = finish(o, "ppm", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	free(g);
}

/* The attack's packets, the last at +60 s: 59.9995 s is under a minute
 * (Corsaro compares whole seconds of the timeval difference).
 */
static void duration_59_9995_not_attack(void **state)
{
	uint32_t secs[31];
	struct cors_out *o = start("d60", 300);
	char *g;

	memcpy(secs, attack_secs, sizeof(secs));
	secs[30] = 60;
	syn_acks(o, secs, 31);
	g = finish(o, "d60", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	free(g);
}

/* 40 packets in 59 s: enough packets and rate, too short. */
static void duration_59_not_attack(void **state)
{
	uint32_t secs[40];
	struct cors_out *o = start("dur", 300);
	char *g;

	for (int i = 0; i < 40; i++)
		secs[i] = i * 59 / 39;	/* 0 .. 59 s */
	syn_acks(o, secs, 40);
	g = finish(o, "dur", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	free(g);
}

/* The dump's bytes: interval start, count, the 72-byte vector, the
 * first packet, interval end; and its ASCII line.
 */
static void golden_dump(void **state)
{
	static const char head[] =
		"45444752 494e5452 0000 6553f100 00000001"
		"c6120101 00000003 00000003 0000001f 00000001 000000000000001f 0000001f"
		"00000000000004d8 000004d8 000000000000001e 6553f100 000001f4 6553f13d"
		"00000000 00000028";
	static const char tail[] = "45444752 494e5452 0000 6553f22b";
	uint8_t want[256], first[40];
	struct cors_out *o = start("gold", 300);
	char path[256], *text;
	size_t n, m, len;
	uint8_t *got;
	int err;

	syn_acks(o, attack_secs, 31);
	free(finish(o, "gold", 300));
	snprintf(path, sizeof(path), "%s/gold.dos.cors", dir);
	got = slurp(path, &len);
	assert_non_null(got);
	n = hex_bytes(head, want, sizeof(want));
	tcp_packet(first, 0, 0x12);
	memcpy(want + n, first, 40);
	m = hex_bytes(tail, want + n + 40, sizeof(want) - n - 40);
	assert_int_equal(len, n + 40 + m);
	assert_memory_equal(got, want, len);
	free(got);

	text = ascii_of(path, &err);
	assert_int_equal(err, 0);
	assert_string_equal(text,
		"# CORSARO_INTERVAL_START 0 1700000000\n"
		"1\n"
		"198.18.1.1,3,3,31,1,31,31,1240,1240,30,1700000000.000500,1700000061.000000\n"
		"# CORSARO_INTERVAL_END 0 1700000299\n");
	free(text);
}

/* Dumps come every 300 s of intervals, not every interval. */
static void dump_every_300s(void **state)
{
	struct cors_out *o = start("cad", 60);
	char *g, *p;
	int dumps = 0;

	syn_acks(o, one_per_second, 3);
	g = finish(o, "cad", 10 * 60);	/* intervals 0..9 ended, 10 open */
	for (p = g; (p = strstr(p, "DATA_START dos")); p++)
		dumps++;
	assert_int_equal(dumps, 2);
	/* the first after interval 4 (T0 + 299) */
	assert_non_null(strstr(g, "# CORSARO_INTERVAL_START 4 1700000240\n"
				  "# CORSARO_PLUGIN_DATA_START dos\n"));
	free(g);
}

/* With -r 1, the dos file rotates only on the intervals it dumps in. */
static void rotates_on_dumps(void **state)
{
	char tmpl[256], path[256];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = 60,
				      .rotate = 1, .flowtuple = true, .dos = true,
				      .fixed_clock = T0 };
	struct cors_out *o;
	uint8_t p[40];
	int err;
	char *t;

	snprintf(tmpl, sizeof(tmpl), "%s/rot.%%s.%%P.cors", dir);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	tcp_packet(p, 0, 0x12);
	assert_int_equal(send_ip(o, T0, 0, p, 40), 0);
	assert_int_equal(cors_out_time(o, T0 + 600, 0), 0);	/* intervals 0..9 end */
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
	for (uint32_t s = 0; s <= 600; s += 60) {
		snprintf(path, sizeof(path), "%s/rot.%u.dos.cors", dir, T0 + s);
		if ((access(path, F_OK) == 0) != (s % 300 == 0))
			fail_msg("%s should %sexist", path, s % 300 ? "not " : "");
	}
	snprintf(path, sizeof(path), "%s/rot.%u.dos.cors", dir, T0 + 300);
	t = ascii_of(path, &err);
	assert_int_equal(err, 0);
	assert_string_equal(t, "# CORSARO_INTERVAL_START 9 1700000540\n0\n"
			       "# CORSARO_INTERVAL_END 9 1700000599\n");
	free(t);
}

/* A vector quiet for more than 300 s is dropped at the next dump. */
static void vector_times_out(void **state)
{
	struct cors_out *o = start("tmo", 300);
	char *g, *second;

	syn_acks(o, one_per_second, 1);
	g = finish(o, "tmo", 600);
	/* first dump (T0+299): still there; second (T0+599): expired */
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	second = strstr(g, "# CORSARO_INTERVAL_START 1");
	assert_non_null(second);
	assert_block(second, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 0\n");
	free(g);
}

/* Only backscatter makes vectors: a SYN is a scan, not a response. */
static void only_backscatter(void **state)
{
	struct cors_out *o = start("syn", 300);
	uint8_t p[40];
	char *g;

	for (unsigned int i = 0; i < 40; i++) {
		tcp_packet(p, i, 0x02);
		assert_int_equal(send_ip(o, T0 + i * 2, 0, p, 40), 0);
	}
	g = finish(o, "syn", 300);
	assert_block(g, "mismatch: 0\nattack_vectors: 0\nnon-attack_vectors: 0\n");
	free(g);
}

/* ICMP errors name the quoted destination as target; a quoted source
 * other than the outer destination counts as a mismatch.
 */
static void icmp_quoted_target(void **state)
{
	uint8_t p[56] = {
		0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1, 0, 0, 198, 18, 2, 2, 198, 18, 9, 1,
		3, 1, 0, 0, 0, 0, 0, 0,
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 9, 7, 198, 18, 3, 3,
		0x30, 0x39, 0, 53,
	};
	struct cors_out *o = start("icmp", 300);
	char *g, *d, path[256];
	int err;

	assert_int_equal(send_ip(o, T0, 0, p, sizeof(p)), 0);
	p[43] = 1;	/* quoted source now 198.18.9.1: no mismatch */
	assert_int_equal(send_ip(o, T0 + 1, 0, p, sizeof(p)), 0);
	g = finish(o, "icmp", 300);
	assert_block(g, "mismatch: 1\nattack_vectors: 0\nnon-attack_vectors: 1\n");
	free(g);
	snprintf(path, sizeof(path), "%s/icmp.dos.cors", dir);
	d = ascii_of(path, &err);
	assert_int_equal(err, 0);
	assert_string_equal(d, "# CORSARO_INTERVAL_START 0 1700000000\n0\n"
			       "# CORSARO_INTERVAL_END 0 1700000299\n");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(packets_24_not_attack),
		cmocka_unit_test(threshold_attack),
		cmocka_unit_test(ppm_29_not_attack),
		cmocka_unit_test(duration_59_not_attack),
		cmocka_unit_test(duration_59_9995_not_attack),
		cmocka_unit_test(golden_dump),
		cmocka_unit_test(dump_every_300s),
		cmocka_unit_test(rotates_on_dumps),
		cmocka_unit_test(vector_times_out),
		cmocka_unit_test(only_backscatter),
		cmocka_unit_test(icmp_quoted_target),
	};

	fill_secs(NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
