// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Short and odd headers through the offline tap (tbx_tap_pcap), one test
 * per frame of ft_edges.h: each frame alone in a pcap file must give the
 * tuple Corsaro 2 writes for it, or no tuple when Corsaro sees no IPv4.
 * Then libtrace's read past the capture: a TCP header cut by the snap
 * length before its flags byte is classed by what the packet buffer held
 * there from an earlier, longer packet.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "err.h"
#include "tap/tap.h"
#include "ft_edges.h"
#include "tmpdir.h"

#define T0 1700000000u

static char dir[128];
static struct ft_edge edges[FT_EDGES_MAX];

struct got {
	struct cors_tuple t[8];
	size_t n;
};

static int got_time(void *arg, uint32_t sec, uint32_t usec)
{
	return 0;
}

static int got_tuples(void *arg, uint32_t interval, const struct cors_tuple *t, size_t n)
{
	struct got *g = arg;

	for (size_t i = 0; i < n; i++) {
		assert_true(g->n < 8);
		g->t[g->n++] = t[i];
	}
	return 0;
}

struct frame {
	const uint8_t *p;
	uint32_t caplen, len;
};

static void write_pcap(const char *path, const struct frame *fr, size_t n)
{
	uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fwrite(hdr, sizeof(hdr), 1, f);
	for (size_t i = 0; i < n; i++) {
		uint32_t rec[4] = { T0 + i, 0, fr[i].caplen, fr[i].len };

		fwrite(rec, sizeof(rec), 1, f);
		fwrite(fr[i].p, 1, fr[i].caplen, f);
	}
	assert_int_equal(fclose(f), 0);
}

/* The frames through tbx_tap_pcap; the tuples into @g. */
static void run(const char *name, const struct frame *fr, size_t n, struct got *g,
		struct tbx_tap_totals *tot)
{
	struct tbx_tap_pcap_opts opts = { .interval = 60 };
	struct tbx_tap_sink sink = { .time = got_time, .tuples = got_tuples, .arg = g };
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	write_pcap(path, fr, n);
	memset(g, 0, sizeof(*g));
	if (tbx_tap_pcap(path, &opts, &sink, tot))
		fail_msg("%s", tbx_errmsg());
}

static void print_key(const char *what, const struct tbx_ft_key *k)
{
	char s[16], d[16];

	inet_ntop(AF_INET, &k->src_ip, s, sizeof(s));
	inet_ntop(AF_INET, &k->dst_ip, d, sizeof(d));
	print_error("%s: %s|%s|%u|%u|%u|%u|0x%02x|%u class %u\n", what, s, d,
		    ntohs(k->src_port), ntohs(k->dst_port), k->protocol, k->ttl,
		    k->tcp_flags, ntohs(k->ip_len), k->cls);
}

static void assert_key(const struct tbx_ft_key *got, const struct tbx_ft_key *want)
{
	if (memcmp(got, want, sizeof(*got))) {
		print_key("want", want);
		print_key("got ", got);
		fail();
	}
}

static void one_edge(void **state)
{
	const struct ft_edge *e = *state;
	struct frame fr = { e->f, e->len, e->len };
	struct tbx_tap_totals tot;
	struct got g;

	run("edge", &fr, 1, &g, &tot);
	assert_int_equal(tot.packets, 1);
	switch (e->l3) {
	case FT_EDGE_IPV4: {
		struct tbx_ft_key want = ft_edge_key(e);

		assert_int_equal(tot.ipv4, 1);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.t[0].packet_cnt, 1);
		assert_key(&g.t[0].key, &want);
		break;
	}
	case FT_EDGE_IPV6:
		assert_int_equal(tot.ipv6, 1);
		assert_int_equal(g.n, 0);
		break;
	case FT_EDGE_OTHER:
		assert_int_equal(tot.other, 1);
		assert_int_equal(g.n, 0);
		break;
	}
}

/* A 60-byte SYN+ACK frame from @src (its flags byte is frame byte 47). */
static size_t syn_ack(uint8_t *f, const char *src, uint8_t flags)
{
	size_t k = fte_eth(f, 0x0800);

	k += fte_ip4(f + k, 5, 40, 0, 6, src);
	k += fte_tcp(f + k, 80, 1000, flags, 20);
	memset(f + k, 0, 60 - k);
	return 60;
}

/*
 * libtrace reads each record into the same buffer and the classifier
 * reads the flags byte with 4 bytes of TCP captured: past a snap length
 * that cut the header at 10 bytes, it finds what the last longer packet
 * left there.
 */
static void flags_byte_past_the_snap(void **state)
{
	uint8_t full[60], cut[60], other[60];
	struct tbx_tap_totals tot;
	struct got g;
	struct tbx_ft_key want = { 0 };

	syn_ack(full, "198.18.9.1", 0x12);
	syn_ack(cut, "198.18.9.2", 0x02);	/* its own flags: SYN */
	syn_ack(other, "198.18.9.3", 0x10);	/* ACK: leaves 0x10 behind */
	/* after a SYN+ACK: backscatter */
	run("stale_synack", (struct frame[]){ { full, 60, 60 }, { cut, 44, 60 } }, 2, &g, &tot);
	assert_int_equal(g.n, 2);
	inet_pton(AF_INET, "198.18.9.2", &want.src_ip);
	inet_pton(AF_INET, FT_EDGE_DST, &want.dst_ip);
	want.src_port = htons(80);
	want.dst_port = htons(1000);
	want.protocol = 6;
	want.ttl = FT_EDGE_TTL;
	want.ip_len = htons(40);
	want.cls = TBX_FT_BACKSCATTER;
	assert_key(&g.t[g.t[0].key.src_ip == want.src_ip ? 0 : 1].key, &want);
	/* after an ACK: other */
	run("stale_ack", (struct frame[]){ { other, 60, 60 }, { cut, 44, 60 } }, 2, &g, &tot);
	assert_int_equal(g.n, 2);
	want.cls = TBX_FT_OTHER;
	assert_key(&g.t[g.t[0].key.src_ip == want.src_ip ? 0 : 1].key, &want);
	/* first in the file: the buffer is fresh, zero */
	run("stale_none", (struct frame[]){ { cut, 44, 60 } }, 1, &g, &tot);
	assert_int_equal(g.n, 1);
	assert_key(&g.t[0].key, &want);
}

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-ft-edges");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[FT_EDGES_MAX + 1];
	size_t n = ft_edges(edges);

	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ .name = edges[i].name, .test_func = one_edge,
						.initial_state = &edges[i] };
	tests[n++] = (struct CMUnitTest){ .name = "flags_byte_past_the_snap",
					  .test_func = flags_byte_past_the_snap };
	return _cmocka_run_group_tests("flowtuple_edges", tests, n, setup, teardown);
}
