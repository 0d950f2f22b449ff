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

static const char *dist_word(const struct tbx_link_dist_opt *d)
{
	return d->name[0] ? d->name : tbx_link_dist_name(d->kind) ?: "?";
}

/* The same keys as tc -j shows for a tbx qdisc (user/tc/q_tbx.c). */
static json_t *opts_json(const struct tbx_link_opts *o)
{
	json_t *j = json_object();

#define SET(k, v) json_object_set_new(j, k, json_integer(v))
	if (o->has_rate) {
		SET("rate_bps", o->rate);
		SET("cellsize", o->cell_size);
		SET("celloverhead", o->cell_overhead);
	}
	SET("overhead", o->overhead);
	SET("delay_ns", o->delay);
	SET("jitter_ns", o->jitter);
	SET("delay_corr_ppm", o->delay_corr);
	json_object_set_new(j, "distribution", json_string(dist_word(&o->dist)));
	if (o->dist.size)
		SET("distribution_size", o->dist.size);
	SET("loss_ppm", o->loss);
	SET("loss_corr_ppm", o->loss_corr);
	if (o->loss_model == TBX_LOSS_STATE)
		json_object_set_new(j, "loss_state", json_pack("{s:I,s:I,s:I,s:I,s:I}",
			"p13_ppm", (json_int_t)o->state[0], "p31_ppm", (json_int_t)o->state[1],
			"p32_ppm", (json_int_t)o->state[2], "p23_ppm", (json_int_t)o->state[3],
			"p14_ppm", (json_int_t)o->state[4]));
	else if (o->loss_model == TBX_LOSS_GEMODEL)
		json_object_set_new(j, "loss_gemodel", json_pack("{s:I,s:I,s:I,s:I}",
			"p_ppm", (json_int_t)o->ge[0], "r_ppm", (json_int_t)o->ge[1],
			"one_minus_h_ppm", (json_int_t)o->ge[2],
			"one_minus_k_ppm", (json_int_t)o->ge[3]));
	json_object_set_new(j, "ecn", json_boolean(o->ecn));
	SET("duplicate_ppm", o->duplicate);
	SET("duplicate_corr_ppm", o->duplicate_corr);
	SET("corrupt_ppm", o->corrupt);
	SET("corrupt_corr_ppm", o->corrupt_corr);
	SET("reorder_ppm", o->reorder);
	SET("reorder_corr_ppm", o->reorder_corr);
	SET("gap", o->gap);
	if (o->slot.set) {
		const struct tbx_link_slot_opt *s = &o->slot;
		json_t *sj = s->dist_form ?
			json_pack("{s:s,s:I,s:I}", "distribution", dist_word(&s->dist),
				  "delay_ns", (json_int_t)s->delay,
				  "jitter_ns", (json_int_t)s->jitter) :
			json_pack("{s:I,s:I}", "min_delay_ns", (json_int_t)s->min_delay,
				  "max_delay_ns", (json_int_t)s->max_delay);

		json_object_set_new(sj, "packets", json_integer(s->packets));
		json_object_set_new(sj, "bytes", json_integer(s->bytes));
		json_object_set_new(j, "slot", sj);
	}
	if (o->has_seed)
		SET("seed", (json_int_t)o->seed);
	SET("limit", o->limit);
	if (o->has_buffer)
		SET("buffer_bytes", o->buffer);
	SET("interval_ns", o->interval);
#undef SET
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
	return json_pack("{s:s,s:i,s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o}",
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
		"ecn_marked", (json_int_t)s->ecn_marked,
		"reordered", (json_int_t)s->reordered,
		"delivered_packets", (json_int_t)s->delivered_packets,
		"delivered_bytes", (json_int_t)s->delivered_bytes,
		"intervals", ivls);
}

static void print_state(const struct tbx_link_state *s)
{
	const struct tbx_link_opts *o = &s->opts;

	char words[1024];

	tbx_link_opts_format(o, words, sizeof(words));
	printf("%s: tbx %x: %s", s->dev, s->handle >> 16, words);
	printf("\n  sent %" PRIu64 "b %" PRIu64 "p, backlog %" PRIu64 "b %" PRIu64 "p\n",
	       s->sent_bytes, s->sent_packets, s->backlog_bytes, s->qlen);
	printf("  drops: overlimit %" PRIu64 " loss %" PRIu64 " buffer %" PRIu64
	       "; duplicated %" PRIu64 " corrupted %" PRIu64 " ecn_marked %" PRIu64
	       " reordered %" PRIu64 "\n",
	       s->drops_overlimit, s->drops_loss, s->drops_buffer,
	       s->duplicated, s->corrupted, s->ecn_marked, s->reordered);
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

	if (tbx_link_opts_parse(argc, argv, dev, &o))
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
