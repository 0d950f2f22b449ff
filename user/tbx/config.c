// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx config [show] | tbx config set [max-runs N] [mem-guard PCT] [events on|off] */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "parse.h"
#include "tbx.h"

static void print_config(struct tbx_ctx *ctx, const struct tbx_config *c)
{
	if (ctx->json) {
		tbx_print_json(ctx, json_pack("{s:I, s:I, s:b}",
			"max_runs", (json_int_t)c->max_runs,
			"mem_guard_pct", (json_int_t)c->mem_guard_pct,
			"events", c->events));
		return;
	}
	printf("max-runs %u\nmem-guard %u%%\nevents %s\n", c->max_runs,
	       c->mem_guard_pct, c->events ? "on" : "off");
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: tbx config [show]\n"
		   "       tbx config set [max-runs N] [mem-guard PCT] [events on|off]\n");
}

/* The kernel checks ranges (and names the bad one); here only syntax. */
static int parse_change(int argc, char **argv, struct tbx_config_change *chg)
{
	int i;

	memset(chg, 0, sizeof(*chg));
	if (argc == 0)
		return tbx_usage_error("config set: nothing to set; see \"tbx config help\"");
	for (i = 0; i < argc; i++) {
		const char *key = argv[i], *val = argv[i + 1];

		if (!val)
			return tbx_usage_error("config set: %s needs a value", key);
		if (!strcmp(key, "max-runs")) {
			if (tbx_parse_u32(val, NULL, &chg->max_runs))
				return tbx_usage_error("config set: max-runs: %s", tbx_errmsg());
			chg->set_max_runs = true;
		} else if (!strcmp(key, "mem-guard")) {
			if (tbx_parse_u32(val, "%", &chg->mem_guard_pct))
				return tbx_usage_error("config set: mem-guard: %s", tbx_errmsg());
			chg->set_mem_guard_pct = true;
		} else if (!strcmp(key, "events")) {
			if (tbx_parse_bool(val, &chg->events))
				return tbx_usage_error("config set: events: %s", tbx_errmsg());
			chg->set_events = true;
		} else {
			return tbx_usage_error("config set: unknown key \"%s\"", key);
		}
		i++;
	}
	return 0;
}

int cmd_config(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_config_change chg;
	struct tbx_config cfg;
	struct tbx_nl nl;
	int err;

	if (argc >= 2 && tbx_matches(argv[1], "help")) {
		usage(stdout);
		return TBX_EXIT_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "set")) {
		err = parse_change(argc - 2, argv + 2, &chg);
		if (err)
			return err;
		if (tbx_nl_open(&nl))
			return tbx_fail();
		err = tbx_config_set(&nl, &chg);
		tbx_nl_close(&nl);
		return err ? tbx_fail() : TBX_EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && !tbx_matches(argv[1], "show"))) {
		usage(stderr);
		return TBX_EXIT_USAGE;
	}
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = tbx_config_get(&nl, &cfg);
	tbx_nl_close(&nl);
	if (err)
		return tbx_fail();
	print_config(ctx, &cfg);
	return TBX_EXIT_OK;
}
