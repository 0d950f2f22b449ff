// SPDX-License-Identifier: GPL-2.0
/*
 * net runs: an in-kernel packet generator. One kernel thread per run
 * builds frames (net_build.c) and hands them to dev_queue_xmit(), so
 * qdiscs, tc and taps see the traffic, paced by pace.c.
 *
 * The device. A run holds a tracked reference from create until stop or
 * free. A netdevice notifier fails every run on a device being
 * unregistered and drops the reference at once, so unregister (ip link
 * del, ip netns del) never waits for a run. p->dev changes only with both
 * tbx_net_lock and p->xmit_lock held; the thread holds xmit_lock while it
 * uses the device (one burst, or one neighbour lookup).
 *
 * Lock order: run->lock, rtnl -> tbx_net_lock -> p->xmit_lock; p->rate_lock
 * is innermost. The thread takes only xmit_lock and rate_lock.
 */
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/arp.h>
#include <net/neighbour.h>

#include "net.h"
#include "pace.h"
#include "run.h"

#define TBX_NET_BURST		64	/* frames sent between reschedules */
#define TBX_NET_ARP_WAIT	NSEC_PER_SEC
/*
 * Shorter sleeps cost more than they pace (a timer and a wakeup per frame
 * at 100 kpps): the thread waits at least this long and sends what fell due
 * as one burst. The count stays exact, so the mean rate does too.
 */
#define TBX_NET_SLEEP_MIN_NS	(100 * NSEC_PER_USEC)
#define TBX_NET_SLACK_NS	50000	/* the most a wake-up may be late */

struct tbx_net {
	struct tbx_run *run;
	struct list_head node;		/* in tbx_net_list */

	/* Parameters: fixed at create. */
	int ifindex;
	char ifname[IFNAMSIZ];
	bool mac_given;
	struct tbx_net_tmpl tmpl;

	/* The rate: set() changes it under rate_lock, the thread reads it. */
	spinlock_t rate_lock;
	struct tbx_pace pace;		/* pace.prof is owned (kvfree) */
	u32 rate_gen;			/* bumped on every change */

	struct mutex xmit_lock;
	struct net_device *dev;		/* NULL once let go */
	netdevice_tracker tracker;
	bool dev_gone;			/* the notifier took it */

	struct task_struct *thread;
	u8 resolved_mac[ETH_ALEN];
	bool mac_ready;			/* resolved_mac is set (release) */

	atomic64_t packets, bytes, drops;
	atomic64_t tx_start;		/* realtime ns, 0 = not yet */
};

static DEFINE_MUTEX(tbx_net_lock);
static LIST_HEAD(tbx_net_list);

/* --- the device ------------------------------------------------------------ */

/* Lets go of the device; tbx_net_lock held. */
static void tbx_net_release(struct tbx_net *p)
{
	struct net_device *dev;

	mutex_lock(&p->xmit_lock);
	dev = p->dev;
	p->dev = NULL;
	mutex_unlock(&p->xmit_lock);
	if (dev)
		netdev_put(dev, &p->tracker);
}

static int tbx_net_event(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	char msg[TBX_RUN_MESSAGE_MAX];
	struct tbx_net *p;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	mutex_lock(&tbx_net_lock);
	list_for_each_entry(p, &tbx_net_list, node) {
		if (p->dev != dev)
			continue;
		snprintf(msg, sizeof(msg), "net: device %s went away", p->ifname);
		tbx_run_fail(p->run, msg);
		WRITE_ONCE(p->dev_gone, true);
		tbx_net_release(p);
	}
	mutex_unlock(&tbx_net_lock);
	return NOTIFY_DONE;
}

static struct notifier_block tbx_net_nb = {
	.notifier_call = tbx_net_event,
};

/* The device's primary IPv4 address, or 0. */
static __be32 tbx_net_dev_addr(struct net_device *dev)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
				addr = ifa->ifa_local;
				break;
			}
		}
	}
	rcu_read_unlock();
	return addr;
}

/* --- the generator thread ----------------------------------------------- */

