// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * q_tbx.so: iproute2's tc plug-in for the qdisc "tbx". tc 6.1 dlopens
 * q_<kind>.so from $TC_LIB_DIR (else /usr/lib/x86_64-linux-gnu/tc/) and
 * looks up "<kind>_qdisc_util". Debian ships no iproute2 headers, so the
 * table and the tc helpers used are declared below to match tc 6.1.
 *
 * Exit codes are tc's: 1 when this plug-in refuses the words (a usage
 * error, with the reason on stderr), 2 when the kernel refuses the
 * request (tc prints its extack as "Error: ...").
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <linux/tbx.h>

#include "err.h"
#include "link_opts.h"

/* --- tc 6.1's ABI (tc/tc_util.h, include/json_print.h, color.h) -------- */
struct rtattr;

struct qdisc_util {
	struct qdisc_util *next;
	const char *id;
	int (*parse_qopt)(struct qdisc_util *qu, int argc, char **argv,
			  struct nlmsghdr *n, const char *dev);
	int (*print_qopt)(struct qdisc_util *qu, FILE *f, struct rtattr *opt);
	int (*print_xstats)(struct qdisc_util *qu, FILE *f,
			    struct rtattr *xstats);
	int (*parse_copt)(struct qdisc_util *qu, int argc, char **argv,
			  struct nlmsghdr *n, const char *dev);
	int (*print_copt)(struct qdisc_util *qu, FILE *f, struct rtattr *opt);
	int (*has_block)(struct qdisc_util *qu, struct rtattr *opt,
			 uint32_t block_idx, bool *p_has);
};

enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 4 };
enum color_attr { COLOR_NONE = 0 };

/* Exported by tc itself; resolved when tc loads this object. */
void print_color_string(enum output_type t, enum color_attr c, const char *key,
			const char *fmt, const char *value);
void print_color_u64(enum output_type t, enum color_attr c, const char *key,
		     const char *fmt, uint64_t value);
void print_color_s64(enum output_type t, enum color_attr c, const char *key,
		     const char *fmt, int64_t value);
void print_color_float(enum output_type t, enum color_attr c, const char *key,
		       const char *fmt, double value);
void print_color_bool(enum output_type t, enum color_attr c, const char *key,
		      const char *fmt, bool value);
void open_json_object(const char *str);
void close_json_object(void);
void print_nl(void);
bool is_json_context(void);

/* --- parse --------------------------------------------------------------- */

static void explain(void)
{
	fprintf(stderr, "Usage: ... tbx %s\n", tbx_link_opts_usage);
}

static int tbx_parse_opt(struct qdisc_util *qu, int argc, char **argv,
			 struct nlmsghdr *n, const char *dev)
{
	struct tbx_link_opts o;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		explain();
		return -1;
	}
	if (tbx_link_opts_parse(argc, argv, dev, &o)) {
		fprintf(stderr, "tbx: %s\n", tbx_errmsg());
		explain();
		return -1;
	}
	tbx_link_opts_put(n, &o);
	tbx_link_opts_free(&o);
	return 0;
}

/* --- print --------------------------------------------------------------- */

static void json_u64(const char *key, uint64_t v)
{
	print_color_u64(PRINT_JSON, COLOR_NONE, key, NULL, v);
}

static void json_s64(const char *key, int64_t v)
{
	print_color_s64(PRINT_JSON, COLOR_NONE, key, NULL, v);
}

static void json_str(const char *key, const char *v)
{
	print_color_string(PRINT_JSON, COLOR_NONE, key, NULL, v);
}

