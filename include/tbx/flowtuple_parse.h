/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing and classification of one frame into a flowtuple key, shared
 * by bpf/tap.bpf.c (tc and XDP, over packet pointers) and user space (the
 * offline pcap path, the DoS plugin): both produce the same key for the
 * same bytes because it is the same code.
 *
 * Fields are read byte by byte at fixed offsets (no struct iphdr, whose
 * bitfields differ between vmlinux.h and the uapi headers), and every
 * read is preceded by a bounds check against @end the verifier can see.
 *
 * The rules are Corsaro 2's, which are libtrace's (3.0.x) header walk:
 * trace_get_layer3, trace_get_ip, trace_get_transport, trace_get_tcp,
 * trace_get_icmp and trace_get_source/destination_port, as the flowtuple
 * plugin calls them (Documentation/corsaro.md, "What a packet's tuple is";
 * selftests/unit/ft_edges.h has a frame for each rule):
 *
 * Link layer. Ethernet needs its 14 bytes. Then, as long as bytes are
 * left: 802.1Q tags (0x8100, 4 bytes each, any depth), MPLS labels
 * (0x8847, 4 bytes each; after the bottom label a first nibble of 4 is
 * IPv4, 6 IPv6, anything else is not IP) and PPPoE sessions (0x8864: 6
 * bytes, then a 2-byte PPP protocol, 0x0021 is IPv4). 802.1ad (0x88A8)
 * is not walked: such a frame is not IP to Corsaro. No byte left after
 * the link layer: not IP. Raw IP frames: the first nibble says 4 or 6.
 *
 * IPv4. 20 bytes and version 4 make a tuple; the header length is not
 * checked (a length under 20 bytes puts the transport header inside the
 * IP header, where libtrace finds it). A non-first fragment, or a header
 * length past the captured bytes, has no transport header. Protocol 41
 * (IPv6 in IPv4): the transport is what follows the inner IPv6 header and
 * its extension headers (hop-by-hop, routing, fragment, AH, destination
 * options; ESP ends the walk), and its protocol is the last next-header.
 *
 * Key. ICMP (outer protocol 1) with 8 bytes of ICMP: type and code in
 * the ports. TCP (outer 6) with 20 bytes: the flags byte (CWR..FIN).
 * Any other packet with a transport header whose protocol is not ICMP or
 * ICMPv6: source port from 2 bytes, destination port from 4 — UDP, TCP,
 * GRE or SCTP alike (so a 6in4 packet gets the tunnelled ports).
 *
 * Class (the flowtuple plugin's own test, on the transport protocol):
 * TCP with 4 bytes of header is classed by its flags byte, 14 bytes in —
 * present from 14 bytes on; with 4..13 bytes libtrace reads the byte
 * past the capture, whatever its packet buffer holds there (see @tail).
 * ICMP with 2 bytes: by type. Anything else, or no transport: other.
 */
#ifndef TBX_FLOWTUPLE_PARSE_H
#define TBX_FLOWTUPLE_PARSE_H

#include "tbx/flowtuple.h"

#ifdef __bpf__
#define TBX_FT_INLINE static __always_inline
#define TBX_FT_UNROLL _Pragma("unroll")
#else
#include <stdbool.h>
#define TBX_FT_INLINE static inline
#define TBX_FT_UNROLL
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TBX_FT_HTONS(x)	((__be16)__builtin_bswap16(x))
#else
#define TBX_FT_HTONS(x)	((__be16)(x))
#endif

#define TBX_FT_ETH_HLEN		14
#define TBX_FT_ETH_P_IP		0x0800
#define TBX_FT_ETH_P_IPV6	0x86DD
#define TBX_FT_ETH_P_8021Q	0x8100
#define TBX_FT_ETH_P_MPLS	0x8847
#define TBX_FT_ETH_P_PPPOE	0x8864
#define TBX_FT_PPP_IP		0x0021
#define TBX_FT_IPPROTO_HOPOPTS	0
#define TBX_FT_IPPROTO_ICMP	1
#define TBX_FT_IPPROTO_TCP	6
#define TBX_FT_IPPROTO_UDP	17
#define TBX_FT_IPPROTO_IPV6	41
#define TBX_FT_IPPROTO_ROUTING	43
#define TBX_FT_IPPROTO_FRAGMENT	44
#define TBX_FT_IPPROTO_ESP	50
#define TBX_FT_IPPROTO_AH	51
#define TBX_FT_IPPROTO_ICMPV6	58
#define TBX_FT_IPPROTO_DSTOPTS	60
#define TBX_FT_TCP_FIN		0x01
#define TBX_FT_TCP_SYN		0x02
#define TBX_FT_TCP_RST		0x04
#define TBX_FT_TCP_ACK		0x10

/*
 * Bounds of the walks (libtrace has none): link-layer headers after
 * Ethernet's (tags, labels, PPPoE) and IPv6 extension headers inside
 * 6in4. A frame past either is treated as not IP, or as having no
 * transport header (Documentation/corsaro.md says so).
 */
#define TBX_FT_L2_MAX		8
#define TBX_FT_EXT6_MAX		4

/* Linear bytes the tc program makes sure of before parsing (it pulls
 * more, up to TBX_FT_PULL_MAX, when the parser ran into the end of what
 * was linear): Ethernet, two tags, the longest IPv4 header, a TCP header. */
#define TBX_FT_PARSE_MAX	(TBX_FT_ETH_HLEN + 2 * 4 + 60 + 20)
#define TBX_FT_PULL_MAX		1536

/* What a frame carried, for the counters. */
enum tbx_ft_l3 {
	TBX_FT_L3_IPV4,		/* key filled */
	TBX_FT_L3_IPV6,		/* counted, not tupled */
	TBX_FT_L3_OTHER,	/* anything else, truncated IPv4 included */
};

/* How a frame starts. */
enum tbx_ft_link {
	TBX_FT_LINK_ETH,	/* Ethernet (pcap DLT_EN10MB, tc, XDP) */
	TBX_FT_LINK_RAW,	/* an IP header (DLT_RAW, DLT_IPV4) */
};

/* One frame as Corsaro's plugins see it. Offsets are from the frame's
 * first byte. */
struct tbx_ft_parsed {
	struct tbx_ft_key key;	/* IPv4: filled; else zero */
	__u32 ip_off;		/* the IPv4 header */
	__u32 l4_off;		/* the transport header, when has_l4 */
	__u8 has_l4;		/* libtrace's trace_get_transport() found one
				 * (it may have 0 bytes) */
	__u8 l4_proto;		/* its protocol: the IPv4 header's, or for
				 * 6in4 the IPv6 walk's last next-header */
	__u8 hit_end;		/* a read stopped at @end: more bytes (a tc
				 * skb's paged part) could change the result */
	__u8 pad;
};

/* ICMP types Corsaro calls backscatter: replies and errors. */
TBX_FT_INLINE bool tbx_ft_icmp_backscatter(__u8 type)
{
	switch (type) {
	case 0: case 3: case 4: case 5: case 11: case 12: case 14: case 16: case 18:
		return true;
	default:
		return false;
	}
}

/* The flowtuple plugin's TCP test on the flags byte: SYN+ACK or RST. */
TBX_FT_INLINE bool tbx_ft_tcp_backscatter(__u8 flags)
{
	return (flags & TBX_FT_TCP_RST) ||
	       (flags & (TBX_FT_TCP_SYN | TBX_FT_TCP_ACK)) == (TBX_FT_TCP_SYN | TBX_FT_TCP_ACK);
}

TBX_FT_INLINE __u16 tbx_ft_get16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/* Copies 2 or 4 bytes as they are (network order), alignment-free. */
TBX_FT_INLINE __be16 tbx_ft_raw16(const __u8 *p)
{
	__be16 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

TBX_FT_INLINE __be32 tbx_ft_raw32(const __u8 *p)
{
	__be32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* True when [@p, @p + @n) is inside the bytes; notes a shortfall. */
TBX_FT_INLINE bool tbx_ft_have(const __u8 *p, __u32 n, const __u8 *end,
			       struct tbx_ft_parsed *r)
{
	if (p + n <= end)
		return true;
	r->hit_end = 1;
	return false;
}

/*
 * 6in4: the IPv6 header at @l4 and its extension headers. Returns how
 * many bytes they take (*@proto: the protocol after them), or -1 when
 * they run past the bytes (no transport header).
 */
TBX_FT_INLINE int tbx_ft_walk_ipv6(const __u8 *l4, const __u8 *end, __u8 *proto,
				   struct tbx_ft_parsed *r)
{
	const __u8 *p = l4;
	__u32 adv = 40;
	__u8 nxt;

	if (!tbx_ft_have(p, 40, end, r))
		return -1;
	nxt = p[6];
	p += 40;
	TBX_FT_UNROLL
	for (int i = 0; i < TBX_FT_EXT6_MAX; i++) {
		__u32 len;

		switch (nxt) {
		case TBX_FT_IPPROTO_HOPOPTS:
		case TBX_FT_IPPROTO_ROUTING:
		case TBX_FT_IPPROTO_AH:
		case TBX_FT_IPPROTO_DSTOPTS:
			/* each is at least 8 bytes: under 8, libtrace gives
			 * up whatever its length byte says */
			if (!tbx_ft_have(p, 8, end, r))
				return -1;
			len = ((__u32)p[1] + 1) * 8;
			break;
		case TBX_FT_IPPROTO_FRAGMENT:
			len = 8;
			break;
		default:	/* ESP, and any protocol: the walk ends */
			*proto = nxt;
			return adv;
		}
		if (!tbx_ft_have(p, len, end, r))
			return -1;
		nxt = p[0];
		p += len;
		adv += len;
	}
	return -1;	/* past TBX_FT_EXT6_MAX */
}

/*
 * The IPv4 packet at @ip (frame offset @ip_off): fills @r (zeroed by the
 * caller) and returns TBX_FT_L3_IPV4, or TBX_FT_L3_OTHER when it is no
 * IPv4 header. @tail: how far the memory may be read past @end for
 * the TCP flags byte, as libtrace reads it (BPF: @end).
 */
TBX_FT_INLINE enum tbx_ft_l3 tbx_ft_parse_ipv4(const __u8 *ip, const __u8 *end,
					       const __u8 *tail, __u32 ip_off,
					       struct tbx_ft_parsed *r)
{
	struct tbx_ft_key *key = &r->key;
	const __u8 *l4;
	__u32 l4_at;
	__u8 proto, b13 = 0;

	if (!tbx_ft_have(ip, 20, end, r))
		return TBX_FT_L3_OTHER;
	if ((ip[0] >> 4) != 4)
		return TBX_FT_L3_OTHER;
	r->ip_off = ip_off;
	key->ip_len = tbx_ft_raw16(ip + 2);
	key->ttl = ip[8];
	key->protocol = ip[9];
	key->src_ip = tbx_ft_raw32(ip + 12);
	key->dst_ip = tbx_ft_raw32(ip + 16);
	key->cls = TBX_FT_OTHER;

	/* A non-first fragment carries no transport header. */
	if (tbx_ft_get16(ip + 6) & 0x1fff)
		return TBX_FT_L3_IPV4;
	l4_at = (ip[0] & 0x0f) * 4;
	l4 = ip + l4_at;
	if (!tbx_ft_have(l4, 0, end, r))
		return TBX_FT_L3_IPV4;
	proto = key->protocol;
	if (proto == TBX_FT_IPPROTO_IPV6) {
		int adv = tbx_ft_walk_ipv6(l4, end, &proto, r);

		if (adv < 0)
			return TBX_FT_L3_IPV4;
		l4_at += adv;
		l4 = ip + l4_at;
	}
	r->has_l4 = 1;
	r->l4_off = ip_off + l4_at;
	r->l4_proto = proto;

	if (key->protocol == TBX_FT_IPPROTO_ICMP &&
	    tbx_ft_have(l4, 8, end, r)) {
		/* stored like ports: in network order */
		key->src_port = TBX_FT_HTONS(l4[0]);
		key->dst_port = TBX_FT_HTONS(l4[1]);
	} else if (proto != TBX_FT_IPPROTO_ICMP && proto != TBX_FT_IPPROTO_ICMPV6) {
		if (key->protocol == TBX_FT_IPPROTO_TCP && tbx_ft_have(l4, 20, end, r))
			key->tcp_flags = l4[13];	/* CWR..FIN; NS is in byte 12 */
		if (tbx_ft_have(l4, 2, end, r))
			key->src_port = tbx_ft_raw16(l4);
		if (tbx_ft_have(l4, 4, end, r))
			key->dst_port = tbx_ft_raw16(l4 + 2);
	}

	if (proto == TBX_FT_IPPROTO_TCP && tbx_ft_have(l4, 4, end, r)) {
		if (tbx_ft_have(l4, 14, end, r))
			b13 = l4[13];
#ifndef __bpf__
		else if (l4 + 14 <= tail)	/* past the capture: stale bytes */
			b13 = l4[13];
#endif
		if (tbx_ft_tcp_backscatter(b13))
			key->cls = TBX_FT_BACKSCATTER;
	} else if (proto == TBX_FT_IPPROTO_ICMP && tbx_ft_have(l4, 2, end, r)) {
		key->cls = tbx_ft_icmp_backscatter(l4[0]) ? TBX_FT_BACKSCATTER :
							    TBX_FT_ICMPREQ;
	}
	return TBX_FT_L3_IPV4;
}

/*
 * The frame in [@data, @end): fills @r (zeroed here) and says what it
 * carried; for IPv4 the key is filled. @tail as for tbx_ft_parse_ipv4.
 */
TBX_FT_INLINE enum tbx_ft_l3 tbx_ft_parse_frame(const __u8 *data, const __u8 *end,
						const __u8 *tail, enum tbx_ft_link link,
						struct tbx_ft_parsed *r)
{
	const __u8 *p = data;
	__u32 off = TBX_FT_ETH_HLEN;
	__u16 type = 0;

	__builtin_memset(r, 0, sizeof(*r));
	if (link == TBX_FT_LINK_RAW) {
		if (!tbx_ft_have(p, 1, end, r))
			return TBX_FT_L3_OTHER;
		if ((p[0] >> 4) == 6)
			return TBX_FT_L3_IPV6;
		return tbx_ft_parse_ipv4(p, end, tail, 0, r);
	}
	if (!tbx_ft_have(p, TBX_FT_ETH_HLEN, end, r))
		return TBX_FT_L3_OTHER;
	type = tbx_ft_get16(p + 12);
	TBX_FT_UNROLL
	for (int i = 0; i < TBX_FT_L2_MAX; i++) {
		p = data + off;
		if (!tbx_ft_have(p, 1, end, r))
			return TBX_FT_L3_OTHER;		/* nothing left */
		if (type == TBX_FT_ETH_P_8021Q) {
			if (!tbx_ft_have(p, 4, end, r))
				return TBX_FT_L3_OTHER;
			type = tbx_ft_get16(p + 2);
			off += 4;
		} else if (type == TBX_FT_ETH_P_MPLS) {
			if (!tbx_ft_have(p, 4, end, r))
				return TBX_FT_L3_OTHER;
			/* bottom of the stack: the nibble after it says what
			 * follows (libtrace 3 takes anything else as not IP) */
			if ((p[2] & 0x01) && tbx_ft_have(p, 5, end, r))
				type = (p[4] & 0xf0) == 0x40 ? TBX_FT_ETH_P_IP :
				       (p[4] & 0xf0) == 0x60 ? TBX_FT_ETH_P_IPV6 : 0;
			off += 4;
		} else if (type == TBX_FT_ETH_P_PPPOE) {
			if (!tbx_ft_have(p, 8, end, r))
				return TBX_FT_L3_OTHER;
			type = tbx_ft_get16(p + 6) == TBX_FT_PPP_IP ? TBX_FT_ETH_P_IP : 0;
			off += 8;
		} else {
			break;
		}
	}
	p = data + off;
	if (!tbx_ft_have(p, 1, end, r))
		return TBX_FT_L3_OTHER;
	if (type == TBX_FT_ETH_P_IPV6)
		return TBX_FT_L3_IPV6;
	if (type != TBX_FT_ETH_P_IP)
		return TBX_FT_L3_OTHER;
	return tbx_ft_parse_ipv4(p, end, tail, off, r);
}

#endif
