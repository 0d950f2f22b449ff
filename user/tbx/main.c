// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx: the command table and the global options. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tbx.h"
#include "daemon_client.h"
#include "err.h"

static const struct tbx_noun nouns[] = {
	{ "help",	cmd_help,	"this list" },
	{ "version",	cmd_version,	"print tbx's version" },
	{ "info",	cmd_info,	"the module: version, features, live objects" },
	{ "feature",	cmd_feature,	"list the module's features" },
	{ "config",	cmd_config,	"show or set the module's limits" },
	{ "run",	cmd_run,	"contention loads: cpu, mem and net runs" },
	{ "monitor",	cmd_monitor,	"print the module's events as they happen" },
	{ "meter",	cmd_meter,	"count packets on a device with eBPF" },
	{ "tap",	cmd_tap,	"flowtuple counts in Corsaro files, live (eBPF) or from pcap" },
	{ "capture",	cmd_capture,	"packets of a device to pcap files (BPF ring buffer)" },
	{ "daemon",	cmd_daemon,	"talk to tbxd" },
	{ "emulation",	cmd_emulation,	"COCOMA emulations played by tbxd: create, show, runs, results" },
	{ "cors2ascii",	cmd_cors2ascii,	"print a Corsaro 2 file as text" },
	{ "distribution", cmd_distribution, "an emulation's distributions: help and bounds" },
	{ "emulator",	cmd_emulator,	"an emulation's emulators: help and bounds" },
	{ "record",	cmd_record,	"record this host's CPU and memory as a real_trace trace" },
	{ "link",	cmd_link,	"link emulation: the tbx qdisc of a device" },
	{ "topology",	cmd_topology,	"topology files built by tbxd: up, down, show, exec, graph" },
	{ "enforce",	cmd_enforce,	"hold senders to traffic profiles in the datapath (eBPF)" },
	{ "detect",	cmd_detect,	"watch a receiver's buffer, push offending senders back (tbxd)" },
	{ "pushback",	cmd_pushback,	"send a push-back message (CBSAT's multicast, optionally authenticated)" },
	{ "profile",	cmd_profile,	"traffic profiles (CBSAT's format): rows, curve, plot" },
	{ "usage",	cmd_usage,	"what topology nodes, links and runs used (accounting)" },
};

int tbx_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("Usage error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	return TBX_EXIT_USAGE;
}

int tbx_fail(void)
{
	fprintf(stderr, "Error: %s\n", tbx_errmsg()[0] ? tbx_errmsg() : "unknown failure");
	return TBX_EXIT_FAIL;
}

void tbx_print_json(struct tbx_ctx *ctx, json_t *v)
{
	json_dumpf(v, stdout, (ctx->pretty ? JSON_INDENT(2) : JSON_COMPACT) |
			      JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
}

bool tbx_matches(const char *arg, const char *keyword)
{
	size_t n = strlen(arg);

	return n && n <= strlen(keyword) && !strncmp(arg, keyword, n);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx [-j] [-p] [-s SOCKET] NOUN [ARGS...]\n"
		"  -j         JSON output\n"
		"  -p         pretty JSON (implies -j)\n"
		"  -s SOCKET  tbxd's socket (default %s)\n\n"
		"Nouns:\n", TBXD_SOCK);
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		fprintf(f, "  %-10s %s\n", nouns[i].name, nouns[i].summary);
}

int cmd_help(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *arr;

	if (!ctx->json) {
		usage(stdout);
		return TBX_EXIT_OK;
	}
	arr = json_array();
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "noun",
			nouns[i].name, "summary", nouns[i].summary));
	tbx_print_json(ctx, arr);
	return TBX_EXIT_OK;
}

int cmd_version(struct tbx_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return tbx_usage_error("version takes no arguments");
	if (ctx->json)
		tbx_print_json(ctx, json_pack("{s:s}", "version", TBX_VERSION));
	else
		printf("tbx %s\n", TBX_VERSION);
	return TBX_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct tbx_ctx ctx = { .sock = TBXD_SOCK };
	int opt;

	while ((opt = getopt(argc, argv, "+jps:hV")) != -1) {
		switch (opt) {
		case 'j':
			ctx.json = true;
			break;
		case 'p':
			ctx.json = ctx.pretty = true;
			break;
		case 's':
			ctx.sock = optarg;
			break;
		case 'h':
			usage(stdout);
			return TBX_EXIT_OK;
		case 'V':
			return cmd_version(&ctx, 1, argv);
		default:
			usage(stderr);
			return TBX_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return TBX_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (tbx_matches(argv[0], nouns[i].name))
			return nouns[i].run(&ctx, argc, argv);
	return tbx_usage_error("unknown noun \"%s\"; try \"tbx help\"", argv[0]);
}
