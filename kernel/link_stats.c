// SPDX-License-Identifier: GPL-2.0
/*
 * The tbx qdisc's statistics beyond tc's: drops by reason, high-water
 * marks, and a series of closed intervals (delivered bytes, sojourn
 * times), as xstats and over generic netlink (TBX_CMD_LINK_GET).
 */
#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "link.h"
#include "tbx.h"

void tbx_link_series_start(struct tbx_link_series *s, u64 now)
{
	memset(s, 0, sizeof(*s));
	s->cur.start = now;
}

static void close_one(struct tbx_link_series *s, u64 interval)
{
	s->ring[s->next] = s->cur;
	s->next = (s->next + 1) % TBX_LINK_INTERVALS_KEPT;
	s->closed++;
	memset(&s->cur, 0, sizeof(s->cur));
	s->cur.index = s->ring[(s->next + TBX_LINK_INTERVALS_KEPT - 1) %
			       TBX_LINK_INTERVALS_KEPT].index + 1;
	s->cur.start = s->ring[(s->next + TBX_LINK_INTERVALS_KEPT - 1) %
			       TBX_LINK_INTERVALS_KEPT].start + interval;
}

/* Closes every interval that ended by @now, the empty ones included. */
void tbx_link_series_roll(struct tbx_link_series *s, u64 interval, u64 now)
{
	u64 n;

	if (now < s->cur.start + interval)
		return;
	n = div64_u64(now - s->cur.start, interval);
	close_one(s, interval);
	n--;
	/* After a long idle spell only the last few empty ones are kept. */
	if (n > TBX_LINK_INTERVALS_KEPT) {
		u64 skip = n - TBX_LINK_INTERVALS_KEPT;

		s->cur.index += skip;
		s->cur.start += skip * interval;
		s->closed += skip;
		n = TBX_LINK_INTERVALS_KEPT;
	}
	while (n--)
		close_one(s, interval);
}

/*
 * The interval @t falls in, for a packet the host dequeued late: the
 * current one, or a closed one still kept (its figures grow after it
 * closed), so the series is the emulated link's own and not the host's
 * scheduling lag. Older than the ring, or ahead of now: the current one.
 */
struct tbx_link_ivl *tbx_link_series_at(struct tbx_link_series *s, u64 interval,
					u64 t)
{
	u64 back, kept;

	if (t >= s->cur.start)
		return &s->cur;
	back = div64_u64(s->cur.start - t - 1, interval) + 1;
	kept = min_t(u64, s->closed, TBX_LINK_INTERVALS_KEPT);
	if (back > kept)
		return &s->cur;
	return &s->ring[(s->next + TBX_LINK_INTERVALS_KEPT - back) %
			TBX_LINK_INTERVALS_KEPT];
}

static const struct tbx_link_ivl *last_closed(const struct tbx_link_series *s)
{
	if (!s->closed)
		return NULL;
	return &s->ring[(s->next + TBX_LINK_INTERVALS_KEPT - 1) %
			TBX_LINK_INTERVALS_KEPT];
}

static u64 sojourn_mean(const struct tbx_link_ivl *ivl)
{
	return ivl->packets ? div64_u64(ivl->sojourn_sum, ivl->packets) : 0;
}

void tbx_link_xstats(const struct tbx_link *q, struct tc_tbx_xstats *x)
{
	const struct tbx_link_ivl *last = last_closed(&q->series);

	memset(x, 0, sizeof(*x));
	x->buffer_max = q->cnt.buffer_max;
	x->backlog_max = q->cnt.backlog_max;
	x->drops_overlimit = q->cnt.drops_overlimit;
	x->drops_loss = q->cnt.drops_loss;
	x->drops_buffer = q->cnt.drops_buffer;
	x->duplicated = q->cnt.duplicated;
	x->corrupted = q->cnt.corrupted;
	x->ecn_marked = q->cnt.ecn_marked;
	x->reordered = q->cnt.reordered;
	x->delivered_packets = q->cnt.delivered_packets;
	x->delivered_bytes = q->cnt.delivered_bytes;
	x->interval = q->cfg->interval;
	x->intervals_closed = q->series.closed;
	if (last) {
		x->last_bytes = last->bytes;
		x->last_packets = last->packets;
		x->last_sojourn_mean = sojourn_mean(last);
		x->last_sojourn_max = last->sojourn_max;
	}
}

/* --- TBX_CMD_LINK_GET ------------------------------------------------ */

const struct nla_policy tbx_link_policy[TBX_LINK_A_MAX + 1] = {
	[TBX_LINK_A_IFINDEX]	= { .type = NLA_U32 },
};

/* What the reply carries, copied under the qdisc's lock. */
struct tbx_link_snap {
	u32 ifindex;
	u32 handle;
	u64 born;
	u64 interval;
	struct tbx_link_counters cnt;
	u32 n;
	struct tbx_link_ivl ivl[TBX_LINK_INTERVALS_KEPT];
};

