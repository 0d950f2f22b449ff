// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx usage: what topology nodes, links and the injected load used, as
 * tbxd's accounting recorded it (Documentation/accounting.md).
 *   tbx usage [OBJECT] [--level L] [--after T] [--before T]
 *   tbx usage record      (a reading of every object now)
 * OBJECT is TOPO/NODE (an element), TOPO/N:IF--M:IF (a connection) or
 * "runs" (the injected load); without one, every object.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon_client.h"
#include "err.h"
#include "tbx.h"
#include "usage/usage.h"

static void usage_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx usage [OBJECT] [--level LEVEL] [--after T] [--before T]\n"
		"       tbx usage record\n"
		"  record  take a reading of every object now (as every interval does)\n"
		"  OBJECT  TOPO/NODE (a node), TOPO/NODE:IF--NODE:IF (a link) or runs\n"
		"          (what tbx runs added); default: every object\n"
		"  LEVEL   single, 5minutes, hour, day, month or year; default: all\n"
		"  T       Unix time: records ending before --after or beginning after\n"
		"          --before are left out\n");
}

/* The query key tbxd takes for OBJECT. */
static const char *kind_of(const char *object)
{
	if (!strcmp(object, "runs"))
		return "injected";
	/* Node names have no ':'; a link's name always has two. */
	return strchr(object, ':') ? "connection" : "element";
}

static size_t put_time(char *buf, size_t len, double t)
{
	char iso[32];
	time_t sec = (time_t)t;
	struct tm tm;

	gmtime_r(&sec, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return (size_t)snprintf(buf, len, "  %s", iso);
}

static size_t put_bytes(char *buf, size_t len, double b)
{
	static const char *const unit[] = { "B  ", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	return (size_t)snprintf(buf, len, u ? " %9.1f %s" : " %9.0f %s", b, unit[u]);
}

static void print_records(const char *level, json_t *recs)
{
	char line[256];
	json_t *r;
	size_t i, n;

	json_array_foreach(recs, i, r) {
		json_t *u = json_object_get(r, "usage");

		n = (size_t)snprintf(line, sizeof(line), "  %-8s",
				     level ?: json_string_value(json_object_get(r, "type")));
		n += put_time(line + n, sizeof(line) - n,
			      json_number_value(json_object_get(r, "begin")));
		n += put_time(line + n, sizeof(line) - n,
			      json_number_value(json_object_get(r, "end")));
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %5lld %9.2f",
				      (long long)json_integer_value(json_object_get(r, "measurements")),
				      json_number_value(json_object_get(u, "cputime")));
		n += put_bytes(line + n, sizeof(line) - n,
			       json_number_value(json_object_get(u, "memory")));
		n += put_bytes(line + n, sizeof(line) - n,
			       json_number_value(json_object_get(u, "diskspace")));
		n += put_bytes(line + n, sizeof(line) - n,
			       json_number_value(json_object_get(u, "traffic")));
		while (n && line[n - 1] == ' ')
			line[--n] = '\0';
		puts(line);
	}
}

static void print_object(const char *kind, const char *name, json_t *stats)
{
	printf("%s %s\n", kind, name);
	printf("  %-8s  %-20s  %-20s %5s %9s %13s %13s %10s\n", "level", "begin", "end",
	       "n", "cputime s", "memory   ", "diskspace   ", "traffic");
	if (json_is_array(stats)) {
		print_records(NULL, stats);
		return;
	}
	for (int lv = 0; lv < TBX_USAGE_LEVELS; lv++) {
		const char *l = tbx_usage_level_name(lv);

		print_records(l, json_object_get(stats, l));
	}
}

/* POST /usage: one accounting cycle now. */
static int record_now(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r;

	if (argc > 2)
		return tbx_usage_error("usage record takes no arguments, got \"%s\"", argv[2]);
	if (tbxd_call(ctx->sock, "POST", "/usage", NULL, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	printf("recorded %lld objects in %.1f ms\n",
	       (long long)json_integer_value(json_object_get(r, "objects")),
	       json_number_value(json_object_get(r, "cycle_ms")));
	json_decref(r);
	return TBX_EXIT_OK;
}

int cmd_usage(struct tbx_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "level",	required_argument, NULL, 'l' },
		{ "after",	required_argument, NULL, 'a' },
		{ "before",	required_argument, NULL, 'b' },
		{ "help",	no_argument,	   NULL, 'h' },
		{}
	};
	const char *level = NULL, *after = NULL, *before = NULL;
	char path[1024], enc[512];
	size_t n;
	json_t *r;
	int opt;

	if (argc > 1 && !strcmp(argv[1], "record"))
		return record_now(ctx, argc, argv);
	optind = 0;	/* GNU getopt permutes: OBJECT may come before options */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (tbx_usage_level_of(optarg) < 0)
				return tbx_usage_error("usage: level \"%s\": not one of single,"
						       " 5minutes, hour, day, month, year", optarg);
			level = optarg;
			break;
		case 'a':
			after = optarg;
			break;
		case 'b':
			before = optarg;
			break;
		case 'h':
			usage_usage(stdout);
			return TBX_EXIT_OK;
		case ':':
			return tbx_usage_error("usage: %s needs a value", argv[optind - 1]);
		default:
			return tbx_usage_error("usage: unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return tbx_usage_error("usage [OBJECT] [--level L] [--after T] [--before T]");
	n = (size_t)snprintf(path, sizeof(path), "/usage?");
	if (optind < argc) {
		tbxd_url_encode(argv[optind], enc, sizeof(enc));
		n += (size_t)snprintf(path + n, sizeof(path) - n, "%s=%s&",
				      kind_of(argv[optind]), enc);
	}
	if (level)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "type=%s&", level);
	if (after) {
		tbxd_url_encode(after, enc, sizeof(enc));
		n += (size_t)snprintf(path + n, sizeof(path) - n, "after=%s&", enc);
	}
	if (before) {
		tbxd_url_encode(before, enc, sizeof(enc));
		n += (size_t)snprintf(path + n, sizeof(path) - n, "before=%s&", enc);
	}
	path[n - 1] = '\0';	/* the last '&' or the '?' */
	if (tbxd_call(ctx->sock, "GET", path, NULL, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	if (optind < argc) {
		print_object(json_string_value(json_object_get(r, "kind")),
			     json_string_value(json_object_get(r, "name")),
			     json_object_get(r, "statistics"));
	} else {
		static const char *const kinds[][2] = {
			{ "elements", "element" }, { "connections", "connection" },
			{ "injected", "injected" },
		};

		for (size_t k = 0; k < 3; k++) {
			const char *name;
			json_t *stats;

			json_object_foreach(json_object_get(r, kinds[k][0]), name, stats)
				print_object(kinds[k][1], name, stats);
		}
	}
	json_decref(r);
	return TBX_EXIT_OK;
}
