// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx tap: flowtuple counts in Corsaro's files, live from a device (eBPF,
 * in the foreground like corsaro) or offline from a pcap file; and the
 * live sessions' counters.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "meter.h"		/* TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV */
#include "tap/tap.h"
#include "tap_cli.h"
#include "tbx.h"

static void tap_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx tap DEV -o TEMPLATE [OPTIONS]     live, until SIGINT/SIGTERM\n"
		"       tbx tap -f FILE.pcap -o TEMPLATE [OPTIONS]\n"
		"       tbx tap stats                        live sessions' counters\n"
		"       tbx tap start DEV -o TEMPLATE [OPTIONS]  the same, in tbxd (background)\n"
		"       tbx tap list | show ID | stop ID     tbxd's sessions\n"
		"       tbx tap help\n"
		"Options (as corsaro's):\n"
		"  -o TEMPLATE   output names; must contain %%P; %%N and strftime codes\n"
		"  -i SECONDS    interval length (default 60)\n"
		"  -a            end the first interval at a multiple of the length\n"
		"  -p PLUGIN     flowtuple or dos; repeatable (default flowtuple)\n"
		"  -n MONITOR    monitor name for %%N (default: the host name)\n"
		"  -r N          rotate plugin files every N intervals\n"
		"  -R M          rotate global and log files every M intervals\n"
		"  -m MODE       ascii or binary (default binary)\n"
		"Live only:\n"
		"  --xdp         count at XDP (ingress) instead of tc\n"
		"  --dir D       tc hooks: in, out or both (default in)\n"
		"  --tuples N    kernel map size in tuples (default %u); packets a\n"
		"                full map cannot take are counted as dropped\n"
		"  --ring MB     with -p dos: the ring buffer that carries backscatter\n"
		"                packets up (power of two, default 8)\n"
		"Maps are pinned under %s/tbx/tap/DEV:PID ($%s overrides the root).\n",
		TBX_TAP_MAX_TUPLES, TBX_BPFFS_DEFAULT, TBX_BPFFS_ENV);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int parse_u32(const char *opt, const char *s, uint32_t min, uint32_t max,
		     uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		return tbx_usage_error("tap: %s \"%s\": expected an integer in %u..%u",
				       opt, s, min, max);
	*out = v;
	return 0;
}


enum { OPT_XDP = 256, OPT_DIR, OPT_TUPLES, OPT_RING };

