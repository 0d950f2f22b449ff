/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Link emulation from libtbx: the tbx qdisc of a device set, deleted and
 * read over rtnetlink (the same requests `tc qdisc replace|del|show`
 * make), and its statistics series over the tbx family (LINK_GET).
 */
#ifndef TBX_LINK_H
#define TBX_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "link_opts.h"

struct tbx_link_interval {
	uint64_t index, start_ns, bytes, packets, sojourn_mean_ns, sojourn_max_ns;
};

struct tbx_link_state {
	char dev[16];
	uint32_t ifindex;
	uint32_t handle;
	struct tbx_link_opts opts;	/* as dumped (no profile rows) */
	/* tc's counters */
	uint64_t sent_bytes, sent_packets, drops, backlog_bytes, qlen;
	/* LINK_GET */
	uint64_t buffer_max, backlog_max;
	uint64_t drops_overlimit, drops_loss, drops_buffer;
	uint64_t duplicated, corrupted, delivered_packets, delivered_bytes;
	uint64_t ecn_marked, reordered;
	uint64_t interval_ns;
	unsigned int n_intervals;
	struct tbx_link_interval intervals[TBX_LINK_INTERVALS_KEPT];
};

/* Creates or replaces @dev's root qdisc with tbx and @o's options. */
int tbx_link_set(const char *dev, const struct tbx_link_opts *o);
/* Deletes @dev's root qdisc when it is tbx. */
int tbx_link_del(const char *dev);
/* Reads @dev's tbx qdisc: options, tc's counters and LINK_GET's. */
int tbx_link_get(const char *dev, struct tbx_link_state *st);

#endif
