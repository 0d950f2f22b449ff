// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx profile show FILE [--plot FILE.svg]: a traffic profile as every tbx
 * user of it reads it (the qdisc's schedule, net runs, enforcement): its
 * rows, the cumulative data curve at each row, the peak and mean rate, and
 * optionally a plot of rate and cumulative bits over one period.
 * tbx profile need RECEIVER SENDER...: CBSAT's design-time analysis, the
 * buffer the receiver needs (user/lib/profile_need.c). No module or daemon
 * needed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "profile.h"
#include "profile_need.h"
#include "svg_plot.h"
#include "tbx.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: tbx profile show FILE [--plot FILE.svg]\n"
		"       tbx profile need RECEIVER SENDER...\n"
		"show reads a traffic profile (CBSAT's format: Documentation/user-guide.md)\n"
		"and prints its rows, the cumulative bits at each row, the peak and mean rate\n"
		"(tbx -j: as JSON). --plot draws rate and cumulative bits over one period.\n"
		"need prints the buffer RECEIVER needs when every SENDER sends exactly its\n"
		"profile into it and it reads at its own, all from phase 0 together.\n");
}

static json_t *profile_json(const char *path, const struct tbx_profile *p)
{
	json_t *o = json_object(), *rows = json_array();

	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "period_ns", json_integer((json_int_t)p->period_ns));
	if (p->has_start)
		json_object_set_new(o, "start_ns", json_integer((json_int_t)p->start_ns));
	if (p->has_priority)
		json_object_set_new(o, "priority", json_integer(p->priority));
	if (p->has_uuid)
		json_object_set_new(o, "uuid", json_integer((json_int_t)p->uuid));
	json_object_set_new(o, "columns", json_integer(p->columns));
	json_object_set_new(o, "period_bits", json_integer((json_int_t)p->period_bits));
	json_object_set_new(o, "peak_bps", json_integer((json_int_t)tbx_profile_peak_bps(p)));
	json_object_set_new(o, "mean_bps", json_real(tbx_profile_mean_bps(p)));
	for (unsigned int i = 0; i < p->n; i++) {
		const struct tbx_profile_row *r = &p->rows[i];

		json_array_append_new(rows, json_pack("{s:I,s:I,s:I,s:I,s:I}",
			"time_ns", (json_int_t)r->time_ns, "rate_bps", (json_int_t)r->rate_bps,
			"max_bps", (json_int_t)r->max_bps, "latency_ns", (json_int_t)r->latency_ns,
			"bits_before", (json_int_t)r->bits_before));
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

static void profile_print(const char *path, const struct tbx_profile *p)
{
	char a[32], b[32], c[32];

	printf("profile %s: period %s, %u row%s of %u columns", path,
	       tbx_fmt_duration(a, sizeof(a), p->period_ns), p->n, p->n == 1 ? "" : "s",
	       p->columns);
	if (p->has_start)
		printf(", start @%.9g", p->start_ns / 1e9);
	if (p->has_priority)
		printf(", priority %u", p->priority);
	if (p->has_uuid)
		printf(", uuid %llu", (unsigned long long)p->uuid);
	printf("\n  peak %s, mean %.10gbit, %llu bits per period\n",
	       tbx_fmt_bps(a, sizeof(a), tbx_profile_peak_bps(p)), tbx_profile_mean_bps(p),
	       (unsigned long long)p->period_bits);
	printf("  %-14s %-14s %-14s %-10s %s\n", "time", "bandwidth", "max", "latency",
	       "cumulative bits");
	for (unsigned int i = 0; i < p->n; i++) {
		const struct tbx_profile_row *r = &p->rows[i];
		char t[32];

		snprintf(t, sizeof(t), "%.9gs", r->time_ns / 1e9);
		printf("  %-14s %-14s %-14s %-10s %llu\n", t,
		       tbx_fmt_bps(a, sizeof(a), r->rate_bps), tbx_fmt_bps(b, sizeof(b), r->max_bps),
		       tbx_fmt_duration(c, sizeof(c), r->latency_ns),
		       (unsigned long long)r->bits_before);
	}
	printf("  %-14s %-14s %-14s %-10s %llu\n", tbx_fmt_duration(a, sizeof(a), p->period_ns),
	       "(period end)", "", "", (unsigned long long)p->period_bits);
}

/* Rate (a step on the left axis) and cumulative bits (the right axis), one period. */
static int profile_plot(const char *path, const char *svg, const struct tbx_profile *p)
{
	double *x = calloc(p->n + 1, sizeof(*x)), *rate = calloc(p->n + 1, sizeof(*rate));
	double *bits = calloc(p->n + 1, sizeof(*bits));
	struct tbx_plot_series s[2] = {
		{ .label = "bandwidth (bit/s)", .colour = "#1f77b4", .step = true },
		{ .label = "cumulative data (bits)", .colour = "#d62728", .right = true },
	};
	char title[512];
	struct tbx_plot plot = {
		.title = title, .xlabel = "time in the period (s)",
		.ylabel = "bandwidth (bit/s)", .y2label = "cumulative data (bits)",
		.x0 = 0, .x1 = p->period_ns / 1e9, .n_series = 2, .series = s,
	};
	int err;

	if (!x || !rate || !bits) {
		free(x), free(rate), free(bits);
		return tbx_err(ENOMEM, "out of memory");
	}
	for (unsigned int i = 0; i < p->n; i++) {
		x[i] = p->rows[i].time_ns / 1e9;
		rate[i] = p->rows[i].rate_bps;
		bits[i] = p->rows[i].bits_before;
	}
	x[p->n] = p->period_ns / 1e9;
	rate[p->n] = rate[p->n - 1];
	bits[p->n] = p->period_bits;
	s[0].n = s[1].n = p->n + 1;
	s[0].x = s[1].x = x;
	s[0].y = rate;
	s[1].y = bits;
	snprintf(title, sizeof(title), "profile %s: one period", path);
	err = tbx_plot_svg_file(svg, &plot);
	free(x), free(rate), free(bits);
	return err;
}

static int profile_show(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *path = NULL, *svg = NULL;
	struct tbx_profile p;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--plot")) {
			if (svg || i + 1 == argc)
				return tbx_usage_error("profile show: --plot %s",
						       svg ? "given twice" : "needs a FILE.svg");
			svg = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return tbx_usage_error("profile show: unknown option %s", argv[i]);
		} else if (path) {
			return tbx_usage_error("profile show: one FILE, not \"%s\" too", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return tbx_usage_error("profile show: FILE is missing");
	if (tbx_profile_load(path, &p))
		return tbx_fail();
	if (svg && profile_plot(path, svg, &p)) {
		tbx_profile_free(&p);
		return tbx_fail();
	}
	if (ctx->json)
		tbx_print_json(ctx, profile_json(path, &p));
	else
		profile_print(path, &p);
	tbx_profile_free(&p);
	return TBX_EXIT_OK;
}

static int curve_arg(const char *path, struct tbx_curve *c)
{
	struct tbx_profile p;
	int err = tbx_profile_load(path, &p);

	if (err)
		return err;
	err = tbx_profile_curve(&p, path, c);
	tbx_profile_free(&p);
	return err;
}

static int profile_need(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_curve r, *s;
	struct tbx_profile_need need;
	char a[32], b[32];
	int rc = TBX_EXIT_OK;

	if (argc < 2)
		return tbx_usage_error("profile need RECEIVER SENDER...");
	if (argc - 1 > TBX_NEED_SENDERS_MAX)
		return tbx_usage_error("profile need: at most %d senders", TBX_NEED_SENDERS_MAX);
	s = calloc(argc - 1, sizeof(*s));
	if (!s)
		return tbx_fail();
	if (curve_arg(argv[0], &r))
		rc = tbx_fail();
	for (int i = 1; !rc && i < argc; i++)
		if (curve_arg(argv[i], &s[i - 1]))
			rc = tbx_fail();
	if (!rc && tbx_profile_need(&r, s, argc - 1, &need))
		rc = tbx_fail();
	free(s);
	if (rc)
		return rc;
	if (ctx->json) {
		tbx_print_json(ctx, json_pack("{s:I,s:f,s:f,s:b,s:b,s:I,s:I}",
			"need_bits", (json_int_t)need.need_bits, "at_s", need.at_ns / 1e9,
			"horizon_s", need.horizon_ns / 1e9, "exact", need.exact,
			"grows", need.grows, "in_bits", (json_int_t)need.in_bits,
			"out_bits", (json_int_t)need.out_bits));
		return TBX_EXIT_OK;
	}
	printf("need %llu bits, reached at %.3f s\n", (unsigned long long)need.need_bits,
	       need.at_ns / 1e9);
	printf("over %s%s: the senders bring %llu bits, the receiver reads %llu at most\n",
	       tbx_fmt_duration(a, sizeof(a), need.horizon_ns),
	       need.exact ? " (the periods' least common multiple)" : " (capped: the periods' lcm is longer)",
	       (unsigned long long)need.in_bits, (unsigned long long)need.out_bits);
	if (need.grows)
		printf("the level still climbs from one %s to the next: no buffer is enough\n",
		       tbx_fmt_duration(b, sizeof(b), need.horizon_ns));
	return TBX_EXIT_OK;
}

int cmd_profile(struct tbx_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TBX_EXIT_USAGE : TBX_EXIT_OK;
	}
	if (tbx_matches(argv[1], "show"))
		return profile_show(ctx, argc - 2, argv + 2);
	if (!strcmp(argv[1], "need"))
		return profile_need(ctx, argc - 2, argv + 2);
	return tbx_usage_error("profile: unknown command \"%s\" (show, need)", argv[1]);
}
