/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netem's slots (Wi-Fi/LTE-style batching): packets whose delivery time
 * has come leave only while a slot is open; a slot lets a number of
 * packets or bytes go, then the next opens after a random wait. Pure
 * arithmetic over the caller's draws, for KUnit.
 */
#ifndef _TBX_LINK_SLOT_H
#define _TBX_LINK_SLOT_H

#include <linux/types.h>

#include "link_dist.h"

struct tbx_slot_cfg {
	s64 min_delay, max_delay;	/* ns: uniform wait, when !jitter */
	s64 delay, jitter;		/* ns: the distribution's wait */
	u8 dist;			/* enum tbx_link_dist, with jitter */
	const struct tbx_dist_table *table;	/* NULL: dist's own */
	s32 packets, bytes;		/* per slot; S32_MAX = unbounded */
};

struct tbx_slot {
	u64 next;		/* ns: when the current slot opens */
	s32 packets_left, bytes_left;
};

/* Opens the next slot a random wait after @now (@rnd draws it). */
void tbx_slot_open(struct tbx_slot *s, const struct tbx_slot_cfg *c, u64 now,
		   u32 rnd);

/* Counts a packet of @len bytes against the slot: true once it is spent. */
bool tbx_slot_spend(struct tbx_slot *s, u32 len);

#endif