int tbx_tap_parse_args(int argc, char **argv, struct tbx_tap_args *a)
{
	static const struct option longopts[] = {
		{ "xdp", no_argument, NULL, OPT_XDP },
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "tuples", required_argument, NULL, OPT_TUPLES },
		{ "ring", required_argument, NULL, OPT_RING },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint32_t v;
	int opt, ret;

	a->live.interval = 60;
	a->live.ingress = true;
	optind = 0;	/* main() ran getopt already: start over */
	while ((opt = getopt_long(argc, argv, ":o:i:ap:n:r:R:m:f:h", longopts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'o':
			a->out.template = optarg;
			break;
		case 'i':
			ret = parse_u32("-i", optarg, 1, UINT16_MAX, &a->live.interval);
			break;
		case 'a':
			a->live.align = true;
			break;
		case 'p':
			if (!strcmp(optarg, "flowtuple"))
				a->out.flowtuple = true;
			else if (!strcmp(optarg, "dos"))
				a->out.dos = true;
			else
				return tbx_usage_error("tap: -p \"%s\": plugins are "
						       "flowtuple and dos", optarg);
			break;
		case 'n':
			a->out.monitor = optarg;
			break;
		case 'r':
			ret = parse_u32("-r", optarg, 0, UINT32_MAX, &v);
			a->out.rotate = v;
			break;
		case 'R':
			ret = parse_u32("-R", optarg, 0, UINT32_MAX, &v);
			a->out.rotate_meta = v;
			break;
		case 'm':
			if (!strcmp(optarg, "ascii"))
				a->out.ascii = true;
			else if (strcmp(optarg, "binary"))
				return tbx_usage_error("tap: -m \"%s\": ascii or binary", optarg);
			break;
		case 'f':
			a->file = optarg;
			break;
		case OPT_XDP:
			a->live.xdp = true;
			break;
		case OPT_DIR:
			if (!strcmp(optarg, "in")) {
				a->live.ingress = true, a->live.egress = false;
			} else if (!strcmp(optarg, "out")) {
				a->live.ingress = false, a->live.egress = true;
			} else if (!strcmp(optarg, "both")) {
				a->live.ingress = a->live.egress = true;
			} else {
				return tbx_usage_error("tap: --dir \"%s\": in, out or both", optarg);
			}
			break;
		case OPT_TUPLES:
			ret = parse_u32("--tuples", optarg, 1, 1U << 26, &a->live.max_tuples);
			break;
		case OPT_RING:
			ret = parse_u32("--ring", optarg, 1, 1024, &a->live.ring_mb);
			break;
		case 'h':
			tap_usage(stdout);
			exit(TBX_EXIT_OK);
		case ':':
			return tbx_usage_error("tap: option \"%s\" needs a value", argv[optind - 1]);
		default:
			return tbx_usage_error("tap: unknown option \"%s\"; try \"tbx tap help\"",
					       argv[optind - 1]);
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		a->dev = argv[optind++];
	if (optind < argc)
		return tbx_usage_error("tap: unexpected \"%s\"", argv[optind]);
	if (!a->dev == !a->file)
		return tbx_usage_error("tap: give a device or -f FILE (one of them)");
	if (!a->out.template)
		return tbx_usage_error("tap: missing -o TEMPLATE");
	if (!strstr(a->out.template, "%P"))
		return tbx_usage_error("tap: -o \"%s\" must contain %%P", a->out.template);
	if (a->file && (a->live.xdp || a->live.egress || a->live.max_tuples || a->live.ring_mb))
		return tbx_usage_error("tap: --xdp, --dir, --tuples and --ring are for live taps");
	if (a->live.xdp && a->live.egress)
		return tbx_usage_error("tap: --xdp sees ingress only (no --dir out/both)");
	if (!a->out.flowtuple && !a->out.dos)
		a->out.flowtuple = true;
	a->out.interval = a->live.interval;
	a->out.align = a->live.align;
	a->live.ifname = a->dev;
	a->live.dos = a->out.dos;
	return 0;
}

static void print_totals(struct tbx_ctx *ctx, const char *source,
			 const struct tbx_tap_totals *t)
{
	if (ctx->json) {
		tbx_print_json(ctx, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			"source", source,
			"packets", (json_int_t)t->packets, "ipv4", (json_int_t)t->ipv4,
			"ipv6", (json_int_t)t->ipv6, "other", (json_int_t)t->other,
			"overflow", (json_int_t)t->overflow, "late", (json_int_t)t->late,
			"dos_lost", (json_int_t)t->dos_lost));
		return;
	}
	printf("%s: %llu packets (%llu ipv4, %llu ipv6, %llu other), "
	       "%llu dropped (map full), %llu late\n", source,
	       (unsigned long long)t->packets, (unsigned long long)t->ipv4,
	       (unsigned long long)t->ipv6, (unsigned long long)t->other,
	       (unsigned long long)t->overflow, (unsigned long long)t->late);
}

static int run_offline(struct tbx_ctx *ctx, struct tbx_tap_args *a)
{
	struct tbx_tap_pcap_opts po = { .interval = a->live.interval, .align = a->live.align };
	struct tbx_tap_totals t;
	struct tbx_tap_sink sink;
	struct cors_out *o;
	int err;

	a->out.trace_uri = a->file;
	a->out.packet_times = true;	/* one time per packet, as Corsaro counts */
	if (cors_out_new(&a->out, &o))
		return tbx_fail();
	tbx_tap_cors_sink(o, &sink);
	err = tbx_tap_pcap(a->file, &po, &sink, &t);
	if (err) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		cors_out_free(o);
		tbx_err(err, "%s", msg);
		return tbx_fail();
	}
	/* A file does not say what its capture dropped. */
	cors_out_counts(o, t.packets, t.packets, UINT64_MAX);
	err = cors_out_close(o);
	cors_out_free(o);
	if (err)
		return tbx_fail();
	print_totals(ctx, a->file, &t);
	return TBX_EXIT_OK;
}

static int run_live(struct tbx_ctx *ctx, struct tbx_tap_args *a)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tbx_tap_totals t;
	struct tbx_tap_live *l;
	int err;

	/* Handlers first: a signal during setup still ends cleanly. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (tbx_tap_live_open(&a->out, &a->live, &l))
		return tbx_fail();
	if (!ctx->json)
		fprintf(stderr, "tap: counting on %s (pins in %s); Ctrl-C ends\n",
			a->dev, tbx_tap_live_pin_dir(l));
	err = 0;
	while (!stop && !err) {
		struct timespec ts;
		int ms = tbx_tap_live_wait_ms(l);

		ts.tv_sec = ms / 1000;
		ts.tv_nsec = ms % 1000 * 1000000L;
		nanosleep(&ts, NULL);	/* a signal cuts it short */
		err = tbx_tap_live_drain(l);
	}
	/* Trailers, detach, unpin: even after a failed drain. */
	if (tbx_tap_live_close(l, &t) || err)
		return tbx_fail();
	print_totals(ctx, a->dev, &t);
	return TBX_EXIT_OK;
}

