// SPDX-License-Identifier: GPL-2.0
/* mem runs: placeholder until the kind lands. */
#include "run.h"

static const struct nla_policy tbx_mem_policy[TBX_MEM_A_MAX + 1] = {};

static int tbx_mem_create(struct tbx_run *run, struct nlattr **tb, bool force,
			 struct net *net, struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "mem runs are not built yet");
	return -EOPNOTSUPP;
}

static int tbx_mem_start(struct tbx_run *run, struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static void tbx_mem_stop(struct tbx_run *run) {}
static int tbx_mem_set(struct tbx_run *run, struct nlattr **tb, bool force,
		      struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static int tbx_mem_fill(struct sk_buff *skb, struct tbx_run *run) { return 0; }
static void tbx_mem_free(struct tbx_run *run) {}

const struct tbx_kind tbx_kind_mem = {
	.type		= TBX_RUN_KIND_MEM,
	.name		= "mem",
	.nest		= TBX_RUN_A_MEM,
	.policy		= tbx_mem_policy,
	.maxattr	= TBX_MEM_A_MAX,
	.create		= tbx_mem_create,
	.start		= tbx_mem_start,
	.stop		= tbx_mem_stop,
	.set		= tbx_mem_set,
	.fill		= tbx_mem_fill,
	.free		= tbx_mem_free,
};
