/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsing and classification of one packet into a flowtuple key, shared
 * by bpf/tap.bpf.c (tc and XDP, over packet pointers) and user space (the
 * offline pcap path, over a buffer): both produce the same key for the
 * same bytes because it is the same code.
 *
 * Fields are read byte by byte at fixed offsets (no struct iphdr, whose
 * bitfields differ between vmlinux.h and the uapi headers), and every
 * read is preceded by a bounds check against @end the verifier can see.
 *
 * What Corsaro 2 does (reference/corsaro.md), with libtrace's rules for
 * what counts as present: an IPv4 header needs 20 bytes and version 4;
 * a non-first fragment has no transport header; ports need 4 bytes of
 * TCP or UDP, TCP flags a whole 20-byte TCP header, ICMP type and code an
 * 8-byte ICMP header. A missing part leaves its fields 0. ICMP whose
 * header is missing is "any other ICMP": icmpreq.
 */
#ifndef TBX_FLOWTUPLE_PARSE_H
#define TBX_FLOWTUPLE_PARSE_H

#include "tbx/flowtuple.h"

#ifdef __bpf__
#define TBX_FT_INLINE static __always_inline
#else
#include <stdbool.h>
#define TBX_FT_INLINE static inline
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TBX_FT_HTONS(x)	((__be16)__builtin_bswap16(x))
#else
#define TBX_FT_HTONS(x)	((__be16)(x))
#endif

#define TBX_FT_ETH_HLEN		14
#define TBX_FT_VLAN_HLEN	4
#define TBX_FT_VLAN_DEPTH	2	/* 802.1ad + 802.1Q */
#define TBX_FT_ETH_P_IP		0x0800
#define TBX_FT_ETH_P_IPV6	0x86DD
#define TBX_FT_ETH_P_8021Q	0x8100
#define TBX_FT_ETH_P_8021AD	0x88A8
#define TBX_FT_IPPROTO_ICMP	1
#define TBX_FT_IPPROTO_TCP	6
#define TBX_FT_IPPROTO_UDP	17
#define TBX_FT_TCP_FIN		0x01
#define TBX_FT_TCP_SYN		0x02
#define TBX_FT_TCP_RST		0x04
#define TBX_FT_TCP_ACK		0x10

/* Enough linear bytes for every field the parser reads: Ethernet, two
 * tags, the longest IPv4 header, a TCP header. */
#define TBX_FT_PARSE_MAX	(TBX_FT_ETH_HLEN + TBX_FT_VLAN_DEPTH * TBX_FT_VLAN_HLEN + 60 + 20)

/* What a frame carried, for the counters. */
enum tbx_ft_l3 {
	TBX_FT_L3_IPV4,		/* key filled */
	TBX_FT_L3_IPV6,		/* counted, not tupled */
	TBX_FT_L3_OTHER,	/* anything else, truncated IPv4 included */
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

/*
 * The IPv4 packet at @ip: fills @key (zeroed first) and returns
 * TBX_FT_L3_IPV4, or TBX_FT_L3_OTHER when it is no whole IPv4 header.
 */
TBX_FT_INLINE enum tbx_ft_l3 tbx_ft_parse_ipv4(const __u8 *ip, const __u8 *end,
					       struct tbx_ft_key *key)
{
	const __u8 *l4;
	__u32 ihl;

	__builtin_memset(key, 0, sizeof(*key));
	if (ip + 20 > end)
		return TBX_FT_L3_OTHER;
	if ((ip[0] >> 4) != 4)
		return TBX_FT_L3_OTHER;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl < 20)
		return TBX_FT_L3_OTHER;
	key->ip_len = tbx_ft_raw16(ip + 2);
	key->ttl = ip[8];
	key->protocol = ip[9];
	key->src_ip = tbx_ft_raw32(ip + 12);
	key->dst_ip = tbx_ft_raw32(ip + 16);
	key->cls = key->protocol == TBX_FT_IPPROTO_ICMP ? TBX_FT_ICMPREQ : TBX_FT_OTHER;

	/* A non-first fragment carries no transport header. */
	if (tbx_ft_get16(ip + 6) & 0x1fff)
		return TBX_FT_L3_IPV4;
	l4 = ip + ihl;

	switch (key->protocol) {
	case TBX_FT_IPPROTO_TCP:
		if (l4 + 4 > end)
			break;
		key->src_port = tbx_ft_raw16(l4);
		key->dst_port = tbx_ft_raw16(l4 + 2);
		if (l4 + 20 > end)
			break;
		key->tcp_flags = l4[13];	/* CWR..FIN; NS is in byte 12 */
		if ((key->tcp_flags & TBX_FT_TCP_RST) ||
		    (key->tcp_flags & (TBX_FT_TCP_SYN | TBX_FT_TCP_ACK)) ==
		    (TBX_FT_TCP_SYN | TBX_FT_TCP_ACK))
			key->cls = TBX_FT_BACKSCATTER;
		break;
	case TBX_FT_IPPROTO_UDP:
		if (l4 + 4 > end)
			break;
		key->src_port = tbx_ft_raw16(l4);
		key->dst_port = tbx_ft_raw16(l4 + 2);
		break;
	case TBX_FT_IPPROTO_ICMP:
		if (l4 + 8 > end)
			break;
		/* stored like ports: in network order */
		key->src_port = TBX_FT_HTONS(l4[0]);
		key->dst_port = TBX_FT_HTONS(l4[1]);
		if (tbx_ft_icmp_backscatter(l4[0]))
			key->cls = TBX_FT_BACKSCATTER;
		break;
	}
	return TBX_FT_L3_IPV4;
}

/*
 * An Ethernet frame in [@data, @end), with up to two VLAN tags in band.
 * For IPv4, fills @key and sets *@ip_off to the IP header's offset.
 */
TBX_FT_INLINE enum tbx_ft_l3 tbx_ft_parse_eth(const __u8 *data, const __u8 *end,
					      struct tbx_ft_key *key, __u32 *ip_off)
{
	const __u8 *p = data + TBX_FT_ETH_HLEN;
	__u16 proto;

	if (p > end)
		return TBX_FT_L3_OTHER;
	proto = tbx_ft_get16(p - 2);
#ifdef __bpf__
#pragma unroll
#endif
	for (int i = 0; i < TBX_FT_VLAN_DEPTH; i++) {
		if (proto != TBX_FT_ETH_P_8021Q && proto != TBX_FT_ETH_P_8021AD)
			break;
		if (p + TBX_FT_VLAN_HLEN > end)
			return TBX_FT_L3_OTHER;
		proto = tbx_ft_get16(p + 2);
		p += TBX_FT_VLAN_HLEN;
	}
	if (proto == TBX_FT_ETH_P_IPV6)
		return TBX_FT_L3_IPV6;
	if (proto != TBX_FT_ETH_P_IP)
		return TBX_FT_L3_OTHER;
	*ip_off = p - data;
	return tbx_ft_parse_ipv4(p, end, key);
}

#endif
