// SPDX-License-Identifier: GPL-2.0-or-later
/* tbx daemon: talk to tbxd. */
#include <stdio.h>
#include <string.h>

#include "daemon_client.h"
#include "err.h"
#include "tbx.h"

static void daemon_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx daemon { status | help }\n"
		"  status  is tbxd up: its version, pid, uptime and state file\n");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "?";
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void print_uptime(long long s)
{
	if (s >= 86400)
		printf("%lldd ", s / 86400);
	if (s >= 3600)
		printf("%lldh ", s / 3600 % 24);
	if (s >= 60)
		printf("%lldm ", s / 60 % 60);
	printf("%llds\n", s % 60);
}

static int daemon_status(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *h;
	int err;

	if (argc > 1)
		return tbx_usage_error("daemon status takes no arguments, got \"%s\"",
				       argv[1]);
	err = tbxd_call(ctx->sock, "GET", "/health", NULL, &h);
	if (err)
		return tbx_fail();
	/* Healthy means tbxd says so, not merely that it answered. */
	err = strcmp(str(h, "status"), "ok") ? TBX_EXIT_FAIL : TBX_EXIT_OK;
	if (err)
		fprintf(stderr, "Error: tbxd reports status \"%s\"\n",
			str(h, "status"));
	if (ctx->json) {
		tbx_print_json(ctx, h);
		return err;
	}
	printf("status:          %s\n", str(h, "status"));
	printf("version:         %s\n", str(h, "version"));
	printf("pid:             %lld\n", num(h, "pid"));
	printf("uptime:          ");
	print_uptime(num(h, "uptime_s"));
	printf("started at:      %s\n", str(h, "started_at"));
	printf("state db:        %s\n", str(h, "state_db"));
	printf("schema version:  %lld\n", num(h, "schema_version"));
	printf("starts:          %lld\n", num(h, "starts"));
	{
		json_t *a = json_object_get(h, "accounting");
		long long secs = num(a, "interval_s");

		if (secs)
			printf("accounting:      every %llds, %lld cycles, last %.1f ms\n", secs,
			       num(a, "cycles"),
			       json_number_value(json_object_get(a, "last_cycle_ms")));
		else
			printf("accounting:      off\n");
	}
	{
		json_t *hm = json_object_get(h, "hostmanager");

		if (json_is_object(hm))
			printf("hostmanager:     https://%s/, %lld elements, %lld connections\n",
			       str(hm, "listen"), num(hm, "elements"), num(hm, "connections"));
		else
			printf("hostmanager:     off\n");
	}
	printf("socket:          %s\n", ctx->sock);
	json_decref(h);
	return err;
}

int cmd_daemon(struct tbx_ctx *ctx, int argc, char **argv)
{
	/* Like ip's "show": no verb asks for the status. */
	if (argc < 2 || tbx_matches(argv[1], "status"))
		return daemon_status(ctx, argc > 1 ? argc - 1 : 1, argv + 1);
	if (tbx_matches(argv[1], "help")) {
		daemon_usage(stdout);
		return TBX_EXIT_OK;
	}
	daemon_usage(stderr);
	return tbx_usage_error("unknown daemon command \"%s\"", argv[1]);
}