static void snapshot(struct Qdisc *sch, struct tbx_link_snap *s)
{
	struct tbx_link *q = qdisc_priv(sch);
	u64 kept, i;

	sch_tree_lock(sch);
	tbx_link_series_roll(&q->series, q->cfg->interval, ktime_get_ns());
	s->handle = sch->handle;
	s->born = q->born;
	s->interval = q->cfg->interval;
	s->cnt = q->cnt;
	kept = min_t(u64, q->series.closed, TBX_LINK_INTERVALS_KEPT);
	for (i = 0; i < kept; i++)
		s->ivl[i] = q->series.ring[(q->series.next +
					    TBX_LINK_INTERVALS_KEPT - kept + i) %
					   TBX_LINK_INTERVALS_KEPT];
	s->n = kept;
	sch_tree_unlock(sch);
}

static int put_u64(struct sk_buff *skb, int type, u64 v, int pad)
{
	return nla_put_u64_64bit(skb, type, v, pad);
}

static int fill_ivl(struct sk_buff *skb, const struct tbx_link_ivl *ivl,
		    u64 born)
{
	struct nlattr *item = nla_nest_start(skb, TBX_LINK_A_ITEM);

	if (!item ||
	    put_u64(skb, TBX_IVL_A_INDEX, ivl->index, TBX_IVL_A_PAD) ||
	    put_u64(skb, TBX_IVL_A_START, ivl->start - born, TBX_IVL_A_PAD) ||
	    put_u64(skb, TBX_IVL_A_BYTES, ivl->bytes, TBX_IVL_A_PAD) ||
	    put_u64(skb, TBX_IVL_A_PACKETS, ivl->packets, TBX_IVL_A_PAD) ||
	    put_u64(skb, TBX_IVL_A_SOJOURN_MEAN,
		    ivl->packets ? div64_u64(ivl->sojourn_sum, ivl->packets) : 0,
		    TBX_IVL_A_PAD) ||
	    put_u64(skb, TBX_IVL_A_SOJOURN_MAX, ivl->sojourn_max,
		    TBX_IVL_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, item);
	return 0;
}

static int fill_link(struct sk_buff *skb, const struct tbx_link_snap *s)
{
	const struct tbx_link_counters *c = &s->cnt;
	struct nlattr *link, *ivls;
	u32 i;

	link = nla_nest_start(skb, TBX_A_LINK);
	if (!link ||
	    nla_put_u32(skb, TBX_LINK_A_IFINDEX, s->ifindex) ||
	    nla_put_u32(skb, TBX_LINK_A_HANDLE, s->handle) ||
	    put_u64(skb, TBX_LINK_A_BUFFER_MAX, c->buffer_max, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_BACKLOG_MAX, c->backlog_max, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DROPS_OVERLIMIT, c->drops_overlimit,
		    TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DROPS_LOSS, c->drops_loss, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DROPS_BUFFER, c->drops_buffer,
		    TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DUPLICATED, c->duplicated, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_CORRUPTED, c->corrupted, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_ECN_MARKED, c->ecn_marked, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_REORDERED, c->reordered, TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DELIVERED_PACKETS, c->delivered_packets,
		    TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_DELIVERED_BYTES, c->delivered_bytes,
		    TBX_LINK_A_PAD) ||
	    put_u64(skb, TBX_LINK_A_INTERVAL, s->interval, TBX_LINK_A_PAD))
		return -EMSGSIZE;
	ivls = nla_nest_start(skb, TBX_LINK_A_INTERVALS);
	if (!ivls)
		return -EMSGSIZE;
	for (i = 0; i < s->n; i++)
		if (fill_ivl(skb, &s->ivl[i], s->born))
			return -EMSGSIZE;
	nla_nest_end(skb, ivls);
	nla_nest_end(skb, link);
	return 0;
}

int tbx_nl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_LINK_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct tbx_link_snap *s;
	struct net_device *dev;
	struct sk_buff *msg;
	struct Qdisc *sch;
	void *hdr;
	int err;

	if (!info->attrs[TBX_A_LINK]) {
		NL_SET_ERR_MSG(extack, "link: the request needs a link nest");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, TBX_LINK_A_MAX, info->attrs[TBX_A_LINK],
			       tbx_link_policy, extack);
	if (err)
		return err;
	if (!tb[TBX_LINK_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[TBX_A_LINK],
				    "link: ifindex is missing");
		return -EINVAL;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->ifindex = nla_get_u32(tb[TBX_LINK_A_IFINDEX]);

	rtnl_lock();
	dev = __dev_get_by_index(genl_info_net(info), s->ifindex);
	sch = dev ? rtnl_dereference(dev->qdisc) : NULL;
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_LINK_A_IFINDEX],
				    "link: no device with this ifindex");
		err = -ENODEV;
	} else if (!sch || sch->ops != &tbx_qdisc_ops) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_LINK_A_IFINDEX],
				    "link: the device's root qdisc is not tbx");
		err = -ENOENT;
	} else {
		snapshot(sch, s);
	}
	rtnl_unlock();
	if (err)
		goto out;

	err = -ENOMEM;
	msg = genlmsg_new(16384, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &tbx_genl_family, 0,
				TBX_CMD_LINK_GET);
	if (!hdr || fill_link(msg, s)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	kfree(s);
	return err;
}
