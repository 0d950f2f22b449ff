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

static const struct nla_policy tbx_state_policy[TCA_TBX_STATE_MAX + 1] = {
	[TCA_TBX_STATE_P13]	= { .type = NLA_U32 },
	[TCA_TBX_STATE_P31]	= { .type = NLA_U32 },
	[TCA_TBX_STATE_P32]	= { .type = NLA_U32 },
	[TCA_TBX_STATE_P23]	= { .type = NLA_U32 },
	[TCA_TBX_STATE_P14]	= { .type = NLA_U32 },
};

static const struct nla_policy tbx_ge_policy[TCA_TBX_GE_MAX + 1] = {
	[TCA_TBX_GE_P]		= { .type = NLA_U32 },
	[TCA_TBX_GE_R]		= { .type = NLA_U32 },
	[TCA_TBX_GE_LOSS_BAD]	= { .type = NLA_U32 },
	[TCA_TBX_GE_LOSS_GOOD]	= { .type = NLA_U32 },
};

static const struct nla_policy tbx_slot_policy[TCA_TBX_SLOT_MAX + 1] = {
	[TCA_TBX_SLOT_MIN_DELAY]	= { .type = NLA_S64 },
	[TCA_TBX_SLOT_MAX_DELAY]	= { .type = NLA_S64 },
	[TCA_TBX_SLOT_DELAY]		= { .type = NLA_S64 },
	[TCA_TBX_SLOT_JITTER]		= { .type = NLA_S64 },
	[TCA_TBX_SLOT_DIST]		= { .type = NLA_U8 },
	[TCA_TBX_SLOT_DIST_TABLE]	= { .type = NLA_BINARY,
					    .len = TBX_LINK_DIST_MAX_SIZE * 2 },
	[TCA_TBX_SLOT_DIST_NAME]	= { .type = NLA_NUL_STRING,
					    .len = TBX_LINK_DIST_NAME_MAX - 1 },
	[TCA_TBX_SLOT_DIST_SIZE]	= { .type = NLA_REJECT },
	[TCA_TBX_SLOT_PACKETS]		= { .type = NLA_U32 },
	[TCA_TBX_SLOT_BYTES]		= { .type = NLA_U32 },
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
	[TCA_TBX_DELAY_CORR]	= { .type = NLA_U32 },
	[TCA_TBX_LOSS_CORR]	= { .type = NLA_U32 },
	[TCA_TBX_DUPLICATE_CORR] = { .type = NLA_U32 },
	[TCA_TBX_CORRUPT_CORR]	= { .type = NLA_U32 },
	[TCA_TBX_LOSS_STATE]	= { .type = NLA_NESTED },
	[TCA_TBX_LOSS_GEMODEL]	= { .type = NLA_NESTED },
	[TCA_TBX_ECN]		= { .type = NLA_FLAG },
	[TCA_TBX_REORDER]	= { .type = NLA_U32 },
	[TCA_TBX_REORDER_CORR]	= { .type = NLA_U32 },
	[TCA_TBX_GAP]		= { .type = NLA_U32 },
	[TCA_TBX_SLOT]		= { .type = NLA_NESTED },
	[TCA_TBX_CELL_SIZE]	= { .type = NLA_U32 },
	[TCA_TBX_CELL_OVERHEAD]	= { .type = NLA_S32 },
	[TCA_TBX_DIST_TABLE]	= { .type = NLA_BINARY,
				    .len = TBX_LINK_DIST_MAX_SIZE * 2 },
	[TCA_TBX_DIST_NAME]	= { .type = NLA_NUL_STRING,
				    .len = TBX_LINK_DIST_NAME_MAX - 1 },
	[TCA_TBX_DIST_SIZE]	= { .type = NLA_REJECT },
	[TCA_TBX_SEED]		= { .type = NLA_U64 },
};

static bool delay_ok(s64 ns)
{
	return ns >= 0 && ns <= TBX_LINK_DELAY_MAX;
}

/* Sets the extack of a refused attribute; @msg must be a literal. */
static int refuse(struct netlink_ext_ack *extack, const struct nlattr *a,
		  const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = a;
	}
	return -EINVAL;
}

