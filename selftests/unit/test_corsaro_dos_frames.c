// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RS DoS plugin fed from a pcap file (tbx_tap_pcap into the writer),
 * against what Corsaro 2 writes for the same frames:
 * - the initial packet is the captured frame from its first byte, link
 *   layer included, as long as it was captured (libtrace's packet buffer
 *   and capture length), so a vector record is 72 bytes plus that;
 * - ICMP without a quoted IPv4 header counts its type and code as ports
 *   the way Corsaro does (ntohs() of one byte: shifted left by 8), so
 *   they meet TCP ports 768 (3 << 8) in the same set;
 * - an ICMP error quoting a non-first fragment has no ports;
 * - without the flowtuple plugin, nothing is backscatter to it;
 * - vectors are dumped in the order of Corsaro's hash table's buckets:
 *   a capture with hundreds of targets (dos_scenario.h) gives the dos
 *   file a real Corsaro 2.0.0 wrote for it, byte for byte.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "corsaro_test.h"
#include "tap/tap.h"
#include "dos_scenario.h"
#include "ft_edges.h"
#include "tmpdir.h"

#define T0 1700000000u

static char dir[128];

struct rec {
	uint32_t sec;
	const uint8_t *p;
	uint32_t caplen, len;
};

static FILE *pcap_open(const char *path)
{
	uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fwrite(hdr, sizeof(hdr), 1, f);
	return f;
}

static void pcap_add(FILE *f, uint32_t sec, const void *p, uint32_t caplen, uint32_t len)
{
	uint32_t rec[4] = { sec, 0, caplen, len };

	fwrite(rec, sizeof(rec), 1, f);
	fwrite(p, 1, caplen, f);
}

static bool dos_only;	/* -p dos without -p flowtuple */

/* The pcap through the tap into Corsaro files (flowtuple and dos, 60 s
 * intervals) named @name.*; returns the dos file's bytes. */
static uint8_t *tap_to_dos(const char *name, size_t *len)
{
	struct cors_out_opts opts = { .monitor = "m", .interval = 60, .flowtuple = !dos_only,
				      .dos = true, .fixed_clock = T0 };
	struct tbx_tap_pcap_opts po = { .interval = 60 };
	struct tbx_tap_sink sink;
	struct tbx_tap_totals tot;
	struct cors_out *o;
	char tmpl[256], path[256];
	uint8_t *d;

	snprintf(tmpl, sizeof(tmpl), "%s/%s.%%P.cors", dir, name);
	opts.template = tmpl;
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	tbx_tap_cors_sink(o, &sink);
	if (tbx_tap_pcap(path, &po, &sink, &tot))
		fail_msg("%s", tbx_errmsg());
	cors_out_counts(o, tot.packets, CORS_UNKNOWN_COUNT, CORS_UNKNOWN_COUNT);
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
	snprintf(path, sizeof(path), "%s/%s.dos.cors", dir, name);
	d = slurp(path, len);
	assert_non_null(d);
	return d;
}

static char *dos_ascii(const char *name)
{
	char path[256], *text;
	int err;

	snprintf(path, sizeof(path), "%s/%s.dos.cors", dir, name);
	text = ascii_of(path, &err);
	if (err)
		fail_msg("%s", tbx_errmsg());
	return text;
}

/* An Ethernet SYN+ACK from 198.18.1.1:80 to 198.18.9.x, padded to 60. */
static size_t syn_ack(uint8_t f[60], unsigned int i)
{
	char dst[16];
	size_t k = fte_eth(f, 0x0800);

	k += fte_ip4(f + k, 5, 40, 0, 6, "198.18.1.1");
	snprintf(dst, sizeof(dst), "198.18.9.%u", 1 + i % 3);
	inet_pton(AF_INET, dst, f + k - 4);
	k += fte_tcp(f + k, 80, 1000 + i, 0x12, 20);
	memset(f + k, 0xee, 60 - k);	/* padding, stored with the frame */
	return 60;
}

