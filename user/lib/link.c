// SPDX-License-Identifier: GPL-2.0-or-later
/* The tbx qdisc over rtnetlink and LINK_GET (link.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link.h"
#include "nl.h"
#include "rtnl.h"

static struct nlmsghdr *qdisc_req(struct tbx_rtnl *r, uint16_t type,
				  uint16_t flags, uint32_t ifindex)
{
	struct nlmsghdr *nlh = tbx_rtnl_request(r, type, flags);
	struct tcmsg *t;

	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = TC_H_ROOT;
	return nlh;
}

static int dev_index(const char *dev, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(dev);
	if (!*ifindex)
		return tbx_err(ENODEV, "no device \"%s\"", dev);
	return 0;
}

int tbx_link_set(const char *dev, const struct tbx_link_opts *o)
{
	struct nlmsghdr *nlh;
	struct tbx_rtnl r;
	uint32_t ifindex;
	int err;

	if ((err = dev_index(dev, &ifindex)) || (err = tbx_rtnl_open(&r)))
		return err;
	nlh = qdisc_req(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK,
			ifindex);
	mnl_attr_put_strz(nlh, TCA_KIND, "tbx");
	tbx_link_opts_put(nlh, o);
	err = tbx_rtnl_talk(&r, nlh, NULL, NULL);
	tbx_rtnl_close(&r);
	return err;
}

/* The root qdisc's kind and handle, from a dump filtered here. */
struct find {
	uint32_t ifindex;
	bool found;
	bool is_tbx;
	struct tbx_link_state *st;
};

static int collect(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= TCA_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void read_stats2(const struct nlattr *s2, struct tbx_link_state *st)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, s2) {
		if (mnl_attr_get_type(a) == TCA_STATS_BASIC &&
		    mnl_attr_get_payload_len(a) >= sizeof(struct gnet_stats_basic)) {
			const struct gnet_stats_basic *b = mnl_attr_get_payload(a);

			st->sent_bytes = b->bytes;
			st->sent_packets = b->packets;
		} else if (mnl_attr_get_type(a) == TCA_STATS_QUEUE &&
			   mnl_attr_get_payload_len(a) >= sizeof(struct gnet_stats_queue)) {
			const struct gnet_stats_queue *q = mnl_attr_get_payload(a);

			st->drops = q->drops;
			st->backlog_bytes = q->backlog;
			st->qlen = q->qlen;
		}
	}
}

static int on_qdisc(const struct nlmsghdr *nlh, void *data)
{
	struct find *f = data;
	const struct tcmsg *t = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[TCA_MAX + 1] = {};

	if (t->tcm_ifindex != (int)f->ifindex || t->tcm_parent != TC_H_ROOT)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*t), collect, tb);
	f->found = true;
	f->is_tbx = tb[TCA_KIND] && !strcmp(mnl_attr_get_str(tb[TCA_KIND]), "tbx");
	if (!f->is_tbx || !f->st)
		return MNL_CB_OK;
	f->st->handle = t->tcm_handle;
	if (tbx_link_opts_decode(tb[TCA_OPTIONS], &f->st->opts))
		return MNL_CB_ERROR;
	if (tb[TCA_STATS2])
		read_stats2(tb[TCA_STATS2], f->st);
	return MNL_CB_OK;
}

static int find_root(struct tbx_rtnl *r, struct find *f)
{
	struct nlmsghdr *nlh = qdisc_req(r, RTM_GETQDISC, NLM_F_DUMP, f->ifindex);

	return tbx_rtnl_talk(r, nlh, on_qdisc, f);
}

int tbx_link_del(const char *dev)
{
	struct find f = {};
	struct nlmsghdr *nlh;
	struct tbx_rtnl r;
	int err;

	if ((err = dev_index(dev, &f.ifindex)) || (err = tbx_rtnl_open(&r)))
		return err;
	err = find_root(&r, &f);
	if (!err && !f.is_tbx)
		err = tbx_err(ENOENT, "%s: the root qdisc is not tbx", dev);
	if (!err) {
		nlh = qdisc_req(&r, RTM_DELQDISC, NLM_F_ACK, f.ifindex);
		err = tbx_rtnl_talk(&r, nlh, NULL, NULL);
	}
	tbx_rtnl_close(&r);
	return err;
}