/* Looks the destination up in the device's ARP table, asking if need be. */
static bool tbx_net_neigh(struct net_device *dev, __be32 dst, u8 *mac)
{
	struct neighbour *n = __neigh_lookup(&arp_tbl, &dst, dev, 1);
	bool ok = false;

	if (!n)
		return false;
	neigh_event_send(n, NULL);
	if (READ_ONCE(n->nud_state) & NUD_VALID) {
		neigh_ha_snapshot((char *)mac, n, dev);
		ok = true;
	}
	/* Not kept: a held neighbour would hold the device. */
	neigh_release(n);
	return ok;
}

/*
 * Completes the thread's copy of the template: the device's MAC, and the
 * destination's, resolved here rather than in start() so no request (and
 * no genl_lock) waits for ARP. 0, or an error once the run was failed.
 */
static int tbx_net_prepare(struct tbx_net *p, struct tbx_net_tmpl *t)
{
	u64 deadline = ktime_get_ns() + TBX_NET_ARP_WAIT;
	bool ok;

	mutex_lock(&p->xmit_lock);
	if (p->dev)
		ether_addr_copy(t->src_mac, p->dev->dev_addr);
	mutex_unlock(&p->xmit_lock);
	if (p->mac_given)
		return 0;

	for (;;) {
		mutex_lock(&p->xmit_lock);
		ok = p->dev && tbx_net_neigh(p->dev, t->dst, t->dst_mac);
		mutex_unlock(&p->xmit_lock);
		if (ok)
			break;
		if (kthread_should_stop() || READ_ONCE(p->dev_gone))
			return -ENODEV;
		if (ktime_get_ns() > deadline) {
			tbx_run_fail(p->run, "net: no ARP reply from the destination");
			return -EHOSTUNREACH;
		}
		schedule_timeout_interruptible(msecs_to_jiffies(10));
	}
	ether_addr_copy(p->resolved_mac, t->dst_mac);
	smp_store_release(&p->mac_ready, true);
	return 0;
}

static struct sk_buff *tbx_net_skb(struct net_device *dev,
				   const struct tbx_net_tmpl *t, u64 seq,
				   struct rnd_state *rnd)
{
	unsigned int head = LL_RESERVED_SPACE(dev);
	struct sk_buff *skb;

	skb = alloc_skb(head + t->size, GFP_KERNEL | __GFP_NOWARN);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	tbx_net_build(t, skb_put(skb, t->size), seq, rnd);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + sizeof(struct iphdr));
	return skb;
}

