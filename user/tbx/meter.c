// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx meter: attach, show and detach the eBPF traffic meter of a device. */
#include <stdio.h>
#include <string.h>

#include "meter.h"
#include "err.h"
#include "tbx.h"

static void meter_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx meter attach dev DEV\n"
		"       tbx meter show [dev DEV]\n"
		"       tbx meter detach dev DEV\n"
		"       tbx meter help\n"
		"Counts the packets and bytes DEV receives (ingress) and sends\n"
		"(egress) per L3 class (ipv4, ipv6, arp, other) with eBPF on its\n"
		"tc clsact hooks. The counters are pinned under\n"
		"%s/tbx/meter/DEV ($%s overrides the root)\n"
		"and outlive this command.\n",
		TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV);
}

static int fail(void)
{
	fprintf(stderr, "%s\n", tbx_errmsg());
	return TBX_EXIT_FAIL;
}

/* Parses "[dev] DEV"; *dev stays NULL when nothing is given. */
static int parse_dev(const char *verb, int argc, char **argv, const char **dev)
{
	*dev = NULL;
	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			if (argc < 2)
				return tbx_usage_error("meter %s: \"dev\" needs a device name", verb);
			argc--;
			argv++;
		}
		if (*dev)
			return tbx_usage_error("meter %s: one device only (\"%s\" and \"%s\")",
					       verb, *dev, *argv);
		*dev = *argv;
		argc--;
		argv++;
	}
	return 0;
}

static json_t *stats_json(const char *dev, const struct tbx_meter_stats *st)
{
	json_t *o = json_pack("{s:s}", "dev", dev);

	for (int d = 0; d < TBX_METER_DIR_MAX; d++) {
		json_t *dir = json_object();

		for (int c = 0; c < TBX_METER_CLASS_MAX; c++)
			json_object_set_new(dir, tbx_meter_class_name(c),
					    json_pack("{s:I,s:I}",
						      "packets", (json_int_t)st->c[d][c].packets,
						      "bytes", (json_int_t)st->c[d][c].bytes));
		json_object_set_new(o, tbx_meter_dir_name(d), dir);
	}
	return o;
}

static void stats_print(const char *dev, const struct tbx_meter_stats *st)
{
	const struct tbx_meter_count *in = st->c[TBX_METER_INGRESS];
	const struct tbx_meter_count *out = st->c[TBX_METER_EGRESS];

	printf("dev %s\n", dev);
	printf("  %-6s %14s %16s %14s %16s\n", "class", "ingress pkts",
	       "ingress bytes", "egress pkts", "egress bytes");
	for (int c = 0; c < TBX_METER_CLASS_MAX; c++)
		printf("  %-6s %14llu %16llu %14llu %16llu\n", tbx_meter_class_name(c),
		       (unsigned long long)in[c].packets, (unsigned long long)in[c].bytes,
		       (unsigned long long)out[c].packets, (unsigned long long)out[c].bytes);
}

struct show_all {
	json_t *arr;		/* with -j */
	int shown;
	bool failed;
};

static int show_one(const char *dev, void *arg)
{
	struct show_all *sa = arg;
	struct tbx_meter_stats st;

	/* One unreadable meter must not hide the others. */
	if (tbx_meter_read(dev, &st)) {
		fprintf(stderr, "%s\n", tbx_errmsg());
		sa->failed = true;
		return 0;
	}
	if (sa->arr) {
		json_array_append_new(sa->arr, stats_json(dev, &st));
	} else {
		if (sa->shown)
			putchar('\n');
		stats_print(dev, &st);
	}
	sa->shown++;
	return 0;
}

static int do_show(struct tbx_ctx *ctx, const char *dev)
{
	struct show_all sa = { 0 };
	struct tbx_meter_stats st;

	if (dev) {
		if (tbx_meter_read(dev, &st))
			return fail();
		if (ctx->json)
			tbx_print_json(ctx, stats_json(dev, &st));
		else
			stats_print(dev, &st);
		return TBX_EXIT_OK;
	}
	if (ctx->json)
		sa.arr = json_array();
	if (tbx_meter_foreach(show_one, &sa)) {
		json_decref(sa.arr);
		return fail();
	}
	if (sa.arr)
		tbx_print_json(ctx, sa.arr);
	return sa.failed ? TBX_EXIT_FAIL : TBX_EXIT_OK;
}

int cmd_meter(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "show";
	const char *dev;
	int ret;

	if (argc > 1) {
		argc -= 2;
		argv += 2;
	} else {
		argc = 0;
	}

	if (tbx_matches(verb, "help")) {
		meter_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (tbx_matches(verb, "show") || tbx_matches(verb, "list")) {
		ret = parse_dev("show", argc, argv, &dev);
		return ret ? ret : do_show(ctx, dev);
	}
	if (tbx_matches(verb, "attach")) {
		ret = parse_dev("attach", argc, argv, &dev);
		if (ret)
			return ret;
		if (!dev)
			return tbx_usage_error("meter attach: missing \"dev DEV\"");
		return tbx_meter_attach(dev) ? fail() : TBX_EXIT_OK;
	}
	if (tbx_matches(verb, "detach")) {
		ret = parse_dev("detach", argc, argv, &dev);
		if (ret)
			return ret;
		if (!dev)
			return tbx_usage_error("meter detach: missing \"dev DEV\"");
		return tbx_meter_detach(dev) ? fail() : TBX_EXIT_OK;
	}
	return tbx_usage_error("meter: unknown command \"%s\"; try \"tbx meter help\"",
			       verb);
}
