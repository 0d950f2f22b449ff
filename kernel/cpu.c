// SPDX-License-Identifier: GPL-2.0
/* cpu runs: placeholder until the kind lands. */
#include "run.h"

static const struct nla_policy tbx_cpu_policy[TBX_CPU_A_MAX + 1] = {};

static int tbx_cpu_create(struct tbx_run *run, struct nlattr **tb, bool force,
			 struct net *net, struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "cpu runs are not built yet");
	return -EOPNOTSUPP;
}

static int tbx_cpu_start(struct tbx_run *run, struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static void tbx_cpu_stop(struct tbx_run *run) {}
static int tbx_cpu_set(struct tbx_run *run, struct nlattr **tb, bool force,
		      struct netlink_ext_ack *extack) { return -EOPNOTSUPP; }
static int tbx_cpu_fill(struct sk_buff *skb, struct tbx_run *run) { return 0; }
static void tbx_cpu_free(struct tbx_run *run) {}

const struct tbx_kind tbx_kind_cpu = {
	.type		= TBX_RUN_KIND_CPU,
	.name		= "cpu",
	.nest		= TBX_RUN_A_CPU,
	.policy		= tbx_cpu_policy,
	.maxattr	= TBX_CPU_A_MAX,
	.create		= tbx_cpu_create,
	.start		= tbx_cpu_start,
	.stop		= tbx_cpu_stop,
	.set		= tbx_cpu_set,
	.fill		= tbx_cpu_fill,
	.free		= tbx_cpu_free,
};