/* Sends frames @seq.. @seq + @n - 1; -ENODEV once the device is gone. */
static int tbx_net_burst(struct tbx_net *p, const struct tbx_net_tmpl *t,
			 u64 seq, u32 n, struct rnd_state *rnd)
{
	u64 ok = 0, drops = 0;
	struct sk_buff *skb;
	u32 i;

	mutex_lock(&p->xmit_lock);
	if (!p->dev) {
		mutex_unlock(&p->xmit_lock);
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		skb = tbx_net_skb(p->dev, t, seq + i, rnd);
		if (skb && dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			ok++;
		else
			drops++;
	}
	mutex_unlock(&p->xmit_lock);

	atomic64_add(ok, &p->packets);
	atomic64_add(ok * t->size, &p->bytes);
	atomic64_add(drops, &p->drops);
	return 0;
}

/*
 * Sleeps until @until (CLOCK_MONOTONIC ns, U64_MAX: until woken), or
 * until stopped, the rate changes (gen) or the device goes.
 */
static void tbx_net_sleep(struct tbx_net *p, u64 until, u32 gen)
{
	u64 now = ktime_get_ns();
	ktime_t kt;

	if (until < now + TBX_NET_SLEEP_MIN_NS)
		until = now + TBX_NET_SLEEP_MIN_NS;
	set_current_state(TASK_INTERRUPTIBLE);
	if (kthread_should_stop() || READ_ONCE(p->rate_gen) != gen ||
	    READ_ONCE(p->dev_gone)) {
		__set_current_state(TASK_RUNNING);
		return;
	}
	if (until > KTIME_MAX) {
		schedule();
	} else {
		kt = ns_to_ktime(until);
		schedule_hrtimeout_range(&kt, min_t(u64, (until - now) / 8,
						    TBX_NET_SLACK_NS),
					 HRTIMER_MODE_ABS);
	}
	__set_current_state(TASK_RUNNING);
}

/*
 * Sends what is due, in bursts, and sleeps when ahead. A rate change
 * re-bases the count (tbx_pacer), so nothing catches up on the past.
 */
static void tbx_net_generate(struct tbx_net *p, const struct tbx_net_tmpl *t)
{
	u64 t0 = ktime_get_ns(), now, due, next, sent = 0;
	u32 gen = READ_ONCE(p->rate_gen) - 1;
	struct tbx_pacer pc = {};
	struct rnd_state rnd;

	prandom_seed_state(&rnd, get_random_u64());
	atomic64_set(&p->tx_start, ktime_get_real_ns());
	while (!kthread_should_stop()) {
		now = ktime_get_ns() - t0;
		next = 0;
		spin_lock(&p->rate_lock);
		if (gen != p->rate_gen) {
			gen = p->rate_gen;
			tbx_pacer_rebase(&pc, &p->pace, now, sent);
		}
		due = tbx_pacer_due(&pc, &p->pace, now);
		if (due <= sent)
			next = tbx_pacer_when(&pc, &p->pace, now, sent);
		spin_unlock(&p->rate_lock);

		if (due > sent) {
			u32 n = min_t(u64, due - sent, TBX_NET_BURST);

			if (tbx_net_burst(p, t, sent, n, &rnd))
				return;
			sent += n;
			cond_resched();
			continue;
		}
		tbx_net_sleep(p, next > U64_MAX - t0 ? U64_MAX : t0 + next, gen);
	}
}

static int tbx_net_thread(void *arg)
{
	struct tbx_net *p = arg;
	struct tbx_net_tmpl t = p->tmpl;

	if (!tbx_net_prepare(p, &t))
		tbx_net_generate(p, &t);

	/* Only kthread_stop() ends the thread (stop() waits for it). */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* --- parameters ------------------------------------------------------------ */

static const struct nla_policy tbx_segment_policy[TBX_SEGMENT_A_MAX + 1] = {
	[TBX_SEGMENT_A_OFFSET]		= { .type = NLA_U64 },
	[TBX_SEGMENT_A_RATE_BPS]	= { .type = NLA_U64 },
};

static const struct nla_policy tbx_profile_policy[TBX_PROFILE_A_MAX + 1] = {
	[TBX_PROFILE_A_PERIOD]		= { .type = NLA_U64 },
	[TBX_PROFILE_A_SEGMENT]		= NLA_POLICY_NESTED(tbx_segment_policy),
};

static const struct nla_policy tbx_net_policy[TBX_NET_A_MAX + 1] = {
	[TBX_NET_A_IFINDEX]	= { .type = NLA_U32 },
	[TBX_NET_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[TBX_NET_A_PATTERN]	= { .type = NLA_U8 },
	[TBX_NET_A_RATE_PPS]	= { .type = NLA_U64 },
	[TBX_NET_A_RATE_BPS]	= { .type = NLA_U64 },
	[TBX_NET_A_SIZE]	= { .type = NLA_U32 },
	[TBX_NET_A_DST]		= { .type = NLA_BE32 },
	[TBX_NET_A_DST_PORT]	= { .type = NLA_U16 },
	[TBX_NET_A_SRC_MIN]	= { .type = NLA_BE32 },
	[TBX_NET_A_SRC_MAX]	= { .type = NLA_BE32 },
	[TBX_NET_A_DST_MAC]	= { .type = NLA_BINARY, .len = ETH_ALEN },
	[TBX_NET_A_PROFILE]	= NLA_POLICY_NESTED(tbx_profile_policy),
};

/* Checks one segment into @s, after @prev (NULL for the first). */
static int tbx_net_parse_segment(struct nlattr *a, u64 period,
				 struct tbx_profile_seg *s,
				 const struct tbx_profile_seg *prev,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TBX_SEGMENT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, TBX_SEGMENT_A_MAX, a, tbx_segment_policy,
			       extack);
	if (err)
		return err;
	if (!tb[TBX_SEGMENT_A_OFFSET]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "net: profile segment needs an offset");
		return -EINVAL;
	}
	if (!tb[TBX_SEGMENT_A_RATE_BPS]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "net: profile segment needs rate-bps");
		return -EINVAL;
	}
	s->offset = nla_get_u64(tb[TBX_SEGMENT_A_OFFSET]);
	s->bps = nla_get_u64(tb[TBX_SEGMENT_A_RATE_BPS]);
	if (s->bps > TBX_NET_RATE_BPS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_SEGMENT_A_RATE_BPS],
				    "net: profile segment rate-bps must be at most 400 Gbit/s");
		return -EINVAL;
	}
	if (!prev && s->offset) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_SEGMENT_A_OFFSET],
				    "net: the first profile segment must start at offset 0");
		return -EINVAL;
	}
	if (prev && s->offset <= prev->offset) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_SEGMENT_A_OFFSET],
				    "net: profile segment offsets must increase strictly");
		return -EINVAL;
	}
	if (s->offset >= period) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_SEGMENT_A_OFFSET],
				    "net: profile segment offset must be below the period");
		return -EINVAL;
	}
	return 0;
}

