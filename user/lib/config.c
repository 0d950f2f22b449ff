// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include <linux/tbx.h>

#include "attr.h"
#include "config.h"
#include "err.h"

int tbx_config_parse(const struct nlmsghdr *nlh, struct tbx_config *out)
{
	const struct nlattr *top, *a;
	unsigned int seen = 0;
	uint8_t events = 0;

	memset(out, 0, sizeof(*out));
	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(top) != TBX_A_CONFIG)
			continue;
		if (tbx_attr_nest(top, "config"))
			return -EBADMSG;
		mnl_attr_for_each_nested(a, top) {
			int err = 0;

			switch (mnl_attr_get_type(a)) {
			case TBX_CONFIG_A_MAX_RUNS:
				err = tbx_attr_u32(a, &out->max_runs, "config/max-runs");
				seen |= 1;
				break;
			case TBX_CONFIG_A_MEM_GUARD_PCT:
				err = tbx_attr_u32(a, &out->mem_guard_pct, "config/mem-guard");
				seen |= 2;
				break;
			case TBX_CONFIG_A_EVENTS:
				err = tbx_attr_u8(a, &events, "config/events");
				out->events = events;
				seen |= 4;
				break;
			}
			if (err)
				return err;
		}
	}
	if (seen != 7)
		return tbx_err(EBADMSG, "reply: config is incomplete");
	return 0;
}

static int on_config(const struct nlmsghdr *nlh, void *data)
{
	return tbx_config_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int tbx_config_get(struct tbx_nl *nl, struct tbx_config *out)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_GET_CONFIG, 0);

	return tbx_nl_do(nl, req, on_config, out);
}

void tbx_config_put(struct nlmsghdr *nlh, const struct tbx_config_change *chg)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_A_CONFIG);

	if (chg->set_max_runs)
		mnl_attr_put_u32(nlh, TBX_CONFIG_A_MAX_RUNS, chg->max_runs);
	if (chg->set_mem_guard_pct)
		mnl_attr_put_u32(nlh, TBX_CONFIG_A_MEM_GUARD_PCT, chg->mem_guard_pct);
	if (chg->set_events)
		mnl_attr_put_u8(nlh, TBX_CONFIG_A_EVENTS, chg->events);
	mnl_attr_nest_end(nlh, nest);
}

int tbx_config_set(struct tbx_nl *nl, const struct tbx_config_change *chg)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_SET_CONFIG, 0);

	tbx_config_put(req, chg);
	return tbx_nl_do(nl, req, NULL, NULL);
}
