// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "err.h"
#include "profile.h"
#include "run.h"

/* --- names ----------------------------------------------------------------- */

static const char *const kind_names[] = {
	[TBX_RUN_KIND_CPU] = "cpu", [TBX_RUN_KIND_MEM] = "mem",
	[TBX_RUN_KIND_NET] = "net",
};
static const char *const state_names[] = {
	[TBX_RUN_STATE_PENDING] = "pending", [TBX_RUN_STATE_RUNNING] = "running",
	[TBX_RUN_STATE_ENDED] = "ended", [TBX_RUN_STATE_STOPPED] = "stopped",
	[TBX_RUN_STATE_FAILED] = "failed",
};
static const char *const event_names[] = {
	[TBX_RUN_EVENT_CREATED] = "created", [TBX_RUN_EVENT_STARTED] = "started",
	[TBX_RUN_EVENT_CHANGED] = "changed", [TBX_RUN_EVENT_FINISHED] = "finished",
};
static const char *const mode_names[] = {
	[TBX_CPU_MODE_ADD] = "add", [TBX_CPU_MODE_TOTAL] = "total",
};
static const char *const pattern_names[] = {
	[TBX_NET_PATTERN_UDP] = "udp", [TBX_NET_PATTERN_TCP_SYN] = "tcp-syn",
	[TBX_NET_PATTERN_ICMP_ECHO] = "icmp-echo", [TBX_NET_PATTERN_FUZZ] = "fuzz",
};

#define NAMES(t)	(sizeof(t) / sizeof(t[0]))

static const char *name_of(const char *const *t, size_t n, uint8_t v)
{
	return v < n ? t[v] : NULL;
}

static uint8_t value_of(const char *const *t, size_t n, const char *name)
{
	for (size_t i = 1; name && i < n; i++)
		if (t[i] && !strcmp(t[i], name))
			return i;
	return 0;
}

const char *tbx_run_kind_name(uint8_t v) { return name_of(kind_names, NAMES(kind_names), v); }
const char *tbx_run_state_name(uint8_t v) { return name_of(state_names, NAMES(state_names), v); }
const char *tbx_run_event_name(uint8_t v) { return name_of(event_names, NAMES(event_names), v); }
const char *tbx_cpu_mode_name(uint8_t v) { return name_of(mode_names, NAMES(mode_names), v); }
const char *tbx_net_pattern_name(uint8_t v) { return name_of(pattern_names, NAMES(pattern_names), v); }
uint8_t tbx_run_kind_of(const char *s) { return value_of(kind_names, NAMES(kind_names), s); }
uint8_t tbx_cpu_mode_of(const char *s) { return value_of(mode_names, NAMES(mode_names), s); }
uint8_t tbx_net_pattern_of(const char *s) { return value_of(pattern_names, NAMES(pattern_names), s); }

void tbx_run_clear(struct tbx_run *r)
{
	free(r->net.segs);
	memset(r, 0, sizeof(*r));
}

/* --- replies ----------------------------------------------------------------- */

int tbx_run_net_profile(const char *path, struct tbx_run_net *n)
{
	struct tbx_profile p;
	struct tbx_run_seg *segs;
	uint64_t period;
	uint32_t k = 0;

	if (tbx_profile_load(path, &p))
		return -EINVAL;
	period = p.period_ns;
	segs = calloc(p.n, sizeof(*segs));
	if (!segs) {
		tbx_profile_free(&p);
		return tbx_err(ENOMEM, "out of memory");
	}
	for (unsigned int i = 0; i < p.n; i++) {
		if (k && segs[k - 1].rate_bps == p.rows[i].rate_bps)
			continue;
		segs[k].offset_ns = p.rows[i].time_ns;
		segs[k++].rate_bps = p.rows[i].rate_bps;
	}
	tbx_profile_free(&p);
	if (k > TBX_RUN_PROFILE_SEGS_MAX) {
		free(segs);
		return tbx_err(E2BIG, "profile %s: %u rates after merging equal neighbours, "
			       "more than the %d a run carries", path, k,
			       TBX_RUN_PROFILE_SEGS_MAX);
	}
	free(n->segs);
	n->segs = segs;
	n->n_segs = k;
	n->period_ns = period;
	n->has |= TBX_HAS(TBX_NET_A_PROFILE);
	return 0;
}