static struct tbx_profile *tbx_net_parse_profile(struct nlattr *nest,
						 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TBX_PROFILE_A_MAX + 1], *a;
	struct tbx_profile *p;
	u32 count = 0, i = 0;
	int rem, err;
	u64 period;

	err = nla_parse_nested(tb, TBX_PROFILE_A_MAX, nest, tbx_profile_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[TBX_PROFILE_A_PERIOD]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "net: profile needs a period");
		return ERR_PTR(-EINVAL);
	}
	period = nla_get_u64(tb[TBX_PROFILE_A_PERIOD]);
	if (!period) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_PROFILE_A_PERIOD],
				    "net: profile period must be > 0 (ns)");
		return ERR_PTR(-EINVAL);
	}
	if (period > TBX_PROFILE_PERIOD_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_PROFILE_A_PERIOD],
				    "net: profile period must be at most 366 days");
		return ERR_PTR(-EINVAL);
	}
	nla_for_each_nested(a, nest, rem)
		count += nla_type(a) == TBX_PROFILE_A_SEGMENT;
	if (!count) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "net: profile needs at least one segment");
		return ERR_PTR(-EINVAL);
	}
	if (count > TBX_PROFILE_SEGMENTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "net: profile has more than "
				    __stringify(TBX_PROFILE_SEGMENTS_MAX) " segments");
		return ERR_PTR(-EINVAL);
	}

	p = kvzalloc(struct_size(p, seg, count), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->period = period;
	p->count = count;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != TBX_PROFILE_A_SEGMENT)
			continue;
		err = tbx_net_parse_segment(a, period, &p->seg[i],
					    i ? &p->seg[i - 1] : NULL, extack);
		if (err) {
			kvfree(p);
			return ERR_PTR(err);
		}
		i++;
	}
	tbx_profile_finish(p);
	return p;
}

/* The rate of a NEW or SET request into @r: exactly one of three. */
static int tbx_net_parse_rate(struct nlattr **tb, u32 size, struct tbx_pace *r,
			      struct netlink_ext_ack *extack)
{
	int n = !!tb[TBX_NET_A_RATE_PPS] + !!tb[TBX_NET_A_RATE_BPS] +
		!!tb[TBX_NET_A_PROFILE];
	struct tbx_profile *prof;

