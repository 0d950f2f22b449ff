// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx link: the tbx qdisc (link emulation) of a device. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "link.h"
#include "tbx.h"

static void link_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx link set DEV OPTIONS\n"
		"       tbx link show DEV\n"
		"       tbx link del DEV\n"
		"       tbx link help\n"
		"set creates or replaces DEV's root qdisc with tbx; every set\n"
		"gives the whole configuration (what is left out takes its default).\n"
		"OPTIONS: %s\n"
		"show prints the options, the drops by reason, the high-water marks\n"
		"and the last closed statistics intervals (delivered bytes, sojourn).\n",
		tbx_link_opts_usage);
}

static json_t *opts_json(const struct tbx_link_opts *o)
{
	json_t *j = json_object();

	if (o->has_rate)
		json_object_set_new(j, "rate_bps", json_integer(o->rate));
	json_object_set_new(j, "overhead", json_integer(o->overhead));
	json_object_set_new(j, "delay_ns", json_integer(o->delay));
	json_object_set_new(j, "jitter_ns", json_integer(o->jitter));
	json_object_set_new(j, "distribution",
			    json_string(tbx_link_dist_name(o->dist) ?: "?"));
	json_object_set_new(j, "loss_ppm", json_integer(o->loss));
	json_object_set_new(j, "duplicate_ppm", json_integer(o->duplicate));
	json_object_set_new(j, "corrupt_ppm", json_integer(o->corrupt));
	json_object_set_new(j, "limit", json_integer(o->limit));
	if (o->has_buffer)
		json_object_set_new(j, "buffer_bytes", json_integer(o->buffer));
	json_object_set_new(j, "interval_ns", json_integer(o->interval));
	if (o->profile_count)
		json_object_set_new(j, "profile", json_pack("{s:I,s:I}",
			"period_ns", (json_int_t)o->profile_period,
			"segments", (json_int_t)o->profile_count));
	return j;
}

static json_t *state_json(const struct tbx_link_state *s)
{
	json_t *ivls = json_array();

	for (unsigned int i = 0; i < s->n_intervals; i++) {
		const struct tbx_link_interval *v = &s->intervals[i];

		json_array_append_new(ivls, json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}",
			"index", (json_int_t)v->index,
			"start_ns", (json_int_t)v->start_ns,
			"bytes", (json_int_t)v->bytes,
			"packets", (json_int_t)v->packets,
			"sojourn_mean_ns", (json_int_t)v->sojourn_mean_ns,
			"sojourn_max_ns", (json_int_t)v->sojourn_max_ns));
	}
	return json_pack("{s:s,s:i,s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o}",
		"dev", s->dev, "ifindex", (int)s->ifindex,
		"handle", "", "options", opts_json(&s->opts),
		"stats",
		"sent_bytes", (json_int_t)s->sent_bytes,
		"sent_packets", (json_int_t)s->sent_packets,
		"drops", (json_int_t)s->drops,
		"backlog_bytes", (json_int_t)s->backlog_bytes,
		"qlen", (json_int_t)s->qlen,
		"buffer_max_bytes", (json_int_t)s->buffer_max,
		"buffer_max_bits", (json_int_t)(s->buffer_max * 8),
		"backlog_max_bytes", (json_int_t)s->backlog_max,
		"drops_overlimit", (json_int_t)s->drops_overlimit,
		"drops_loss", (json_int_t)s->drops_loss,
		"drops_buffer", (json_int_t)s->drops_buffer,
		"duplicated", (json_int_t)s->duplicated,
		"corrupted", (json_int_t)s->corrupted,
		"delivered_packets", (json_int_t)s->delivered_packets,
		"delivered_bytes", (json_int_t)s->delivered_bytes,
		"intervals", ivls);
}