static const char *mode_name(__u32 flags)
{
	if (flags & TBX_TAP_F_XDP)
		return "xdp";
	if ((flags & TBX_TAP_F_INGRESS) && (flags & TBX_TAP_F_EGRESS))
		return "tc both";
	return flags & TBX_TAP_F_INGRESS ? "tc in" : flags & TBX_TAP_F_EGRESS ?
	       "tc out" : "none";
}

static int stats_one(const struct tbx_tap_session *s, void *arg)
{
	json_t *arr = arg;
	const struct tbx_tap_totals *t = &s->totals;
	char dev[IF_NAMESIZE] = "-";

	if (s->state.ifindex && !if_indextoname(s->state.ifindex, dev))
		snprintf(dev, sizeof(dev), "gone");
	if (arr) {
		json_array_append_new(arr, json_pack(
			"{s:s,s:s,s:i,s:b,s:s,s:i,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:i,s:I}",
			"session", s->name, "dev", dev, "pid", (int)s->state.pid,
			"alive", s->alive, "mode", mode_name(s->state.flags),
			"interval", (int)s->state.interval, "align", s->state.align != 0,
			"packets", (json_int_t)t->packets, "ipv4", (json_int_t)t->ipv4,
			"ipv6", (json_int_t)t->ipv6, "other", (json_int_t)t->other,
			"overflow", (json_int_t)t->overflow, "late", (json_int_t)t->late,
			"entries", (int)s->entries, "max_tuples", (int)s->state.max_tuples,
			"dos_lost", (json_int_t)t->dos_lost));
		return 0;
	}
	printf("session %s dev %s pid %u%s mode %s interval %us%s\n", s->name, dev,
	       s->state.pid, s->alive ? "" : " (process gone)", mode_name(s->state.flags),
	       s->state.interval, s->state.align ? " aligned" : "");
	printf("  packets %llu ipv4 %llu ipv6 %llu other %llu\n",
	       (unsigned long long)t->packets, (unsigned long long)t->ipv4,
	       (unsigned long long)t->ipv6, (unsigned long long)t->other);
	printf("  overflow %llu late %llu dos_lost %llu tuples %u/%u\n",
	       (unsigned long long)t->overflow, (unsigned long long)t->late,
	       (unsigned long long)t->dos_lost, s->entries, s->state.max_tuples);
	return 0;
}

static int do_stats(struct tbx_ctx *ctx, int argc)
{
	json_t *arr = ctx->json ? json_array() : NULL;

	if (argc > 2)
		return tbx_usage_error("tap stats takes no arguments");
	if (tbx_tap_foreach(stats_one, arr)) {
		json_decref(arr);
		return tbx_fail();
	}
	if (arr)
		tbx_print_json(ctx, arr);
	return TBX_EXIT_OK;
}

int cmd_tap(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_tap_args a = { 0 };
	int ret;

	if (argc < 2) {
		tap_usage(stderr);
		return TBX_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		tap_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (!strcmp(argv[1], "stats"))
		return do_stats(ctx, argc);
	if (!strcmp(argv[1], "start") || !strcmp(argv[1], "list") ||
	    !strcmp(argv[1], "show") || !strcmp(argv[1], "stop"))
		return tbx_tap_daemon(ctx, argc, argv);
	ret = tbx_tap_parse_args(argc, argv, &a);
	if (ret)
		return ret;
	return a.file ? run_offline(ctx, &a) : run_live(ctx, &a);
}
