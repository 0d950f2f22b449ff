// SPDX-License-Identifier: GPL-2.0-or-later
/* The tbx qdisc's option words and their TCA_OPTIONS (link_opts.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link_opts.h"
#include "parse.h"

const char tbx_link_opts_usage[] =
	"[ rate RATE [ overhead BYTES ] ] [ delay TIME [ jitter TIME\n"
	"  [ distribution {uniform|normal|pareto|paretonormal} ] ] ]\n"
	"[ loss PCT ] [ duplicate PCT ] [ corrupt PCT ]\n"
	"[ limit PACKETS ] [ buffer SIZE | limit SIZE ] [ interval TIME ]\n"
	"[ profile FILE ]\n"
	"RATE: NUMBER{bit|kbit|mbit|gbit|tbit}; TIME: NUMBER{ns|us|ms|s};\n"
	"PCT: NUMBER[%]; SIZE: NUMBER{bit|kbit|mbit} or NUMBER{B|K|KB|M|MB|...}";

static const char *const dist_names[] = {
	[TBX_LINK_DIST_UNIFORM]		= "uniform",
	[TBX_LINK_DIST_NORMAL]		= "normal",
	[TBX_LINK_DIST_PARETO]		= "pareto",
	[TBX_LINK_DIST_PARETONORMAL]	= "paretonormal",
};

const char *tbx_link_dist_name(unsigned int dist)
{
	return dist <= TBX_LINK_DIST_MAX ? dist_names[dist] : NULL;
}

int tbx_link_dist_parse(const char *s)
{
	for (unsigned int i = 0; i <= TBX_LINK_DIST_MAX; i++)
		if (!strcmp(s, dist_names[i]))
			return i;
	return -1;
}

/* "20ms" or "-20ms" (a negative delay is the kernel's to refuse). */
static int parse_signed_time(const char *s, int64_t *ns)
{
	bool neg = s[0] == '-';
	uint64_t v;

	if (tbx_parse_duration(s + neg, &v))
		return -EINVAL;
	if (v > INT64_MAX)
		return tbx_err(ERANGE, "\"%s\" is too long", s);
	*ns = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* "1%", "0.25%" or "0.25": parts per million, not above UINT32_MAX. */
static int parse_ppm(const char *s, uint32_t *ppm)
{
	size_t n = strlen(s);
	char buf[64];
	uint64_t v;

	if (n && s[n - 1] == '%')
		n--;
	if (!n || n >= sizeof(buf))
		return tbx_err(EINVAL, "\"%s\" is not a percentage", s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (tbx_parse_decimal(buf, 10000, &v))
		return tbx_err(EINVAL, "\"%s\" is not a percentage (at most 4 decimals)", s);
	if (v > UINT32_MAX)
		return tbx_err(ERANGE, "\"%s\" is too large", s);
	*ppm = v;
	return 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcasecmp(s + n - m, suffix);
}

/* A size in bits (NUMBER{bit|kbit|mbit|gbit}) or bytes: bytes, rounded up. */
static int parse_size_bits(const char *s, uint64_t *bytes)
{
	uint64_t bits;
	bool pps;

	if (ends_with_ci(s, "bit")) {
		if (tbx_parse_rate(s, &bits, &pps) || pps)
			return tbx_err(EINVAL, "\"%s\" is not a size", s);
		*bytes = bits / 8 + (bits % 8 != 0);
		return 0;
	}
	return tbx_parse_size(s, bytes);
}

static int rows_to_check(const struct tbx_profile *p)
{
	if (!p->n)
		return tbx_err(EINVAL, "profile has no rows");
	if (p->n > TBX_LINK_SEGMENTS_MAX)
		return tbx_err(EINVAL, "profile has %u rows; the qdisc takes at most %u",
			       p->n, TBX_LINK_SEGMENTS_MAX);
	return 0;
}

int tbx_link_opts_parse(int argc, char **argv, struct tbx_link_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool pps;
		int err = 0;

		if (!v) {
			err = tbx_err(EINVAL, "%s needs a value", k);
		} else if (!strcmp(k, "rate")) {
			if (tbx_parse_rate(v, &o->rate, &pps) || pps)
				err = tbx_err(EINVAL, "rate \"%s\": give bits/s, e.g. 10mbit", v);
			o->has_rate = true;
		} else if (!strcmp(k, "overhead")) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end || end == v || n < INT32_MIN || n > INT32_MAX)
				err = tbx_err(EINVAL, "overhead \"%s\" is not a number of bytes", v);
			o->overhead = n;
			o->has_overhead = true;
		} else if (!strcmp(k, "delay")) {
			err = parse_signed_time(v, &o->delay);
			o->has_delay = true;
		} else if (!strcmp(k, "jitter")) {
			err = parse_signed_time(v, &o->jitter);
			o->has_jitter = true;
		} else if (!strcmp(k, "distribution")) {
			int d = tbx_link_dist_parse(v);

			if (d < 0)
				err = tbx_err(EINVAL, "distribution \"%s\": uniform, normal, pareto or paretonormal", v);
			o->dist = d;
			o->has_dist = true;
		} else if (!strcmp(k, "loss")) {
			err = parse_ppm(v, &o->loss);
			o->has_loss = true;
		} else if (!strcmp(k, "duplicate")) {
			err = parse_ppm(v, &o->duplicate);
			o->has_duplicate = true;
		} else if (!strcmp(k, "corrupt")) {
			err = parse_ppm(v, &o->corrupt);
			o->has_corrupt = true;
		} else if (!strcmp(k, "limit") && tbx_parse_u32(v, NULL, &o->limit) == 0) {
			o->has_limit = true;	/* a plain number: packets */
		} else if (!strcmp(k, "limit") || !strcmp(k, "buffer")) {
			tbx_err_clear();
			err = parse_size_bits(v, &o->buffer);
			o->has_buffer = true;
		} else if (!strcmp(k, "interval")) {
			uint64_t ns;

			err = tbx_parse_duration(v, &ns);
			o->interval = ns;
			o->has_interval = true;
		} else if (!strcmp(k, "profile")) {
			if (o->has_profile)
				err = tbx_err(EINVAL, "profile given twice");
			else if (!(err = tbx_profile_load(v, &o->profile)))
				o->has_profile = true;
			if (!err)
				err = rows_to_check(&o->profile);
		} else {
			err = tbx_err(EINVAL, "unknown option \"%s\"", k);
		}
		if (err) {
			tbx_link_opts_free(o);
			return err < 0 ? err : -EINVAL;
		}
	}
	return 0;
}

