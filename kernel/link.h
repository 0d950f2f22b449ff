/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tbx qdisc: link emulation (Documentation/link.md). sch_tbx.c is the
 * datapath, link_config.c turns TCA_OPTIONS into a struct tbx_link_cfg,
 * link_stats.c keeps the statistics and answers TBX_CMD_LINK_GET.
 */
#ifndef _TBX_LINK_H
#define _TBX_LINK_H

#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <net/pkt_sched.h>
#include <net/sch_generic.h>
#include <uapi/linux/tbx.h>

#include "link_dist.h"
#include "link_loss.h"
#include "link_rand.h"
#include "link_slot.h"
#include "link_time.h"

/* One configuration; replaced whole, never changed in place. */
struct tbx_link_cfg {
	u64 rate;		/* bit/s; 0 = no serialization limit */
	s32 overhead;		/* bytes a packet, for the rate */
	u32 cell_size;		/* bytes; 0 = no cells */
	s32 cell_overhead;	/* bytes a cell */
	s64 delay;		/* ns */
	s64 jitter;		/* ns */
	u8 dist;		/* enum tbx_link_dist */
	struct tbx_dist_table *table;	/* DIST_TABLE's, else NULL */
	char dist_name[TBX_LINK_DIST_NAME_MAX];
	u32 delay_corr;		/* ppm, as every probability below */
	u32 loss, loss_corr;
	u8 loss_kind;		/* enum tbx_loss_kind */
	struct tbx_loss_4state gi;
	struct tbx_loss_ge ge;
	bool ecn;		/* mark CE instead of losing */
	u32 duplicate, duplicate_corr;
	u32 corrupt, corrupt_corr;
	u32 reorder, reorder_corr;
	u32 gap;		/* >= 1 when reorder is set */
	bool has_slot;
	struct tbx_slot_cfg slot;
	struct tbx_dist_table *slot_table;
	char slot_dist_name[TBX_LINK_DIST_NAME_MAX];
	bool has_seed;
	u64 seed;
	u32 limit;		/* packets */
	u64 buffer;		/* bytes before the serializer; 0 = unbounded */
	u64 interval;		/* ns */
	struct tbx_link_prof *prof;	/* NULL = none */
	bool holds;		/* packets may wait: orphan them at enqueue */
};

struct tbx_link_ivl {
	u64 index;
	u64 start;		/* ktime ns */
	u64 bytes;
	u64 packets;
	u64 sojourn_sum;	/* ns */
	u64 sojourn_max;	/* ns */
};

struct tbx_link_counters {
	u64 buffer_max;
	u64 backlog_max;
	u64 drops_overlimit;
	u64 drops_loss;
	u64 drops_buffer;
	u64 duplicated;
	u64 corrupted;
	u64 ecn_marked;
	u64 reordered;
	u64 delivered_packets;
	u64 delivered_bytes;
};

/* Closed intervals, oldest first once the ring has wrapped. */
struct tbx_link_series {
	struct tbx_link_ivl cur;
	struct tbx_link_ivl ring[TBX_LINK_INTERVALS_KEPT];
	u32 next;		/* ring slot the next closed interval takes */
	u64 closed;		/* intervals closed so far */
};

/* Every field is guarded by the qdisc's root lock. */
struct tbx_link {
	struct tbx_link_cfg *cfg;
	u64 born;		/* ktime ns the qdisc was created */
	u64 prof_base;		/* ktime ns of the profile's phase 0 */
	struct qdisc_watchdog wd;

	struct sk_buff_head buffer;	/* waiting for the serializer */
	u64 buffer_bytes;
	bool head_busy;		/* buffer's head is being serialized */
	u64 head_end;		/* ... until then */
	u64 link_free;		/* the serializer is free from then on */
	struct sk_buff_head flight;	/* serialized, by delivery time */
	struct sk_buff_head express;	/* reordered: out before the rest */

	/* netem's random state; reset with each configuration. */
	struct rnd_state rnd;
	struct tbx_crnd delay_cor, loss_cor, dup_cor, corrupt_cor, reorder_cor;
	u8 loss_state;		/* enum tbx_4state or tbx_ge_state */
	u32 since_reorder;	/* packets delayed since the last reordered */
	struct tbx_slot slot;

	struct tbx_link_counters cnt;
	struct tbx_link_series series;
};

extern struct Qdisc_ops tbx_qdisc_ops;
int tbx_link_init(void);
void tbx_link_exit(void);

/* link_config.c */
struct tbx_link_cfg *tbx_link_cfg_parse(struct nlattr *opt,
					struct netlink_ext_ack *extack);
void tbx_link_cfg_free(struct tbx_link_cfg *cfg);
int tbx_link_cfg_dump(struct sk_buff *skb, const struct tbx_link_cfg *cfg);

/* link_stats.c */
void tbx_link_series_start(struct tbx_link_series *s, u64 now);
void tbx_link_series_roll(struct tbx_link_series *s, u64 interval, u64 now);
struct tbx_link_ivl *tbx_link_series_at(struct tbx_link_series *s, u64 interval,
					u64 t);
void tbx_link_xstats(const struct tbx_link *q, struct tc_tbx_xstats *x);
int tbx_nl_link_get(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy tbx_link_policy[TBX_LINK_A_MAX + 1];

#endif
