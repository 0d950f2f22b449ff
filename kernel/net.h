/* SPDX-License-Identifier: GPL-2.0 */
/* net runs: the frames they send (net_build.c), apart from any device. */
#ifndef _TBX_NET_H
#define _TBX_NET_H

#include <linux/if_ether.h>
#include <linux/prandom.h>
#include <linux/types.h>

/* What every frame of a run shares. */
struct tbx_net_tmpl {
	u8 pattern;		/* enum tbx_net_pattern */
	u32 size;		/* frame bytes from the Ethernet header on */
	__be32 dst;
	u16 dst_port;
	u32 src_min, src_max;	/* host order; used in turn */
	u16 icmp_id;
	u8 dst_mac[ETH_ALEN];
	u8 src_mac[ETH_ALEN];
};

/* The smallest frame a pattern fits in; 0 for an unknown pattern. */
u32 tbx_net_min_size(u8 pattern);
/* The source address of frame number @seq. */
__be32 tbx_net_src(const struct tbx_net_tmpl *t, u64 seq);
/*
 * Writes frame number @seq, t->size bytes, into @buf: Ethernet, IPv4 and
 * the pattern's L4 header with valid checksums, then the payload.
 */
void tbx_net_build(const struct tbx_net_tmpl *t, u8 *buf, u64 seq,
		   struct rnd_state *rnd);

#endif