/* 31 SYN+ACKs 2 s apart (an attack: 31 packets, 60 s, 30 a minute), the
 * first captured @cap of its 60 bytes, then one at 300 s that ends the
 * dump interval; the dos file's bytes. */
static uint8_t *attack(const char *name, uint32_t cap, uint8_t first[60], size_t *len)
{
	char path[256];
	uint8_t f[60];
	FILE *pc;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	pc = pcap_open(path);
	for (unsigned int i = 0; i < 31; i++) {
		syn_ack(f, i);
		if (!i)
			memcpy(first, f, 60);
		pcap_add(pc, T0 + 2 * i, f, i ? 60 : cap, 60);
	}
	syn_ack(f, 99);
	pcap_add(pc, T0 + 300, f, 60, 60);
	fclose(pc);
	return tap_to_dos(name, len);
}

static void initial_packet_is_the_frame(void **state)
{
	static const char head[] =
		"45444752 494e5452 0004 6553f1f0 00000001"
		"c6120101 00000003 00000003 0000001f 00000001 000000000000001f 0000001f"
		"00000000000004d8 000004d8 000000000000001e 6553f100 00000000 6553f13c"
		"00000000";
	static const char tail[] = "45444752 494e5452 0004 6553f22b";
	uint8_t want[256], first[60];
	size_t n, m, len;
	uint8_t *got;

	/* whole: the 60-byte frame, Ethernet header and padding included */
	got = attack("whole", 60, first, &len);
	n = hex_bytes(head, want, sizeof(want));
	want[n++] = 0, want[n++] = 0, want[n++] = 0, want[n++] = 60;
	memcpy(want + n, first, 60);
	m = hex_bytes(tail, want + n + 60, sizeof(want) - n - 60);
	assert_int_equal(len, n + 60 + m);
	assert_memory_equal(got, want, len);
	free(got);

	/* snapped at 50 bytes: 50 stored, the record says 50 */
	got = attack("snapped", 50, first, &len);
	n = hex_bytes(head, want, sizeof(want));
	want[n++] = 0, want[n++] = 0, want[n++] = 0, want[n++] = 50;
	memcpy(want + n, first, 50);
	m = hex_bytes(tail, want + n + 50, sizeof(want) - n - 50);
	assert_int_equal(len, n + 50 + m);
	assert_memory_equal(got, want, len);
	free(got);
}

/* Corsaro's dos plugin counts what the flowtuple plugin marked as
 * backscatter: run alone (-p dos), it finds no attack at all. */
static void dos_without_flowtuple_sees_nothing(void **state)
{
	uint8_t first[60];
	size_t len;
	char *text;

	dos_only = true;
	free(attack("alone", 60, first, &len));
	dos_only = false;
	text = dos_ascii("alone");
	assert_string_equal(text, "# CORSARO_INTERVAL_START 4 1700000240\n0\n"
				  "# CORSARO_INTERVAL_END 4 1700000299\n");
	free(text);
}

/* ICMP type 3 code 3 from 198.18.1.2, nothing quoted (8 bytes). */
static size_t icmp_unreach(uint8_t *f)
{
	size_t k = fte_eth(f, 0x0800);

	k += fte_ip4(f + k, 5, 28, 0, 1, "198.18.1.2");
	memset(f + k, 0, 8);
	f[k] = 3;
	f[k + 1] = 3;
	return k + 8;
}

static size_t rst_768(uint8_t *f)
{
	size_t k = fte_eth(f, 0x0800);

	k += fte_ip4(f + k, 5, 40, 0, 6, "198.18.1.2");
	k += fte_tcp(f + k, 768, 768, 0x14, 20);
	return k;
}

