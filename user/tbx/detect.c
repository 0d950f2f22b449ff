// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx detect: a receiver's buffer watched in the datapath and offenders
 * pushed back, as CBSAT's receiver does (tbxd's detector.c). tbxd owns
 * the detectors: the decisions run on its clock, so this talks to it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_client.h"
#include "err.h"
#include "parse.h"
#include "svg_plot.h"
#include "tbx.h"

/* tbxd loads and verifies a program for each detector: a debug kernel
 * under TCG took more than tbxd_call's 5 s.
 */
#define ADD_TIMEOUT_MS	(120 * 1000)

static void usage(FILE *f)
{
	fprintf(f, "Usage: tbx detect add NAME dev DEV capacity BITS profile FILE [high F] [low F]\n"
		"                      [port N] [pushback (DEV | off)]\n"
		"                      sender SNAME addr ADDR profile FILE [label (attack | good)]...\n"
		"       tbx detect show [NAME]\n"
		"       tbx detect series NAME [plot FILE.svg]\n"
		"       tbx detect del NAME\n"
		"Watches DEV's ingress as CBSAT's receiver buffer (CAPACITY bits, drained at\n"
		"the receiver's PROFILE). Above the high watermark (0.90) each sender that\n"
		"sent more in the last second than its profile allows is told to stop on\n"
		"the push-back channel; below the low one (0.75) all are told to resume.\n"
		"`series` prints the buffer per 100 ms as CSV. Documentation/user-guide.md.\n");
}

/* tbxd reads the files from its own working directory: send full paths. */
static int file_arg(const char *path, json_t *o, const char *key)
{
	char full[PATH_MAX];

	if (!realpath(path, full))
		return tbx_usage_error("detect: %s: %s", path, strerror(errno));
	json_object_set_new(o, key, json_string(full));
	return 0;
}

