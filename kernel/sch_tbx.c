// SPDX-License-Identifier: GPL-2.0
/*
 * The tbx qdisc's datapath: a link with a finite buffer, a serializer at
 * a rate, and a propagation delay with jitter, loss, duplication,
 * corruption, reordering and slots, with netem's meanings. A packet waits
 * in `buffer` (FIFO) until the serializer has carried it, then in
 * `flight` (ordered by delivery time, so jitter may reorder as netem's
 * does) until its delay is over and, with slots, a slot is open. A packet
 * picked for reordering skips both and waits in `express`, first out.
 * Nothing is computed ahead: the serializer advances when the qdisc is
 * dequeued, so a change of rate (tc change, or the profile's next
 * segment) applies from the next packet the serializer takes, no gap.
 */
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/inet_ecn.h>
#include <net/pkt_sched.h>
#include <net/sch_generic.h>
#include <net/sock.h>

#include "link.h"
#include "tbx.h"

struct tbx_skb_cb {
	u64 arrival;		/* ktime ns of enqueue */
	u64 deliver;		/* ktime ns it may leave (in flight) */
};

static struct tbx_skb_cb *tbx_cb(struct sk_buff *skb)
{
	qdisc_cb_private_validate(skb, sizeof(struct tbx_skb_cb));
	return (struct tbx_skb_cb *)qdisc_skb_cb(skb)->data;
}

/* Every random decision comes from the qdisc's own generator (seedable). */
static u32 rnd(struct tbx_link *q)
{
	return prandom_u32_state(&q->rnd);
}

static u32 crnd(struct tbx_link *q, struct tbx_crnd *c)
{
	return tbx_crnd_next(c, rnd(q));
}

static u64 rate_at(const struct tbx_link *q, u64 t)
{
	const struct tbx_link_cfg *c = q->cfg;

	return c->prof ? tbx_link_seg_at(c->prof, q->prof_base, t)->rate : c->rate;
}

static s64 delay_at(const struct tbx_link *q, u64 t)
{
	const struct tbx_link_cfg *c = q->cfg;

	return c->prof ? tbx_link_seg_at(c->prof, q->prof_base, t)->delay : c->delay;
}

static u32 loss_at(const struct tbx_link *q, u64 t)
{
	const struct tbx_link_cfg *c = q->cfg;

	return c->prof ? tbx_link_seg_at(c->prof, q->prof_base, t)->loss : c->loss;
}

static u64 sample_delay(struct tbx_link *q, u64 t)
{
	const struct tbx_link_cfg *c = q->cfg;
	s64 d = delay_at(q, t);

	if (c->jitter)
		d = tbx_dist_sample(c->dist, c->table, crnd(q, &q->delay_cor), d,
				    c->jitter);
	return d > 0 ? d : 0;
}

static u64 tx_ns(const struct tbx_link_cfg *c, struct sk_buff *skb, u64 rate)
{
	const struct tbx_link_framing f = {
		.overhead = c->overhead,
		.cell_size = c->cell_size,
		.cell_overhead = c->cell_overhead,
	};

	return tbx_link_tx_ns(tbx_link_wire_bytes(qdisc_pkt_len(skb), &f), rate);
}

static void flight_insert(struct tbx_link *q, struct sk_buff *skb)
{
	u64 d = tbx_cb(skb)->deliver;
	struct sk_buff *p = skb_peek_tail(&q->flight);

	if (!p || tbx_cb(p)->deliver <= d) {
		__skb_queue_tail(&q->flight, skb);
		return;
	}
	skb_queue_reverse_walk(&q->flight, p) {
		if (tbx_cb(p)->deliver <= d) {
			__skb_queue_after(&q->flight, p, skb);
			return;
		}
	}
	__skb_queue_head(&q->flight, skb);
}

/* Moves every packet the serializer has finished by @now into flight. */
static void link_serialize(struct tbx_link *q, u64 now)
{
	const struct tbx_link_cfg *c = q->cfg;
	struct sk_buff *skb;

	while ((skb = skb_peek(&q->buffer))) {
		if (!q->head_busy) {
			u64 start = max(q->link_free, tbx_cb(skb)->arrival);
			u64 rate;

			if (start > now)
				return;	/* waiting out a segment of rate 0 */
			rate = rate_at(q, start);
			if (c->prof && !rate) {
				q->link_free = tbx_link_seg_end(c->prof,
							q->prof_base, start);
				continue;
			}
			q->head_end = start;
			if (rate)
				q->head_end += tx_ns(c, skb, rate);
			q->head_busy = true;
		}
		if (q->head_end > now)
			return;
		__skb_unlink(skb, &q->buffer);
		q->buffer_bytes -= qdisc_pkt_len(skb);
		q->head_busy = false;
		q->link_free = q->head_end;
		tbx_cb(skb)->deliver = q->head_end + sample_delay(q, q->head_end);
		flight_insert(q, skb);
	}
}