	memset(r, 0, sizeof(*r));
	r->frame_bits = 8 * size;
	if (!n) {
		NL_SET_ERR_MSG(extack, "net: a rate is required: rate-pps, rate-bps or profile");
		return -EINVAL;
	}
	if (n > 1) {
		NL_SET_ERR_MSG(extack, "net: give only one of rate-pps, rate-bps and profile");
		return -EINVAL;
	}
	if (tb[TBX_NET_A_RATE_PPS]) {
		r->pps = nla_get_u64(tb[TBX_NET_A_RATE_PPS]);
		if (!r->pps || r->pps > TBX_NET_RATE_PPS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_RATE_PPS],
					    "net: rate-pps must be 1..100000000");
			return -EINVAL;
		}
	} else if (tb[TBX_NET_A_RATE_BPS]) {
		r->bps = nla_get_u64(tb[TBX_NET_A_RATE_BPS]);
		if (r->bps < r->frame_bits) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_RATE_BPS],
					    "net: rate-bps must be at least 8 x size (one frame a second)");
			return -EINVAL;
		}
		if (r->bps > TBX_NET_RATE_BPS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_RATE_BPS],
					    "net: rate-bps must be at most 400 Gbit/s");
			return -EINVAL;
		}
	} else {
		prof = tbx_net_parse_profile(tb[TBX_NET_A_PROFILE], extack);
		if (IS_ERR(prof))
			return PTR_ERR(prof);
		r->prof = prof;
	}
	return 0;
}

/* The device a NEW request names, with an untracked reference. */
static struct net_device *tbx_net_get_dev(struct nlattr **tb, struct net *net,
					  struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!!tb[TBX_NET_A_IFINDEX] == !!tb[TBX_NET_A_IFNAME]) {
		NL_SET_ERR_MSG(extack, "net: give the device by exactly one of ifindex and ifname");
		return ERR_PTR(-EINVAL);
	}
	if (tb[TBX_NET_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(tb[TBX_NET_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_IFINDEX],
					    "net: no device with this ifindex in the caller's netns");
			return ERR_PTR(-ENODEV);
		}
	} else {
		dev = dev_get_by_name(net, nla_data(tb[TBX_NET_A_IFNAME]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_IFNAME],
					    "net: no device with this name in the caller's netns");
			return ERR_PTR(-ENODEV);
		}
	}
	if (dev->type != ARPHRD_ETHER) {
		NL_SET_ERR_MSG(extack, "net: the device is not Ethernet");
		goto refuse;
	}
	if (!(dev->flags & IFF_UP)) {
		NL_SET_ERR_MSG(extack, "net: the device is down");
		goto refuse;
	}
	return dev;
refuse:
	dev_put(dev);
	return ERR_PTR(-EINVAL);
}

static int tbx_net_parse_pattern(struct nlattr **tb, struct net_device *dev,
				 struct tbx_net_tmpl *t,
				 struct netlink_ext_ack *extack)
{
	if (!tb[TBX_NET_A_PATTERN]) {
		NL_SET_ERR_MSG(extack, "net: pattern is required (udp, tcp-syn, icmp-echo or fuzz)");
		return -EINVAL;
	}
	t->pattern = nla_get_u8(tb[TBX_NET_A_PATTERN]);
	if (!tbx_net_min_size(t->pattern)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_PATTERN],
				    "net: pattern must be udp (1), tcp-syn (2), icmp-echo (3) or fuzz (4)");
		return -EINVAL;
	}
	t->size = TBX_NET_SIZE_DEFAULT;
	if (tb[TBX_NET_A_SIZE])
		t->size = nla_get_u32(tb[TBX_NET_A_SIZE]);
	if (t->size < tbx_net_min_size(t->pattern)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_SIZE],
				    "net: size is below the pattern's minimum (udp, icmp-echo 42; tcp-syn, fuzz 54)");
		return -EINVAL;
	}
	if (t->size > dev->mtu + ETH_HLEN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_SIZE],
				    "net: size exceeds the device's MTU + 14 (Ethernet header)");
		return -EINVAL;
	}
	return 0;
}

