/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frames with short or odd headers, and the tuple CAIDA's Corsaro 2.0.0
 * (libtrace 3.0.22) writes for each: what its flowtuple plugin makes of
 * them, observed on a real build with scripts/bench/corsaro and derived
 * from its code (include/tbx/flowtuple_parse.h has the rules).
 *
 * Shared by the offline test (selftests/unit/test_flowtuple_edges.c), the
 * BPF test (selftests/bpf/test_tap.c, the same frames through the tc and
 * XDP programs) and the benchmark's pcap (selftests/tools/tap_bench.c).
 * Every frame is captured whole and comes from its own source address.
 */
#ifndef TBX_TEST_FT_EDGES_H
#define TBX_TEST_FT_EDGES_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <tbx/flowtuple.h>

enum ft_edge_l3 { FT_EDGE_IPV4, FT_EDGE_IPV6, FT_EDGE_OTHER };

struct ft_edge {
	const char *name;
	uint8_t f[160];
	uint16_t len;
	enum ft_edge_l3 l3;
	/* the tuple (IPv4 only) */
	char src[16], dst[16];
	uint16_t sport, dport;
	uint8_t proto, flags;
	uint16_t ip_len;
	int cls;
};

#define FT_EDGE_DST	"198.18.0.2"
#define FT_EDGE_TTL	64
#define FT_EDGES_MAX	40

static inline size_t fte_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
	return 2;
}

/* Ethernet: to 02:..:0b from 02:..:0a, then @type. */
static inline size_t fte_eth(uint8_t *f, uint16_t type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a };

	memcpy(f, mac, 12);
	return 12 + fte_put16(f + 12, type);
}

/* The first 20 bytes of an IPv4 header (checksum left 0: no one reads it). */
static inline size_t fte_ip4(uint8_t *p, uint8_t ihl, uint16_t tot, uint16_t frag,
			     uint8_t proto, const char *src)
{
	memset(p, 0, 20);
	p[0] = 0x40 | ihl;
	fte_put16(p + 2, tot);
	fte_put16(p + 4, 0x1234);
	fte_put16(p + 6, frag);
	p[8] = FT_EDGE_TTL;
	p[9] = proto;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, FT_EDGE_DST, p + 16);
	return 20;
}

/* The first @n bytes of a 20-byte TCP header. */
static inline size_t fte_tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint8_t flags, size_t n)
{
	uint8_t h[20] = { 0 };

	fte_put16(h, sport);
	fte_put16(h + 2, dport);
	h[12] = 5 << 4;
	h[13] = flags;
	fte_put16(h + 14, 1024);
	memcpy(p, h, n);
	return n;
}

static inline size_t fte_udp(uint8_t *p, uint16_t sport, uint16_t dport, size_t n)
{
	uint8_t h[8] = { 0 };

	fte_put16(h, sport);
	fte_put16(h + 2, dport);
	fte_put16(h + 4, 8);
	memcpy(p, h, n);
	return n;
}

/* An IPv6 header (next header @nxt, payload length @plen). */
static inline size_t fte_ip6(uint8_t *p, uint8_t nxt, uint16_t plen)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	fte_put16(p + 4, plen);
	p[6] = nxt;
	p[7] = 64;
	p[8] = 0xfd;
	p[23] = 1;
	p[24] = 0xfd;
	p[39] = 2;
	return 40;
}

#define FTE_B TBX_FT_BACKSCATTER
#define FTE_I TBX_FT_ICMPREQ
#define FTE_O TBX_FT_OTHER