static int parse_cpu(const struct nlattr *nest, struct tbx_run_cpu *c)
{
	const struct nlattr *a;
	int err = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case TBX_CPU_A_LEVEL:
			err = tbx_attr_u32(a, &c->level, "run/cpu/level");
			break;
		case TBX_CPU_A_MODE:
			err = tbx_attr_u8(a, &c->mode, "run/cpu/mode");
			break;
		case TBX_CPU_A_CPUS:
			err = tbx_attr_strcpy(a, c->cpus, sizeof(c->cpus), "run/cpu/cpus");
			break;
		case TBX_CPU_A_COUNT:
			err = tbx_attr_u32(a, &c->count, "run/cpu/count");
			break;
		case TBX_CPU_A_CPU_TIME:
			err = tbx_attr_u64(a, &c->cpu_time_ns, "run/cpu/cpu-time");
			break;
		default:
			continue;	/* padding, or newer than us */
		}
		if (err)
			return err;
		c->has |= TBX_HAS(type);
	}
	if (!(c->has & TBX_HAS(TBX_CPU_A_LEVEL)))
		return tbx_err(EBADMSG, "reply: run/cpu/level missing");
	return 0;
}

static int parse_mem(const struct nlattr *nest, struct tbx_run_mem *m)
{
	const struct nlattr *a;
	int err = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case TBX_MEM_A_BYTES:
			err = tbx_attr_u64(a, &m->bytes, "run/mem/bytes");
			break;
		case TBX_MEM_A_RETOUCH:
			err = tbx_attr_u32(a, &m->retouch_us, "run/mem/retouch");
			break;
		case TBX_MEM_A_HELD:
			err = tbx_attr_u64(a, &m->held, "run/mem/held");
			break;
		case TBX_MEM_A_PASSES:
			err = tbx_attr_u64(a, &m->passes, "run/mem/passes");
			break;
		default:
			continue;
		}
		if (err)
			return err;
		m->has |= TBX_HAS(type);
	}
	if (!(m->has & TBX_HAS(TBX_MEM_A_BYTES)))
		return tbx_err(EBADMSG, "reply: run/mem/bytes missing");
	return 0;
}

static int parse_segment(const struct nlattr *nest, struct tbx_run_seg *s)
{
	const struct nlattr *a;
	unsigned int seen = 0;
	int err = 0;

	if (tbx_attr_nest(nest, "run/net/profile/segment"))
		return -EBADMSG;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TBX_SEGMENT_A_OFFSET:
			err = tbx_attr_u64(a, &s->offset_ns, "run/net/profile/segment/offset");
			seen |= 1;
			break;
		case TBX_SEGMENT_A_RATE_BPS:
			err = tbx_attr_u64(a, &s->rate_bps, "run/net/profile/segment/rate-bps");
			seen |= 2;
			break;
		}
		if (err)
			return err;
	}
	if (seen != 3)
		return tbx_err(EBADMSG, "reply: run/net/profile/segment/%s missing",
			       seen & 1 ? "rate-bps" : "offset");
	return 0;
}

static int parse_profile(const struct nlattr *nest, struct tbx_run_net *n)
{
	const struct nlattr *a;
	uint32_t count = 0;
	bool period = false;
	int err;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == TBX_PROFILE_A_SEGMENT)
			count++;
	if (count > TBX_PROFILE_SEGMENTS_MAX)
		return tbx_err(EBADMSG, "reply: run/net/profile has more than %d segments",
			       TBX_PROFILE_SEGMENTS_MAX);
	free(n->segs);
	n->segs = count ? calloc(count, sizeof(*n->segs)) : NULL;
	n->n_segs = 0;
	if (count && !n->segs)
		return tbx_err(ENOMEM, "out of memory");
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TBX_PROFILE_A_PERIOD:
			err = tbx_attr_u64(a, &n->period_ns, "run/net/profile/period");
			period = true;
			break;
		case TBX_PROFILE_A_SEGMENT:
			err = parse_segment(a, &n->segs[n->n_segs++]);
			break;
		default:
			err = 0;
		}
		if (err)
			return err;
	}
	if (!period)
		return tbx_err(EBADMSG, "reply: run/net/profile/period missing");
	return 0;
}