static int tbx_net_parse_addrs(struct nlattr **tb, struct net_device *dev,
			       struct tbx_net_tmpl *t,
			       struct netlink_ext_ack *extack)
{
	__be32 src;

	if (!tb[TBX_NET_A_DST]) {
		NL_SET_ERR_MSG(extack, "net: dst (an IPv4 address) is required");
		return -EINVAL;
	}
	t->dst = nla_get_be32(tb[TBX_NET_A_DST]);
	if (ipv4_is_zeronet(t->dst) || ipv4_is_multicast(t->dst) ||
	    ipv4_is_lbcast(t->dst)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_DST],
				    "net: dst must be a unicast address (not 0.x, multicast or broadcast)");
		return -EINVAL;
	}
	t->dst_port = TBX_NET_DST_PORT_DEFAULT;
	if (tb[TBX_NET_A_DST_PORT])
		t->dst_port = nla_get_u16(tb[TBX_NET_A_DST_PORT]);

	if (tb[TBX_NET_A_SRC_MAX] && !tb[TBX_NET_A_SRC_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_SRC_MAX],
				    "net: src-max needs src-min");
		return -EINVAL;
	}
	if (tb[TBX_NET_A_SRC_MIN]) {
		src = nla_get_be32(tb[TBX_NET_A_SRC_MIN]);
	} else {
		src = tbx_net_dev_addr(dev);
		if (!src) {
			NL_SET_ERR_MSG(extack, "net: device has no IPv4 address; give src");
			return -EINVAL;
		}
	}
	t->src_min = ntohl(src);
	t->src_max = t->src_min;
	if (tb[TBX_NET_A_SRC_MAX])
		t->src_max = ntohl(nla_get_be32(tb[TBX_NET_A_SRC_MAX]));
	if (t->src_min > t->src_max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TBX_NET_A_SRC_MAX],
				    "net: src-min must not be above src-max");
		return -EINVAL;
	}
	return 0;
}

static int tbx_net_parse_mac(struct nlattr **tb, struct tbx_net *p,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[TBX_NET_A_DST_MAC];

	if (!a)
		return 0;
	if (nla_len(a) != ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, a, "net: dst-mac must be 6 bytes");
		return -EINVAL;
	}
	if (is_zero_ether_addr(nla_data(a))) {
		NL_SET_ERR_MSG_ATTR(extack, a, "net: dst-mac must not be 00:00:00:00:00:00");
		return -EINVAL;
	}
	ether_addr_copy(p->tmpl.dst_mac, nla_data(a));
	p->mac_given = true;
	return 0;
}

/* --- the kind ------------------------------------------------------------ */

static int tbx_net_check(struct tbx_net *p, struct nlattr **tb,
			 struct net_device *dev, struct netlink_ext_ack *extack)
{
	return tbx_net_parse_pattern(tb, dev, &p->tmpl, extack) ?:
	       tbx_net_parse_addrs(tb, dev, &p->tmpl, extack) ?:
	       tbx_net_parse_mac(tb, p, extack) ?:
	       tbx_net_parse_rate(tb, p->tmpl.size, &p->pace, extack);
}

/* Lists @p for the notifier, unless its device is already going. */
static int tbx_net_publish(struct tbx_net *p, struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&tbx_net_lock);
	/* Past this check, the notifier sees the run (it runs after). */
	if (p->dev->reg_state != NETREG_REGISTERED) {
		NL_SET_ERR_MSG(extack, "net: the device is going away");
		err = -ENODEV;
	} else {
		list_add(&p->node, &tbx_net_list);
	}
	mutex_unlock(&tbx_net_lock);
	return err;
}