/* A u32 ppm attribute, 0..100 %. */
static int get_ppm(struct nlattr *a, u32 *out, const char *msg,
		   struct netlink_ext_ack *extack)
{
	if (!a)
		return 0;
	*out = nla_get_u32(a);
	return *out > TBX_LINK_PPM ? refuse(extack, a, msg) : 0;
}

/* A delay attribute, 0..60 s. */
static int get_ns(struct nlattr *a, s64 *out, const char *msg,
		  struct netlink_ext_ack *extack)
{
	if (!a)
		return 0;
	*out = nla_get_s64(a);
	return delay_ok(*out) ? 0 : refuse(extack, a, msg);
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
	if (get_ns(tb[TCA_TBX_SEG_DELAY], &seg->delay,
		   "tbx: a segment's delay must be 0..60 s", extack))
		return -EINVAL;
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
		p->any_loss |= seg->loss != 0;
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

/* An iproute2 .dist table: s16 values, 1..TBX_LINK_DIST_MAX_SIZE. */
static struct tbx_dist_table *parse_table(struct nlattr *a,
					  struct netlink_ext_ack *extack)
{
	struct tbx_dist_table *t;
	u32 n = nla_len(a) / sizeof(s16);

	if (!n || nla_len(a) % sizeof(s16)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "tbx: a distribution table holds 1..16384 s16 values");
		return ERR_PTR(-EINVAL);
	}
	t = kvmalloc(struct_size(t, v, n), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->size = n;
	memcpy(t->v, nla_data(a), n * sizeof(s16));
	return t;
}

static int parse_4state(struct nlattr *nest, struct tbx_loss_4state *m,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_STATE_MAX + 1];
	int err;

	err = nla_parse_nested(tb, TCA_TBX_STATE_MAX, nest, tbx_state_policy,
			       extack);
	if (err)
		return err;
	if (!tb[TCA_TBX_STATE_P13])
		return refuse(extack, nest, "tbx: loss state needs p13");
	/* What is left out takes tc's defaults for netem. */
	m->p13 = nla_get_u32(tb[TCA_TBX_STATE_P13]);
	m->p31 = TBX_LINK_PPM - min(m->p13, TBX_LINK_PPM);
	m->p32 = 0;
	m->p23 = TBX_LINK_PPM;
	m->p14 = 0;
	if (m->p13 > TBX_LINK_PPM)
		return refuse(extack, tb[TCA_TBX_STATE_P13],
			      "tbx: loss state p13 must be 0..100 %");
	return get_ppm(tb[TCA_TBX_STATE_P31], &m->p31,
		       "tbx: loss state p31 must be 0..100 %", extack) ?:
	       get_ppm(tb[TCA_TBX_STATE_P32], &m->p32,
		       "tbx: loss state p32 must be 0..100 %", extack) ?:
	       get_ppm(tb[TCA_TBX_STATE_P23], &m->p23,
		       "tbx: loss state p23 must be 0..100 %", extack) ?:
	       get_ppm(tb[TCA_TBX_STATE_P14], &m->p14,
		       "tbx: loss state p14 must be 0..100 %", extack);
}

static int parse_ge(struct nlattr *nest, struct tbx_loss_ge *m,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_GE_MAX + 1];
	int err;

	err = nla_parse_nested(tb, TCA_TBX_GE_MAX, nest, tbx_ge_policy, extack);
	if (err)
		return err;
	if (!tb[TCA_TBX_GE_P])
		return refuse(extack, nest, "tbx: loss gemodel needs p");
	m->p = nla_get_u32(tb[TCA_TBX_GE_P]);
	if (m->p > TBX_LINK_PPM)
		return refuse(extack, tb[TCA_TBX_GE_P],
			      "tbx: loss gemodel p must be 0..100 %");
	m->r = TBX_LINK_PPM - m->p;
	m->loss_bad = TBX_LINK_PPM;
	m->loss_good = 0;
	return get_ppm(tb[TCA_TBX_GE_R], &m->r,
		       "tbx: loss gemodel r must be 0..100 %", extack) ?:
	       get_ppm(tb[TCA_TBX_GE_LOSS_BAD], &m->loss_bad,
		       "tbx: loss gemodel 1-h must be 0..100 %", extack) ?:
	       get_ppm(tb[TCA_TBX_GE_LOSS_GOOD], &m->loss_good,
		       "tbx: loss gemodel 1-k must be 0..100 %", extack);
}

