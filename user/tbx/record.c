// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx record [-i SECONDS] [-n SAMPLES] -o FILE: samples this host's CPU
 * and memory use into a trace that the real_trace distribution replays.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emulation/emulation.h"
#include "err.h"
#include "parse.h"
#include "tbx.h"

static int usage(void)
{
	return tbx_usage_error("tbx record [-i SECONDS] [-n SAMPLES] -o FILE\n"
			       "  -i  seconds between samples (default 1; 0.5s, 2m ... accepted)\n"
			       "  -n  samples to take (default 60)\n"
			       "  -o  the trace file (\"-\": standard output)");
}

int cmd_record(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *out = NULL;
	uint64_t ns = 1000000000ULL;
	uint32_t n = 60;
	FILE *f;
	int opt, err;

	optind = 1;
	while ((opt = getopt(argc, argv, "+i:n:o:h")) != -1) {
		switch (opt) {
		case 'i':
			if (tbx_parse_duration(optarg, &ns) || ns < 10000000ULL)
				return tbx_usage_error("record: -i \"%s\" is not a duration of at least 0.01 s", optarg);
			break;
		case 'n':
			if (tbx_parse_u32(optarg, NULL, &n) || !n || n > EMU_TRACE_SAMPLES_MAX)
				return tbx_usage_error("record: -n \"%s\" is not 1-%u samples", optarg,
						       EMU_TRACE_SAMPLES_MAX);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return usage();
		}
	}
	if (!out || optind != argc)
		return usage();
	f = strcmp(out, "-") ? fopen(out, "we") : stdout;
	if (!f) {
		tbx_err(errno, "%s: %s", out, strerror(errno));
		return tbx_fail();
	}
	err = emu_record(f, "/proc", ns / 1e9, n);
	if (f != stdout && fclose(f) && !err)
		err = tbx_err(EIO, "%s: %s", out, strerror(errno));
	if (err) {
		if (f != stdout)
			unlink(out);
		return tbx_fail();
	}
	if (ctx->json && f != stdout)
		tbx_print_json(ctx, json_pack("{s:s, s:I, s:i}", "file", out,
					      "interval_ms", (json_int_t)(ns / 1000000),
					      "samples", (int)n));
	return TBX_EXIT_OK;
}
