/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between tbx.ko's files. */
#ifndef _TBX_KERNEL_H
#define _TBX_KERNEL_H

#include <linux/atomic.h>
#include <net/genetlink.h>
#include <uapi/linux/tbx.h>

/* genl.c: the family and how events reach the "events" group. */
extern struct genl_family tbx_genl_family;
int tbx_genl_init(void);
void tbx_genl_exit(void);
int tbx_genl_reply(struct genl_info *info,
		   int (*fill)(struct sk_buff *skb, const void *arg),
		   const void *arg);
void *tbx_event_start(struct sk_buff **skbp, u8 cmd, size_t size);
void tbx_event_send(struct sk_buff *skb, void *hdr);

/* config.c: module-wide limits. */
struct tbx_config {
	u32 max_runs;
	u32 mem_guard_pct;
	bool events;
};

extern const struct nla_policy tbx_config_policy[TBX_CONFIG_A_MAX + 1];
void tbx_config_init(void);
void tbx_config_get(struct tbx_config *out);
int tbx_config_apply(const struct tbx_config *cur, struct nlattr **tb,
		     struct tbx_config *out, struct netlink_ext_ack *extack);
int tbx_config_fill(struct sk_buff *skb, const void *cfg);
int tbx_nl_get_config(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_set_config(struct sk_buff *skb, struct genl_info *info);

/* run.c: contention-load runs (kinds: run.h). */
extern const struct nla_policy tbx_run_policy[TBX_RUN_A_MAX + 1];
int tbx_runs_init(void);
void tbx_runs_exit(void);
int tbx_nl_run_new(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_run_set(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_run_del(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_run_get(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_run_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* info.c: what the module is and holds. */
struct tbx_live {
	atomic_t runs;
	atomic_t qdiscs;
};
extern struct tbx_live tbx_live;

struct tbx_feature {
	const char *name;
	const char *desc;
	u32 since;
};
extern const struct tbx_feature tbx_features[];
extern const unsigned int tbx_n_features;

int tbx_info_fill(struct sk_buff *skb, const void *unused);
int tbx_nl_get_info(struct sk_buff *skb, struct genl_info *info);
int tbx_nl_dump_features(struct sk_buff *skb, struct netlink_callback *cb);

#endif