static int parse_slot(struct nlattr *nest, struct tbx_link_cfg *cfg,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCA_TBX_SLOT_MAX + 1];
	struct tbx_slot_cfg *s = &cfg->slot;
	int err;

	err = nla_parse_nested(tb, TCA_TBX_SLOT_MAX, nest, tbx_slot_policy,
			       extack);
	if (err)
		return err;
	if (get_ns(tb[TCA_TBX_SLOT_MIN_DELAY], &s->min_delay,
		   "tbx: slot min delay must be 0..60 s", extack) ||
	    get_ns(tb[TCA_TBX_SLOT_MAX_DELAY], &s->max_delay,
		   "tbx: slot max delay must be 0..60 s", extack) ||
	    get_ns(tb[TCA_TBX_SLOT_DELAY], &s->delay,
		   "tbx: slot delay must be 0..60 s", extack) ||
	    get_ns(tb[TCA_TBX_SLOT_JITTER], &s->jitter,
		   "tbx: slot jitter must be 0..60 s", extack))
		return -EINVAL;
	if (!tb[TCA_TBX_SLOT_MAX_DELAY])
		s->max_delay = s->min_delay;
	if (s->max_delay < s->min_delay)
		return refuse(extack, tb[TCA_TBX_SLOT_MAX_DELAY],
			      "tbx: slot max delay is below its min delay");
	if ((tb[TCA_TBX_SLOT_MIN_DELAY] || tb[TCA_TBX_SLOT_MAX_DELAY]) &&
	    (tb[TCA_TBX_SLOT_DELAY] || tb[TCA_TBX_SLOT_JITTER]))
		return refuse(extack, nest,
			      "tbx: a slot has min/max delays or a distribution's delay and jitter, not both");
	if ((tb[TCA_TBX_SLOT_DIST] || tb[TCA_TBX_SLOT_DIST_TABLE] ||
	     tb[TCA_TBX_SLOT_DELAY]) && !s->jitter)
		return refuse(extack, nest,
			      "tbx: a slot distribution needs a jitter above 0");
	if (tb[TCA_TBX_SLOT_DIST]) {
		s->dist = nla_get_u8(tb[TCA_TBX_SLOT_DIST]);
		if (s->dist > TBX_LINK_DIST_PARETONORMAL)
			return refuse(extack, tb[TCA_TBX_SLOT_DIST],
				      "tbx: unknown slot distribution");
		if (tb[TCA_TBX_SLOT_DIST_TABLE])
			return refuse(extack, tb[TCA_TBX_SLOT_DIST],
				      "tbx: a slot distribution is a name or a table, not both");
	}
	if (tb[TCA_TBX_SLOT_DIST_TABLE]) {
		struct tbx_dist_table *t =
			parse_table(tb[TCA_TBX_SLOT_DIST_TABLE], extack);

		if (IS_ERR(t))
			return PTR_ERR(t);
		cfg->slot_table = t;
		s->table = t;
	}
	if (tb[TCA_TBX_SLOT_DIST_NAME])
		nla_strscpy(cfg->slot_dist_name, tb[TCA_TBX_SLOT_DIST_NAME],
			    sizeof(cfg->slot_dist_name));
	s->packets = S32_MAX;
	s->bytes = S32_MAX;
	if (tb[TCA_TBX_SLOT_PACKETS] && nla_get_u32(tb[TCA_TBX_SLOT_PACKETS]))
		s->packets = min_t(u32, nla_get_u32(tb[TCA_TBX_SLOT_PACKETS]), S32_MAX);
	if (tb[TCA_TBX_SLOT_BYTES] && nla_get_u32(tb[TCA_TBX_SLOT_BYTES]))
		s->bytes = min_t(u32, nla_get_u32(tb[TCA_TBX_SLOT_BYTES]), S32_MAX);
	cfg->has_slot = true;
	return 0;
}

