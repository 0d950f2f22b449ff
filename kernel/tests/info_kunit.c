// SPDX-License-Identifier: GPL-2.0
/* KUnit: GET_INFO's reply, filled into an skb and parsed back. */
#include <kunit/test.h>
#include <net/netlink.h>

#include "../tbx.h"

static const struct nla_policy objects_policy[TBX_OBJECTS_A_MAX + 1] = {
	[TBX_OBJECTS_A_RUNS]	= { .type = NLA_U32 },
	[TBX_OBJECTS_A_QDISCS]	= { .type = NLA_U32 },
};

static const struct nla_policy info_policy[TBX_INFO_A_MAX + 1] = {
	[TBX_INFO_A_VERSION]	  = { .type = NLA_NUL_STRING },
	[TBX_INFO_A_GENL_VERSION] = { .type = NLA_U32 },
	[TBX_INFO_A_FEATURES]	  = { .type = NLA_NESTED },
	[TBX_INFO_A_OBJECTS]	  = NLA_POLICY_NESTED(objects_policy),
};

static void info_round_trip(struct kunit *test)
{
	struct nlattr *tb[TBX_INFO_A_MAX + 1], *ob[TBX_OBJECTS_A_MAX + 1];
	struct sk_buff *skb = alloc_skb(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	struct nlattr *nest, *pos;
	unsigned int names = 0;
	bool has_config = false;
	int rem;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	atomic_inc(&tbx_live.runs);
	KUNIT_ASSERT_EQ(test, 0, tbx_info_fill(skb, NULL));
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, TBX_A_INFO, nla_type(nest));
	KUNIT_ASSERT_EQ(test, 0, nla_parse_nested(tb, TBX_INFO_A_MAX, nest,
						  info_policy, NULL));

	KUNIT_EXPECT_STREQ(test, TBX_VERSION, (char *)nla_data(tb[TBX_INFO_A_VERSION]));
	KUNIT_EXPECT_EQ(test, (u32)TBX_GENL_VERSION, nla_get_u32(tb[TBX_INFO_A_GENL_VERSION]));

	nla_for_each_nested(pos, tb[TBX_INFO_A_FEATURES], rem) {
		KUNIT_EXPECT_EQ(test, TBX_INFO_A_FEATURE_NAME, nla_type(pos));
		if (!strcmp(nla_data(pos), "config"))
			has_config = true;
		names++;
	}
	KUNIT_EXPECT_EQ(test, tbx_n_features, names);
	KUNIT_EXPECT_TRUE(test, has_config);

	KUNIT_ASSERT_EQ(test, 0, nla_parse_nested(ob, TBX_OBJECTS_A_MAX,
						  tb[TBX_INFO_A_OBJECTS],
						  objects_policy, NULL));
	KUNIT_EXPECT_EQ(test, (u32)atomic_read(&tbx_live.runs),
			nla_get_u32(ob[TBX_OBJECTS_A_RUNS]));
	atomic_dec(&tbx_live.runs);
	kfree_skb(skb);
}

/* A reply that does not fit is cancelled whole, never half-written. */
static void info_fill_too_small(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* Leave room for the version but not the features. */
	skb_reserve(skb, skb_tailroom(skb) - 40);
	KUNIT_EXPECT_EQ(test, -EMSGSIZE, tbx_info_fill(skb, NULL));
	KUNIT_EXPECT_EQ(test, 0u, skb->len);
	kfree_skb(skb);
}

static struct kunit_case tbx_info_cases[] = {
	KUNIT_CASE(info_round_trip),
	KUNIT_CASE(info_fill_too_small),
	{}
};

static struct kunit_suite tbx_info_suite = {
	.name = "tbx_info",
	.test_cases = tbx_info_cases,
};
kunit_test_suite(tbx_info_suite);
