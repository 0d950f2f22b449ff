// SPDX-License-Identifier: GPL-2.0-or-later
/* The clsact qdisc's filters over rtnetlink, and its removal. */
#include <errno.h>
#include <stdarg.h>
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

static void tc_opts(const struct tbx_tc_filter *f, struct bpf_tc_hook *hook,
		    struct bpf_tc_opts *opts, int prog_fd)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = f->ifindex;
	hook->attach_point = f->where;
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->prog_fd = prog_fd;
	opts->handle = f->handle;
	opts->priority = f->priority;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int tbx_tc_filter_attach(const char *tool, const char *dev, const struct tbx_tc_filter *f,
			 int prog_fd, const char *taken)
{
	libbpf_print_fn_t print = libbpf_set_print(quiet);
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int err;

	tc_opts(f, &hook, &opts, prog_fd);
	hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		err = tbx_err(err, "%s: clsact on %s: %s", tool, dev, strerror(-err));
		goto out;
	}
	hook.attach_point = f->where;
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		tbx_clsact_release(tool, f->ifindex);
		err = err == -EEXIST ? tbx_err(EEXIST, "%s: %s", tool, taken) :
		      tbx_err(err, "%s: attach to %s: %s", tool, dev, strerror(-err));
	}
out:
	libbpf_set_print(print);
	return err;
}

void tbx_tc_filter_detach(const char *tool, const struct tbx_tc_filter *f, __u32 prog_id)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;

	tc_opts(f, &hook, &opts, 0);
	if (!prog_id || (!bpf_tc_query(&hook, &opts) && opts.prog_id == prog_id)) {
		tc_opts(f, &hook, &opts, 0);
		bpf_tc_detach(&hook, &opts);
	}
	tbx_clsact_release(tool, f->ifindex);
}
