// SPDX-License-Identifier: GPL-2.0
/*
 * net runs: building frames. Checksums are computed here, in software, so
 * a capture anywhere on the path sees valid ones and every receiver
 * accepts the frames whatever offloads the devices have.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/tcp.h>	/* tcp_flag_byte, TCPHDR_* */

#include <uapi/linux/tbx.h>

#include "net.h"

#define TBX_L3_OFF	ETH_HLEN
#define TBX_L4_OFF	(ETH_HLEN + sizeof(struct iphdr))

u32 tbx_net_min_size(u8 pattern)
{
	switch (pattern) {
	case TBX_NET_PATTERN_UDP:
		return TBX_L4_OFF + sizeof(struct udphdr);
	case TBX_NET_PATTERN_ICMP_ECHO:
		return TBX_L4_OFF + sizeof(struct icmphdr);
	case TBX_NET_PATTERN_TCP_SYN:
	case TBX_NET_PATTERN_FUZZ:	/* room for the largest header */
		return TBX_L4_OFF + sizeof(struct tcphdr);
	}
	return 0;
}

__be32 tbx_net_src(const struct tbx_net_tmpl *t, u64 seq)
{
	u64 span = (u64)t->src_max - t->src_min + 1, off;

	div64_u64_rem(seq, span, &off);
	return htonl(t->src_min + (u32)off);
}

static void tbx_build_udp(u8 *l4, u32 len, u16 sport, u16 dport,
			  __be32 saddr, __be32 daddr)
{
	struct udphdr *uh = (struct udphdr *)l4;

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_UDP,
				      csum_partial(uh, len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/* A TCP header with @flags (the byte after the data offset). */
static void tbx_build_tcp(u8 *l4, u32 len, u16 sport, u16 dport, u32 seq,
			  u32 ack, u8 flags, u16 window,
			  __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = (struct tcphdr *)l4;

	memset(th, 0, sizeof(*th));
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = sizeof(*th) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(window);
	th->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP,
				      csum_partial(th, len, 0));
}

static void tbx_build_icmp(u8 *l4, u32 len, u8 type, u16 id, u16 seq)
{
	struct icmphdr *ih = (struct icmphdr *)l4;

	ih->type = type;
	ih->code = 0;
	ih->un.echo.id = htons(id);
	ih->un.echo.sequence = htons(seq);
	ih->checksum = 0;
	ih->checksum = ip_compute_csum(ih, len);
}

/* Fills the payload after an L4 header of @hlen bytes; returns the proto. */
static u8 tbx_build_l4(const struct tbx_net_tmpl *t, u8 *l4, u32 len, u64 seq,
		       __be32 saddr, struct rnd_state *rnd)
{
	u32 r;

	switch (t->pattern) {
	case TBX_NET_PATTERN_UDP:
		memset(l4 + sizeof(struct udphdr), 0, len - sizeof(struct udphdr));
		/* Source ports vary so receivers spread the flood (RSS). */
		tbx_build_udp(l4, len, 49152 + (seq & 0x3fff), t->dst_port,
			      saddr, t->dst);
		return IPPROTO_UDP;
	case TBX_NET_PATTERN_TCP_SYN:
		memset(l4 + sizeof(struct tcphdr), 0, len - sizeof(struct tcphdr));
		tbx_build_tcp(l4, len, 1024 + prandom_u32_state(rnd) % 64512,
			      t->dst_port, prandom_u32_state(rnd), 0,
			      TCPHDR_SYN, 64240, saddr, t->dst);
		return IPPROTO_TCP;
	case TBX_NET_PATTERN_ICMP_ECHO:
		memset(l4 + sizeof(struct icmphdr), 0, len - sizeof(struct icmphdr));
		tbx_build_icmp(l4, len, ICMP_ECHO, t->icmp_id, seq);
		return IPPROTO_ICMP;
	}

	/* fuzz: random payload behind a random but well-formed header. */
	prandom_bytes_state(rnd, l4, len);
	r = prandom_u32_state(rnd);
	switch (r % 3) {
	case 0:
		tbx_build_udp(l4, len, r >> 16, prandom_u32_state(rnd),
			      saddr, t->dst);
		return IPPROTO_UDP;
	case 1:
		tbx_build_tcp(l4, len, r >> 16, prandom_u32_state(rnd),
			      prandom_u32_state(rnd), prandom_u32_state(rnd),
			      r >> 8, prandom_u32_state(rnd), saddr, t->dst);
		return IPPROTO_TCP;
	default:
		/* Only echoes: other ICMP types would steer the peer's routes. */
		tbx_build_icmp(l4, len, (r & 0x100) ? ICMP_ECHO : ICMP_ECHOREPLY,
			       r >> 16, prandom_u32_state(rnd));
		return IPPROTO_ICMP;
	}
}

void tbx_net_build(const struct tbx_net_tmpl *t, u8 *buf, u64 seq,
		   struct rnd_state *rnd)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *iph = (struct iphdr *)(buf + TBX_L3_OFF);
	u32 len = t->size - TBX_L4_OFF;
	__be32 saddr = tbx_net_src(t, seq);
	u8 proto;

	memcpy(eth->h_dest, t->dst_mac, ETH_ALEN);
	memcpy(eth->h_source, t->src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);

	proto = tbx_build_l4(t, buf + TBX_L4_OFF, len, seq, saddr, rnd);

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(t->size - ETH_HLEN);
	iph->id = htons(seq);
	iph->frag_off = 0;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = t->dst;
	ip_send_check(iph);
}
