// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tap on the host kernel. A traffic spec (below) with known classes,
 * VLAN tags, IPv6, ARP, ICMP errors, TCP flags, fragments and a truncated
 * header is written to a pcap file by the test; the expected tuples are
 * built from the spec, not by the parser under test.
 *
 * - offline: the pcap file through tbx_tap_pcap(), checked tuple by tuple
 *   and interval by interval (gap intervals, -a alignment);
 * - BPF_PROG_TEST_RUN: the same frames through the tc and XDP programs;
 * - live: the same frames sent through a veth pair (namespaces a and b,
 *   198.18.0.0/15), the tap on b's end with tc and with XDP;
 * - the interval switch under traffic: every packet counted exactly once;
 * - a tiny map: overflow counted; bad pcap files rejected, nothing handed on.
 *
 * Namespaces, pins and files are removed by the teardown and at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "err.h"
#include "meter.h"
#include "tap/tap.h"
#include "bpf_test.h"
#include "../unit/ft_edges.h"

#define DEV		"veth0"
#define T0		1700000003u	/* first packet; aligned base 1700000000 */
#define IVL		10
/* A bound on waiting for what a loaded host does late, never a speed check. */
#define WAIT_MS		120000

/* K_QINQ: IPv4 behind an 802.1ad tag, which libtrace does not walk (not
 * IP to Corsaro; live, the stack takes the tag out of the frame and the
 * tap must still see it) */
enum kind { K_IPV4, K_IPV6, K_ARP, K_TRUNC, K_QINQ };

struct spec {
	uint32_t sec, usec;
	enum kind kind;
	int vlans;
	uint8_t proto, ttl, flags;	/* flags: TCP flags, or ICMP type */
	uint8_t code;			/* ICMP code */
	bool ns_bit, frag;
	const char *src, *dst;
	uint16_t sport, dport, payload;
	int cls;			/* expected, from reference/corsaro.md */
	bool cut;			/* ICMP cut short: only @payload header bytes */
};

#define B TBX_FT_BACKSCATTER
#define I TBX_FT_ICMPREQ
#define O TBX_FT_OTHER
#define A "198.18.0.2"

static const struct spec traffic[] = {
	/* interval 0 (unaligned) */
	{ T0 + 0, 0, K_IPV4, 0, 6, 64, 0x12, 0, 0, 0, "198.18.1.1", A, 80, 40000, 0, B, false },
	{ T0 + 0, 500000, K_IPV4, 0, 6, 64, 0x12, 0, 0, 0, "198.18.1.1", A, 80, 40000, 0, B, false },
	{ T0 + 1, 0, K_IPV4, 0, 6, 64, 0x12, 0, 0, 0, "198.18.1.1", A, 80, 40000, 0, B, false },
	{ T0 + 2, 0, K_IPV4, 0, 6, 50, 0x14, 0, 0, 0, "198.18.1.2", A, 443, 40001, 0, B, false },
	{ T0 + 3, 0, K_IPV4, 0, 6, 128, 0xc2, 0, 1, 0, "198.18.2.1", A, 5555, 22, 0, O, false },
	{ T0 + 4, 0, K_IPV4, 1, 17, 60, 0, 0, 0, 0, "198.18.2.2", A, 53, 33333, 30, O, false },
	{ T0 + 5, 0, K_IPV4, 0, 1, 64, 8, 0, 0, 0, "198.18.3.1", A, 0, 0, 0, I, false },
	{ T0 + 7, 0, K_IPV4, 0, 1, 250, 3, 1, 0, 0, "198.18.3.2", A, 0, 0, 28, B, false },
	{ T0 + 8, 0, K_IPV6, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, -1, false },
	{ T0 + 9, 0, K_ARP, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, -1, false },
	{ T0 + 9, 1, K_QINQ, 2, 6, 64, 0x12, 0, 0, 0, "198.18.1.8", A, 80, 40008, 0, -1, false },
	/* interval 1 */
	{ T0 + 12, 0, K_IPV4, 2, 1, 33, 0, 0, 0, 0, "198.18.3.3", A, 0, 0, 0, B, false },
	{ T0 + 13, 0, K_IPV4, 0, 1, 33, 13, 0, 0, 0, "198.18.3.3", A, 0, 0, 12, I, false },
	{ T0 + 14, 0, K_IPV4, 2, 6, 77, 0x12, 0, 0, 0, "198.18.1.9", A, 8080, 50000, 0, B, false },
	{ T0 + 15, 0, K_TRUNC, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, -1, false },
	{ T0 + 16, 0, K_IPV4, 0, 17, 64, 0, 0, 0, 1, "198.18.2.3", A, 1000, 2000, 100, O, false },
	{ T0 + 17, 0, K_IPV4, 0, 47, 64, 0, 0, 0, 0, "198.18.2.4", A, 0, 0, 20, O, false },
	/* ICMP cut short: classed by type from 2 header bytes on, "other"
	 * under 2 bytes and in a later fragment (tbx/flowtuple_parse.h) */
	{ T0 + 18, 0, K_IPV4, 0, 1, 40, 3, 1, 0, 0, "198.18.3.5", A, 0, 0, 2, B, true },
	{ T0 + 18, 1, K_IPV4, 0, 1, 40, 8, 0, 0, 0, "198.18.3.5", A, 0, 0, 4, I, true },
	{ T0 + 18, 2, K_IPV4, 0, 1, 40, 0, 0, 0, 0, "198.18.3.5", A, 0, 0, 1, O, true },
	{ T0 + 19, 0, K_IPV4, 0, 1, 40, 8, 0, 0, 1, "198.18.3.6", A, 0, 0, 16, O, false },
	/* interval 2 is a gap; interval 3 */
	{ T0 + 35, 0, K_IPV4, 0, 17, 1, 0, 0, 0, 0, "198.18.2.5", A, 7, 9, 0, O, false },
	{ T0 + 36, 0, K_IPV4, 0, 1, 255, 11, 0, 0, 0, "198.18.3.4", A, 0, 0, 28, B, false },
	{ T0 + 36, 1, K_IPV4, 0, 6, 64, 0x12, 0, 0, 0, "198.18.1.1", A, 80, 40000, 0, B, false },
};
#define NPKT	(sizeof(traffic) / sizeof(traffic[0]))

