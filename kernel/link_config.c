// SPDX-License-Identifier: GPL-2.0
/*
 * TCA_OPTIONS of the tbx qdisc into a struct tbx_link_cfg. The policy
 * checks types strictly; every value is then checked here, each with its
 * own extack message, so a refused change names what was wrong and
 * changes nothing (the caller swaps in a new cfg only on success).
 */
#include <linux/slab.h>
#include <net/netlink.h>

#include "link.h"

static const struct nla_policy tbx_seg_policy[TCA_TBX_SEG_MAX + 1] = {
	[TCA_TBX_SEG_OFFSET]	= { .type = NLA_U64 },
	[TCA_TBX_SEG_RATE]	= { .type = NLA_U64 },
	[TCA_TBX_SEG_DELAY]	= { .type = NLA_S64 },
	[TCA_TBX_SEG_LOSS]	= { .type = NLA_U32 },
};

static const struct nla_policy tbx_prof_policy[TCA_TBX_PROF_MAX + 1] = {
	[TCA_TBX_PROF_PERIOD]	= { .type = NLA_U64 },
	[TCA_TBX_PROF_SEGMENT]	= { .type = NLA_NESTED },
};

static const struct nla_policy tbx_link_opt_policy[TCA_TBX_MAX + 1] = {
	[TCA_TBX_RATE]		= { .type = NLA_U64 },
	[TCA_TBX_OVERHEAD]	= { .type = NLA_S32 },
	[TCA_TBX_DELAY]		= { .type = NLA_S64 },
	[TCA_TBX_JITTER]	= { .type = NLA_S64 },
	[TCA_TBX_DIST]		= { .type = NLA_U8 },
	[TCA_TBX_LOSS]		= { .type = NLA_U32 },
	[TCA_TBX_DUPLICATE]	= { .type = NLA_U32 },
	[TCA_TBX_CORRUPT]	= { .type = NLA_U32 },
	[TCA_TBX_LIMIT]		= { .type = NLA_U32 },
	[TCA_TBX_BUFFER]	= { .type = NLA_U64 },
	[TCA_TBX_INTERVAL]	= { .type = NLA_U64 },
	[TCA_TBX_PROFILE]	= { .type = NLA_NESTED },
};

static bool rate_ok(u64 rate)
{
	return rate >= TBX_LINK_RATE_MIN && rate <= TBX_LINK_RATE_MAX;
}

static bool delay_ok(s64 ns)
{
	return ns >= 0 && ns <= TBX_LINK_DELAY_MAX;
}

/* A u32 ppm attribute, 0..100 %. */
static int get_ppm(struct nlattr *a, u32 *out, const char *msg,
		   struct netlink_ext_ack *extack)
{
	if (!a)
		return 0;
	*out = nla_get_u32(a);
	if (*out > TBX_LINK_PPM) {
		/* @msg is a literal: NL_SET_ERR_MSG_ATTR() wants one in place. */
		if (extack) {
			extack->_msg = msg;
			extack->bad_attr = a;
		}
		return -EINVAL;
	}
	return 0;
}

static int parse_seg(struct nlattr *nest, struct tbx_link_seg *seg,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_SEG_MAX + 1];
	int err;

	err = nla_parse_nested(tb, TCA_TBX_SEG_MAX, nest, tbx_seg_policy,
			       extack);
	if (err)
		return err;
	if (!tb[TCA_TBX_SEG_OFFSET] || !tb[TCA_TBX_SEG_RATE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "tbx: a profile segment needs an offset and a rate");
		return -EINVAL;
	}
	seg->offset = nla_get_u64(tb[TCA_TBX_SEG_OFFSET]);
	seg->rate = nla_get_u64(tb[TCA_TBX_SEG_RATE]);
	if (seg->rate && !rate_ok(seg->rate)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_SEG_RATE],
				    "tbx: a segment's rate must be 0 or 1000..400000000000 bit/s");
		return -EINVAL;
	}
	if (tb[TCA_TBX_SEG_DELAY]) {
		seg->delay = nla_get_s64(tb[TCA_TBX_SEG_DELAY]);
		if (!delay_ok(seg->delay)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_SEG_DELAY],
					    "tbx: a segment's delay must be 0..60 s");
			return -EINVAL;
		}
	}
	return get_ppm(tb[TCA_TBX_SEG_LOSS], &seg->loss,
		       "tbx: a segment's loss must be 0..100 %", extack);
}