static int parse_net(const struct nlattr *nest, struct tbx_run_net *n)
{
	const struct nlattr *a;
	int err = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case TBX_NET_A_IFINDEX:
			err = tbx_attr_u32(a, &n->ifindex, "run/net/ifindex");
			break;
		case TBX_NET_A_IFNAME:
			err = tbx_attr_strcpy(a, n->ifname, sizeof(n->ifname), "run/net/ifname");
			break;
		case TBX_NET_A_PATTERN:
			err = tbx_attr_u8(a, &n->pattern, "run/net/pattern");
			break;
		case TBX_NET_A_RATE_PPS:
			err = tbx_attr_u64(a, &n->rate_pps, "run/net/rate-pps");
			break;
		case TBX_NET_A_RATE_BPS:
			err = tbx_attr_u64(a, &n->rate_bps, "run/net/rate-bps");
			break;
		case TBX_NET_A_SIZE:
			err = tbx_attr_u32(a, &n->size, "run/net/size");
			break;
		case TBX_NET_A_DST:
			err = tbx_attr_u32(a, &n->dst, "run/net/dst");
			break;
		case TBX_NET_A_DST_PORT:
			err = tbx_attr_u16(a, &n->port, "run/net/port");
			break;
		case TBX_NET_A_SRC_MIN:
			err = tbx_attr_u32(a, &n->src_min, "run/net/src-min");
			break;
		case TBX_NET_A_SRC_MAX:
			err = tbx_attr_u32(a, &n->src_max, "run/net/src-max");
			break;
		case TBX_NET_A_DST_MAC:
			err = tbx_attr_binary(a, n->dst_mac, sizeof(n->dst_mac), "run/net/dst-mac");
			break;
		case TBX_NET_A_PROFILE:
			err = tbx_attr_nest(a, "run/net/profile") ?: parse_profile(a, n);
			break;
		case TBX_NET_A_PACKETS:
			err = tbx_attr_u64(a, &n->packets, "run/net/packets");
			break;
		case TBX_NET_A_BYTES:
			err = tbx_attr_u64(a, &n->bytes, "run/net/bytes");
			break;
		case TBX_NET_A_DROPS:
			err = tbx_attr_u64(a, &n->drops, "run/net/drops");
			break;
		case TBX_NET_A_TX_START:
			err = tbx_attr_u64(a, &n->tx_start, "run/net/tx-start");
			break;
		default:
			continue;
		}
		if (err)
			return err;
		n->has |= TBX_HAS(type);
	}
	if (!(n->has & TBX_HAS(TBX_NET_A_PATTERN)))
		return tbx_err(EBADMSG, "reply: run/net/pattern missing");
	return 0;
}

