// SPDX-License-Identifier: GPL-2.0
/* What the module is and what it holds: GET_INFO and GET_FEATURE. */
#include <net/genetlink.h>

#include "tbx.h"

/* Object kinds bump these as instances come and go. */
struct tbx_live tbx_live = {
	.runs	= ATOMIC_INIT(0),
	.qdiscs	= ATOMIC_INIT(0),
};

const struct tbx_feature tbx_features[] = {
	{ "info",	"module version, features and live objects",	1 },
	{ "config",	"module-wide limits: max-runs, mem-guard, events", 1 },
	{ "events",	"multicast group \"events\" announces changes",	1 },
	{ "runs",	"contention-load runs: create, set, delete, dump", 1 },
	{ "run-cpu",	"cpu runs: per-CPU utilisation, add or total mode", 1 },
	{ "run-mem",	"mem runs: resident memory, optional re-touch", 1 },
	{ "run-net",	"net runs: udp, tcp-syn, icmp-echo, fuzz generator", 1 },
	{ "link",	"qdisc tbx: rate, delay, jitter, loss, buffer, profile; LINK_GET", 1 },
#if IS_ENABLED(CONFIG_KUNIT)
	{ "kunit",	"KUnit suites built in; they ran at load",	1 },
#endif
};
const unsigned int tbx_n_features = ARRAY_SIZE(tbx_features);

int tbx_info_fill(struct sk_buff *skb, const void *unused)
{
	struct nlattr *info, *feat, *objs;
	unsigned int i;

	info = nla_nest_start(skb, TBX_A_INFO);
	if (!info)
		return -EMSGSIZE;
	if (nla_put_string(skb, TBX_INFO_A_VERSION, TBX_VERSION) ||
	    nla_put_u32(skb, TBX_INFO_A_GENL_VERSION, TBX_GENL_VERSION))
		goto cancel;

	feat = nla_nest_start(skb, TBX_INFO_A_FEATURES);
	if (!feat)
		goto cancel;
	for (i = 0; i < tbx_n_features; i++)
		if (nla_put_string(skb, TBX_INFO_A_FEATURE_NAME,
				   tbx_features[i].name))
			goto cancel;
	nla_nest_end(skb, feat);

	objs = nla_nest_start(skb, TBX_INFO_A_OBJECTS);
	if (!objs ||
	    nla_put_u32(skb, TBX_OBJECTS_A_RUNS, atomic_read(&tbx_live.runs)) ||
	    nla_put_u32(skb, TBX_OBJECTS_A_QDISCS, atomic_read(&tbx_live.qdiscs)))
		goto cancel;
	nla_nest_end(skb, objs);

	nla_nest_end(skb, info);
	return 0;
cancel:
	nla_nest_cancel(skb, info);
	return -EMSGSIZE;
}

int tbx_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	return tbx_genl_reply(info, tbx_info_fill, NULL);
}

static int tbx_feature_fill(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct tbx_feature *f)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tbx_genl_family, NLM_F_MULTI, TBX_CMD_GET_FEATURE);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TBX_A_FEATURE);
	if (!nest ||
	    nla_put_string(skb, TBX_FEATURE_A_NAME, f->name) ||
	    nla_put_string(skb, TBX_FEATURE_A_DESC, f->desc) ||
	    nla_put_u32(skb, TBX_FEATURE_A_SINCE, f->since)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: index of the next feature to send. */
int tbx_nl_dump_features(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long i;

	for (i = cb->args[0]; i < tbx_n_features; i++)
		if (tbx_feature_fill(skb, cb, &tbx_features[i]))
			break;
	cb->args[0] = i;
	return skb->len;
}