static struct {
	char ns[2][32];
	char root[64];
	char dir[128];
	int ns_fd[2];
	int orig_ns;
} t = { .ns_fd = { -1, -1 }, .orig_ns = -1 };

enum { NS_A, NS_B };

/* ---- frames -------------------------------------------------------- */

/* Frames of the spec the tap counts as IPv4, IPv6, other. */
static size_t count_kind(int l3)
{
	size_t n = 0;

	for (size_t i = 0; i < NPKT; i++) {
		enum kind k = traffic[i].kind;

		n += l3 == 4 ? k == K_IPV4 : l3 == 6 ? k == K_IPV6 : k != K_IPV4 && k != K_IPV6;
	}
	return n;
}

static uint16_t l4_len(const struct spec *s)
{
	switch (s->proto) {
	case 6: return 20;
	case 17: case 1: return 8;
	default: return 4;
	}
}

static uint16_t ip_total(const struct spec *s)
{
	return 20 + (s->cut ? 0 : l4_len(s)) + s->payload;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The frame on the wire (Ethernet, tags in band); returns its length. */
static size_t build_frame(const struct spec *s, uint8_t *f)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x0b };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	uint8_t *p = f + 12, *ip, *l4;
	uint16_t tot;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	for (int v = 0; v < s->vlans; v++) {
		put16(p, s->kind == K_QINQ && v == 0 ? 0x88a8 : 0x8100);
		put16(p + 2, 100 + v);
		p += 4;
	}
	switch (s->kind) {
	case K_IPV6:
		put16(p, 0x86dd);
		memset(p + 2, 0, 40);
		p[2] = 0x60;
		p[2 + 6] = 59;		/* no next header */
		p[2 + 7] = 64;
		return p + 42 - f;
	case K_ARP:
		put16(p, 0x0806);
		memset(p + 2, 0, 28);
		put16(p + 2, 1);
		put16(p + 4, 0x0800);
		p[6] = 6;
		p[7] = 4;
		put16(p + 8, 1);
		return p + 30 - f;
	case K_TRUNC:
		put16(p, 0x0800);
		memset(p + 2, 0, 10);
		p[2] = 0x45;		/* claims a header it does not have */
		return p + 12 - f;
	case K_IPV4:
	case K_QINQ:
		break;
	}
	put16(p, 0x0800);
	ip = p + 2;
	tot = ip_total(s);
	memset(ip, 0, tot);
	ip[0] = 0x45;
	put16(ip + 2, tot);
	put16(ip + 4, 0x1234);
	if (s->frag)
		put16(ip + 6, 100);	/* offset 800 bytes: no transport header */
	ip[8] = s->ttl;
	ip[9] = s->proto;
	inet_pton(AF_INET, s->src, ip + 12);
	inet_pton(AF_INET, s->dst, ip + 16);
	put16(ip + 10, csum(ip, 20));
	l4 = ip + 20;
	if (s->proto == 6 || s->proto == 17) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		if (s->proto == 6) {
			l4[12] = 5 << 4 | s->ns_bit;
			l4[13] = s->flags;
		} else {
			put16(l4 + 4, l4_len(s) + s->payload);
		}
	} else if (s->proto == 1) {
		if (!s->cut || s->payload >= 1)
			l4[0] = s->flags;
		if (!s->cut || s->payload >= 2)
			l4[1] = s->code;
	}
	return ip + tot - f;
}

/* The key Corsaro makes of a spec, built from the spec's fields. */
static struct tbx_ft_key expected_key(const struct spec *s)
{
	struct tbx_ft_key k = { 0 };

	inet_pton(AF_INET, s->src, &k.src_ip);
	inet_pton(AF_INET, s->dst, &k.dst_ip);
	k.protocol = s->proto;
	k.ttl = s->ttl;
	k.ip_len = htons(ip_total(s));
	k.cls = s->cls;
	if (s->frag)
		return k;
	if (s->proto == 6 || s->proto == 17) {
		k.src_port = htons(s->sport);
		k.dst_port = htons(s->dport);
		if (s->proto == 6)
			k.tcp_flags = s->flags;
	} else if (s->proto == 1 && !s->cut) {
		k.src_port = htons(s->flags);
		k.dst_port = htons(s->code);
	}
	return k;
}

/* ---- what a sink receives ------------------------------------------ */

#define MAXT	512

struct got {
	uint32_t interval[MAXT];
	struct cors_tuple tuple[MAXT];
	size_t n;
	uint32_t handed[64];	/* interval numbers, in order */
	size_t nhanded;
	size_t times, backscatter;
	size_t from_mac;	/* frames handed to packet() with their Ethernet header */
	uint32_t last_sec;
	bool time_backwards;
	size_t calls;
};

static int got_time(void *arg, uint32_t sec, uint32_t usec)
{
	struct got *g = arg;

	if (g->times && sec < g->last_sec)
		g->time_backwards = true;
	g->last_sec = sec;
	g->times++;
	g->calls++;
	return 0;
}

static int got_packet(void *arg, uint32_t sec, uint32_t usec, const void *frame,
		      size_t caplen, const struct tbx_ft_parsed *p)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x0b };
	struct got *g = arg;
	const uint8_t *f = frame;

	/* the DoS plugin gets the frame from its first byte */
	if (p->key.cls == TBX_FT_BACKSCATTER && p->ip_off + 20 <= caplen &&
	    (f[p->ip_off] >> 4) == 4)
		g->backscatter++;
	if (caplen >= 14 && !memcmp(f, mac, 6))
		g->from_mac++;
	g->calls++;
	return 0;
}