/* One attribute of the TBX_A_RUN nest; the kinds' nests come later. */
static int parse_run_attr(const struct nlattr *a, struct tbx_run *r)
{
	switch (mnl_attr_get_type(a)) {
	case TBX_RUN_A_ID:
		return tbx_attr_u32(a, &r->id, "run/id");
	case TBX_RUN_A_KIND:
		return tbx_attr_u8(a, &r->kind, "run/kind");
	case TBX_RUN_A_STATE:
		return tbx_attr_u8(a, &r->state, "run/state");
	case TBX_RUN_A_EVENT:
		return tbx_attr_u8(a, &r->event, "run/event");
	case TBX_RUN_A_OWNER:
		return tbx_attr_strcpy(a, r->owner, sizeof(r->owner), "run/owner");
	case TBX_RUN_A_START:
		return tbx_attr_u64(a, &r->start, "run/start");
	case TBX_RUN_A_DURATION:
		return tbx_attr_u64(a, &r->duration, "run/duration");
	case TBX_RUN_A_CREATED:
		return tbx_attr_u64(a, &r->created, "run/created");
	case TBX_RUN_A_STARTED:
		return tbx_attr_u64(a, &r->started, "run/started");
	case TBX_RUN_A_ENDED:
		return tbx_attr_u64(a, &r->ended, "run/ended");
	case TBX_RUN_A_MESSAGE:
		return tbx_attr_strcpy(a, r->message, sizeof(r->message), "run/message");
	case TBX_RUN_A_CPU:
		return tbx_attr_nest(a, "run/cpu");
	case TBX_RUN_A_MEM:
		return tbx_attr_nest(a, "run/mem");
	case TBX_RUN_A_NET:
		return tbx_attr_nest(a, "run/net");
	}
	return 1;	/* not ours: skipped */
}

/* The kind's nest, once the kind is known; other kinds' nests are refused. */
static int parse_kind_nest(const struct nlattr *a, struct tbx_run *r)
{
	static const uint16_t nest_of[] = {
		[TBX_RUN_KIND_CPU] = TBX_RUN_A_CPU, [TBX_RUN_KIND_MEM] = TBX_RUN_A_MEM,
		[TBX_RUN_KIND_NET] = TBX_RUN_A_NET,
	};
	uint16_t type = mnl_attr_get_type(a);

	if (type != nest_of[r->kind])
		return tbx_err(EBADMSG, "reply: a %s run carries another kind's nest",
			       tbx_run_kind_name(r->kind));
	switch (type) {
	case TBX_RUN_A_CPU:
		return parse_cpu(a, &r->cpu);
	case TBX_RUN_A_MEM:
		return parse_mem(a, &r->mem);
	default:
		return parse_net(a, &r->net);
	}
}

static int check_run(const struct tbx_run *r, uint8_t cmd)
{
	static const struct { int attr; const char *name; } required[] = {
		{ TBX_RUN_A_ID, "run/id" }, { TBX_RUN_A_KIND, "run/kind" },
		{ TBX_RUN_A_STATE, "run/state" },
	};

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!(r->has & TBX_HAS(required[i].attr)))
			return tbx_err(EBADMSG, "reply: %s missing", required[i].name);
	if (!r->id)
		return tbx_err(EBADMSG, "reply: run/id is 0");
	if (!tbx_run_kind_name(r->kind))
		return tbx_err(EBADMSG, "reply: run/kind %u is not cpu, mem or net", r->kind);
	if (r->state == TBX_RUN_STATE_UNSPEC)
		return tbx_err(EBADMSG, "reply: run/state is 0");
	if (cmd == TBX_CMD_RUN_NTF && !(r->has & TBX_HAS(TBX_RUN_A_EVENT)))
		return tbx_err(EBADMSG, "reply: run/event missing from an event");
	return 0;
}

int tbx_run_parse(const struct nlmsghdr *nlh, struct tbx_run *out)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *top = NULL, *t, *a;
	int err, nests = 0;

	tbx_run_clear(out);
	mnl_attr_for_each(t, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(t) == TBX_A_RUN)
			top = t;
	if (!top)
		return tbx_err(EBADMSG, "reply: run missing");
	if (tbx_attr_nest(top, "run"))
		return -EBADMSG;
	mnl_attr_for_each_nested(a, top) {
		err = parse_run_attr(a, out);
		if (err < 0)
			goto fail;
		if (err == 0)
			out->has |= TBX_HAS(mnl_attr_get_type(a));
	}
	err = check_run(out, g->cmd);
	if (err)
		goto fail;
	mnl_attr_for_each_nested(a, top) {
		uint16_t type = mnl_attr_get_type(a);

		if (type != TBX_RUN_A_CPU && type != TBX_RUN_A_MEM && type != TBX_RUN_A_NET)
			continue;
		err = parse_kind_nest(a, out);
		if (err)
			goto fail;
		nests++;
	}
	if (nests != 1) {
		err = tbx_err(EBADMSG, "reply: run/%s %s", tbx_run_kind_name(out->kind),
			      nests ? "given twice" : "missing");
		goto fail;
	}
	return 0;
