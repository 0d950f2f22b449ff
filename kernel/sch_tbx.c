// SPDX-License-Identifier: GPL-2.0
/*
 * The tbx qdisc's datapath: a link with a finite buffer, a serializer at
 * a rate, and a propagation delay with jitter, loss, duplication and
 * corruption. A packet waits in `buffer` (FIFO) until the serializer has
 * carried it, then in `flight` (ordered by delivery time, so jitter may
 * reorder as netem's does) until its delay is over. Nothing is computed
 * ahead: the serializer advances when the qdisc is dequeued, so a change
 * of rate (tc change, or the profile's next segment) applies from the
 * next packet the serializer takes, with no gap.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/pkt_sched.h>
#include <net/sch_generic.h>
#include <net/sock.h>

#include "link.h"
#include "link_dist.h"
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

static u64 sample_delay(const struct tbx_link *q, u64 t)
{
	const struct tbx_link_cfg *c = q->cfg;
	s64 d = delay_at(q, t);

	if (c->jitter)
		d = tbx_dist_sample(c->dist, get_random_u32(), d, c->jitter);
	return d > 0 ? d : 0;
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
				q->head_end += tbx_link_tx_ns(qdisc_pkt_len(skb),
							      c->overhead, rate);
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
		next = min(next, tbx_cb(skb)->deliver);
	if (next != U64_MAX)
		qdisc_watchdog_schedule_ns(&q->wd, next);
}

static void note_backlog(struct tbx_link *q, struct Qdisc *sch)
{
	q->cnt.buffer_max = max(q->cnt.buffer_max, q->buffer_bytes);
	q->cnt.backlog_max = max_t(u64, q->cnt.backlog_max,
				   sch->qstats.backlog);
}

/* Takes @skb into the buffer, or drops it when it does not fit. */
static int admit(struct tbx_link *q, struct Qdisc *sch, struct sk_buff *skb,
		 u64 now, struct sk_buff **to_free)
{
	const struct tbx_link_cfg *c = q->cfg;
	unsigned int len = qdisc_pkt_len(skb);

	if (sch->q.qlen >= c->limit) {
		q->cnt.drops_overlimit++;
		return qdisc_drop(skb, sch, to_free);
	}
	if (c->buffer && q->buffer_bytes + len > c->buffer) {
		q->cnt.drops_buffer++;
		return qdisc_drop(skb, sch, to_free);
	}
	tbx_cb(skb)->arrival = now;
	__skb_queue_tail(&q->buffer, skb);
	q->buffer_bytes += len;
	sch->q.qlen++;
	qdisc_qstats_backlog_inc(sch, skb);
	note_backlog(q, sch);
	return NET_XMIT_SUCCESS;
}

/*
 * Flips one bit of the linear data, after completing a checksum left to
 * the device so the receiver can see the damage. GSO packets are left
 * alone (false): segmenting them here is not worth the cost.
 */
static bool link_corrupt(struct sk_buff *skb)
{
	if (skb_is_gso(skb) || !skb_headlen(skb))
		return false;
	if (skb_ensure_writable(skb, skb_headlen(skb)))
		return false;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return false;
	skb->data[get_random_u32_below(skb_headlen(skb))] ^=
		1 << get_random_u32_below(8);
	return true;
}

static int tbx_enqueue(struct sk_buff *skb, struct Qdisc *sch,
		       struct sk_buff **to_free)
{
	struct tbx_link *q = qdisc_priv(sch);
	const struct tbx_link_cfg *c = q->cfg;
	struct sk_buff *dup = NULL;
	u64 now = ktime_get_ns();
	int copies = 1, ret;

	tbx_link_series_roll(&q->series, c->interval, now);

	/*
	 * Counted so that delivered = offered + duplicated - lost exactly: a
	 * packet both duplicated and lost passes once and counts in both.
	 */
	if (tbx_link_chance(get_random_u32(), c->duplicate)) {
		copies++;
		q->cnt.duplicated++;
	}
	if (tbx_link_chance(get_random_u32(), loss_at(q, now))) {
		copies--;
		q->cnt.drops_loss++;
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
	if (tbx_link_chance(get_random_u32(), c->corrupt) && link_corrupt(skb))
		q->cnt.corrupted++;

	ret = admit(q, sch, skb, now, to_free);
	if (dup)
		admit(q, sch, dup, now, to_free);
	return ret;
}

static struct sk_buff *tbx_dequeue(struct Qdisc *sch)
{
	struct tbx_link *q = qdisc_priv(sch);
	u64 now = ktime_get_ns();
	struct sk_buff *skb;
	struct tbx_link_ivl *ivl = &q->series.cur;
	u64 sojourn;

	tbx_link_series_roll(&q->series, q->cfg->interval, now);
	link_serialize(q, now);
	skb = skb_peek(&q->flight);
	if (!skb || tbx_cb(skb)->deliver > now) {
		link_arm(q);
		return NULL;
	}
	__skb_unlink(skb, &q->flight);
	sch->q.qlen--;
	qdisc_qstats_backlog_dec(sch, skb);
	qdisc_bstats_update(sch, skb);

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
	q->buffer_bytes = 0;
	q->head_busy = false;
	sch->q.qlen = 0;
	sch->qstats.backlog = 0;
	qdisc_watchdog_cancel(&q->wd);
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

	cfg = tbx_link_cfg_parse(opt, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	q->born = ktime_get_ns();
	q->link_free = q->born;
	q->prof_base = q->born;
	q->cfg = cfg;
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
