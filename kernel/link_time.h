/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tbx qdisc's time and rate arithmetic and its periodic profile,
 * free of packets and locks so KUnit covers the edges. Times are ns.
 */
#ifndef _TBX_LINK_TIME_H
#define _TBX_LINK_TIME_H

#include <linux/types.h>

/* How the rate counts a packet's bytes: netem's packetoverhead, cellsize
 * and celloverhead.
 */
struct tbx_link_framing {
	s32 overhead;		/* bytes added to each packet */
	u32 cell_size;		/* 0: no cells; else whole cells count */
	s32 cell_overhead;	/* bytes added to each cell */
};

/* The bytes @len counts for on the wire: len + overhead, then rounded up
 * to whole cells each carrying cell_overhead more; never below 0.
 */
u64 tbx_link_wire_bytes(u32 len, const struct tbx_link_framing *f);

/* ns the serializer needs for @bytes at @rate bit/s (> 0), rounded up,
 * at most TBX_LINK_TX_MAX.
 */
u64 tbx_link_tx_ns(u64 bytes, u64 rate);
#define TBX_LINK_TX_MAX	(1ULL << 62)	/* ns: keeps every sum in range */

/* True with probability @ppm / 1e6, for a uniform random @rnd. */
static inline bool tbx_link_chance(u32 rnd, u32 ppm)
{
	/* ppm * 2^32 / 1e6 as the threshold: exact to 1/2^32. */
	return ppm && (u64)rnd * 1000000 < (u64)ppm << 32;
}

struct tbx_link_seg {
	u64 offset;		/* ns from the period's start */
	u64 rate;		/* bit/s; 0 = nothing passes */
	s64 delay;		/* ns */
	u32 loss;		/* ppm */
};

struct tbx_link_prof {
	u64 period;		/* ns */
	u32 count;		/* >= 1; seg[0].offset == 0, increasing */
	bool any_loss;		/* some segment loses packets */
	struct tbx_link_seg seg[];
};

/* The phase of @now in a profile whose phase 0 was at @base (<= now). */
u64 tbx_link_phase(const struct tbx_link_prof *p, u64 base, u64 now);
/* The index of the segment in force at @phase (< period). */
u32 tbx_link_prof_lookup(const struct tbx_link_prof *p, u64 phase);
/* The segment in force at @now. */
const struct tbx_link_seg *tbx_link_seg_at(const struct tbx_link_prof *p,
					   u64 base, u64 now);
/* When the segment in force at @now ends: always > @now. */
u64 tbx_link_seg_end(const struct tbx_link_prof *p, u64 base, u64 now);

#endif