/* When the head of flight may leave: its delivery time, and a slot. */
static u64 flight_due(const struct tbx_link *q, struct sk_buff *skb)
{
	u64 t = tbx_cb(skb)->deliver;

	return q->cfg->has_slot ? max(t, q->slot.next) : t;
}

/* Wakes the qdisc for the next thing that will happen, if any. */
static void link_arm(struct tbx_link *q)
{
	struct sk_buff *skb = skb_peek(&q->flight);
	u64 next = U64_MAX;

	if (q->head_busy)
		next = q->head_end;
	else if (!skb_queue_empty(&q->buffer))
		next = q->link_free;
	if (skb)
		next = min(next, flight_due(q, skb));
	if (next != U64_MAX)
		qdisc_watchdog_schedule_ns(&q->wd, next);
}

static void note_backlog(struct tbx_link *q, struct Qdisc *sch)
{
	q->cnt.buffer_max = max(q->cnt.buffer_max, q->buffer_bytes);
	q->cnt.backlog_max = max_t(u64, q->cnt.backlog_max,
				   sch->qstats.backlog);
}

/*
 * netem's reordering: once @gap - 1 packets went the usual way, each next
 * one skips the link with probability reorder.
 */
static bool pick_reorder(struct tbx_link *q)
{
	const struct tbx_link_cfg *c = q->cfg;

	if (!c->reorder || q->since_reorder < c->gap - 1 ||
	    !tbx_link_chance(crnd(q, &q->reorder_cor), c->reorder)) {
		q->since_reorder++;
		return false;
	}
	q->since_reorder = 0;
	return true;
}

/* Takes @skb into the buffer (or express), or drops it if it does not fit. */
static int admit(struct tbx_link *q, struct Qdisc *sch, struct sk_buff *skb,
		 u64 now, struct sk_buff **to_free)
{
	const struct tbx_link_cfg *c = q->cfg;
	unsigned int len = qdisc_pkt_len(skb);
	bool express;

	if (sch->q.qlen >= c->limit) {
		q->cnt.drops_overlimit++;
		return qdisc_drop(skb, sch, to_free);
	}
	express = pick_reorder(q);
	if (!express && c->buffer && q->buffer_bytes + len > c->buffer) {
		q->cnt.drops_buffer++;
		return qdisc_drop(skb, sch, to_free);
	}
	tbx_cb(skb)->arrival = now;
	if (express) {
		q->cnt.reordered++;
		__skb_queue_tail(&q->express, skb);
	} else {
		__skb_queue_tail(&q->buffer, skb);
		q->buffer_bytes += len;
	}
	sch->q.qlen++;
	qdisc_qstats_backlog_inc(sch, skb);
	note_backlog(q, sch);
	return NET_XMIT_SUCCESS;
}