fail:
	tbx_run_clear(out);
	return err;
}

/* --- requests ---------------------------------------------------------------- */

/* Room for everything but profile segments, with slack (see TBX_RUN_PROFILE_SEGS_MAX). */
#define RUN_FIXED_MAX	1024
/* A segment: its nest header, OFFSET and RATE_BPS, no padding. */
#define RUN_SEG_SIZE	(NLA_HDRLEN + 2 * (NLA_HDRLEN + 8))

size_t tbx_run_put_size(const struct tbx_run *r)
{
	size_t segs = (r->has & TBX_HAS(TBX_RUN_A_NET)) &&
		      (r->net.has & TBX_HAS(TBX_NET_A_PROFILE)) ? r->net.n_segs : 0;

	return RUN_FIXED_MAX + segs * RUN_SEG_SIZE;
}

int tbx_run_put_check(const struct tbx_run *r)
{
	const struct tbx_run_net *n = &r->net;

	if (!(r->has & TBX_HAS(TBX_RUN_A_NET)) || !(n->has & TBX_HAS(TBX_NET_A_PROFILE)))
		return 0;
	if (!n->n_segs || !n->segs)
		return tbx_err(EINVAL, "profile: no segments");
	if (n->n_segs > TBX_RUN_PROFILE_SEGS_MAX)
		return tbx_err(E2BIG, "profile: %u segments, more than the %d one "
			       "request can carry", n->n_segs, TBX_RUN_PROFILE_SEGS_MAX);
	return 0;
}

#define PUT(has, attr)	((has) & TBX_HAS(attr))

static void put_cpu(struct nlmsghdr *nlh, const struct tbx_run_cpu *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_RUN_A_CPU);

	if (PUT(c->has, TBX_CPU_A_LEVEL))
		mnl_attr_put_u32(nlh, TBX_CPU_A_LEVEL, c->level);
	if (PUT(c->has, TBX_CPU_A_MODE))
		mnl_attr_put_u8(nlh, TBX_CPU_A_MODE, c->mode);
	if (PUT(c->has, TBX_CPU_A_CPUS))
		mnl_attr_put_strz(nlh, TBX_CPU_A_CPUS, c->cpus);
	if (PUT(c->has, TBX_CPU_A_COUNT))
		mnl_attr_put_u32(nlh, TBX_CPU_A_COUNT, c->count);
	mnl_attr_nest_end(nlh, nest);
}

static void put_mem(struct nlmsghdr *nlh, const struct tbx_run_mem *m)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_RUN_A_MEM);

	if (PUT(m->has, TBX_MEM_A_BYTES))
		mnl_attr_put_u64(nlh, TBX_MEM_A_BYTES, m->bytes);
	if (PUT(m->has, TBX_MEM_A_RETOUCH))
		mnl_attr_put_u32(nlh, TBX_MEM_A_RETOUCH, m->retouch_us);
	mnl_attr_nest_end(nlh, nest);
}