static int tbx_net_create(struct tbx_run *run, struct nlattr **tb, bool force,
			  struct net *net, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct tbx_net *p;
	int err;

	dev = tbx_net_get_dev(tb, net, extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		dev_put(dev);
		return -ENOMEM;
	}
	p->run = run;
	p->dev = dev;
	netdev_tracker_alloc(dev, &p->tracker, GFP_KERNEL);
	p->ifindex = dev->ifindex;
	strscpy(p->ifname, dev->name, sizeof(p->ifname));
	spin_lock_init(&p->rate_lock);
	mutex_init(&p->xmit_lock);
	atomic64_set(&p->packets, 0);
	atomic64_set(&p->bytes, 0);
	atomic64_set(&p->drops, 0);
	atomic64_set(&p->tx_start, 0);
	p->tmpl.icmp_id = get_random_u32();

	err = tbx_net_check(p, tb, dev, extack) ?: tbx_net_publish(p, extack);
	if (err) {
		kvfree(p->pace.prof);
		netdev_put(dev, &p->tracker);
		kfree(p);
		return err;
	}
	run->priv = p;
	return 0;
}

static int tbx_net_start(struct tbx_run *run, struct netlink_ext_ack *extack)
{
	struct tbx_net *p = run->priv;
	struct task_struct *t;
	bool gone;

	mutex_lock(&p->xmit_lock);
	gone = !p->dev;
	mutex_unlock(&p->xmit_lock);
	if (gone) {
		NL_SET_ERR_MSG(extack, "net: the device went away");
		tbx_run_set_message(run, "net: device %s went away", p->ifname);
		return -ENODEV;
	}
	t = kthread_create(tbx_net_thread, p, "tbx_net/%u", run->id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	p->thread = t;
	wake_up_process(t);
	return 0;
}

static void tbx_net_stop(struct tbx_run *run)
{
	struct tbx_net *p = run->priv;

	if (p->thread) {
		kthread_stop(p->thread);
		p->thread = NULL;
	}
	/* A finished run has no use for the device. */
	mutex_lock(&tbx_net_lock);
	tbx_net_release(p);
	mutex_unlock(&tbx_net_lock);
}

static int tbx_net_set(struct tbx_run *run, struct nlattr **tb, bool force,
		       struct netlink_ext_ack *extack)
{
	struct tbx_net *p = run->priv;
	struct tbx_profile *old;
	struct tbx_pace r;
	int i, err;

	for (i = 1; i <= TBX_NET_A_MAX; i++) {
		if (tb[i] && i != TBX_NET_A_RATE_PPS && i != TBX_NET_A_RATE_BPS &&
		    i != TBX_NET_A_PROFILE) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i], "net: only the rate can change");
			return -EINVAL;
		}
	}
	err = tbx_net_parse_rate(tb, p->tmpl.size, &r, extack);
	if (err)
		return err;

	spin_lock(&p->rate_lock);
	old = (struct tbx_profile *)p->pace.prof;
	p->pace = r;
	WRITE_ONCE(p->rate_gen, p->rate_gen + 1);
	spin_unlock(&p->rate_lock);
	/* The thread reads the profile only under rate_lock. */
	kvfree(old);
	if (p->thread)
		wake_up_process(p->thread);
	return 0;
}

static int tbx_net_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, TBX_NET_A_PAD);
}