/* Correlations and the loss model: netem's random decisions. */
static int parse_random(struct nlattr **tb, struct tbx_link_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	int err;

	if (get_ppm(tb[TCA_TBX_LOSS], &cfg->loss,
		    "tbx: loss must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_DUPLICATE], &cfg->duplicate,
		    "tbx: duplicate must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_CORRUPT], &cfg->corrupt,
		    "tbx: corrupt must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_REORDER], &cfg->reorder,
		    "tbx: reorder must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_DELAY_CORR], &cfg->delay_corr,
		    "tbx: the delay's correlation must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_LOSS_CORR], &cfg->loss_corr,
		    "tbx: the loss's correlation must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_DUPLICATE_CORR], &cfg->duplicate_corr,
		    "tbx: the duplicate's correlation must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_CORRUPT_CORR], &cfg->corrupt_corr,
		    "tbx: the corrupt's correlation must be 0..100 %", extack) ||
	    get_ppm(tb[TCA_TBX_REORDER_CORR], &cfg->reorder_corr,
		    "tbx: the reorder's correlation must be 0..100 %", extack))
		return -EINVAL;
	if (tb[TCA_TBX_GAP]) {
		cfg->gap = nla_get_u32(tb[TCA_TBX_GAP]);
		if (!tb[TCA_TBX_REORDER])
			return refuse(extack, tb[TCA_TBX_GAP],
				      "tbx: gap needs a reorder probability");
	}
	if (cfg->reorder && !cfg->gap)
		cfg->gap = 1;	/* as tc sets it for netem */

	if (tb[TCA_TBX_LOSS_STATE] && tb[TCA_TBX_LOSS_GEMODEL])
		return refuse(extack, tb[TCA_TBX_LOSS_GEMODEL],
			      "tbx: one loss model at a time (state or gemodel)");
	if ((tb[TCA_TBX_LOSS_STATE] || tb[TCA_TBX_LOSS_GEMODEL]) &&
	    (cfg->loss || (cfg->prof && cfg->prof->any_loss)))
		return refuse(extack, tb[TCA_TBX_LOSS_STATE] ?: tb[TCA_TBX_LOSS_GEMODEL],
			      "tbx: a loss model replaces a loss probability: give one of them");
	if (tb[TCA_TBX_LOSS_STATE]) {
		err = parse_4state(tb[TCA_TBX_LOSS_STATE], &cfg->gi, extack);
		if (err)
			return err;
		cfg->loss_kind = TBX_LOSS_4STATE;
	}
	if (tb[TCA_TBX_LOSS_GEMODEL]) {
		err = parse_ge(tb[TCA_TBX_LOSS_GEMODEL], &cfg->ge, extack);
		if (err)
			return err;
		cfg->loss_kind = TBX_LOSS_GE;
	}
	cfg->ecn = nla_get_flag(tb[TCA_TBX_ECN]);
	if (tb[TCA_TBX_SEED]) {
		cfg->seed = nla_get_u64(tb[TCA_TBX_SEED]);
		cfg->has_seed = true;
	}
	return 0;
}

