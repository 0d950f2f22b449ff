// SPDX-License-Identifier: GPL-2.0
/* net runs: placeholder until the kind lands. */
#include "run.h"

static const struct nla_policy tbx_net_policy[TBX_NET_A_MAX + 1] = {};

static int tbx_net_create(struct tbx_run *run, struct nlattr **tb, bool force,
			 struct net *net, struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "net runs are not built yet");
	return -EOPNOTSUPP;
}

static int tbx_net_start(struct tbx_run *run, struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static void tbx_net_stop(struct tbx_run *run) {}
static int tbx_net_set(struct tbx_run *run, struct nlattr **tb, bool force,
		      struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static int tbx_net_fill(struct sk_buff *skb, struct tbx_run *run) { return 0; }
static void tbx_net_free(struct tbx_run *run) {}

const struct tbx_kind tbx_kind_net = {
	.type		= TBX_RUN_KIND_NET,
	.name		= "net",
	.nest		= TBX_RUN_A_NET,
	.policy		= tbx_net_policy,
	.maxattr	= TBX_NET_A_MAX,
	.create		= tbx_net_create,
	.start		= tbx_net_start,
	.stop		= tbx_net_stop,
	.set		= tbx_net_set,
	.fill		= tbx_net_fill,
	.free		= tbx_net_free,
};