void tbx_link_opts_free(struct tbx_link_opts *o)
{
	if (o->has_profile)
		tbx_profile_free(&o->profile);
	o->has_profile = false;
}

static void put_profile(struct nlmsghdr *nlh, const struct tbx_link_opts *o)
{
	const struct tbx_profile *p = &o->profile;
	struct nlattr *prof = mnl_attr_nest_start(nlh, TCA_TBX_PROFILE);

	mnl_attr_put_u64(nlh, TCA_TBX_PROF_PERIOD, p->period_ns);
	for (unsigned int i = 0; i < p->n; i++) {
		struct nlattr *seg = mnl_attr_nest_start(nlh, TCA_TBX_PROF_SEGMENT);

		mnl_attr_put_u64(nlh, TCA_TBX_SEG_OFFSET, p->rows[i].time_ns);
		mnl_attr_put_u64(nlh, TCA_TBX_SEG_RATE, p->rows[i].rate_bps);
		mnl_attr_put_u64(nlh, TCA_TBX_SEG_DELAY, p->rows[i].latency_ns);
		if (o->has_loss)
			mnl_attr_put_u32(nlh, TCA_TBX_SEG_LOSS, o->loss);
		mnl_attr_nest_end(nlh, seg);
	}
	mnl_attr_nest_end(nlh, prof);
}

