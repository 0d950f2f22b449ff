/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What libbpf's tc API does not answer, over rtnetlink: how many filters
 * hang off a clsact hook, and taking clsact away only when none does.
 * Shared by the meter, the tap and capture.
 */
#ifndef TBX_CLSACT_H
#define TBX_CLSACT_H

#include <libmnl/libmnl.h>
#include <linux/types.h>

/* Filters of any kind, in any chain, on one clsact hook (parent). */
int tbx_clsact_count_filters(int ifindex, __u32 parent, int *count);

/*
 * Removes the clsact qdisc from ifindex when neither hook holds a filter
 * (someone else's filters keep it). 0 also when it is gone already;
 * else a negative errno, the message prefixed with @tool.
 */
int tbx_clsact_release(const char *tool, int ifindex);

#include <bpf/libbpf.h>

/* One tbx filter on a clsact hook: where, and its handle and priority. */
struct tbx_tc_filter {
	int ifindex;
	enum bpf_tc_attach_point where;	/* BPF_TC_INGRESS or BPF_TC_EGRESS */
	__u32 handle, priority;
};

/*
 * Attaches @prog_fd as @f, creating clsact first when the device has none
 * (and taking it away again if the attach fails). A filter already at
 * @f's handle is -EEXIST with "<tool>: <taken>"; other errors name @dev.
 * libbpf's own lines are kept quiet: the message says it all.
 */
int tbx_tc_filter_attach(const char *tool, const char *dev, const struct tbx_tc_filter *f,
			 int prog_fd, const char *taken);
/* Detaches @f if it still runs program @prog_id (0: whatever it runs),
 * then clsact if no filter is left on it.
 */
void tbx_tc_filter_detach(const char *tool, const struct tbx_tc_filter *f, __u32 prog_id);

#endif