static struct tbx_link_prof *parse_prof(struct nlattr *nest,
					struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_PROF_MAX + 1];
	struct tbx_link_prof *p;
	struct nlattr *a;
	u32 n = 0, i = 0;
	bool moving = false;
	int rem, err;

	err = nla_parse_nested(tb, TCA_TBX_PROF_MAX, nest, tbx_prof_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[TCA_TBX_PROF_PERIOD]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "tbx: a profile needs a period");
		return ERR_PTR(-EINVAL);
	}
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == TCA_TBX_PROF_SEGMENT)
			n++;
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "tbx: a profile needs at least one segment");
		return ERR_PTR(-EINVAL);
	}
	if (n > TBX_LINK_SEGMENTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "tbx: a profile has at most 1024 segments");
		return ERR_PTR(-EINVAL);
	}

	p = kzalloc(struct_size(p, seg, n), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->count = n;
	p->period = nla_get_u64(tb[TCA_TBX_PROF_PERIOD]);
	if (p->period < TBX_LINK_PERIOD_MIN || p->period > TBX_LINK_PERIOD_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_PROF_PERIOD],
				    "tbx: the profile's period must be 1 ms..366 days");
		goto bad;
	}
	nla_for_each_nested(a, nest, rem) {
		struct tbx_link_seg *seg = &p->seg[i];

		if (nla_type(a) != TCA_TBX_PROF_SEGMENT)
			continue;
		err = parse_seg(a, seg, extack);
		if (err)
			goto out;
		if (i == 0 && seg->offset != 0) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "tbx: the first segment must be at offset 0");
			goto bad;
		}
		if (i > 0 && seg->offset <= p->seg[i - 1].offset) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "tbx: segment offsets must increase strictly");
			goto bad;
		}
		if (seg->offset >= p->period) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "tbx: a segment's offset must be below the period");
			goto bad;
		}
		moving |= seg->rate != 0;
		i++;
	}
	if (!moving) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "tbx: every segment has rate 0: the link would carry nothing");
		goto bad;
	}
	return p;
bad:
	err = -EINVAL;
out:
	kfree(p);
	return ERR_PTR(err);
}

