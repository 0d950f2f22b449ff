// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "tbx": operations, their policies and the
 * "events" multicast group. Handlers live with their concept (info.c,
 * config.c); this file only wires them up.
 */
#include <net/genetlink.h>

#include "link.h"
#include "tbx.h"

enum tbx_mcgrp {
	TBX_MCGRP_EVENTS,
};

static const struct genl_multicast_group tbx_mcgrps[] = {
	[TBX_MCGRP_EVENTS] = { .name = TBX_GENL_MCGRP_EVENTS },
};

/* Requests that carry no attributes: anything present is rejected. */
static const struct nla_policy tbx_empty_policy[TBX_A_MAX + 1] = {};

static const struct nla_policy tbx_set_config_policy[TBX_A_MAX + 1] = {
	[TBX_A_CONFIG] = NLA_POLICY_NESTED(tbx_config_policy),
};

static const struct nla_policy tbx_run_req_policy[TBX_A_MAX + 1] = {
	[TBX_A_RUN] = NLA_POLICY_NESTED(tbx_run_policy),
};

static const struct nla_policy tbx_link_req_policy[TBX_A_MAX + 1] = {
	[TBX_A_LINK] = NLA_POLICY_NESTED(tbx_link_policy),
};

static const struct genl_ops tbx_ops[] = {
	{
		.cmd	= TBX_CMD_GET_INFO,
		.doit	= tbx_nl_get_info,
		.policy	= tbx_empty_policy,
		.maxattr = TBX_A_MAX,
	},
	{
		.cmd	= TBX_CMD_GET_FEATURE,
		.dumpit	= tbx_nl_dump_features,
		.policy	= tbx_empty_policy,
		.maxattr = TBX_A_MAX,
	},
	{
		.cmd	= TBX_CMD_GET_CONFIG,
		.doit	= tbx_nl_get_config,
		.policy	= tbx_empty_policy,
		.maxattr = TBX_A_MAX,
	},
	{
		.cmd	= TBX_CMD_SET_CONFIG,
		.doit	= tbx_nl_set_config,
		.policy	= tbx_set_config_policy,
		.maxattr = TBX_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TBX_CMD_RUN_NEW,
		.doit	= tbx_nl_run_new,
		.policy	= tbx_run_req_policy,
		.maxattr = TBX_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TBX_CMD_RUN_SET,
		.doit	= tbx_nl_run_set,
		.policy	= tbx_run_req_policy,
		.maxattr = TBX_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TBX_CMD_RUN_DEL,
		.doit	= tbx_nl_run_del,
		.policy	= tbx_run_req_policy,
		.maxattr = TBX_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TBX_CMD_RUN_GET,
		.doit	= tbx_nl_run_get,
		.dumpit	= tbx_nl_run_dump,
		.policy	= tbx_run_req_policy,
		.maxattr = TBX_A_MAX,
	},
	{
		.cmd	= TBX_CMD_LINK_GET,
		.doit	= tbx_nl_link_get,
		.policy	= tbx_link_req_policy,
		.maxattr = TBX_A_MAX,
	},
};

struct genl_family tbx_genl_family __ro_after_init = {
	.name		= TBX_GENL_NAME,
	.version	= TBX_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.ops		= tbx_ops,
	.n_ops		= ARRAY_SIZE(tbx_ops),
	.mcgrps		= tbx_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tbx_mcgrps),
};

/*
 * Answers a do-request with one message that @fill writes attributes
 * into; @arg is passed through.
 */
int tbx_genl_reply(struct genl_info *info,
		   int (*fill)(struct sk_buff *skb, const void *arg),
		   const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tbx_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Starts an event message. Returns NULL (and no skb) when events are
 * switched off in the config or memory is short: events are best effort,
 * as netlink multicast is.
 */
void *tbx_event_start(struct sk_buff **skbp, u8 cmd, size_t size)
{
	struct tbx_config cfg;
	struct sk_buff *skb;
	void *hdr;

	*skbp = NULL;
	tbx_config_get(&cfg);
	if (!cfg.events)
		return NULL;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &tbx_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	*skbp = skb;
	return hdr;
}

/*
 * Ends and sends an event started with tbx_event_start(); consumes skb.
 * tbx's objects are host-wide (CPUs, memory), so every namespace hears.
 */
void tbx_event_send(struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_allns(&tbx_genl_family, skb, 0, TBX_MCGRP_EVENTS);
}

int __init tbx_genl_init(void)
{
	return genl_register_family(&tbx_genl_family);
}

void tbx_genl_exit(void)
{
	genl_unregister_family(&tbx_genl_family);
}