static void put_profile(struct nlmsghdr *nlh, const struct tbx_run_net *n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_NET_A_PROFILE), *seg;

	mnl_attr_put_u64(nlh, TBX_PROFILE_A_PERIOD, n->period_ns);
	for (uint32_t i = 0; i < n->n_segs; i++) {
		seg = mnl_attr_nest_start(nlh, TBX_PROFILE_A_SEGMENT);
		mnl_attr_put_u64(nlh, TBX_SEGMENT_A_OFFSET, n->segs[i].offset_ns);
		mnl_attr_put_u64(nlh, TBX_SEGMENT_A_RATE_BPS, n->segs[i].rate_bps);
		mnl_attr_nest_end(nlh, seg);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_net(struct nlmsghdr *nlh, const struct tbx_run_net *n)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_RUN_A_NET);

	if (PUT(n->has, TBX_NET_A_IFINDEX))
		mnl_attr_put_u32(nlh, TBX_NET_A_IFINDEX, n->ifindex);
	if (PUT(n->has, TBX_NET_A_IFNAME))
		mnl_attr_put_strz(nlh, TBX_NET_A_IFNAME, n->ifname);
	if (PUT(n->has, TBX_NET_A_PATTERN))
		mnl_attr_put_u8(nlh, TBX_NET_A_PATTERN, n->pattern);
	if (PUT(n->has, TBX_NET_A_RATE_PPS))
		mnl_attr_put_u64(nlh, TBX_NET_A_RATE_PPS, n->rate_pps);
	if (PUT(n->has, TBX_NET_A_RATE_BPS))
		mnl_attr_put_u64(nlh, TBX_NET_A_RATE_BPS, n->rate_bps);
	if (PUT(n->has, TBX_NET_A_SIZE))
		mnl_attr_put_u32(nlh, TBX_NET_A_SIZE, n->size);
	if (PUT(n->has, TBX_NET_A_DST))
		mnl_attr_put_u32(nlh, TBX_NET_A_DST, n->dst);
	if (PUT(n->has, TBX_NET_A_DST_PORT))
		mnl_attr_put_u16(nlh, TBX_NET_A_DST_PORT, n->port);
	if (PUT(n->has, TBX_NET_A_SRC_MIN))
		mnl_attr_put_u32(nlh, TBX_NET_A_SRC_MIN, n->src_min);
	if (PUT(n->has, TBX_NET_A_SRC_MAX))
		mnl_attr_put_u32(nlh, TBX_NET_A_SRC_MAX, n->src_max);
	if (PUT(n->has, TBX_NET_A_DST_MAC))
		mnl_attr_put(nlh, TBX_NET_A_DST_MAC, sizeof(n->dst_mac), n->dst_mac);
	if (PUT(n->has, TBX_NET_A_PROFILE))
		put_profile(nlh, n);
	mnl_attr_nest_end(nlh, nest);
}

void tbx_run_put(struct nlmsghdr *nlh, const struct tbx_run *r)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TBX_A_RUN);

	if (PUT(r->has, TBX_RUN_A_ID))
		mnl_attr_put_u32(nlh, TBX_RUN_A_ID, r->id);
	if (PUT(r->has, TBX_RUN_A_KIND))
		mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, r->kind);
	if (PUT(r->has, TBX_RUN_A_OWNER))
		mnl_attr_put_strz(nlh, TBX_RUN_A_OWNER, r->owner);
	if (PUT(r->has, TBX_RUN_A_START))
		mnl_attr_put_u64(nlh, TBX_RUN_A_START, r->start);
	if (PUT(r->has, TBX_RUN_A_DURATION))
		mnl_attr_put_u64(nlh, TBX_RUN_A_DURATION, r->duration);
	if (PUT(r->has, TBX_RUN_A_FORCE))
		mnl_attr_put(nlh, TBX_RUN_A_FORCE, 0, NULL);
	if (PUT(r->has, TBX_RUN_A_CPU))
		put_cpu(nlh, &r->cpu);
	if (PUT(r->has, TBX_RUN_A_MEM))
		put_mem(nlh, &r->mem);
	if (PUT(r->has, TBX_RUN_A_NET))
		put_net(nlh, &r->net);
	mnl_attr_nest_end(nlh, nest);
}

/* --- commands ---------------------------------------------------------------- */