static int got_tuples(void *arg, uint32_t interval, const struct cors_tuple *tp, size_t n)
{
	struct got *g = arg;

	assert_true(g->nhanded < 64);
	g->handed[g->nhanded++] = interval;
	for (size_t i = 0; i < n; i++) {
		assert_true(g->n < MAXT);
		g->interval[g->n] = interval;
		g->tuple[g->n++] = tp[i];
	}
	g->calls++;
	return 0;
}

static struct tbx_tap_sink sink_for(struct got *g)
{
	struct tbx_tap_sink s = { got_time, got_packet, got_tuples, g };

	memset(g, 0, sizeof(*g));
	return s;
}

static int cmp_tuple(const void *a, const void *b)
{
	return memcmp(&((const struct cors_tuple *)a)->key,
		      &((const struct cors_tuple *)b)->key, sizeof(struct tbx_ft_key));
}

/* Tuples of @g (interval @iv, or all summed when @iv < 0), sorted, summed. */
static size_t tuples_of(const struct got *g, long iv, struct cors_tuple *out)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++) {
		size_t j;

		if (iv >= 0 && g->interval[i] != (uint32_t)iv)
			continue;
		for (j = 0; j < n; j++)
			if (!memcmp(&out[j].key, &g->tuple[i].key, sizeof(out[j].key)))
				break;
		if (j == n)
			out[n++] = (struct cors_tuple){ g->tuple[i].key, 0 };
		out[j].packet_cnt += g->tuple[i].packet_cnt;
	}
	qsort(out, n, sizeof(*out), cmp_tuple);
	return n;
}

/* Expected tuples of interval @iv (all when < 0) with interval base @base. */
static size_t expected_of(long iv, uint32_t base, struct cors_tuple *out)
{
	struct got g = { 0 };

	for (size_t i = 0; i < NPKT; i++) {
		if (traffic[i].kind != K_IPV4)
			continue;
		g.interval[g.n] = (traffic[i].sec - base) / IVL;
		g.tuple[g.n++] = (struct cors_tuple){ expected_key(&traffic[i]), 1 };
	}
	return tuples_of(&g, iv, out);
}

static void print_tuple(const char *what, const struct cors_tuple *tp)
{
	char s[16], d[16];

	inet_ntop(AF_INET, &tp->key.src_ip, s, sizeof(s));
	inet_ntop(AF_INET, &tp->key.dst_ip, d, sizeof(d));
	print_message("# %s: %s|%s|%u|%u|%u|%u|0x%02x|%u cls %u,%u\n", what, s, d,
		      ntohs(tp->key.src_port), ntohs(tp->key.dst_port), tp->key.protocol,
		      tp->key.ttl, tp->key.tcp_flags, ntohs(tp->key.ip_len), tp->key.cls,
		      tp->packet_cnt);
}

static void assert_same_tuples(const struct cors_tuple *want, size_t nw,
			       const struct cors_tuple *have, size_t nh)
{
	if (nw != nh || memcmp(want, have, nw * sizeof(*want))) {
		for (size_t i = 0; i < nw; i++)
			print_tuple("want", &want[i]);
		for (size_t i = 0; i < nh; i++)
			print_tuple("have", &have[i]);
		fail_msg("tuples differ (%zu wanted, %zu got)", nw, nh);
	}
}

/* ---- setup --------------------------------------------------------- */

static void cleanup(void)
{
	if (t.orig_ns >= 0)
		enter(t.orig_ns);
	netns_del_pair(t.ns, t.ns_fd);
	if (t.root[0])
		rm_tree(t.root);
	t.root[0] = '\0';
	if (t.dir[0])
		rm_tree(t.dir);
	t.dir[0] = '\0';
}

static int group_setup(void **state)
{
	if (geteuid()) {
		fprintf(stderr, "test_tap: needs root (BPF, namespaces)\n");
		return -1;
	}
	atexit(cleanup);
	t.orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(t.ns[NS_A], sizeof(t.ns[NS_A]), "tbxtap-%d-a", getpid());
	snprintf(t.ns[NS_B], sizeof(t.ns[NS_B]), "tbxtap-%d-b", getpid());
	snprintf(t.root, sizeof(t.root), "%s/tbxtap-%d", TBX_BPFFS_DEFAULT, getpid());
	snprintf(t.dir, sizeof(t.dir), "/tmp/tbxtap-%d", getpid());
	setenv(TBX_BPFFS_ENV, t.root, 1);
	if (mkdir(t.dir, 0700))
		goto fail;
	/* No IPv6 on the link: the kernel's own ND/MLD would be counted. */
	if (sh("ip netns add %s && ip netns add %s", t.ns[NS_A], t.ns[NS_B]) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", t.ns[NS_A]) ||
	    sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	       "net.ipv6.conf.default.disable_ipv6=1", t.ns[NS_B]) ||
	    sh("ip -n %s link add " DEV " type veth peer name " DEV " netns %s",
	       t.ns[NS_A], t.ns[NS_B]) ||
	    sh("ip -n %s link set " DEV " up && ip -n %s link set " DEV " up",
	       t.ns[NS_A], t.ns[NS_B]))
		goto fail;
	if (netns_open_pair(t.ns, t.ns_fd))
		goto fail;
	enter(t.ns_fd[NS_B]);
	return 0;
fail:
	cleanup();
	return -1;
}

static int group_teardown(void **state)
{
	cleanup();
	return 0;
}

/*
 * Classic pcap, written by hand: libpcap's and libbpf's headers cannot
 * meet in one file (both define struct bpf_insn).
 */
#define DLT_EN10MB	1
#define DLT_IEEE802_11	105
#define DLT_RAW		101

struct pcap_rec {
	uint32_t sec, usec, caplen, len;
};