static int tbx_net_put_profile(struct sk_buff *skb,
			       const struct tbx_profile *prof, bool segments)
{
	struct nlattr *nest, *sn;
	u32 i;

	nest = nla_nest_start(skb, TBX_NET_A_PROFILE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, TBX_PROFILE_A_PERIOD, prof->period,
			      TBX_PROFILE_A_PAD))
		goto cancel;
	for (i = 0; segments && i < prof->count; i++) {
		sn = nla_nest_start(skb, TBX_PROFILE_A_SEGMENT);
		if (!sn ||
		    nla_put_u64_64bit(skb, TBX_SEGMENT_A_OFFSET,
				      prof->seg[i].offset, TBX_SEGMENT_A_PAD) ||
		    nla_put_u64_64bit(skb, TBX_SEGMENT_A_RATE_BPS,
				      prof->seg[i].bps, TBX_SEGMENT_A_PAD))
			goto cancel;
		nla_nest_end(skb, sn);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int tbx_net_put_rate(struct sk_buff *skb, const struct tbx_pace *r)
{
	if (r->prof) {
		/* Should the segments not fit (an event), only the period. */
		if (!tbx_net_put_profile(skb, r->prof, true))
			return 0;
		return tbx_net_put_profile(skb, r->prof, false);
	}
	if (r->bps)
		return tbx_net_put_u64(skb, TBX_NET_A_RATE_BPS, r->bps);
	return tbx_net_put_u64(skb, TBX_NET_A_RATE_PPS, r->pps);
}

/* A profile's segments, beyond what NLMSG_DEFAULT_SIZE holds. */
static size_t tbx_net_fill_size(struct tbx_run *run)
{
	const struct tbx_net *p = run->priv;

	if (!p->pace.prof)
		return 0;
	return nla_total_size(0) + nla_total_size_64bit(sizeof(u64)) +
	       p->pace.prof->count * (nla_total_size(0) +
				      2 * nla_total_size_64bit(sizeof(u64)));
}

static int tbx_net_fill(struct sk_buff *skb, struct tbx_run *run)
{
	struct tbx_net *p = run->priv;
	const struct tbx_net_tmpl *t = &p->tmpl;
	const u8 *mac = NULL;

	if (p->mac_given)
		mac = t->dst_mac;
	else if (smp_load_acquire(&p->mac_ready))
		mac = p->resolved_mac;

	if (nla_put_u32(skb, TBX_NET_A_IFINDEX, p->ifindex) ||
	    nla_put_string(skb, TBX_NET_A_IFNAME, p->ifname) ||
	    nla_put_u8(skb, TBX_NET_A_PATTERN, t->pattern) ||
	    tbx_net_put_rate(skb, &p->pace) ||
	    nla_put_u32(skb, TBX_NET_A_SIZE, t->size) ||
	    nla_put_in_addr(skb, TBX_NET_A_DST, t->dst) ||
	    nla_put_u16(skb, TBX_NET_A_DST_PORT, t->dst_port) ||
	    nla_put_in_addr(skb, TBX_NET_A_SRC_MIN, htonl(t->src_min)) ||
	    nla_put_in_addr(skb, TBX_NET_A_SRC_MAX, htonl(t->src_max)) ||
	    (mac && nla_put(skb, TBX_NET_A_DST_MAC, ETH_ALEN, mac)) ||
	    tbx_net_put_u64(skb, TBX_NET_A_PACKETS, atomic64_read(&p->packets)) ||
	    tbx_net_put_u64(skb, TBX_NET_A_BYTES, atomic64_read(&p->bytes)) ||
	    tbx_net_put_u64(skb, TBX_NET_A_DROPS, atomic64_read(&p->drops)) ||
	    (atomic64_read(&p->tx_start) &&
	     tbx_net_put_u64(skb, TBX_NET_A_TX_START, atomic64_read(&p->tx_start))))
		return -EMSGSIZE;
	return 0;
}

static void tbx_net_free(struct tbx_run *run)
{
	struct tbx_net *p = run->priv;

	mutex_lock(&tbx_net_lock);
	list_del(&p->node);
	tbx_net_release(p);
	mutex_unlock(&tbx_net_lock);
	kvfree(p->pace.prof);
	kfree(p);
	run->priv = NULL;
}

static int tbx_net_init(void)
{
	return register_netdevice_notifier(&tbx_net_nb);
}

static void tbx_net_exit(void)
{
	unregister_netdevice_notifier(&tbx_net_nb);
}

const struct tbx_kind tbx_kind_net = {
	.type		= TBX_RUN_KIND_NET,
	.name		= "net",
	.nest		= TBX_RUN_A_NET,
	.policy		= tbx_net_policy,
	.maxattr	= TBX_NET_A_MAX,
	.init		= tbx_net_init,
	.exit		= tbx_net_exit,
	.create		= tbx_net_create,
	.start		= tbx_net_start,
	.stop		= tbx_net_stop,
	.set		= tbx_net_set,
	.fill		= tbx_net_fill,
	.fill_size	= tbx_net_fill_size,
	.free		= tbx_net_free,
};