int tbx_link_opts_put(struct nlmsghdr *nlh, const struct tbx_link_opts *o)
{
	struct nlattr *opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);

	if (o->has_rate)
		mnl_attr_put_u64(nlh, TCA_TBX_RATE, o->rate);
	if (o->has_overhead)
		mnl_attr_put_u32(nlh, TCA_TBX_OVERHEAD, (uint32_t)o->overhead);
	if (o->has_delay)
		mnl_attr_put_u64(nlh, TCA_TBX_DELAY, (uint64_t)o->delay);
	if (o->has_jitter)
		mnl_attr_put_u64(nlh, TCA_TBX_JITTER, (uint64_t)o->jitter);
	if (o->has_dist)
		mnl_attr_put_u8(nlh, TCA_TBX_DIST, o->dist);
	if (o->has_loss)
		mnl_attr_put_u32(nlh, TCA_TBX_LOSS, o->loss);
	if (o->has_duplicate)
		mnl_attr_put_u32(nlh, TCA_TBX_DUPLICATE, o->duplicate);
	if (o->has_corrupt)
		mnl_attr_put_u32(nlh, TCA_TBX_CORRUPT, o->corrupt);
	if (o->has_limit)
		mnl_attr_put_u32(nlh, TCA_TBX_LIMIT, o->limit);
	if (o->has_buffer)
		mnl_attr_put_u64(nlh, TCA_TBX_BUFFER, o->buffer);
	if (o->has_interval)
		mnl_attr_put_u64(nlh, TCA_TBX_INTERVAL, o->interval);
	if (o->has_profile)
		put_profile(nlh, o);
	mnl_attr_nest_end(nlh, opts);
	return 0;
}

static int collect(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= TCA_TBX_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

int tbx_link_opts_decode(const struct nlattr *opts, struct tbx_link_opts *o)
{
	const struct nlattr *tb[TCA_TBX_MAX + 1] = {};
	const struct nlattr *pb[TCA_TBX_MAX + 1] = {};

	memset(o, 0, sizeof(*o));
	if (!opts)
		return 0;
	if (mnl_attr_parse_nested(opts, collect, tb) < 0)
		return tbx_err(EPROTO, "the qdisc's options do not parse");
#define U64(A, F, H) if (tb[A] && mnl_attr_get_payload_len(tb[A]) == 8) { o->F = mnl_attr_get_u64(tb[A]); o->H = true; }
#define U32(A, F, H) if (tb[A] && mnl_attr_get_payload_len(tb[A]) == 4) { o->F = mnl_attr_get_u32(tb[A]); o->H = true; }
	U64(TCA_TBX_RATE, rate, has_rate)
	U32(TCA_TBX_OVERHEAD, overhead, has_overhead)
	U64(TCA_TBX_DELAY, delay, has_delay)
	U64(TCA_TBX_JITTER, jitter, has_jitter)
	U32(TCA_TBX_LOSS, loss, has_loss)
	U32(TCA_TBX_DUPLICATE, duplicate, has_duplicate)
	U32(TCA_TBX_CORRUPT, corrupt, has_corrupt)
	U32(TCA_TBX_LIMIT, limit, has_limit)
	U64(TCA_TBX_BUFFER, buffer, has_buffer)
	U64(TCA_TBX_INTERVAL, interval, has_interval)
#undef U64
#undef U32
	if (tb[TCA_TBX_DIST]) {
		o->dist = mnl_attr_get_u8(tb[TCA_TBX_DIST]);
		o->has_dist = true;
	}
	if (tb[TCA_TBX_PROFILE] &&
	    mnl_attr_parse_nested(tb[TCA_TBX_PROFILE], collect, pb) >= 0) {
		/* has_profile stays false: no rows were read. */
		if (pb[TCA_TBX_PROF_PERIOD])
			o->profile_period = mnl_attr_get_u64(pb[TCA_TBX_PROF_PERIOD]);
		if (pb[TCA_TBX_PROF_COUNT])
			o->profile_count = mnl_attr_get_u32(pb[TCA_TBX_PROF_COUNT]);
	}
	return 0;
}
