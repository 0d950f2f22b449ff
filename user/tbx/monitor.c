// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx monitor [count N]: the module's events as they happen, like ip monitor. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/tbx.h>

#include "config.h"
#include "err.h"
#include "parse.h"
#include "run.h"
#include "tbx.h"

struct monitor {
	struct tbx_ctx *ctx;
	uint32_t left;		/* events still to print; 0 = forever */
	bool bounded;
};

static void stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
}

/* "<time> run 3 started running cpu level 50% ...", or JSON. */
static void on_run_event(struct monitor *m, const struct nlmsghdr *nlh, const char *ts)
{
	struct tbx_run r = { 0 };
	const char *what;

	if (tbx_run_parse(nlh, &r)) {
		fprintf(stderr, "Error: bad run event: %s\n", tbx_errmsg());
		return;
	}
	what = tbx_run_event_name(r.event) ?: "unknown";
	if (m->ctx->json) {
		tbx_print_json(m->ctx, json_pack("{s:s, s:s, s:s, s:o}", "time", ts,
			"event", "run", "what", what, "run", tbx_run_json(&r)));
	} else {
		printf("%s run ", ts);
		tbx_run_print_line(&r, what);
	}
	tbx_run_clear(&r);
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct monitor *m = data;
	struct tbx_config c;
	char ts[96];

	stamp(ts, sizeof(ts));
	switch (g->cmd) {
	case TBX_CMD_CONFIG_NTF:
		if (tbx_config_parse(nlh, &c)) {
			fprintf(stderr, "Error: bad config event: %s\n", tbx_errmsg());
			break;
		}
		if (m->ctx->json)
			tbx_print_json(m->ctx, json_pack("{s:s, s:s, s:{s:I, s:I, s:b}}",
				"time", ts, "event", "config",
				"config", "max_runs", (json_int_t)c.max_runs,
				"mem_guard_pct", (json_int_t)c.mem_guard_pct,
				"events", c.events));
		else
			printf("%s config max-runs %u mem-guard %u%% events %s\n",
			       ts, c.max_runs, c.mem_guard_pct, c.events ? "on" : "off");
		break;
	case TBX_CMD_RUN_NTF:
		on_run_event(m, nlh, ts);
		break;
	default:
		/* A newer module: say so rather than drop it silently. */
		if (m->ctx->json)
			tbx_print_json(m->ctx, json_pack("{s:s, s:s, s:i}", "time", ts,
				"event", "unknown", "cmd", g->cmd));
		else
			printf("%s unknown event (cmd %u)\n", ts, g->cmd);
	}
	fflush(stdout);
	if (m->bounded && --m->left == 0)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

int cmd_monitor(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct monitor m = { .ctx = ctx };
	struct tbx_nl nl;
	int err;

	if (argc == 3 && !strcmp(argv[1], "count")) {
		if (tbx_parse_u32(argv[2], NULL, &m.left) || !m.left)
			return tbx_usage_error("monitor count: a positive number, not \"%s\"",
					       argv[2]);
		m.bounded = true;
	} else if (argc != 1) {
		return tbx_usage_error("tbx monitor [count N]");
	}
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = tbx_nl_join_events(&nl);
	if (!err) {
		/* Tests and scripts wait for this line before acting; on
		 * stderr, so -j's stdout stays pure JSON.
		 */
		fprintf(stderr, "tbx: monitoring events\n");
		err = tbx_nl_recv_events(&nl, on_event, &m);
	}
	tbx_nl_close(&nl);
	return err ? tbx_fail() : TBX_EXIT_OK;
}