/* --- LINK_GET --------------------------------------------------------- */

static uint64_t u64_of(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) == 8 ? mnl_attr_get_u64(a) : 0;
}

static void read_interval(const struct nlattr *item, struct tbx_link_interval *iv)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, item) {
		uint64_t v = u64_of(a);

		switch (mnl_attr_get_type(a)) {
		case TBX_IVL_A_INDEX:		iv->index = v; break;
		case TBX_IVL_A_START:		iv->start_ns = v; break;
		case TBX_IVL_A_BYTES:		iv->bytes = v; break;
		case TBX_IVL_A_PACKETS:		iv->packets = v; break;
		case TBX_IVL_A_SOJOURN_MEAN:	iv->sojourn_mean_ns = v; break;
		case TBX_IVL_A_SOJOURN_MAX:	iv->sojourn_max_ns = v; break;
		}
	}
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct tbx_link_state *st = data;
	const struct nlattr *top, *a, *item;

	mnl_attr_for_each(top, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(top) != TBX_A_LINK)
			continue;
		mnl_attr_for_each_nested(a, top) {
			uint64_t v = u64_of(a);

			switch (mnl_attr_get_type(a)) {
			case TBX_LINK_A_BUFFER_MAX:	st->buffer_max = v; break;
			case TBX_LINK_A_BACKLOG_MAX:	st->backlog_max = v; break;
			case TBX_LINK_A_DROPS_OVERLIMIT: st->drops_overlimit = v; break;
			case TBX_LINK_A_DROPS_LOSS:	st->drops_loss = v; break;
			case TBX_LINK_A_DROPS_BUFFER:	st->drops_buffer = v; break;
			case TBX_LINK_A_DUPLICATED:	st->duplicated = v; break;
			case TBX_LINK_A_CORRUPTED:	st->corrupted = v; break;
			case TBX_LINK_A_ECN_MARKED:	st->ecn_marked = v; break;
			case TBX_LINK_A_REORDERED:	st->reordered = v; break;
			case TBX_LINK_A_DELIVERED_PACKETS: st->delivered_packets = v; break;
			case TBX_LINK_A_DELIVERED_BYTES: st->delivered_bytes = v; break;
			case TBX_LINK_A_INTERVAL:	st->interval_ns = v; break;
			case TBX_LINK_A_INTERVALS:
				mnl_attr_for_each_nested(item, a)
					if (st->n_intervals < TBX_LINK_INTERVALS_KEPT)
						read_interval(item, &st->intervals[st->n_intervals++]);
				break;
			}
		}
	}
	return MNL_CB_OK;
}

static int link_stats(struct tbx_link_state *st)
{
	struct nlmsghdr *req;
	struct nlattr *nest;
	struct tbx_nl nl;
	int err;

	err = tbx_nl_open(&nl);
	if (err)
		return err;
	req = tbx_nl_request(&nl, TBX_CMD_LINK_GET, 0);
	nest = mnl_attr_nest_start(req, TBX_A_LINK);
	mnl_attr_put_u32(req, TBX_LINK_A_IFINDEX, st->ifindex);
	mnl_attr_nest_end(req, nest);
	err = tbx_nl_do(&nl, req, on_link, st);
	tbx_nl_close(&nl);
	return err;
}

int tbx_link_get(const char *dev, struct tbx_link_state *st)
{
	struct find f = { .st = st };
	struct tbx_rtnl r;
	int err;

	memset(st, 0, sizeof(*st));
	snprintf(st->dev, sizeof(st->dev), "%s", dev);
	if ((err = dev_index(dev, &f.ifindex)) || (err = tbx_rtnl_open(&r)))
		return err;
	st->ifindex = f.ifindex;
	err = find_root(&r, &f);
	tbx_rtnl_close(&r);
	if (err)
		return err;
	if (!f.is_tbx)
		return tbx_err(ENOENT, "%s: the root qdisc is not tbx", dev);
	return link_stats(st);
}