/* Flips one random bit of @skb's linear data: false if it cannot. */
static bool flip_bit(struct tbx_link *q, struct sk_buff *skb)
{
	if (!skb_headlen(skb) || skb_ensure_writable(skb, skb_headlen(skb)))
		return false;
	/* A checksum left to the device is completed first, so the
	 * receiver sees the damage.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return false;
	skb->data[reciprocal_scale(rnd(q), skb_headlen(skb))] ^=
		1 << reciprocal_scale(rnd(q), 8);
	return true;
}

/*
 * Corrupts @skb. A GSO packet is first cut into its segments, as netem
 * does, so that one wire packet is damaged: the first; the others are
 * returned in *@rest to be admitted after it. Returns the packet to admit
 * first (NULL if segmentation failed and @skb was dropped).
 */
static struct sk_buff *corrupt(struct tbx_link *q, struct Qdisc *sch,
			       struct sk_buff *skb, struct sk_buff **rest,
			       struct sk_buff **to_free)
{
	*rest = NULL;
	if (skb_is_gso(skb)) {
		netdev_features_t f = netif_skb_features(skb);
		struct sk_buff *segs = skb_gso_segment(skb, f & ~NETIF_F_GSO_MASK);

		if (IS_ERR_OR_NULL(segs)) {
			qdisc_drop(skb, sch, to_free);
			return NULL;
		}
		consume_skb(skb);
		skb = segs;
		*rest = skb->next;
		skb_mark_not_on_list(skb);
		qdisc_skb_cb(skb)->pkt_len = skb->len;
	}
	if (flip_bit(q, skb))
		q->cnt.corrupted++;
	return skb;
}

/* netem's loss decision, by the configured model. */
static bool lose(struct tbx_link *q, u64 now)
{
	const struct tbx_link_cfg *c = q->cfg;

	switch (c->loss_kind) {
	case TBX_LOSS_4STATE:
		return tbx_loss_4state_step(&c->gi, &q->loss_state, rnd(q));
	case TBX_LOSS_GE: {
		u32 move = rnd(q);

		return tbx_loss_ge_step(&c->ge, &q->loss_state, move, rnd(q));
	}
	}
	return tbx_link_chance(crnd(q, &q->loss_cor), loss_at(q, now));
}

/* Admits the segments @segs of a packet the parent counted as one. */
static void admit_rest(struct tbx_link *q, struct Qdisc *sch,
		       struct sk_buff *segs, unsigned int first_len, int first_ok,
		       unsigned int prev_len, u64 now, struct sk_buff **to_free)
{
	unsigned int len = first_ok ? first_len : 0;
	int n = first_ok ? 1 : 0;

	while (segs) {
		struct sk_buff *next = segs->next;
		unsigned int l = segs->len;

		skb_mark_not_on_list(segs);
		qdisc_skb_cb(segs)->pkt_len = l;
		if (admit(q, sch, segs, now, to_free) == NET_XMIT_SUCCESS) {
			n++;
			len += l;
		}
		segs = next;
	}
	/* The parents counted one packet of @prev_len. */
	qdisc_tree_reduce_backlog(sch, 1 - n, prev_len - len);
}

static int tbx_enqueue(struct sk_buff *skb, struct Qdisc *sch,
		       struct sk_buff **to_free)
{
	struct tbx_link *q = qdisc_priv(sch);
	const struct tbx_link_cfg *c = q->cfg;
	unsigned int prev_len = qdisc_pkt_len(skb);
	struct sk_buff *dup = NULL, *rest = NULL;
	u64 now = ktime_get_ns();
	int copies = 1, ret;

	tbx_link_series_roll(&q->series, c->interval, now);

	/*
	 * Counted so that delivered = offered + duplicated - lost exactly: a
	 * packet both duplicated and lost passes once and counts in both.
	 * The draws come in netem's order: duplicate, loss, corrupt.
	 */
	if (c->duplicate &&
	    tbx_link_chance(crnd(q, &q->dup_cor), c->duplicate)) {
		copies++;
		q->cnt.duplicated++;
	}
	if (lose(q, now)) {
		/* With ecn an ECN-capable packet is marked instead. */
		if (c->ecn && INET_ECN_set_ce(skb)) {
			q->cnt.ecn_marked++;
		} else {
			copies--;
			q->cnt.drops_loss++;
		}
	}
	if (!copies) {
		qdisc_qstats_drop(sch);
		__qdisc_drop(skb, to_free);
		/* As netem: the sender is not told, as on a real link. */
		return NET_XMIT_SUCCESS | __NET_XMIT_BYPASS;
	}
	/*
	 * A packet held for a while must not stay charged to its socket:
	 * TCP Small Queues would see it "in the device" for the whole delay
	 * and stop the sender (netem does the same for the same reason).
	 * The socket keeps a reference, not a charge, until the packet leaves.
	 */
	if (c->holds)
		skb_orphan_partial(skb);
	if (copies > 1) {
		dup = skb_clone(skb, GFP_ATOMIC);
		if (!dup)
			q->cnt.duplicated--;	/* no copy after all */
	}
	if (c->corrupt &&
	    tbx_link_chance(crnd(q, &q->corrupt_cor), c->corrupt)) {
		skb = corrupt(q, sch, skb, &rest, to_free);
		if (!skb) {
			if (dup)
				__qdisc_drop(dup, to_free);
			return NET_XMIT_DROP;
		}
	}

	ret = admit(q, sch, skb, now, to_free);
	if (rest)
		admit_rest(q, sch, rest, qdisc_pkt_len(skb), ret == NET_XMIT_SUCCESS,
			   prev_len, now, to_free);
	if (dup) {
		unsigned int dup_len = qdisc_pkt_len(dup);

		/* A copy the parents (if any) do not know of: tell them. */
		if (admit(q, sch, dup, now, to_free) == NET_XMIT_SUCCESS)
			qdisc_tree_reduce_backlog(sch, -1, -dup_len);
	}
	return rest ? NET_XMIT_SUCCESS : ret;
}

/*
 * The next packet out at @now: express first, then flight in a slot.
 * *@due: when the emulated link delivers it, which a late dequeue (the
 * host's lag) does not move: its delivery time, or @now for express
 * packets and slots (netem's slots are timed from the dequeue too).
 */
static struct sk_buff *take(struct tbx_link *q, u64 now, u64 *due)
{
	const struct tbx_link_cfg *c = q->cfg;
	struct sk_buff *skb = __skb_dequeue(&q->express);

	*due = now;
	if (skb)
		return skb;
	skb = skb_peek(&q->flight);
	if (!skb)
		return NULL;
	if (c->has_slot) {
		/* As netem: a slot that passed while nothing was due is
		 * not kept; the next one starts from now.
		 */
		if (q->slot.next < tbx_cb(skb)->deliver)
			tbx_slot_open(&q->slot, &c->slot, now, rnd(q));
		if (tbx_cb(skb)->deliver > now || q->slot.next > now)
			return NULL;
		if (tbx_slot_spend(&q->slot, qdisc_pkt_len(skb)))
			tbx_slot_open(&q->slot, &c->slot, now, rnd(q));
	} else if (tbx_cb(skb)->deliver > now) {
		return NULL;
	} else {
		*due = tbx_cb(skb)->deliver;
	}
	__skb_unlink(skb, &q->flight);
	return skb;
}

static struct sk_buff *tbx_dequeue(struct Qdisc *sch)
{
	struct tbx_link *q = qdisc_priv(sch);
	u64 now = ktime_get_ns();
	struct sk_buff *skb;
	struct tbx_link_ivl *ivl;
	u64 sojourn, due;

	tbx_link_series_roll(&q->series, q->cfg->interval, now);
	link_serialize(q, now);
	skb = take(q, now, &due);
	if (!skb) {
		link_arm(q);
		return NULL;
	}
	sch->q.qlen--;
	qdisc_qstats_backlog_dec(sch, skb);
	qdisc_bstats_update(sch, skb);

	/* Counted in the interval the link delivered it in (Documentation/link.md). */
	ivl = tbx_link_series_at(&q->series, q->cfg->interval, due);
	sojourn = now - tbx_cb(skb)->arrival;
	ivl->bytes += qdisc_pkt_len(skb);
	ivl->packets++;
	ivl->sojourn_sum += sojourn;
	ivl->sojourn_max = max(ivl->sojourn_max, sojourn);
	q->cnt.delivered_packets++;
	q->cnt.delivered_bytes += qdisc_pkt_len(skb);
	return skb;
}

static void tbx_reset(struct Qdisc *sch)
{
	struct tbx_link *q = qdisc_priv(sch);

	__skb_queue_purge(&q->buffer);
	__skb_queue_purge(&q->flight);
	__skb_queue_purge(&q->express);
	q->buffer_bytes = 0;
	q->head_busy = false;
	sch->q.qlen = 0;
	sch->qstats.backlog = 0;
	qdisc_watchdog_cancel(&q->wd);
}

static void crnd_init(struct tbx_link *q, struct tbx_crnd *c, u32 ppm)
{
	c->rho = tbx_ppm_to_u32(ppm);
	c->last = rnd(q);
}

/*
 * netem's random state starts afresh with each configuration; with a seed
 * it starts from the same point each time, so the same packets meet the
 * same decisions.
 */
static void random_reset(struct tbx_link *q, const struct tbx_link_cfg *c,
			 u64 now)
{
	if (c->has_seed)
		prandom_seed_state(&q->rnd, c->seed);
	crnd_init(q, &q->delay_cor, c->delay_corr);
	crnd_init(q, &q->loss_cor, c->loss_corr);
	crnd_init(q, &q->dup_cor, c->duplicate_corr);
	crnd_init(q, &q->corrupt_cor, c->corrupt_corr);
	crnd_init(q, &q->reorder_cor, c->reorder_corr);
	q->loss_state = c->loss_kind == TBX_LOSS_GE ? TBX_GE_GOOD : TBX_4S_GAP_RX;
	q->since_reorder = 0;
	if (c->has_slot) {
		q->slot.next = now;
		q->slot.packets_left = c->slot.packets;
		q->slot.bytes_left = c->slot.bytes;
	}
}

/* Swaps in @cfg under the root lock; queued packets stay as they are. */
static void tbx_apply(struct Qdisc *sch, struct tbx_link_cfg *cfg)
{
	struct tbx_link *q = qdisc_priv(sch);
	struct tbx_link_cfg *old;
	u64 now;

	sch_tree_lock(sch);
	now = ktime_get_ns();
	old = q->cfg;
	q->cfg = cfg;
	if (cfg->prof)
		q->prof_base = now;	/* a new profile starts at phase 0 */
	/* A wait for a segment of rate 0 belongs to the old profile. */
	if (!q->head_busy && q->link_free > now)
		q->link_free = now;
	random_reset(q, cfg, now);
	if (sch->q.qlen)
		link_arm(q);
	sch_tree_unlock(sch);
	tbx_link_cfg_free(old);
}

static int tbx_change(struct Qdisc *sch, struct nlattr *opt,
		      struct netlink_ext_ack *extack)
{
	struct tbx_link_cfg *cfg = tbx_link_cfg_parse(opt, extack);

	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	tbx_apply(sch, cfg);
	return 0;
}

static int tbx_init(struct Qdisc *sch, struct nlattr *opt,
		    struct netlink_ext_ack *extack)
{
	struct tbx_link *q = qdisc_priv(sch);
	struct tbx_link_cfg *cfg;

	qdisc_watchdog_init(&q->wd, sch);
	__skb_queue_head_init(&q->buffer);
	__skb_queue_head_init(&q->flight);
	__skb_queue_head_init(&q->express);

	cfg = tbx_link_cfg_parse(opt, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	q->born = ktime_get_ns();
	q->link_free = q->born;
	q->prof_base = q->born;
	q->cfg = cfg;
	prandom_seed_state(&q->rnd, get_random_u64());
	random_reset(q, cfg, q->born);
	tbx_link_series_start(&q->series, q->born);
	atomic_inc(&tbx_live.qdiscs);
	return 0;
}

static void tbx_destroy(struct Qdisc *sch)
{
	struct tbx_link *q = qdisc_priv(sch);

	qdisc_watchdog_cancel(&q->wd);
	if (q->cfg) {
		tbx_link_cfg_free(q->cfg);
		q->cfg = NULL;
		atomic_dec(&tbx_live.qdiscs);
	}
}

static int tbx_dump(struct Qdisc *sch, struct sk_buff *skb)
{
	struct tbx_link *q = qdisc_priv(sch);
	struct nlattr *opts = nla_nest_start_noflag(skb, TCA_OPTIONS);

	if (!opts || tbx_link_cfg_dump(skb, q->cfg)) {
		nla_nest_cancel(skb, opts);
		return -EMSGSIZE;
	}
	return nla_nest_end(skb, opts);
}

static int tbx_dump_stats(struct Qdisc *sch, struct gnet_dump *d)
{
	struct tbx_link *q = qdisc_priv(sch);
	struct tc_tbx_xstats x;

	tbx_link_series_roll(&q->series, q->cfg->interval, ktime_get_ns());
	tbx_link_xstats(q, &x);
	return gnet_stats_copy_app(d, &x, sizeof(x));
}

struct Qdisc_ops tbx_qdisc_ops __read_mostly = {
	.id		= "tbx",
	.priv_size	= sizeof(struct tbx_link),
	.enqueue	= tbx_enqueue,
	.dequeue	= tbx_dequeue,
	.peek		= qdisc_peek_dequeued,
	.init		= tbx_init,
	.reset		= tbx_reset,
	.destroy	= tbx_destroy,
	.change		= tbx_change,
	.dump		= tbx_dump,
	.dump_stats	= tbx_dump_stats,
	.owner		= THIS_MODULE,
};

int __init tbx_link_init(void)
{
	return register_qdisc(&tbx_qdisc_ops);
}

void tbx_link_exit(void)
{
	unregister_qdisc(&tbx_qdisc_ops);
}