/* Rate, delay, jitter and their distribution. */
static int parse_timing(struct nlattr **tb, struct tbx_link_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	if (tb[TCA_TBX_RATE]) {
		cfg->rate = nla_get_u64(tb[TCA_TBX_RATE]);
		if (!cfg->rate)
			return refuse(extack, tb[TCA_TBX_RATE],
				      "tbx: rate must be at least 1 bit/s (leave it out for no rate)");
	}
	if (tb[TCA_TBX_OVERHEAD])
		cfg->overhead = nla_get_s32(tb[TCA_TBX_OVERHEAD]);
	if (tb[TCA_TBX_CELL_SIZE])
		cfg->cell_size = nla_get_u32(tb[TCA_TBX_CELL_SIZE]);
	if (tb[TCA_TBX_CELL_OVERHEAD])
		cfg->cell_overhead = nla_get_s32(tb[TCA_TBX_CELL_OVERHEAD]);
	if (get_ns(tb[TCA_TBX_DELAY], &cfg->delay,
		   "tbx: delay must be 0..60 s (not negative)", extack) ||
	    get_ns(tb[TCA_TBX_JITTER], &cfg->jitter,
		   "tbx: jitter must be 0..60 s (not negative)", extack))
		return -EINVAL;
	if (tb[TCA_TBX_DIST]) {
		cfg->dist = nla_get_u8(tb[TCA_TBX_DIST]);
		if (cfg->dist > TBX_LINK_DIST_PARETONORMAL)
			return refuse(extack, tb[TCA_TBX_DIST],
				      "tbx: unknown distribution");
		if (tb[TCA_TBX_DIST_TABLE])
			return refuse(extack, tb[TCA_TBX_DIST],
				      "tbx: a distribution is a name or a table, not both");
	}
	if (tb[TCA_TBX_DIST_TABLE]) {
		struct tbx_dist_table *t = parse_table(tb[TCA_TBX_DIST_TABLE], extack);

		if (IS_ERR(t))
			return PTR_ERR(t);
		cfg->table = t;
		cfg->dist = TBX_LINK_DIST_TABLE;
	}
	if (tb[TCA_TBX_DIST_NAME])
		nla_strscpy(cfg->dist_name, tb[TCA_TBX_DIST_NAME],
			    sizeof(cfg->dist_name));
	return 0;
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

	err = parse_timing(tb, cfg, extack);
	if (err)
		goto fail;
	err = -EINVAL;
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
	err = parse_random(tb, cfg, extack);
	if (err)
		goto fail;
	if (tb[TCA_TBX_SLOT]) {
		err = parse_slot(tb[TCA_TBX_SLOT], cfg, extack);
		if (err)
			goto fail;
	}
	cfg->holds = cfg->rate || cfg->delay || cfg->jitter || cfg->prof ||
		     cfg->has_slot;
	return cfg;
fail:
	tbx_link_cfg_free(cfg);
	return ERR_PTR(err);
}

void tbx_link_cfg_free(struct tbx_link_cfg *cfg)
{
	if (!cfg)
		return;
	kvfree(cfg->table);
	kvfree(cfg->slot_table);
	kfree(cfg->prof);
	kfree(cfg);
}

static int put_ns(struct sk_buff *skb, int type, s64 v, int pad)
{
	return nla_put_s64(skb, type, v, pad);
}

static int dump_slot(struct sk_buff *skb, const struct tbx_link_cfg *c)
{
	const struct tbx_slot_cfg *s = &c->slot;
	struct nlattr *n = nla_nest_start(skb, TCA_TBX_SLOT);

	if (!n)
		return -EMSGSIZE;
	if (s->jitter) {
		if (put_ns(skb, TCA_TBX_SLOT_DELAY, s->delay, TCA_TBX_SLOT_PAD) ||
		    put_ns(skb, TCA_TBX_SLOT_JITTER, s->jitter, TCA_TBX_SLOT_PAD) ||
		    nla_put_u8(skb, TCA_TBX_SLOT_DIST,
			       s->table ? TBX_LINK_DIST_TABLE : s->dist) ||
		    (s->table &&
		     nla_put_u32(skb, TCA_TBX_SLOT_DIST_SIZE, s->table->size)))
			return -EMSGSIZE;
	} else if (put_ns(skb, TCA_TBX_SLOT_MIN_DELAY, s->min_delay,
			  TCA_TBX_SLOT_PAD) ||
		   put_ns(skb, TCA_TBX_SLOT_MAX_DELAY, s->max_delay,
			  TCA_TBX_SLOT_PAD)) {
		return -EMSGSIZE;
	}
	if ((c->slot_dist_name[0] &&
	     nla_put_string(skb, TCA_TBX_SLOT_DIST_NAME, c->slot_dist_name)) ||
	    (s->packets != S32_MAX &&
	     nla_put_u32(skb, TCA_TBX_SLOT_PACKETS, s->packets)) ||
	    (s->bytes != S32_MAX &&
	     nla_put_u32(skb, TCA_TBX_SLOT_BYTES, s->bytes)))
		return -EMSGSIZE;
	nla_nest_end(skb, n);
	return 0;
}