static FILE *pcap_create(const char *path, uint32_t linktype)
{
	const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, linktype };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(hdr, sizeof(hdr), 1, f), 1);
	return f;
}

static void pcap_put(FILE *f, uint32_t sec, uint32_t usec, const void *data, size_t len)
{
	struct pcap_rec r = { sec, usec, len, len };

	assert_int_equal(fwrite(&r, sizeof(r), 1, f), 1);
	assert_int_equal(fwrite(data, len, 1, f), 1);
}

static void write_pcap(const char *path, int linktype)
{
	FILE *f = pcap_create(path, linktype);
	uint8_t frame[2048];

	for (size_t i = 0; i < NPKT; i++)
		pcap_put(f, traffic[i].sec, traffic[i].usec, frame,
			 build_frame(&traffic[i], frame));
	assert_int_equal(fclose(f), 0);
}

static void pcap_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", t.dir, name);
}

/* ---- offline ------------------------------------------------------- */

static void check_offline(bool align)
{
	struct tbx_tap_pcap_opts po = { .interval = IVL, .align = align };
	uint32_t base = align ? T0 - T0 % IVL : T0;
	struct cors_tuple want[MAXT], have[MAXT];
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	struct got g;
	char path[256];
	size_t nbs = 0;
	uint32_t last_iv = (traffic[NPKT - 1].sec - base) / IVL;

	pcap_path(path, sizeof(path), "traffic.pcap");
	write_pcap(path, DLT_EN10MB);
	sink = sink_for(&g);
	if (tbx_tap_pcap(path, &po, &sink, &tot))
		fail_msg("tbx_tap_pcap: %s", tbx_errmsg());

	assert_int_equal(tot.packets, NPKT);
	assert_int_equal(tot.ipv6, count_kind(6));
	assert_int_equal(tot.other, count_kind(0));	/* ARP, truncated IPv4, 802.1ad */
	assert_int_equal(tot.ipv4, count_kind(4));
	assert_int_equal(tot.first_ns, (uint64_t)T0 * 1000000000);
	assert_int_equal(g.times, NPKT);	/* every packet moves time */
	assert_false(g.time_backwards);
	for (size_t i = 0; i < NPKT; i++)
		nbs += traffic[i].kind == K_IPV4 && traffic[i].cls == B;
	assert_int_equal(g.backscatter, nbs);
	assert_int_equal(g.from_mac, nbs);	/* Ethernet header and all */

	/* Every interval with packets is handed over once, in order; gaps
	 * (no packets) are not: the writer fills them in. */
	for (size_t i = 1; i < g.nhanded; i++)
		assert_true(g.handed[i] > g.handed[i - 1]);
	assert_int_equal(g.handed[g.nhanded - 1], last_iv);
	for (uint32_t iv = 0; iv <= last_iv; iv++) {
		size_t nw = expected_of(iv, base, want), nh = tuples_of(&g, iv, have);

		print_message("# interval %u: %zu tuples\n", iv, nw);
		assert_same_tuples(want, nw, have, nh);
	}
}

static void test_offline(void **state)
{
	check_offline(false);
}

static void test_offline_aligned(void **state)
{
	check_offline(true);
}

/* Raw IP link type: the same tuples without the Ethernet layer. */
static void test_offline_raw_ip(void **state)
{
	struct tbx_tap_pcap_opts po = { .interval = IVL };
	struct cors_tuple want[MAXT], have[MAXT];
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	FILE *f;
	uint8_t frame[2048];
	char path[256];
	struct got g;
	size_t nw = 0;

	pcap_path(path, sizeof(path), "raw.pcap");
	f = pcap_create(path, DLT_RAW);
	for (size_t i = 0; i < NPKT; i++) {
		size_t len = build_frame(&traffic[i], frame), l2 = 14 + 4 * traffic[i].vlans;

		if (traffic[i].kind == K_IPV4)
			pcap_put(f, traffic[i].sec, traffic[i].usec, frame + l2, len - l2);
	}
	assert_int_equal(fclose(f), 0);
	sink = sink_for(&g);
	if (tbx_tap_pcap(path, &po, &sink, &tot))
		fail_msg("tbx_tap_pcap: %s", tbx_errmsg());
	nw = expected_of(-1, T0, want);
	assert_same_tuples(want, nw, have, tuples_of(&g, -1, have));
}

static void expect_bad(const char *path, const char *needle)
{
	struct tbx_tap_pcap_opts po = { .interval = IVL };
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	struct got g;

	sink = sink_for(&g);
	assert_int_not_equal(tbx_tap_pcap(path, &po, &sink, &tot), 0);
	print_message("# %s\n", tbx_errmsg());
	if (!strstr(tbx_errmsg(), needle))
		fail_msg("error \"%s\" does not say \"%s\"", tbx_errmsg(), needle);
	assert_int_equal(g.calls, 0);	/* nothing handed on */
}

static void test_bad_pcaps(void **state)
{
	char path[256], cmd[600];
	struct stat st;
	FILE *f;

	pcap_path(path, sizeof(path), "missing.pcap");
	expect_bad(path, "missing.pcap");

	pcap_path(path, sizeof(path), "text.pcap");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a capture file at all\n", f);
	fclose(f);
	expect_bad(path, "text.pcap");

	/* The last record cut short: the error names its offset. */
	pcap_path(path, sizeof(path), "cut.pcap");
	write_pcap(path, DLT_EN10MB);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size - 5), 0);
	expect_bad(path, "offset");

	pcap_path(path, sizeof(path), "wifi.pcap");
	write_pcap(path, DLT_IEEE802_11);
	expect_bad(path, "link type");

	pcap_path(path, sizeof(path), "empty.pcap");
	snprintf(cmd, sizeof(cmd), ": > %s", path);
	assert_int_equal(sh("%s", cmd), 0);
	expect_bad(path, "empty.pcap");
}

/* ---- in the kernel ------------------------------------------------- */

