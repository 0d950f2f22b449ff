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
	if (tbx_link_opts_parse(argc, argv, &o)) {
		fprintf(stderr, "tbx: %s\n", tbx_errmsg());
		explain();
		return -1;
	}
	tbx_link_opts_put(n, &o);
	tbx_link_opts_free(&o);
	return 0;
}

/* --- print --------------------------------------------------------------- */

static void print_ns(const char *key, const char *name, int64_t ns)
{
	char buf[64];

	print_color_s64(PRINT_JSON, COLOR_NONE, key, NULL, ns);
	if (ns % 1000000 == 0)
		snprintf(buf, sizeof(buf), "%" PRId64 "ms", ns / 1000000);
	else
		snprintf(buf, sizeof(buf), "%.3fms", ns / 1e6);
	if (!is_json_context())
		fprintf(stdout, "%s %s ", name, buf);
}

static void print_ppm(const char *key, const char *name, uint32_t ppm)
{
	print_color_u64(PRINT_JSON, COLOR_NONE, key, NULL, ppm);
	if (!is_json_context())
		fprintf(stdout, "%s %g%% ", name, ppm / 1e4);
}

static int tbx_print_opt(struct qdisc_util *qu, FILE *f, struct rtattr *opt)
{
	struct tbx_link_opts o;

	if (!opt)
		return 0;
	if (tbx_link_opts_decode((const struct nlattr *)opt, &o)) {
		fprintf(stderr, "tbx: %s\n", tbx_errmsg());
		return -1;
	}
	if (o.has_rate) {
		print_color_u64(PRINT_ANY, COLOR_NONE, "rate_bps", "rate %" PRIu64 "bit ",
				o.rate);
		if (o.overhead)
			print_color_s64(PRINT_ANY, COLOR_NONE, "overhead",
					"overhead %" PRId64 " ", o.overhead);
	}
	print_ns("delay_ns", "delay", o.delay);
	if (o.jitter) {
		print_ns("jitter_ns", "jitter", o.jitter);
		print_color_string(PRINT_ANY, COLOR_NONE, "distribution",
				   "distribution %s ",
				   tbx_link_dist_name(o.dist) ?: "?");
	}
	if (o.loss)
		print_ppm("loss_ppm", "loss", o.loss);
	if (o.duplicate)
		print_ppm("duplicate_ppm", "duplicate", o.duplicate);
	if (o.corrupt)
		print_ppm("corrupt_ppm", "corrupt", o.corrupt);
	print_color_u64(PRINT_ANY, COLOR_NONE, "limit", "limit %" PRIu64 " ", o.limit);
	if (o.has_buffer)
		print_color_u64(PRINT_ANY, COLOR_NONE, "buffer_bytes",
				"buffer %" PRIu64 "b ", o.buffer);
	print_ns("interval_ns", "interval", o.interval);
	if (o.profile_count) {
		print_color_u64(PRINT_ANY, COLOR_NONE, "profile_segments",
				"profile %" PRIu64 " segments ", o.profile_count);
		print_ns("profile_period_ns", "period", o.profile_period);
	}
	return 0;
}

static int tbx_print_xstats(struct qdisc_util *qu, FILE *f,
			    struct rtattr *xstats)
{
	const struct nlattr *a = (const struct nlattr *)xstats;
	struct tc_tbx_xstats x = {};

	if (!xstats)
		return 0;
	if (a->nla_len - NLA_HDRLEN < (int)sizeof(x))
		return -1;
	memcpy(&x, (const char *)a + NLA_HDRLEN, sizeof(x));

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
