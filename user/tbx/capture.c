// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx capture: packets of a device to pcap files, through a BPF ring buffer. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap/capture.h"
#include "tbx.h"

static void capture_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx capture DEV -w FILE [-s SNAPLEN] [-C MB [-W N]] [--dir in|out|both]\n"
		"                   [--ring MB] [FILTER EXPRESSION]\n"
		"Writes DEV's packets (tc clsact, default ingress) to a pcap file until\n"
		"SIGINT or SIGTERM. -s: bytes kept per packet (default and most %u);\n"
		"-C: start a new file (FILE1, FILE2, ...) after MB megabytes; -W: keep\n"
		"at most N files, reusing the oldest name (a ring capped at C x W MB);\n"
		"--ring: the BPF ring buffer's size (power of two, default 8 MB).\n"
		"The filter is tcpdump's syntax, applied in user space.\n",
		TBX_CAP_SNAP_MAX);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int num(const char *opt, const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		return tbx_usage_error("capture: %s \"%s\": expected an integer up to %lu",
				       opt, s, max);
	*out = v;
	return 0;
}

int cmd_capture(struct tbx_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "ring", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct tbx_capture_opts o = { .snaplen = TBX_CAP_SNAP_MAX, .ingress = true };
	struct sigaction sa = { .sa_handler = on_signal };
	struct tbx_capture_totals t;
	char filter[4096] = "";
	int opt, ret = 0;

	optind = 0;	/* GNU getopt permutes: DEV, options, then the filter */
	while ((opt = getopt_long(argc, argv, ":w:s:C:W:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			o.path = optarg;
			break;
		case 's':
			ret = num("-s", optarg, TBX_CAP_SNAP_MAX, &o.snaplen);
			if (!ret && !o.snaplen)
				ret = tbx_usage_error("capture: -s must be at least 1");
			break;
		case 'C':
			ret = num("-C", optarg, 1U << 20, &o.file_mb);
			break;
		case 'W':
			ret = num("-W", optarg, 1U << 20, &o.files);
			break;
		case 'b':
			ret = num("--ring", optarg, 1024, &o.ring_mb);
			break;
		case 'd':
			o.ingress = !strcmp(optarg, "in") || !strcmp(optarg, "both");
			o.egress = !strcmp(optarg, "out") || !strcmp(optarg, "both");
			if (!o.ingress && !o.egress)
				ret = tbx_usage_error("capture: --dir \"%s\": in, out or both",
						      optarg);
			break;
		case 'h':
			capture_usage(stdout);
			return TBX_EXIT_OK;
		case ':':
			return tbx_usage_error("capture: option \"%s\" needs a value",
					       argv[optind - 1]);
		default:
			return tbx_usage_error("capture: unknown option \"%s\"; try "
					       "\"tbx capture -h\"", argv[optind - 1]);
		}
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return tbx_usage_error("capture: missing DEV");
	o.ifname = argv[optind++];
	for (; optind < argc; optind++) {
		if (strlen(filter) + strlen(argv[optind]) + 2 > sizeof(filter))
			return tbx_usage_error("capture: filter expression too long");
		if (*filter)
			strcat(filter, " ");
		strcat(filter, argv[optind]);
	}
	if (!o.path)
		return tbx_usage_error("capture: missing -w FILE");
	if (o.files && !o.file_mb)
		return tbx_usage_error("capture: -W needs -C");
	o.filter = filter;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!ctx->json)
		fprintf(stderr, "capture: %s to %s; Ctrl-C ends\n", o.ifname, o.path);
	if (tbx_capture_run(&o, &stop, &t))
		return tbx_fail();
	if (ctx->json)
		tbx_print_json(ctx, json_pack("{s:s,s:I,s:I,s:I,s:I}", "dev", o.ifname,
			"seen", (json_int_t)t.seen, "written", (json_int_t)t.written,
			"filtered", (json_int_t)t.filtered, "dropped", (json_int_t)t.dropped));
	else
		printf("%s: %llu packets seen, %llu written, %llu filtered out, "
		       "%llu dropped (ring full)\n", o.ifname, (unsigned long long)t.seen,
		       (unsigned long long)t.written, (unsigned long long)t.filtered,
		       (unsigned long long)t.dropped);
	return TBX_EXIT_OK;
}