static int on_run(const struct nlmsghdr *nlh, void *data)
{
	struct tbx_run tmp = { 0 }, *out = data ? data : &tmp;
	int err = tbx_run_parse(nlh, out);

	if (out == &tmp)
		tbx_run_clear(&tmp);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Sends @cmd with @r's attributes and parses the reply into @out. The
 * request is built in a buffer of its own: a profile may not fit libtbx's.
 */
static int run_do(struct tbx_nl *nl, uint8_t cmd, const struct tbx_run *r,
		  struct tbx_run *out)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr *req;
	char *buf;
	int err = tbx_run_put_check(r);

	if (err)
		return err;
	buf = calloc(1, hdr + tbx_run_put_size(r));
	if (!buf)
		return tbx_err(ENOMEM, "out of memory");
	/* The header exactly as tbx_nl_request() makes it. */
	memcpy(buf, tbx_nl_request(nl, cmd, 0), hdr);
	req = (struct nlmsghdr *)buf;
	req->nlmsg_len = hdr;
	tbx_run_put(req, r);
	if (out)
		tbx_run_clear(out);
	err = tbx_nl_do(nl, req, on_run, out);
	free(buf);
	return err;
}

int tbx_run_new(struct tbx_nl *nl, const struct tbx_run *req, struct tbx_run *out)
{
	return run_do(nl, TBX_CMD_RUN_NEW, req, out);
}

int tbx_run_set(struct tbx_nl *nl, const struct tbx_run *req, struct tbx_run *out)
{
	return run_do(nl, TBX_CMD_RUN_SET, req, out);
}

static int run_by_id(struct tbx_nl *nl, uint8_t cmd, uint32_t id, struct tbx_run *out)
{
	struct tbx_run r = { .has = TBX_HAS(TBX_RUN_A_ID), .id = id };

	return run_do(nl, cmd, &r, out);
}

int tbx_run_del(struct tbx_nl *nl, uint32_t id, struct tbx_run *out)
{
	return run_by_id(nl, TBX_CMD_RUN_DEL, id, out);
}

int tbx_run_get(struct tbx_nl *nl, uint32_t id, struct tbx_run *out)
{
	return run_by_id(nl, TBX_CMD_RUN_GET, id, out);
}

struct run_list {
	struct tbx_run *runs;
	size_t n, cap;
};

static int on_list_item(const struct nlmsghdr *nlh, void *data)
{
	struct run_list *l = data;
	struct tbx_run *more;
	int err;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		more = realloc(l->runs, l->cap * sizeof(*more));
		if (!more) {
			tbx_err(ENOMEM, "out of memory");
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->runs = more;
	}
	memset(&l->runs[l->n], 0, sizeof(l->runs[0]));
	err = tbx_run_parse(nlh, &l->runs[l->n]);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	l->n++;
	return MNL_CB_OK;
}

/* An interrupted dump starts over: what was read so far goes. */
static void list_reset(void *data)
{
	struct run_list *l = data;

	for (size_t i = 0; i < l->n; i++)
		tbx_run_clear(&l->runs[i]);
	l->n = 0;
}

void tbx_run_list_free(struct tbx_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tbx_run_clear(&runs[i]);
	free(runs);
}

int tbx_run_list(struct tbx_nl *nl, const char *owner, uint8_t kind,
		 struct tbx_run **runs, size_t *n)
{
	struct nlmsghdr *req = tbx_nl_request(nl, TBX_CMD_RUN_GET, 0);
	struct run_list l = { 0 };
	struct tbx_run filter = { 0 };
	int err;

	if (owner) {
		if (strlen(owner) >= sizeof(filter.owner))
			return tbx_err(EINVAL, "owner \"%s\" is longer than %zu bytes",
				       owner, sizeof(filter.owner) - 1);
		strcpy(filter.owner, owner);
		filter.has |= TBX_HAS(TBX_RUN_A_OWNER);
	}
	if (kind) {
		filter.kind = kind;
		filter.has |= TBX_HAS(TBX_RUN_A_KIND);
	}
	if (filter.has)
		tbx_run_put(req, &filter);
	err = tbx_nl_dump(nl, req, on_list_item, &l, list_reset);
	if (err) {
		tbx_run_list_free(l.runs, l.n);
		return err;
	}
	*runs = l.runs;
	*n = l.n;
	return 0;
}