static struct tbx_tap *cur_tap;	/* closed by close_tap() even after a failure */

static int close_tap(void **state)
{
	tbx_tap_close(cur_tap);
	cur_tap = NULL;
	return 0;
}

static struct tbx_tap *open_tap(const char *dev, bool xdp, uint32_t interval,
				uint32_t max_tuples)
{
	/* with the DoS plugin's packets: they must not change the counts */
	struct tbx_tap_opts o = {
		.ifname = dev, .interval = interval, .xdp = xdp, .ingress = !xdp,
		.max_tuples = max_tuples, .dos = true,
	};
	struct tbx_tap *tap;

	if (tbx_tap_open(&o, &tap))
		fail_msg("tbx_tap_open: %s", tbx_errmsg());
	cur_tap = tap;
	return tap;
}

static void drain_all(struct tbx_tap *tap, struct got *g, struct tbx_tap_sink *sink)
{
	if (tbx_tap_detach(tap) || tbx_tap_drain(tap, true, sink))
		fail_msg("drain: %s", tbx_errmsg());
}

static size_t backscatter_packets(void)
{
	size_t n = 0;

	for (size_t i = 0; i < NPKT; i++)
		n += traffic[i].kind == K_IPV4 && traffic[i].cls == B;
	return n;
}

/* The tuples, and every backscatter packet handed up once (DoS plugin). */
static void check_all_tuples(const struct got *g)
{
	struct cors_tuple want[MAXT], have[MAXT];
	size_t nw = expected_of(-1, T0, want);

	assert_same_tuples(want, nw, have, tuples_of(g, -1, have));
	assert_int_equal(g->backscatter, backscatter_packets());
	assert_int_equal(g->from_mac, backscatter_packets());
	assert_false(g->time_backwards);
}

/* @skipped: truncated frames the caller could not send */
static void check_totals(struct tbx_tap *tap, size_t skipped)
{
	struct tbx_tap_totals tot;

	assert_int_equal(tbx_tap_read_totals(tap, &tot), 0);
	assert_int_equal(tot.packets, NPKT - skipped);
	assert_int_equal(tot.ipv4, count_kind(4));
	assert_int_equal(tot.ipv6, count_kind(6));
	assert_int_equal(tot.other, count_kind(0) - skipped);
	assert_int_equal(tot.overflow, 0);
	assert_int_equal(tot.late, 0);
}

static void test_run_frames(bool xdp)
{
	struct tbx_tap *tap = open_tap(NULL, xdp, 60, 0);
	int fd = tbx_tap_prog_fd(tap, xdp);
	struct tbx_tap_sink sink;
	uint8_t frame[2048];
	struct got g;

	size_t skipped = 0;

	for (size_t i = 0; i < NPKT; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
			    .data_size_in = build_frame(&traffic[i], frame), .repeat = 1);

		/* test runs of skbs refuse an IPv4 frame without its header */
		if (!xdp && traffic[i].kind == K_TRUNC) {
			skipped++;
			continue;
		}

		if (bpf_prog_test_run_opts(fd, &o))
			fail_msg("test run of packet %zu: %s", i, strerror(errno));
		assert_int_equal((int)o.retval, xdp ? 2 /* XDP_PASS */ : -1 /* UNSPEC */);
	}
	check_totals(tap, skipped);
	sink = sink_for(&g);
	drain_all(tap, &g, &sink);
	check_all_tuples(&g);
	close_tap(NULL);
}

/*
 * Short and odd headers (selftests/unit/ft_edges.h) through the programs:
 * the same tuples as Corsaro 2 and as the offline path
 * (test_flowtuple_edges), from the same parser.
 */
static void test_run_edges(bool xdp)
{
	static struct ft_edge e[FT_EDGES_MAX];
	struct cors_tuple want[MAXT], have[MAXT];
	struct tbx_tap *tap = open_tap(NULL, xdp, 60, 0);
	int fd = tbx_tap_prog_fd(tap, xdp);
	size_t n = ft_edges(e), nw = 0, v4 = 0, v6 = 0, other = 0;
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	struct got g;

	for (size_t i = 0; i < n; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = e[i].f, .data_size_in = e[i].len,
			    .repeat = 1);

		if (bpf_prog_test_run_opts(fd, &o))
			fail_msg("test run of \"%s\": %s", e[i].name, strerror(errno));
		switch (e[i].l3) {
		case FT_EDGE_IPV4:
			want[nw++] = (struct cors_tuple){ ft_edge_key(&e[i]), 1 };
			v4++;
			break;
		case FT_EDGE_IPV6:
			v6++;
			break;
		case FT_EDGE_OTHER:
			other++;
			break;
		}
	}
	assert_int_equal(tbx_tap_read_totals(tap, &tot), 0);
	assert_int_equal(tot.packets, n);
	assert_int_equal(tot.ipv4, v4);
	assert_int_equal(tot.ipv6, v6);
	assert_int_equal(tot.other, other);
	sink = sink_for(&g);
	drain_all(tap, &g, &sink);
	qsort(want, nw, sizeof(*want), cmp_tuple);
	assert_same_tuples(want, nw, have, tuples_of(&g, -1, have));
	close_tap(NULL);
}

static void test_prog_run_edges_tc(void **state)
{
	test_run_edges(false);
}

static void test_prog_run_edges_xdp(void **state)
{
	test_run_edges(true);
}

static void test_prog_run_tc(void **state)
{
	test_run_frames(false);
}

static void test_prog_run_xdp(void **state)
{
	test_run_frames(true);
}

/* Sends frames out of a's veth0, in namespace a. */
static void send_frames(const struct spec *s, size_t n, size_t repeat)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint8_t frame[2048];
	int fd;

	enter(t.ns_fd[NS_A]);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	sll.sll_ifindex = if_nametoindex(DEV);
	enter(t.ns_fd[NS_B]);
	assert_true(fd >= 0);
	for (size_t r = 0; r < repeat; r++)
		for (size_t i = 0; i < n; i++) {
			size_t len = build_frame(&s[i], frame);

			assert_int_equal(sendto(fd, frame, len, 0, (void *)&sll, sizeof(sll)),
					 (ssize_t)len);
		}
	close(fd);
}

