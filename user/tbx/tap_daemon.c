// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx tap start|list|show|stop: background tap sessions in tbxd, over
 * its API (/taps). `start` takes the foreground tap's options.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon_client.h"
#include "err.h"
#include "tap_cli.h"
#include "tbx.h"

/* Starting loads and verifies the tap's BPF programs, stopping writes the
 * last interval and detaches them: seconds on a slow or loaded machine (a
 * VM without KVM beside other work took more than tbxd_call's 5 s).
 */
#define TAP_TIMEOUT_MS	(60 * 1000)

static json_t *request_of(const struct tbx_tap_args *a, char *abs, size_t len)
{
	const struct tbx_tap_opts *l = &a->live;
	const char *tmpl = a->out.template;
	json_t *plugins = json_array();

	/* tbxd's working directory is not ours: send an absolute template. */
	if (tmpl[0] != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)) ||
		    (size_t)snprintf(abs, len, "%s/%s", cwd, tmpl) >= len)
			return NULL;
		tmpl = abs;
	}
	if (a->out.flowtuple)
		json_array_append_new(plugins, json_string("flowtuple"));
	if (a->out.dos)
		json_array_append_new(plugins, json_string("dos"));
	return json_pack("{s:s,s:i,s:b,s:s,s:o,s:s?,s:I,s:I,s:s,s:b,s:s,s:i,s:i}",
		"dev", a->dev, "interval", (int)l->interval, "align", l->align,
		"template", tmpl, "plugins", plugins, "monitor", a->out.monitor,
		"rotate", (json_int_t)a->out.rotate, "rotate_meta", (json_int_t)a->out.rotate_meta,
		"mode", a->out.ascii ? "ascii" : "binary", "xdp", l->xdp,
		"dir", l->ingress && l->egress ? "both" : l->egress ? "out" : "in",
		"tuples", (int)(l->max_tuples ? l->max_tuples : TBX_TAP_MAX_TUPLES),
		"ring_mb", (int)(l->ring_mb ? l->ring_mb : 8));
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "-";
}

static void print_session(json_t *s)
{
	json_t *c = json_object_get(s, "counters");
	json_t *req = json_object_get(s, "request");

	printf("tap %lld dev %s %s started %s", num(s, "id"), str(s, "dev"),
	       str(s, "state"), str(s, "started"));
	if (json_object_get(s, "ended"))
		printf(" ended %s", str(s, "ended"));
	printf("\n  template %s interval %llds\n", str(req, "template"), num(req, "interval"));
	if (json_object_size(c))
		printf("  packets %lld ipv4 %lld ipv6 %lld other %lld overflow %lld "
		       "late %lld dos_lost %lld\n", num(c, "packets"), num(c, "ipv4"),
		       num(c, "ipv6"), num(c, "other"), num(c, "overflow"), num(c, "late"),
		       num(c, "dos_lost"));
	if (*str(s, "message") && strcmp(str(s, "message"), "-"))
		printf("  %s\n", str(s, "message"));
}

static int show_reply(struct tbx_ctx *ctx, json_t *s)
{
	if (ctx->json) {
		tbx_print_json(ctx, s);
		return TBX_EXIT_OK;
	}
	print_session(s);
	json_decref(s);
	return TBX_EXIT_OK;
}

static int tap_start(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_tap_args a = { 0 };
	char abs[PATH_MAX];
	json_t *req, *reply;
	char *body;
	int ret;

	ret = tbx_tap_parse_args(argc, argv, &a);
	if (ret)
		return ret;
	if (a.file)
		return tbx_usage_error("tap start: -f is for the foreground tap");
	req = request_of(&a, abs, sizeof(abs));
	if (!req)
		return tbx_usage_error("tap start: -o \"%s\": path too long", a.out.template);
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!body)
		return tbx_usage_error("tap start: out of memory");
	ret = tbxd_call_within(ctx->sock, "POST", "/taps", body, TAP_TIMEOUT_MS, &reply);
	free(body);
	if (ret)
		return tbx_fail();
	return show_reply(ctx, reply);
}

static int parse_id(const char *verb, int argc, char **argv, long long *id)
{
	char *end;

	if (argc != 3)
		return tbx_usage_error("tap %s takes one session id", verb);
	*id = strtoll(argv[2], &end, 10);
	if (*end || end == argv[2] || *id <= 0)
		return tbx_usage_error("tap %s: \"%s\" is not a session id", verb, argv[2]);
	return 0;
}

static int tap_by_id(struct tbx_ctx *ctx, const char *method, const char *verb,
		     int argc, char **argv)
{
	char path[64];
	long long id = 0;
	json_t *reply;
	int ret = parse_id(verb, argc, argv, &id);

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/taps/%lld", id);
	if (tbxd_call_within(ctx->sock, method, path, NULL, TAP_TIMEOUT_MS, &reply))
		return tbx_fail();
	return show_reply(ctx, reply);
}

static int tap_list(struct tbx_ctx *ctx, int argc)
{
	json_t *reply, *s;
	size_t i;

	if (argc != 2)
		return tbx_usage_error("tap list takes no arguments");
	if (tbxd_call(ctx->sock, "GET", "/taps", NULL, &reply))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, json_incref(json_object_get(reply, "taps")));
		json_decref(reply);
		return TBX_EXIT_OK;
	}
	json_array_foreach(json_object_get(reply, "taps"), i, s)
		print_session(s);
	json_decref(reply);
	return TBX_EXIT_OK;
}

int tbx_tap_daemon(struct tbx_ctx *ctx, int argc, char **argv)
{
	if (!strcmp(argv[1], "start"))
		return tap_start(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return tap_list(ctx, argc);
	if (!strcmp(argv[1], "show"))
		return tap_by_id(ctx, "GET", "show", argc, argv);
	return tap_by_id(ctx, "DELETE", "stop", argc, argv);
}