struct tbx_link_cfg *tbx_link_cfg_parse(struct nlattr *opt,
					struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_MAX + 1] = {};
	struct tbx_link_cfg *cfg;
	int err;

	if (opt) {
		err = nla_parse_nested(tb, TCA_TBX_MAX, opt,
				       tbx_link_opt_policy, extack);
		if (err)
			return ERR_PTR(err);
	}

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	cfg->limit = TBX_LINK_LIMIT_DEFAULT;
	cfg->interval = TBX_LINK_INTERVAL_DEFAULT;
	cfg->dist = TBX_LINK_DIST_UNIFORM;

	err = -EINVAL;
	if (tb[TCA_TBX_RATE]) {
		cfg->rate = nla_get_u64(tb[TCA_TBX_RATE]);
		if (!rate_ok(cfg->rate)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_RATE],
					    "tbx: rate must be 1000..400000000000 bit/s");
			goto fail;
		}
	}
	if (tb[TCA_TBX_OVERHEAD]) {
		cfg->overhead = nla_get_s32(tb[TCA_TBX_OVERHEAD]);
		if (cfg->overhead < TBX_LINK_OVERHEAD_MIN ||
		    cfg->overhead > TBX_LINK_OVERHEAD_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_OVERHEAD],
					    "tbx: overhead must be -64..256 bytes");
			goto fail;
		}
	}
	if (tb[TCA_TBX_DELAY]) {
		cfg->delay = nla_get_s64(tb[TCA_TBX_DELAY]);
		if (!delay_ok(cfg->delay)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_DELAY],
					    "tbx: delay must be 0..60 s (not negative)");
			goto fail;
		}
	}
	if (tb[TCA_TBX_JITTER]) {
		cfg->jitter = nla_get_s64(tb[TCA_TBX_JITTER]);
		if (!delay_ok(cfg->jitter)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_JITTER],
					    "tbx: jitter must be 0..60 s (not negative)");
			goto fail;
		}
	}
	if (tb[TCA_TBX_DIST]) {
		cfg->dist = nla_get_u8(tb[TCA_TBX_DIST]);
		if (cfg->dist > TBX_LINK_DIST_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_DIST],
					    "tbx: unknown distribution");
			goto fail;
		}
	}
	if (get_ppm(tb[TCA_TBX_LOSS], &cfg->loss,
		    "tbx: loss must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_DUPLICATE], &cfg->duplicate,
		    "tbx: duplicate must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_CORRUPT], &cfg->corrupt,
		    "tbx: corrupt must be 0..100 %", extack))
		goto fail;
	if (tb[TCA_TBX_LIMIT]) {
		cfg->limit = nla_get_u32(tb[TCA_TBX_LIMIT]);
		if (!cfg->limit || cfg->limit > TBX_LINK_LIMIT_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_LIMIT],
					    "tbx: limit must be 1..1000000 packets");
			goto fail;
		}
	}
	if (tb[TCA_TBX_BUFFER]) {
		cfg->buffer = nla_get_u64(tb[TCA_TBX_BUFFER]);
		if (!cfg->buffer || cfg->buffer > TBX_LINK_BUFFER_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_BUFFER],
					    "tbx: buffer must be 1 byte..4 GiB");
			goto fail;
		}
	}
	if (tb[TCA_TBX_INTERVAL]) {
		cfg->interval = nla_get_u64(tb[TCA_TBX_INTERVAL]);
		if (cfg->interval < TBX_LINK_INTERVAL_MIN ||
		    cfg->interval > TBX_LINK_INTERVAL_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCA_TBX_INTERVAL],
					    "tbx: interval must be 10 ms..1 h");
			goto fail;
		}
	}
	if (tb[TCA_TBX_PROFILE]) {
		struct tbx_link_prof *p = parse_prof(tb[TCA_TBX_PROFILE], extack);

		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			goto fail;
		}
		cfg->prof = p;
	}
	cfg->holds = cfg->rate || cfg->delay || cfg->jitter || cfg->prof;
	return cfg;
fail:
	tbx_link_cfg_free(cfg);
	return ERR_PTR(err);
}

void tbx_link_cfg_free(struct tbx_link_cfg *cfg)
{
	if (!cfg)
		return;
	kfree(cfg->prof);
	kfree(cfg);
}

int tbx_link_cfg_dump(struct sk_buff *skb, const struct tbx_link_cfg *c)
{
	struct nlattr *prof;

	if ((c->rate &&
	     nla_put_u64_64bit(skb, TCA_TBX_RATE, c->rate, TCA_TBX_PAD)) ||
	    nla_put_s32(skb, TCA_TBX_OVERHEAD, c->overhead) ||
	    nla_put_s64(skb, TCA_TBX_DELAY, c->delay, TCA_TBX_PAD) ||
	    nla_put_s64(skb, TCA_TBX_JITTER, c->jitter, TCA_TBX_PAD) ||
	    nla_put_u8(skb, TCA_TBX_DIST, c->dist) ||
	    nla_put_u32(skb, TCA_TBX_LOSS, c->loss) ||
	    nla_put_u32(skb, TCA_TBX_DUPLICATE, c->duplicate) ||
	    nla_put_u32(skb, TCA_TBX_CORRUPT, c->corrupt) ||
	    nla_put_u32(skb, TCA_TBX_LIMIT, c->limit) ||
	    (c->buffer &&
	     nla_put_u64_64bit(skb, TCA_TBX_BUFFER, c->buffer, TCA_TBX_PAD)) ||
	    nla_put_u64_64bit(skb, TCA_TBX_INTERVAL, c->interval, TCA_TBX_PAD))
		return -EMSGSIZE;
	if (!c->prof)
		return 0;
	/* Segments may not fit a dump message: period and count only. */
	prof = nla_nest_start(skb, TCA_TBX_PROFILE);
	if (!prof ||
	    nla_put_u64_64bit(skb, TCA_TBX_PROF_PERIOD, c->prof->period,
			      TCA_TBX_PROF_PAD) ||
	    nla_put_u32(skb, TCA_TBX_PROF_COUNT, c->prof->count))
		return -EMSGSIZE;
	nla_nest_end(skb, prof);
	return 0;
}