/* Softirq delivers after sendto() returns: wait for the count, then the
 * caller asserts exact values. */
static void wait_packets(struct tbx_tap *tap, uint64_t want)
{
	struct timespec ms = { 0, 1000000 };
	struct tbx_tap_totals tot;

	for (int i = 0; i < WAIT_MS; i++) {
		assert_int_equal(tbx_tap_read_totals(tap, &tot), 0);
		if (tot.packets >= want)
			return;
		nanosleep(&ms, NULL);
	}
}

static void live(bool xdp)
{
	struct tbx_tap *tap = open_tap(DEV, xdp, 60, 0);
	struct tbx_tap_sink sink;
	struct got g;

	send_frames(traffic, NPKT, 1);
	wait_packets(tap, NPKT);
	check_totals(tap, 0);
	sink = sink_for(&g);
	drain_all(tap, &g, &sink);
	check_all_tuples(&g);
	close_tap(NULL);
	/* closing removed the program and the pins */
	assert_int_equal(sh("ip netns exec %s tc filter show dev " DEV " ingress | grep -q bpf",
			    t.ns[NS_B]), 1);
	assert_int_equal(sh("ip -n %s link show " DEV " | grep -q xdp", t.ns[NS_B]), 1);
	assert_int_equal(sh("ls %s/tbx/tap 2>/dev/null | grep -q .", t.root), 1);
}

static void test_live_tc(void **state)
{
	live(false);
}

static void test_live_xdp(void **state)
{
	live(true);
}

/*
 * 1-second intervals under traffic with drains in between: every packet
 * is handed over exactly once, each interval once, in order.
 */
static void test_interval_switch(void **state)
{
	struct tbx_tap *tap = open_tap(DEV, false, 1, 0);
	struct timespec pause = { 0, 50 * 1000000L };
	const size_t rounds = 60, per_round = 20;
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	uint64_t sum = 0;
	struct got g;

	sink = sink_for(&g);
	for (size_t r = 0; r < rounds; r++) {
		send_frames(&traffic[0], 1, per_round);
		if (tbx_tap_drain(tap, false, &sink))
			fail_msg("drain: %s", tbx_errmsg());
		nanosleep(&pause, NULL);
	}
	wait_packets(tap, rounds * per_round);
	drain_all(tap, &g, &sink);
	for (size_t i = 0; i < g.n; i++)
		sum += g.tuple[i].packet_cnt;
	print_message("# %zu packets over %zu intervals\n", rounds * per_round, g.nhanded);
	assert_int_equal(sum, rounds * per_round);
	for (size_t i = 1; i < g.nhanded; i++)
		assert_true(g.handed[i] > g.handed[i - 1]);
	assert_false(g.time_backwards);
	assert_int_equal(tbx_tap_read_totals(tap, &tot), 0);
	assert_int_equal(tot.late, 0);
	assert_int_equal(tot.overflow, 0);
	close_tap(NULL);
}

/* A map of 4 tuples and 10 distinct ones: 6 overflow, none lost silently. */
static void test_overflow(void **state)
{
	struct tbx_tap *tap = open_tap(NULL, true, 60, 4);
	int fd = tbx_tap_prog_fd(tap, true);
	struct tbx_tap_totals tot;
	struct tbx_tap_sink sink;
	uint8_t frame[2048];
	uint64_t sum = 0;
	struct got g;

	for (int i = 0; i < 10; i++) {
		struct spec s = traffic[0];
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .repeat = 1);

		s.sport = 1000 + i;
		o.data_size_in = build_frame(&s, frame);
		assert_int_equal(bpf_prog_test_run_opts(fd, &o), 0);
	}
	assert_int_equal(tbx_tap_read_totals(tap, &tot), 0);
	assert_int_equal(tot.ipv4, 10);
	assert_int_equal(tot.overflow, 6);
	sink = sink_for(&g);
	drain_all(tap, &g, &sink);
	for (size_t i = 0; i < g.n; i++)
		sum += g.tuple[i].packet_cnt;
	assert_int_equal(g.n, 4);
	assert_int_equal(sum, 4);
	close_tap(NULL);
}