/* JSON: one key a figure (units in the names). */
static void print_json(const struct tbx_link_opts *o)
{
	if (o->has_rate) {
		json_u64("rate_bps", o->rate);
		json_s64("overhead", o->overhead);
		json_u64("cellsize", o->cell_size);
		json_s64("celloverhead", o->cell_overhead);
	}
	json_s64("delay_ns", o->delay);
	json_s64("jitter_ns", o->jitter);
	json_u64("delay_corr_ppm", o->delay_corr);
	json_str("distribution", o->dist.name[0] ? o->dist.name :
		 tbx_link_dist_name(o->dist.kind) ?: "?");
	if (o->dist.size)
		json_u64("distribution_size", o->dist.size);
	json_u64("loss_ppm", o->loss);
	json_u64("loss_corr_ppm", o->loss_corr);
	if (o->loss_model == TBX_LOSS_STATE) {
		static const char *const k[] = { "p13_ppm", "p31_ppm", "p32_ppm",
						 "p23_ppm", "p14_ppm" };

		open_json_object("loss_state");
		for (int i = 0; i < 5; i++)
			json_u64(k[i], o->state[i]);
		close_json_object();
	} else if (o->loss_model == TBX_LOSS_GEMODEL) {
		static const char *const k[] = { "p_ppm", "r_ppm", "one_minus_h_ppm",
						 "one_minus_k_ppm" };

		open_json_object("loss_gemodel");
		for (int i = 0; i < 4; i++)
			json_u64(k[i], o->ge[i]);
		close_json_object();
	}
	print_color_bool(PRINT_JSON, COLOR_NONE, "ecn", NULL, o->ecn);
	json_u64("duplicate_ppm", o->duplicate);
	json_u64("duplicate_corr_ppm", o->duplicate_corr);
	json_u64("corrupt_ppm", o->corrupt);
	json_u64("corrupt_corr_ppm", o->corrupt_corr);
	json_u64("reorder_ppm", o->reorder);
	json_u64("reorder_corr_ppm", o->reorder_corr);
	json_u64("gap", o->gap);
	if (o->slot.set) {
		const struct tbx_link_slot_opt *s = &o->slot;

		open_json_object("slot");
		if (s->dist_form) {
			json_str("distribution", s->dist.name[0] ? s->dist.name :
				 tbx_link_dist_name(s->dist.kind) ?: "?");
			json_s64("delay_ns", s->delay);
			json_s64("jitter_ns", s->jitter);
		} else {
			json_s64("min_delay_ns", s->min_delay);
			json_s64("max_delay_ns", s->max_delay);
		}
		json_u64("packets", s->packets);
		json_u64("bytes", s->bytes);
		close_json_object();
	}
	if (o->has_seed)
		json_u64("seed", o->seed);
	json_u64("limit", o->limit);
	if (o->has_buffer)
		json_u64("buffer_bytes", o->buffer);
	json_u64("interval_ns", o->interval);
	if (o->profile_count) {
		json_u64("profile_segments", o->profile_count);
		json_u64("profile_period_ns", o->profile_period);
	}
}

static int tbx_print_opt(struct qdisc_util *qu, FILE *f, struct rtattr *opt)
{
	struct tbx_link_opts o;
	char words[1024];

	if (!opt)
		return 0;
	if (tbx_link_opts_decode((const struct nlattr *)opt, &o)) {
		fprintf(stderr, "tbx: %s\n", tbx_errmsg());
		return -1;
	}
	if (is_json_context()) {
		print_json(&o);
		return 0;
	}
	/* Text: the words that set this link again. */
	tbx_link_opts_format(&o, words, sizeof(words));
	fprintf(f, "%s ", words);
	return 0;
}

static int tbx_print_xstats(struct qdisc_util *qu, FILE *f,
			    struct rtattr *xstats)
{
	const struct nlattr *a = (const struct nlattr *)xstats;
	struct tc_tbx_xstats x = {};
	size_t n;

	if (!xstats)
		return 0;
	/* An older module's shorter struct leaves the new figures at 0. */
	if (a->nla_len - NLA_HDRLEN < (int)offsetof(struct tc_tbx_xstats, ecn_marked))
		return -1;
	n = a->nla_len - NLA_HDRLEN;
	memcpy(&x, (const char *)a + NLA_HDRLEN, n < sizeof(x) ? n : sizeof(x));

#define U(key, fmt, v) print_color_u64(PRINT_ANY, COLOR_NONE, key, fmt, v)
	print_nl();
	U("buffer_max_bytes", " buffer_max %" PRIu64 "b", x.buffer_max);
	U("buffer_max_bits", " (%" PRIu64 "bit)", x.buffer_max * 8);
	U("backlog_max_bytes", " backlog_max %" PRIu64 "b", x.backlog_max);
	U("backlog_max_bits", " (%" PRIu64 "bit)", x.backlog_max * 8);
	print_nl();
	U("drops_overlimit", " drops: overlimit %" PRIu64, x.drops_overlimit);
	U("drops_loss", " loss %" PRIu64, x.drops_loss);
	U("drops_buffer", " buffer %" PRIu64, x.drops_buffer);
	U("duplicated", " duplicated %" PRIu64, x.duplicated);
	U("corrupted", " corrupted %" PRIu64, x.corrupted);
	U("ecn_marked", " ecn_marked %" PRIu64, x.ecn_marked);
	U("reordered", " reordered %" PRIu64, x.reordered);
	print_nl();
	U("delivered_packets", " delivered %" PRIu64 "p", x.delivered_packets);
	U("delivered_bytes", " %" PRIu64 "b", x.delivered_bytes);
	U("interval_ns", " interval %" PRIu64 "ns", x.interval);
	U("intervals_closed", " closed %" PRIu64, x.intervals_closed);
	print_nl();
	U("last_bytes", " last interval: %" PRIu64 "b", x.last_bytes);
	U("last_packets", " %" PRIu64 "p", x.last_packets);
	U("last_sojourn_mean_ns", " sojourn mean %" PRIu64 "ns", x.last_sojourn_mean);
	U("last_sojourn_max_ns", " max %" PRIu64 "ns", x.last_sojourn_max);
#undef U
	return 0;
}

struct qdisc_util tbx_qdisc_util = {
	.id		= "tbx",
	.parse_qopt	= tbx_parse_opt,
	.print_qopt	= tbx_print_opt,
	.print_xstats	= tbx_print_xstats,
};