static int sender_arg(int argc, char **argv, int *i, json_t *senders)
{
	json_t *s = json_object();
	int rc = 0;

	json_array_append_new(senders, s);
	if (*i + 1 >= argc)
		return tbx_usage_error("detect add: sender needs a name");
	json_object_set_new(s, "name", json_string(argv[++*i]));
	while (!rc && *i + 1 < argc && strcmp(argv[*i + 1], "sender")) {
		const char *k = argv[++*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;

		if (strcmp(k, "addr") && strcmp(k, "profile") && strcmp(k, "label"))
			return tbx_usage_error("detect add: sender %s: unexpected \"%s\"",
					       json_string_value(json_object_get(s, "name")), k);
		if (!v)
			return tbx_usage_error("detect add: %s needs a value", k);
		++*i;
		if (!strcmp(k, "profile"))
			rc = file_arg(v, s, "profile");
		else
			json_object_set_new(s, k, json_string(v));
	}
	return rc;
}

static int add(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *spec = json_object(), *senders = json_array(), *reply = NULL;
	int rc = 0, i;
	char *body;

	if (argc < 1) {
		json_decref(spec);
		json_decref(senders);
		return tbx_usage_error("detect add NAME dev DEV capacity BITS profile FILE sender ...");
	}
	json_object_set_new(spec, "name", json_string(argv[0]));
	json_object_set_new(spec, "senders", senders);
	for (i = 1; !rc && i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;
		double f;
		char *end;

		if (!strcmp(k, "sender")) {
			rc = sender_arg(argc, argv, &i, senders);
			continue;
		}
		if (!v) {
			rc = tbx_usage_error("detect add: %s needs a value", k);
			break;
		}
		i++;
		if (!strcmp(k, "dev")) {
			json_object_set_new(spec, "dev", json_string(v));
		} else if (!strcmp(k, "profile")) {
			rc = file_arg(v, spec, "profile");
		} else if (!strcmp(k, "capacity") || !strcmp(k, "port")) {
			if (*v == '-' || tbx_parse_decimal(v, 1, &n) || n > (1ULL << 62))
				rc = tbx_usage_error("detect add: %s \"%s\" is not a whole number", k, v);
			else
				json_object_set_new(spec, k, json_integer((json_int_t)n));
		} else if (!strcmp(k, "high") || !strcmp(k, "low")) {
			f = strtod(v, &end);
			if (end == v || *end)
				rc = tbx_usage_error("detect add: %s \"%s\" is not a number", k, v);
			else
				json_object_set_new(spec, k, json_real(f));
		} else if (!strcmp(k, "pushback")) {
			json_object_set_new(spec, k, strcmp(v, "off") ? json_string(v) : json_false());
		} else {
			rc = tbx_usage_error("detect add: unexpected \"%s\"", k);
		}
	}
	if (!rc) {
		body = json_dumps(spec, JSON_COMPACT);
		rc = tbxd_call_within(ctx->sock, "POST", "/detect", body, ADD_TIMEOUT_MS, &reply) ?
		     tbx_fail() : TBX_EXIT_OK;
		free(body);
	}
	json_decref(spec);
	if (!rc && ctx->json)
		tbx_print_json(ctx, reply);
	else
		json_decref(reply);
	return rc;
}

static long long jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void print_one(json_t *t)
{
	json_t *b = json_object_get(t, "buffer"), *sc = json_object_get(t, "scores");
	json_t *lat = json_object_get(t, "latency"), *s, *pb = json_object_get(t, "pushback");
	size_t i;

	printf("%s: dev %s, capacity %lld bits, watermarks %.2f/%.2f, push-back %s\n",
	       json_string_value(json_object_get(t, "name")),
	       json_string_value(json_object_get(t, "dev")), jint(t, "capacity_bits"),
	       json_real_value(json_object_get(t, "high")), json_real_value(json_object_get(t, "low")),
	       json_is_string(pb) ? json_string_value(pb) : "off");
	printf("  buffer %lld bits now, peak %lld; unbounded it would need %lld (peak)\n",
	       jint(b, "occupancy_bits"), jint(b, "peak_bits"), jint(b, "need_peak_bits"));
	printf("  arrived %lld packets, dropped %lld packets (%lld bits) for want of room\n",
	       jint(json_object_get(b, "arrived"), "packets"),
	       jint(json_object_get(b, "dropped"), "packets"),
	       jint(json_object_get(b, "dropped"), "bits"));
	printf("  high crossings %lld, push-back messages %lld", jint(t, "high_events"),
	       jint(t, "messages"));
	if (jint(lat, "n"))
		printf(", crossing to stop p50 %.3f ms p99 %.3f ms",
		       json_real_value(json_object_get(lat, "p50_ms")),
		       json_real_value(json_object_get(lat, "p99_ms")));
	printf("\n");
	json_array_foreach(json_object_get(t, "senders"), i, s) {
		json_t *label = json_object_get(s, "label");

		printf("  sender %s %s%s%s: %s, stops %lld, arrived %lld packets, dropped %lld\n",
		       json_string_value(json_object_get(s, "name")),
		       json_string_value(json_object_get(s, "addr")),
		       label ? " " : "", label ? json_string_value(label) : "",
		       json_is_true(json_object_get(s, "off")) ? "STOPPED" : "sending",
		       jint(s, "stops"), jint(json_object_get(s, "arrived"), "packets"),
		       jint(json_object_get(s, "dropped"), "packets"));
	}
	if (jint(sc, "attackers") || json_array_size(json_object_get(sc, "false_positives")))
		printf("  scores: %lld of %lld attackers caught, %zu false positives, "
		       "good senders' packets dropped %lld\n", jint(sc, "caught"),
		       jint(sc, "attackers"), json_array_size(json_object_get(sc, "false_positives")),
		       jint(sc, "good_dropped_packets"));
}

/* "/detect/NAME" (NAME %-encoded) and @query into @path. */
static void detect_path(const char *name, const char *query, char *path, size_t len)
{
	char enc[256];

	tbxd_url_encode(name, enc, sizeof(enc));
	snprintf(path, len, "/detect/%s%s", enc, query);
}

static int show(struct tbx_ctx *ctx, int argc, char **argv)
{
	char path[320];
	json_t *r, *t;
	size_t i;

	if (argc > 1)
		return tbx_usage_error("detect show [NAME]");
	if (argc == 1)
		detect_path(argv[0], "", path, sizeof(path));
	else
		snprintf(path, sizeof(path), "/detect");
	if (tbxd_call(ctx->sock, "GET", path, NULL, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	if (argc == 1)
		print_one(r);
	else
		json_array_foreach(json_object_get(r, "detectors"), i, t)
			print_one(t);
	json_decref(r);
	return TBX_EXIT_OK;
}

static int plot(json_t *t, json_t *rows, const char *file)
{
	size_t n = json_array_size(rows), i;
	double *x = calloc(n ? n : 1, sizeof(double)), *peak = calloc(n ? n : 1, sizeof(double));
	double *need = calloc(n ? n : 1, sizeof(double)), *cap = calloc(n ? n : 1, sizeof(double));
	struct tbx_plot_series s[3] = {
		{ "buffer peak (bits)", "#1f77b4", false, false, false, n, x, peak },
		{ "unbounded need (bits)", "#d62728", false, false, true, n, x, need },
		{ "capacity", "#333333", false, false, true, n, x, cap },
	};
	struct tbx_plot p = { "receiver buffer", "time (s)", "bits", NULL, 0, 0, 3, s };
	char title[96];
	json_t *row;
	int err;

	if (!x || !peak || !need || !cap) {
		err = tbx_err(ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(rows, i, row) {
		x[i] = json_number_value(json_array_get(row, 0));
		peak[i] = json_integer_value(json_array_get(row, 1));
		need[i] = json_integer_value(json_array_get(row, 2));
		cap[i] = jint(t, "capacity_bits");
	}
	snprintf(title, sizeof(title), "receiver buffer of %s",
		 json_string_value(json_object_get(t, "name")));
	p.title = title;
	p.x0 = n ? x[0] : 0;
	p.x1 = n ? x[n - 1] : 0;
	err = tbx_plot_svg_file(file, &p);
out:
	free(x);
	free(peak);
	free(need);
	free(cap);
	return err;
}

static int series(struct tbx_ctx *ctx, int argc, char **argv)
{
	char path[320];
	json_t *r, *sr, *rows, *row;
	size_t i;
	int rc = TBX_EXIT_OK;

	if (argc != 1 && !(argc == 3 && !strcmp(argv[1], "plot")))
		return tbx_usage_error("detect series NAME [plot FILE.svg]");
	detect_path(argv[0], "?series=1", path, sizeof(path));
	if (tbxd_call(ctx->sock, "GET", path, NULL, &r))
		return tbx_fail();
	sr = json_object_get(r, "series");
	rows = json_object_get(sr, "intervals");
	if (argc == 3 && plot(r, rows, argv[2]))
		rc = tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, json_incref(sr));
	} else {
		printf("t_s,peak_bits,need_peak_bits,arrived_bits,dropped_bits\n");
		json_array_foreach(rows, i, row)
			printf("%.1f,%lld,%lld,%lld,%lld\n", json_number_value(json_array_get(row, 0)),
			       (long long)json_integer_value(json_array_get(row, 1)),
			       (long long)json_integer_value(json_array_get(row, 2)),
			       (long long)json_integer_value(json_array_get(row, 3)),
			       (long long)json_integer_value(json_array_get(row, 4)));
	}
	json_decref(r);
	return rc;
}

static int del(struct tbx_ctx *ctx, int argc, char **argv)
{
	char path[320];
	json_t *r;

	if (argc != 1)
		return tbx_usage_error("detect del NAME");
	detect_path(argv[0], "", path, sizeof(path));
	if (tbxd_call(ctx->sock, "DELETE", path, NULL, &r))
		return tbx_fail();
	json_decref(r);
	return TBX_EXIT_OK;
}

int cmd_detect(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *verb;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TBX_EXIT_USAGE : TBX_EXIT_OK;
	}
	verb = argv[1];
	argc -= 2;
	argv += 2;
	if (!strcmp(verb, "add"))
		return add(ctx, argc, argv);
	if (tbx_matches(verb, "show"))
		return show(ctx, argc, argv);
	if (!strcmp(verb, "series"))
		return series(ctx, argc, argv);
	if (!strcmp(verb, "del"))
		return del(ctx, argc, argv);
	return tbx_usage_error("detect: unknown command \"%s\" (add, show, series, del)", verb);
}