/* A second tap on the same hook (another process) is refused. */
static void test_attach_twice(void **state)
{
	struct tbx_tap_opts o = { .ifname = DEV, .interval = 60, .ingress = true };
	struct tbx_tap *second;
	int st;
	pid_t pid;

	open_tap(DEV, false, 60, 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int err = tbx_tap_open(&o, &second);

		fprintf(stderr, "# %s\n", tbx_errmsg());
		_exit(err == -EEXIST && strstr(tbx_errmsg(), "already has a tap") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close_tap(NULL);
	o.ifname = "nosuchdev0";
	assert_int_equal(tbx_tap_open(&o, &second), -ENODEV);
}

/* ---- the command, with the Corsaro writer ------------------------- */

static char tbx_bin[512];

static void find_tbx(void)
{
	char self[400];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	assert_true(n > 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';	/* build/tests/bpf */
	snprintf(tbx_bin, sizeof(tbx_bin), "%s/../../tbx", self);
	assert_int_equal(access(tbx_bin, X_OK), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		fail_msg("open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void tuple_line(const struct cors_tuple *tp, char *buf, size_t len)
{
	char s[16], d[16];

	inet_ntop(AF_INET, &tp->key.src_ip, s, sizeof(s));
	inet_ntop(AF_INET, &tp->key.dst_ip, d, sizeof(d));
	snprintf(buf, len, "%s|%s|%u|%u|%u|%u|0x%02x|%u,%u", s, d, ntohs(tp->key.src_port),
		 ntohs(tp->key.dst_port), tp->key.protocol, tp->key.ttl, tp->key.tcp_flags,
		 ntohs(tp->key.ip_len), tp->packet_cnt);
}

/* The lines of @text between "# CORSARO_INTERVAL_START @iv " and its end. */
static char *interval_block(const char *text, long iv)
{
	char start[64], *b, *e;

	snprintf(start, sizeof(start), "# CORSARO_INTERVAL_START %ld ", iv);
	b = strstr(text, start);
	if (!b)
		return NULL;
	e = strstr(b, "# CORSARO_INTERVAL_END");
	return e ? strndup(b, e - b) : NULL;
}

/* Every expected tuple line is in @block, in its class, and no other. */
static void check_block(const char *block, const struct cors_tuple *want, size_t nw)
{
	static const char *const cls[] = { "flowtuple_backscatter", "flowtuple_icmpreq",
					   "flowtuple_other" };
	size_t lines = 0;

	for (const char *p = block; (p = strchr(p, '|')); lines++)
		p = strchr(p, '\n') ?: p + strlen(p);
	for (size_t i = 0; i < nw; i++) {
		char line[160], start[64], *in, *end;

		tuple_line(&want[i], line, sizeof(line));
		snprintf(start, sizeof(start), "START %s ", cls[want[i].key.cls]);
		in = strstr(block, start);
		assert_non_null(in);
		end = strstr(in, "\nEND ");
		assert_non_null(end);
		in = strstr(in, line);
		if (!in || in > end)
			fail_msg("\"%s\" (%s) not found in:\n%s", line, cls[want[i].key.cls], block);
	}
	assert_int_equal(lines, nw);
}

static void test_cli_offline(void **state)
{
	struct cors_tuple want[MAXT];
	char pcap[256], out[300], path[300], cnt[64];
	char *text, *block;

	find_tbx();
	pcap_path(pcap, sizeof(pcap), "cli.pcap");
	write_pcap(pcap, DLT_EN10MB);
	snprintf(out, sizeof(out), "%s/off.%%P.txt", t.dir);
	assert_int_equal(sh("%s tap -f %s -i %u -m ascii -o %s", tbx_bin, pcap, IVL, out), 0);

	snprintf(path, sizeof(path), "%s/off.flowtuple.txt", t.dir);
	text = slurp(path);
	for (long iv = 0; iv <= 3; iv++) {
		size_t nw = expected_of(iv, T0, want);

		block = interval_block(text, iv);
		if (!block)
			fail_msg("no interval %ld in %s:\n%s", iv, path, text);
		check_block(block, want, nw);
		free(block);
	}
	assert_null(interval_block(text, 4));
	free(text);
	snprintf(path, sizeof(path), "%s/off.global.txt", t.dir);
	text = slurp(path);
	snprintf(cnt, sizeof(cnt), "# CORSARO_PACKETCNT %zu\n", NPKT);
	if (!strstr(text, cnt) || !strstr(text, "# CORSARO_INTERVAL 10\n"))
		fail_msg("%s:\n%s", path, text);
	free(text);

	/* a corrupt file: usage-independent failure, exit 2 */
	snprintf(path, sizeof(path), "%s/bad.pcap", t.dir);
	assert_int_equal(sh("echo garbage > %s", path), 0);
	snprintf(out, sizeof(out), "%s/bad.%%P.txt", t.dir);
	assert_int_equal(sh("%s tap -f %s -m ascii -o %s 2>/dev/null", tbx_bin, path, out), 2);
	assert_int_equal(sh("ls %s | grep -q '^bad\\..*txt'", t.dir), 1);
	/* usage errors: exit 1 */
	assert_int_equal(sh("%s tap -f %s -o nopercent 2>/dev/null", tbx_bin, pcap), 1);
	assert_int_equal(sh("%s tap -f %s -i 0 -o %s 2>/dev/null", tbx_bin, pcap, out), 1);
}

static pid_t cli_pid;	/* killed by kill_cli() when a test fails */

static int kill_cli(void **state)
{
	if (cli_pid > 0) {
		kill(cli_pid, SIGTERM);
		waitpid(cli_pid, NULL, 0);
	}
	cli_pid = 0;
	return 0;
}

/* Runs `tbx tap DEV ARGS` in the background (in namespace b). */
static pid_t start_cli(const char *args)
{
	char cmd[2048];
	struct timespec ms = { 0, 10000000 };
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "exec %s tap " DEV " %s", tbx_bin, args);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	cli_pid = pid;
	/* running once its filter is on the device */
	for (int i = 0; i < WAIT_MS / 10; i++) {
		if (!sh("tc filter show dev " DEV " ingress | grep -q 'bpf.*tap_tc'"))
			break;
		nanosleep(&ms, NULL);
	}
	return pid;
}

struct cli_session {
	uint64_t packets, overflow;
};

static int session_cb(const struct tbx_tap_session *s, void *arg)
{
	struct cli_session *cs = arg;

	cs->packets = s->totals.packets;
	cs->overflow = s->totals.overflow;
	return 0;
}

static void wait_cli_packets(uint64_t want)
{
	struct timespec ms = { 0, 1000000 };
	struct cli_session cs = { 0 };

	for (int i = 0; i < WAIT_MS && cs.packets < want; i++) {
		assert_int_equal(tbx_tap_foreach(session_cb, &cs), 0);
		nanosleep(&ms, NULL);
	}
}

static void stop_cli(pid_t pid)
{
	int st;

	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	cli_pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* ended cleanly: no filter, no pins */
	assert_int_equal(sh("ip netns exec %s tc filter show dev " DEV " ingress | grep -q bpf",
			    t.ns[NS_B]), 1);
	assert_int_equal(sh("ls %s/tbx/tap 2>/dev/null | grep -q .", t.root), 1);
}

/* Sum of all intervals' tuples in an ASCII flowtuple file. */
static size_t file_tuples(const char *text, struct cors_tuple *all_lines, char lines[][160])
{
	size_t n = 0;

	for (const char *p = text; *p; ) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (memchr(p, '|', len) && n < MAXT) {
			snprintf(lines[n], 160, "%.*s", (int)len, p);
			n++;
		}
		p += len + (e ? 1 : 0);
	}
	return n;
}

static void test_cli_live(void **state)
{
	static char lines[MAXT][160];
	struct cors_tuple want[MAXT];
	char out[300], path[300], cnt[64];
	size_t nw, nl;
	char *text;
	pid_t pid;

	find_tbx();
	snprintf(out, sizeof(out), "-i 3600 -p flowtuple -p dos -m ascii -o %s/live.%%P.txt",
		 t.dir);
	pid = start_cli(out);
	send_frames(traffic, NPKT, 1);
	wait_cli_packets(NPKT);
	stop_cli(pid);

	snprintf(path, sizeof(path), "%s/live.flowtuple.txt", t.dir);
	text = slurp(path);
	/* one interval (an hour from the first packet) holds everything */
	nw = expected_of(-1, T0, want);
	nl = file_tuples(text, NULL, lines);
	assert_int_equal(nl, nw);
	check_block(text, want, nw);
	free(text);
	snprintf(path, sizeof(path), "%s/live.global.txt", t.dir);
	text = slurp(path);
	snprintf(cnt, sizeof(cnt), "# CORSARO_PACKETCNT %zu\n", NPKT);
	if (!strstr(text, cnt) || !strstr(text, "# CORSARO_DROPPEDCNT 0\n") ||
	    !strstr(text, "# CORSARO_TRACEURI int:" DEV "\n"))
		fail_msg("%s:\n%s", path, text);
	/* Both plugins ran; the DoS plugin's packets (every backscatter one,
	 * checked in test_live_*) dump only after 300 s of traffic. */
	if (!strstr(text, "# CORSARO_PLUGIN flowtuple\n") || !strstr(text, "# CORSARO_PLUGIN dos\n"))
		fail_msg("%s:\n%s", path, text);
	free(text);
}

/* A tiny map on a live tap: the overflow shows in `tap stats` and in the
 * trailer's dropped count. */
static void test_cli_overflow(void **state)
{
	char out[300], path[300], cmd[1024];
	struct spec s[10];
	char *text;
	pid_t pid;
	FILE *p;
	char buf[4096] = "";

	find_tbx();
	for (int i = 0; i < 10; i++) {
		s[i] = traffic[0];
		s[i].sport = 2000 + i;
	}
	snprintf(out, sizeof(out), "--tuples 4 -m ascii -o %s/ovf.%%P.txt", t.dir);
	pid = start_cli(out);
	send_frames(s, 10, 1);
	wait_cli_packets(10);
	snprintf(cmd, sizeof(cmd), "%s -j tap stats", tbx_bin);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_true(fread(buf, 1, sizeof(buf) - 1, p) > 0);
	assert_int_equal(pclose(p), 0);
	print_message("# %s", buf);
	assert_non_null(strstr(buf, "\"overflow\":6"));
	stop_cli(pid);
	snprintf(path, sizeof(path), "%s/ovf.global.txt", t.dir);
	text = slurp(path);
	if (!strstr(text, "# CORSARO_DROPPEDCNT 6\n"))
		fail_msg("%s:\n%s", path, text);
	free(text);
}

struct alive_count {
	int alive, dead;
};

static int count_alive(const struct tbx_tap_session *s, void *arg)
{
	struct alive_count *c = arg;

	if (s->alive)
		c->alive++;
	else
		c->dead++;
	return 0;
}

/* A tap killed with SIGKILL leaves its filter and pins; the next tap on
 * the device removes them and starts. */
static void test_cli_killed(void **state)
{
	struct alive_count c = { 0 };
	char out[300];
	pid_t pid;

	find_tbx();
	snprintf(out, sizeof(out), "-o %s/killed.%%P.cors", t.dir);
	pid = start_cli(out);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	cli_pid = 0;
	assert_int_equal(tbx_tap_foreach(count_alive, &c), 0);
	assert_int_equal(c.dead, 1);
	assert_int_equal(sh("tc filter show dev " DEV " ingress | grep -q tap_tc"), 0);

	open_tap(DEV, false, 60, 0);	/* would fail with EEXIST if not reaped */
	c = (struct alive_count){ 0 };
	assert_int_equal(tbx_tap_foreach(count_alive, &c), 0);
	assert_int_equal(c.dead, 0);
	assert_int_equal(c.alive, 1);
	close_tap(NULL);
	assert_int_equal(sh("tc filter show dev " DEV " ingress | grep -q tap_tc"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_offline_aligned),
		cmocka_unit_test(test_offline_raw_ip),
		cmocka_unit_test(test_bad_pcaps),
		cmocka_unit_test_teardown(test_prog_run_tc, close_tap),
		cmocka_unit_test_teardown(test_prog_run_xdp, close_tap),
		cmocka_unit_test_teardown(test_prog_run_edges_tc, close_tap),
		cmocka_unit_test_teardown(test_prog_run_edges_xdp, close_tap),
		cmocka_unit_test_teardown(test_live_tc, close_tap),
		cmocka_unit_test_teardown(test_live_xdp, close_tap),
		cmocka_unit_test_teardown(test_interval_switch, close_tap),
		cmocka_unit_test_teardown(test_overflow, close_tap),
		cmocka_unit_test_teardown(test_attach_twice, close_tap),
		cmocka_unit_test(test_cli_offline),
		cmocka_unit_test_teardown(test_cli_live, kill_cli),
		cmocka_unit_test_teardown(test_cli_overflow, kill_cli),
		cmocka_unit_test_teardown(test_cli_killed, kill_cli),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