static void icmp_ports_meet_tcp_ports(void **state)
{
	uint8_t a[64], b[64];
	size_t na = icmp_unreach(a), nb = rst_768(b), len;
	char path[256], *text;
	FILE *pc;

	snprintf(path, sizeof(path), "%s/ports.pcap", dir);
	pc = pcap_open(path);
	for (unsigned int i = 0; i < 40; i++)
		pcap_add(pc, T0 + 2 * i, i % 2 ? b : a, i % 2 ? nb : na, i % 2 ? nb : na);
	pcap_add(pc, T0 + 300, b, nb, nb);
	fclose(pc);
	free(tap_to_dos("ports", &len));
	text = dos_ascii("ports");
	/* one attack port and one target port: 3 << 8 and 768 are one */
	assert_non_null(strstr(text, "\n198.18.1.2,1,1,1,1,40,40,"));
	free(text);
}

/* ICMP port unreachable from 198.18.3.1 quoting a UDP datagram
 * 198.18.0.2 -> 198.18.1.7 whose quoted IP header says "fragment at
 * offset 40": the 4 bytes after it are no ports. */
static size_t quoting_fragment(uint8_t *f, unsigned int i)
{
	size_t k = fte_eth(f, 0x0800);
	uint8_t *in;

	k += fte_ip4(f + k, 5, 56, 0, 1, "198.18.3.1");
	memset(f + k, 0, 8);
	f[k] = 3;
	f[k + 1] = 3;
	k += 8;
	in = f + k;
	k += fte_ip4(in, 5, 28, 5, 17, FT_EDGE_DST);
	inet_pton(AF_INET, "198.18.1.7", in + 16);
	k += fte_udp(f + k, 1000 + i, 2000 + i, 8);
	return k;
}

static void quoted_fragment_has_no_ports(void **state)
{
	uint8_t f[128];
	char path[256], *text;
	size_t len;
	FILE *pc;

	snprintf(path, sizeof(path), "%s/frag.pcap", dir);
	pc = pcap_open(path);
	for (unsigned int i = 0; i < 40; i++) {
		size_t n = quoting_fragment(f, i);

		pcap_add(pc, T0 + 2 * i, f, n, n);
	}
	pcap_add(pc, T0 + 300, f, 60, 60);
	fclose(pc);
	free(tap_to_dos("frag", &len));
	text = dos_ascii("frag");
	/* target: the quoted destination; ports: only 0 */
	assert_non_null(strstr(text, "\n198.18.1.7,1,1,1,1,40,40,"));
	free(text);
}

static void put_frame(void *arg, uint32_t sec, const uint8_t *f, size_t len)
{
	pcap_add(arg, sec, f, len, len);
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/*
 * Corsaro 2.0.0 (libtrace 3.0.22) wrote 47152 bytes for this capture, in
 * five dumps of 120, 120, 6, 110 and 0 attacks (scripts/bench/corsaro
 * makes the same capture and compares); these are their length and
 * FNV-1a hash, and the first targets of the first dump in its order.
 */
static void vectors_in_corsaros_order(void **state)
{
	static const char *first[] = { "198.18.0.0,", "198.18.36.243,", "198.18.31.230,",
				       "198.18.60.9,", "198.18.91.239," };
	char path[256], *text, *at;
	uint8_t *got;
	size_t len;
	FILE *pc;

	snprintf(path, sizeof(path), "%s/scenario.pcap", dir);
	pc = pcap_open(path);
	dos_scenario(put_frame, pc);
	fclose(pc);
	got = tap_to_dos("scenario", &len);
	text = dos_ascii("scenario");
	at = strstr(text, "\n120\n");
	assert_non_null(at);
	at += 5;
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		if (strncmp(at, first[i], strlen(first[i])))
			fail_msg("vector %zu: want %s..., got %.20s...", i, first[i], at);
		at = strchr(at, '\n') + 1;
	}
	assert_int_equal(len, 47152);
	assert_int_equal(fnv1a(got, len), 0x01f5d7a32ac49875ull);
	free(text);
	free(got);
}

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-dos-frames");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(initial_packet_is_the_frame),
		cmocka_unit_test(dos_without_flowtuple_sees_nothing),
		cmocka_unit_test(icmp_ports_meet_tcp_ports),
		cmocka_unit_test(quoted_fragment_has_no_ports),
		cmocka_unit_test(vectors_in_corsaros_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
