// SPDX-License-Identifier: GPL-2.0-or-later
/* The clsact qdisc's filters over rtnetlink, and its removal. */
#include <errno.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/libbpf.h>

#include "clsact.h"
#include "err.h"
#include "rtnl.h"

static int count_filter_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWTFILTER)
		(*(int *)data)++;
	return MNL_CB_OK;
}

int tbx_clsact_count_filters(int ifindex, __u32 parent, int *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;

	*count = 0;
	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	return tbx_rtnl_once(nlh, count_filter_cb, count);
}

int tbx_clsact_release(const char *tool, int ifindex)
{
	static const __u32 parents[] = {
		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS),
	};
	struct bpf_tc_hook hook = {
		.sz = sizeof(hook),
		.ifindex = ifindex,
		.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS,
	};
	int n, err;

	for (size_t i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		err = tbx_clsact_count_filters(ifindex, parents[i], &n);
		if (err == -EINVAL || err == -ENOENT || err == -ENODEV)
			return 0;	/* clsact or the device gone already */
		if (err)
			return tbx_err(err, "%s: list filters on ifindex %d: %s",
				       tool, ifindex, strerror(-err));
		if (n)
			return 0;	/* someone else's filters: keep it */
	}
	err = bpf_tc_hook_destroy(&hook);
	if (err && err != -ENOENT && err != -EINVAL && err != -ENODEV)
		return tbx_err(err, "%s: remove clsact from ifindex %d: %s", tool,
			       ifindex, strerror(-err));
	return 0;
}