/* Fills @e (FT_EDGES_MAX entries) and returns how many. */
static inline size_t ft_edges(struct ft_edge *e)
{
	size_t n = 0, k;
	uint8_t *f, *ip;

	memset(e, 0, FT_EDGES_MAX * sizeof(*e));
#define EDGE(nm) (e[n].name = (nm), f = e[n].f, k = 0)
#define IPV4(s, sp, dp, pr, fl, il, c) \
	(snprintf(e[n].src, sizeof(e[n].src), "%s", (s)), \
	 e[n].dst[0] || snprintf(e[n].dst, sizeof(e[n].dst), "%s", FT_EDGE_DST), \
	 e[n].sport = (sp), e[n].dport = (dp), \
	 e[n].proto = (pr), e[n].flags = (fl), e[n].ip_len = (il), e[n].cls = (c), \
	 e[n].l3 = FT_EDGE_IPV4, e[n].len = k, n++)
#define NOT_IPV4(l) (e[n].l3 = (l), e[n].len = k, n++)

	/* TCP cut short: the class comes from the flags byte (14 bytes in)
	 * once 4 bytes are there; the key keeps flags only from 20 bytes */
	EDGE("tcp header of 14 bytes, SYN+ACK: backscatter, flags 0 in the key");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 34, 0, 6, "198.18.2.14");
	k += fte_tcp(f + k, 80, 81, 0x12, 14);
	IPV4("198.18.2.14", 80, 81, 6, 0, 34, FTE_B);

	EDGE("tcp header of 19 bytes, RST+ACK: backscatter, flags 0 in the key");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 39, 0, 6, "198.18.2.19");
	k += fte_tcp(f + k, 80, 82, 0x14, 19);
	IPV4("198.18.2.19", 80, 82, 6, 0, 39, FTE_B);

	EDGE("tcp header of 16 bytes, SYN: other");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 36, 0, 6, "198.18.2.16");
	k += fte_tcp(f + k, 80, 83, 0x02, 16);
	IPV4("198.18.2.16", 80, 83, 6, 0, 36, FTE_O);

	EDGE("tcp header of 20 bytes, SYN+ACK: backscatter with its flags");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 40, 0, 6, "198.18.2.20");
	k += fte_tcp(f + k, 80, 84, 0x12, 20);
	IPV4("198.18.2.20", 80, 84, 6, 0x12, 40, FTE_B);

	EDGE("tcp header of 13 bytes at the frame's end: flags byte past it reads 0");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 33, 0, 6, "198.18.2.13");
	k += fte_tcp(f + k, 80, 85, 0x12, 13);
	IPV4("198.18.2.13", 80, 85, 6, 0, 33, FTE_O);

	EDGE("tcp header of 13 bytes in a padded frame: flags from the padding");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 33, 0, 6, "198.18.2.113");
	k += fte_tcp(f + k, 80, 86, 0x12, 13);
	memset(f + k, 0, 60 - k);
	f[k] = 0x14;		/* the padding's first byte: RST+ACK */
	k = 60;
	IPV4("198.18.2.113", 80, 86, 6, 0x14, 33, FTE_B);

	EDGE("tcp header of 3 bytes: source port only");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 23, 0, 6, "198.18.2.3");
	k += fte_tcp(f + k, 80, 87, 0x12, 3);
	IPV4("198.18.2.3", 80, 0, 6, 0, 23, FTE_O);

	EDGE("tcp with no header byte: no ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 20, 0, 6, "198.18.2.0");
	IPV4("198.18.2.0", 0, 0, 6, 0, 20, FTE_O);

	EDGE("udp header of 2 bytes: source port only");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 22, 0, 17, "198.18.3.2");
	k += fte_udp(f + k, 53, 88, 2);
	IPV4("198.18.3.2", 53, 0, 17, 0, 22, FTE_O);

	EDGE("udp header of 3 bytes: source port only");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 23, 0, 17, "198.18.3.3");
	k += fte_udp(f + k, 53, 89, 3);
	IPV4("198.18.3.3", 53, 0, 17, 0, 23, FTE_O);

	EDGE("gre: its first 4 bytes are the ports, as for any protocol");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 47, "198.18.3.47");
	k += fte_put16(f + k, 0x2000);
	k += fte_put16(f + k, 0x0800);
	k += fte_put16(f + k, 0);
	k += fte_put16(f + k, 7);
	IPV4("198.18.3.47", 0x2000, 0x0800, 47, 0, 28, FTE_O);

	EDGE("protocol 58 (ICMPv6) in IPv4: no ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 58, "198.18.3.58");
	k += fte_put16(f + k, 0x8100);
	k += fte_put16(f + k, 0x1234);
	k += fte_put16(f + k, 5);
	k += fte_put16(f + k, 6);
	IPV4("198.18.3.58", 0, 0, 58, 0, 28, FTE_O);

	/* IPv4 header length: not checked, the transport is where it says */
	EDGE("ip header length 16 bytes: transport at byte 16");
	k += fte_eth(f, 0x0800);
	ip = f + k;
	k += fte_ip4(ip, 4, 36, 0, 6, "198.18.4.4");
	k -= 4;				/* the TCP header overwrites the destination */
	k += fte_tcp(f + k, 80, 90, 0x12, 20);
	inet_ntop(AF_INET, ip + 16, e[n].dst, sizeof(e[n].dst));	/* 0.80.0.90 */
	IPV4("198.18.4.4", 80, 90, 6, 0x12, 36, FTE_B);

	EDGE("ip header length 0: the IP header read as TCP");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 0, 40, 0, 6, "198.18.4.0");
	k += fte_tcp(f + k, 80, 91, 0x02, 20);
	/* ports: 0x4000 (version/ihl, tos) and 40 (total length); flags:
	 * byte 13, the source address's second byte: 18 = SYN+ACK */
	IPV4("198.18.4.0", 0x4000, 40, 6, 0x12, 40, FTE_B);

	EDGE("ip header length 60 bytes past the frame: no transport");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 15, 40, 0, 6, "198.18.4.15");
	k += fte_tcp(f + k, 80, 92, 0x12, 20);
	IPV4("198.18.4.15", 0, 0, 6, 0, 40, FTE_O);

	EDGE("ip header length 24 bytes, options: transport after them");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 6, 44, 0, 6, "198.18.4.6");
	k += fte_put16(f + k, 0x0101);	/* NOP NOP */
	k += fte_put16(f + k, 0x0101);
	k += fte_tcp(f + k, 80, 93, 0x04, 20);
	IPV4("198.18.4.6", 80, 93, 6, 0x04, 44, FTE_B);

	EDGE("non-first fragment: no transport");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 40, 100, 6, "198.18.4.100");
	k += fte_tcp(f + k, 80, 94, 0x12, 20);
	IPV4("198.18.4.100", 0, 0, 6, 0, 40, FTE_O);

	/* ICMP cut short: classed by type from 2 bytes, ports from 8 */
	EDGE("icmp header of 2 bytes, type 3: backscatter, no type in the key");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 22, 0, 1, "198.18.5.2");
	f[k++] = 3;
	f[k++] = 1;
	IPV4("198.18.5.2", 0, 0, 1, 0, 22, FTE_B);

	EDGE("icmp header of 7 bytes, type 8: icmpreq");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 27, 0, 1, "198.18.5.7");
	memset(f + k, 0, 7);
	f[k] = 8;
	k += 7;
	IPV4("198.18.5.7", 0, 0, 1, 0, 27, FTE_I);

	EDGE("icmp header of 1 byte: other");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 21, 0, 1, "198.18.5.1");
	f[k++] = 0;
	IPV4("198.18.5.1", 0, 0, 1, 0, 21, FTE_O);

	EDGE("icmp header of 8 bytes, type 13 code 0: icmpreq with type and code");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 1, "198.18.5.8");
	memset(f + k, 0, 8);
	f[k] = 13;
	k += 8;
	IPV4("198.18.5.8", 13, 0, 1, 0, 28, FTE_I);

	/* link layers */
	EDGE("802.1ad outer tag (0x88a8): not IP to Corsaro");
	k += fte_eth(f, 0x88a8);
	k += fte_put16(f + k, 5);
	k += fte_put16(f + k, 0x8100);
	k += fte_put16(f + k, 6);
	k += fte_put16(f + k, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.1");
	k += fte_udp(f + k, 1, 2, 8);
	NOT_IPV4(FT_EDGE_OTHER);

	EDGE("three 802.1Q tags: IPv4");
	k += fte_eth(f, 0x8100);
	k += fte_put16(f + k, 5);
	k += fte_put16(f + k, 0x8100);
	k += fte_put16(f + k, 6);
	k += fte_put16(f + k, 0x8100);
	k += fte_put16(f + k, 7);
	k += fte_put16(f + k, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.3");
	k += fte_udp(f + k, 3, 4, 8);
	IPV4("198.18.6.3", 3, 4, 17, 0, 28, FTE_O);

	EDGE("802.1Q tag cut short: not IP");
	k += fte_eth(f, 0x8100);
	k += fte_put16(f + k, 5);
	NOT_IPV4(FT_EDGE_OTHER);

	EDGE("two MPLS labels, then IPv4");
	k += fte_eth(f, 0x8847);
	k += fte_put16(f + k, 0x0006);
	k += fte_put16(f + k, 0x4040);
	k += fte_put16(f + k, 0x0006);
	k += fte_put16(f + k, 0x51ff);	/* bottom of stack */
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.8");
	k += fte_udp(f + k, 5, 6, 8);
	IPV4("198.18.6.8", 5, 6, 17, 0, 28, FTE_O);

	EDGE("MPLS then Ethernet (a pseudowire): not IP to libtrace 3");
	k += fte_eth(f, 0x8847);
	k += fte_put16(f + k, 0x0006);
	k += fte_put16(f + k, 0x51ff);
	k += fte_eth(f + k, 0x0800);
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.10");
	k += fte_udp(f + k, 5, 6, 8);
	NOT_IPV4(FT_EDGE_OTHER);

	EDGE("MPLS then IPv6");
	k += fte_eth(f, 0x8847);
	k += fte_put16(f + k, 0x0006);
	k += fte_put16(f + k, 0x51ff);
	k += fte_ip6(f + k, 59, 0);
	NOT_IPV4(FT_EDGE_IPV6);

	EDGE("PPPoE session, PPP IPv4");
	k += fte_eth(f, 0x8864);
	k += fte_put16(f + k, 0x1100);
	k += fte_put16(f + k, 0x0001);
	k += fte_put16(f + k, 30);
	k += fte_put16(f + k, 0x0021);
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.9");
	k += fte_udp(f + k, 7, 8, 8);
	IPV4("198.18.6.9", 7, 8, 17, 0, 28, FTE_O);

	EDGE("PPPoE session, PPP LCP: not IP");
	k += fte_eth(f, 0x8864);
	k += fte_put16(f + k, 0x1100);
	k += fte_put16(f + k, 0x0001);
	k += fte_put16(f + k, 30);
	k += fte_put16(f + k, 0xc021);
	k += fte_ip4(f + k, 5, 28, 0, 17, "198.18.6.11");
	k += fte_udp(f + k, 7, 8, 8);
	NOT_IPV4(FT_EDGE_OTHER);

	/* IPv6 in IPv4: protocol 41 in the key, the rest from inside */
	EDGE("6in4, TCP SYN+ACK inside: backscatter, inner ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 80, 0, 41, "198.18.7.1");
	k += fte_ip6(f + k, 6, 20);
	k += fte_tcp(f + k, 443, 95, 0x12, 20);
	IPV4("198.18.7.1", 443, 95, 41, 0, 80, FTE_B);

	EDGE("6in4, hop-by-hop then UDP: inner ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 76, 0, 41, "198.18.7.2");
	k += fte_ip6(f + k, 0, 16);
	memset(f + k, 0, 8);
	f[k] = 17;
	k += 8;
	k += fte_udp(f + k, 9, 10, 8);
	IPV4("198.18.7.2", 9, 10, 41, 0, 76, FTE_O);

	EDGE("6in4, fragment header then TCP RST: backscatter");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 88, 0, 41, "198.18.7.4");
	k += fte_ip6(f + k, 44, 28);
	memset(f + k, 0, 8);
	f[k] = 6;
	k += 8;
	k += fte_tcp(f + k, 22, 96, 0x04, 20);
	IPV4("198.18.7.4", 22, 96, 41, 0, 88, FTE_B);

	EDGE("6in4, ICMPv6 inside: no ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 68, 0, 41, "198.18.7.3");
	k += fte_ip6(f + k, 58, 8);
	memset(f + k, 0, 8);
	f[k] = 129;
	k += 8;
	IPV4("198.18.7.3", 0, 0, 41, 0, 68, FTE_O);

	EDGE("6in4, ESP inside: its first 4 bytes as ports");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 68, 0, 41, "198.18.7.50");
	k += fte_ip6(f + k, 50, 8);
	k += fte_put16(f + k, 0x0102);
	k += fte_put16(f + k, 0x0304);
	k += fte_put16(f + k, 0);
	k += fte_put16(f + k, 1);
	IPV4("198.18.7.50", 0x0102, 0x0304, 41, 0, 68, FTE_O);

	EDGE("6in4, IPv6 header cut short: no transport");
	k += fte_eth(f, 0x0800);
	k += fte_ip4(f + k, 5, 50, 0, 41, "198.18.7.5");
	k += fte_ip6(f + k, 6, 20) - 10;
	IPV4("198.18.7.5", 0, 0, 41, 0, 50, FTE_O);
#undef EDGE
#undef IPV4
#undef NOT_IPV4
	return n;
}

/* The key an edge's tuple has (IPv4 edges). */
static inline struct tbx_ft_key ft_edge_key(const struct ft_edge *e)
{
	struct tbx_ft_key k = { 0 };

	inet_pton(AF_INET, e->src, &k.src_ip);
	inet_pton(AF_INET, e->dst, &k.dst_ip);
	k.src_port = htons(e->sport);
	k.dst_port = htons(e->dport);
	k.protocol = e->proto;
	k.ttl = FT_EDGE_TTL;
	k.tcp_flags = e->flags;
	k.ip_len = htons(e->ip_len);
	k.cls = e->cls;
	return k;
}

#endif
