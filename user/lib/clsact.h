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

#endif
