// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SET_CONFIG's rules. Requests are built as real netlink
 * attributes and parsed with the family's policy, as genetlink does.
 */
#include <kunit/test.h>
#include <net/netlink.h>

#include "../tbx.h"

struct cfg_req {
	int max_runs;		/* -1: absent */
	int mem_guard;		/* -1: absent */
	int events;		/* -1: absent */
};

/* Parses @req into @tb through the policy; the skb backs the attrs. */
static struct sk_buff *build(struct kunit *test, const struct cfg_req *req,
			     struct nlattr **tb)
{
	struct sk_buff *skb = alloc_skb(512, GFP_KERNEL);
	struct nlattr *nest;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = nla_nest_start(skb, TBX_A_CONFIG);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	if (req->max_runs >= 0)
		KUNIT_ASSERT_EQ(test, 0, nla_put_u32(skb, TBX_CONFIG_A_MAX_RUNS, req->max_runs));
	if (req->mem_guard >= 0)
		KUNIT_ASSERT_EQ(test, 0, nla_put_u32(skb, TBX_CONFIG_A_MEM_GUARD_PCT, req->mem_guard));
	if (req->events >= 0)
		KUNIT_ASSERT_EQ(test, 0, nla_put_u8(skb, TBX_CONFIG_A_EVENTS, req->events));
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, 0, nla_parse_nested(tb, TBX_CONFIG_A_MAX, nest,
						  tbx_config_policy, NULL));
	return skb;
}

static const struct tbx_config base = {
	.max_runs = 100, .mem_guard_pct = 90, .events = true,
};

static void apply_partial_keeps_the_rest(struct kunit *test)
{
	struct cfg_req req = { .max_runs = 7, .mem_guard = -1, .events = -1 };
	struct nlattr *tb[TBX_CONFIG_A_MAX + 1];
	struct sk_buff *skb = build(test, &req, tb);
	struct tbx_config out = {};

	KUNIT_EXPECT_EQ(test, 0, tbx_config_apply(&base, tb, &out, NULL));
	KUNIT_EXPECT_EQ(test, 7u, out.max_runs);
	KUNIT_EXPECT_EQ(test, 90u, out.mem_guard_pct);
	KUNIT_EXPECT_TRUE(test, out.events);
	kfree_skb(skb);
}

static void apply_all(struct kunit *test)
{
	struct cfg_req req = { .max_runs = 65536, .mem_guard = 1, .events = 0 };
	struct nlattr *tb[TBX_CONFIG_A_MAX + 1];
	struct sk_buff *skb = build(test, &req, tb);
	struct tbx_config out = {};

	KUNIT_EXPECT_EQ(test, 0, tbx_config_apply(&base, tb, &out, NULL));
	KUNIT_EXPECT_EQ(test, 65536u, out.max_runs);
	KUNIT_EXPECT_EQ(test, 1u, out.mem_guard_pct);
	KUNIT_EXPECT_FALSE(test, out.events);
	kfree_skb(skb);
}

/* One bad attribute among good ones: error names it, output untouched. */
static void reject_case(struct kunit *test, struct cfg_req req,
			const char *msg_part, int bad_type)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[TBX_CONFIG_A_MAX + 1];
	struct sk_buff *skb = build(test, &req, tb);
	struct tbx_config out = { .max_runs = 12345 };

	KUNIT_EXPECT_EQ(test, -EINVAL, tbx_config_apply(&base, tb, &out, &extack));
	KUNIT_EXPECT_EQ(test, 12345u, out.max_runs);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, msg_part));
	if (bad_type)
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)tb[bad_type]);
	kfree_skb(skb);
}

static void reject_out_of_range(struct kunit *test)
{
	reject_case(test, (struct cfg_req){ 0, 50, 1 }, "max-runs",
		    TBX_CONFIG_A_MAX_RUNS);
	reject_case(test, (struct cfg_req){ 65537, -1, -1 }, "max-runs",
		    TBX_CONFIG_A_MAX_RUNS);
	reject_case(test, (struct cfg_req){ 10, 101, -1 }, "mem-guard",
		    TBX_CONFIG_A_MEM_GUARD_PCT);
	reject_case(test, (struct cfg_req){ 10, 0, -1 }, "mem-guard",
		    TBX_CONFIG_A_MEM_GUARD_PCT);
	reject_case(test, (struct cfg_req){ 10, 50, 2 }, "events",
		    TBX_CONFIG_A_EVENTS);
}

static void reject_empty(struct kunit *test)
{
	reject_case(test, (struct cfg_req){ -1, -1, -1 }, "no attribute", 0);
}

static struct kunit_case tbx_config_cases[] = {
	KUNIT_CASE(apply_partial_keeps_the_rest),
	KUNIT_CASE(apply_all),
	KUNIT_CASE(reject_out_of_range),
	KUNIT_CASE(reject_empty),
	{}
};

static struct kunit_suite tbx_config_suite = {
	.name = "tbx_config",
	.test_cases = tbx_config_cases,
};
kunit_test_suite(tbx_config_suite);