static int dump_loss_model(struct sk_buff *skb, const struct tbx_link_cfg *c)
{
	struct nlattr *n;

	if (c->loss_kind == TBX_LOSS_4STATE) {
		n = nla_nest_start(skb, TCA_TBX_LOSS_STATE);
		if (!n || nla_put_u32(skb, TCA_TBX_STATE_P13, c->gi.p13) ||
		    nla_put_u32(skb, TCA_TBX_STATE_P31, c->gi.p31) ||
		    nla_put_u32(skb, TCA_TBX_STATE_P32, c->gi.p32) ||
		    nla_put_u32(skb, TCA_TBX_STATE_P23, c->gi.p23) ||
		    nla_put_u32(skb, TCA_TBX_STATE_P14, c->gi.p14))
			return -EMSGSIZE;
		nla_nest_end(skb, n);
	} else if (c->loss_kind == TBX_LOSS_GE) {
		n = nla_nest_start(skb, TCA_TBX_LOSS_GEMODEL);
		if (!n || nla_put_u32(skb, TCA_TBX_GE_P, c->ge.p) ||
		    nla_put_u32(skb, TCA_TBX_GE_R, c->ge.r) ||
		    nla_put_u32(skb, TCA_TBX_GE_LOSS_BAD, c->ge.loss_bad) ||
		    nla_put_u32(skb, TCA_TBX_GE_LOSS_GOOD, c->ge.loss_good))
			return -EMSGSIZE;
		nla_nest_end(skb, n);
	}
	return 0;
}

/* netem's options: each only when set, so a plain link dumps as before. */
static int dump_netem(struct sk_buff *skb, const struct tbx_link_cfg *c)
{
	if ((c->delay_corr &&
	     nla_put_u32(skb, TCA_TBX_DELAY_CORR, c->delay_corr)) ||
	    (c->loss_corr && nla_put_u32(skb, TCA_TBX_LOSS_CORR, c->loss_corr)) ||
	    (c->duplicate_corr &&
	     nla_put_u32(skb, TCA_TBX_DUPLICATE_CORR, c->duplicate_corr)) ||
	    (c->corrupt_corr &&
	     nla_put_u32(skb, TCA_TBX_CORRUPT_CORR, c->corrupt_corr)) ||
	    dump_loss_model(skb, c) ||
	    (c->ecn && nla_put_flag(skb, TCA_TBX_ECN)) ||
	    (c->reorder && (nla_put_u32(skb, TCA_TBX_REORDER, c->reorder) ||
			    nla_put_u32(skb, TCA_TBX_GAP, c->gap))) ||
	    (c->reorder_corr &&
	     nla_put_u32(skb, TCA_TBX_REORDER_CORR, c->reorder_corr)) ||
	    (c->cell_size && nla_put_u32(skb, TCA_TBX_CELL_SIZE, c->cell_size)) ||
	    (c->cell_overhead &&
	     nla_put_s32(skb, TCA_TBX_CELL_OVERHEAD, c->cell_overhead)) ||
	    (c->table && nla_put_u32(skb, TCA_TBX_DIST_SIZE, c->table->size)) ||
	    (c->dist_name[0] &&
	     nla_put_string(skb, TCA_TBX_DIST_NAME, c->dist_name)) ||
	    (c->has_seed &&
	     nla_put_u64_64bit(skb, TCA_TBX_SEED, c->seed, TCA_TBX_PAD)) ||
	    (c->has_slot && dump_slot(skb, c)))
		return -EMSGSIZE;
	return 0;
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
	    nla_put_u64_64bit(skb, TCA_TBX_INTERVAL, c->interval, TCA_TBX_PAD) ||
	    dump_netem(skb, c))
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