static void print_state(const struct tbx_link_state *s)
{
	const struct tbx_link_opts *o = &s->opts;

	printf("%s: tbx %x:", s->dev, s->handle >> 16);
	if (o->has_rate)
		printf(" rate %" PRIu64 "bit", o->rate);
	printf(" delay %.3fms", o->delay / 1e6);
	if (o->jitter)
		printf(" jitter %.3fms %s", o->jitter / 1e6, tbx_link_dist_name(o->dist) ?: "?");
	if (o->loss)
		printf(" loss %g%%", o->loss / 1e4);
	if (o->duplicate)
		printf(" duplicate %g%%", o->duplicate / 1e4);
	if (o->corrupt)
		printf(" corrupt %g%%", o->corrupt / 1e4);
	printf(" limit %u", o->limit);
	if (o->has_buffer)
		printf(" buffer %" PRIu64 "b", o->buffer);
	if (o->profile_count)
		printf(" profile %u segments / %.3fs", o->profile_count,
		       o->profile_period / 1e9);
	printf("\n  sent %" PRIu64 "b %" PRIu64 "p, backlog %" PRIu64 "b %" PRIu64 "p\n",
	       s->sent_bytes, s->sent_packets, s->backlog_bytes, s->qlen);
	printf("  drops: overlimit %" PRIu64 " loss %" PRIu64 " buffer %" PRIu64
	       "; duplicated %" PRIu64 " corrupted %" PRIu64 "\n",
	       s->drops_overlimit, s->drops_loss, s->drops_buffer,
	       s->duplicated, s->corrupted);
	printf("  high-water: buffer %" PRIu64 "b (%" PRIu64 "bit) backlog %" PRIu64 "b\n",
	       s->buffer_max, s->buffer_max * 8, s->backlog_max);
	for (unsigned int i = 0; i < s->n_intervals; i++) {
		const struct tbx_link_interval *v = &s->intervals[i];

		printf("  interval %" PRIu64 " +%.3fs: %" PRIu64 "b %" PRIu64
		       "p sojourn mean %.3fms max %.3fms\n", v->index,
		       v->start_ns / 1e9, v->bytes, v->packets,
		       v->sojourn_mean_ns / 1e6, v->sojourn_max_ns / 1e6);
	}
}

static int link_show(struct tbx_ctx *ctx, const char *dev)
{
	static struct tbx_link_state st;

	if (tbx_link_get(dev, &st))
		return tbx_fail();
	if (ctx->json) {
		json_t *j = state_json(&st);
		char h[16];

		snprintf(h, sizeof(h), "%x:", st.handle >> 16);
		json_object_set_new(j, "handle", json_string(h));
		tbx_print_json(ctx, j);
	} else {
		print_state(&st);
	}
	return TBX_EXIT_OK;
}

static int link_set(struct tbx_ctx *ctx, const char *dev, int argc, char **argv)
{
	struct tbx_link_opts o;
	int err;

	if (tbx_link_opts_parse(argc, argv, &o))
		return tbx_usage_error("link set: %s", tbx_errmsg());
	err = tbx_link_set(dev, &o);
	tbx_link_opts_free(&o);
	if (err)
		return tbx_fail();
	if (ctx->json)
		tbx_print_json(ctx, json_pack("{s:s,s:b}", "dev", dev, "set", 1));
	return TBX_EXIT_OK;
}

int cmd_link(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *verb;

	/* argv[0] is "link". */
	argc--;
	argv++;
	verb = argc > 0 ? argv[0] : "help";

	if (tbx_matches(verb, "help")) {
		link_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (argc < 2)
		return tbx_usage_error("link %s: DEV is missing", verb);
	if (tbx_matches(verb, "set"))
		return link_set(ctx, argv[1], argc - 2, argv + 2);
	if (argc > 2)
		return tbx_usage_error("link %s: unexpected \"%s\"", verb, argv[2]);
	if (tbx_matches(verb, "show"))
		return link_show(ctx, argv[1]);
	if (tbx_matches(verb, "delete")) {
		if (tbx_link_del(argv[1]))
			return tbx_fail();
		if (ctx->json)
			tbx_print_json(ctx, json_pack("{s:s,s:b}", "dev", argv[1], "deleted", 1));
		return TBX_EXIT_OK;
	}
	return tbx_usage_error("link: unknown verb \"%s\" (set, show, del, help)", verb);
}
