// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide limits, changed with SET_CONFIG: every attribute of a
 * request is checked before any is applied, so a bad request changes
 * nothing.
 */
#include <linux/mutex.h>
#include <net/genetlink.h>

#include "tbx.h"

/* Types only: ranges are checked in tbx_config_apply() so each error
 * message can name the attribute and its bounds.
 */
const struct nla_policy tbx_config_policy[TBX_CONFIG_A_MAX + 1] = {
	[TBX_CONFIG_A_MAX_RUNS]		= { .type = NLA_U32 },
	[TBX_CONFIG_A_MEM_GUARD_PCT]	= { .type = NLA_U32 },
	[TBX_CONFIG_A_EVENTS]		= { .type = NLA_U8 },
};

static DEFINE_MUTEX(tbx_config_lock);
static struct tbx_config tbx_config;

void tbx_config_init(void)
{
	tbx_config = (struct tbx_config) {
		.max_runs	= TBX_CONFIG_MAX_RUNS_DEFAULT,
		.mem_guard_pct	= TBX_CONFIG_MEM_GUARD_DEFAULT,
		.events		= true,
	};
}

void tbx_config_get(struct tbx_config *out)
{
	mutex_lock(&tbx_config_lock);
	*out = tbx_config;
	mutex_unlock(&tbx_config_lock);
}

/*
 * Computes the config a request asks for: @cur with every attribute of
 * @tb applied. Pure: touches neither @cur nor the live config, so the
 * caller can decide to apply it or not. Returns 0 or -EINVAL with extack.
 */
int tbx_config_apply(const struct tbx_config *cur, struct nlattr **tb,
		     struct tbx_config *out, struct netlink_ext_ack *extack)
{
	struct tbx_config next = *cur;
	bool any = false;

	if (tb[TBX_CONFIG_A_MAX_RUNS]) {
		next.max_runs = nla_get_u32(tb[TBX_CONFIG_A_MAX_RUNS]);
		if (next.max_runs < TBX_CONFIG_MAX_RUNS_MIN ||
		    next.max_runs > TBX_CONFIG_MAX_RUNS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_CONFIG_A_MAX_RUNS],
					    "max-runs must be 1..65536");
			return -EINVAL;
		}
		any = true;
	}
	if (tb[TBX_CONFIG_A_MEM_GUARD_PCT]) {
		next.mem_guard_pct = nla_get_u32(tb[TBX_CONFIG_A_MEM_GUARD_PCT]);
		if (next.mem_guard_pct < TBX_CONFIG_MEM_GUARD_MIN ||
		    next.mem_guard_pct > TBX_CONFIG_MEM_GUARD_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_CONFIG_A_MEM_GUARD_PCT],
					    "mem-guard must be 1..100 (percent)");
			return -EINVAL;
		}
		any = true;
	}
	if (tb[TBX_CONFIG_A_EVENTS]) {
		u8 v = nla_get_u8(tb[TBX_CONFIG_A_EVENTS]);

		if (v > 1) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TBX_CONFIG_A_EVENTS],
					    "events must be 0 (off) or 1 (on)");
			return -EINVAL;
		}
		next.events = v;
		any = true;
	}
	if (!any) {
		NL_SET_ERR_MSG(extack, "config: no attribute to change");
		return -EINVAL;
	}
	*out = next;
	return 0;
}

/* Writes the CONFIG nest; @arg is a struct tbx_config. */
int tbx_config_fill(struct sk_buff *skb, const void *arg)
{
	const struct tbx_config *cfg = arg;
	struct nlattr *nest = nla_nest_start(skb, TBX_A_CONFIG);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TBX_CONFIG_A_MAX_RUNS, cfg->max_runs) ||
	    nla_put_u32(skb, TBX_CONFIG_A_MEM_GUARD_PCT, cfg->mem_guard_pct) ||
	    nla_put_u8(skb, TBX_CONFIG_A_EVENTS, cfg->events)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int tbx_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct tbx_config cfg;

	tbx_config_get(&cfg);
	return tbx_genl_reply(info, tbx_config_fill, &cfg);
}

static void tbx_config_notify(const struct tbx_config *cfg)
{
	struct sk_buff *skb;
	void *hdr;

	hdr = tbx_event_start(&skb, TBX_CMD_CONFIG_NTF, NLMSG_DEFAULT_SIZE);
	if (!hdr)
		return;
	if (tbx_config_fill(skb, cfg)) {
		nlmsg_free(skb);
		return;
	}
	tbx_event_send(skb, hdr);
}

int tbx_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[TBX_CONFIG_A_MAX + 1];
	struct tbx_config next;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TBX_A_CONFIG))
		return -EINVAL;
	err = nla_parse_nested(tb, TBX_CONFIG_A_MAX, info->attrs[TBX_A_CONFIG],
			       tbx_config_policy, info->extack);
	if (err)
		return err;

	mutex_lock(&tbx_config_lock);
	err = tbx_config_apply(&tbx_config, tb, &next, info->extack);
	if (!err)
		tbx_config = next;
	mutex_unlock(&tbx_config_lock);
	if (err)
		return err;

	tbx_config_notify(&next);
	return 0;
}
