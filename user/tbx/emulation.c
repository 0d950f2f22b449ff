// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx emulation: COCOMA emulations, played by tbxd. Everything but
 * `runs --dry-run` goes through tbxd's API; the dry run plans the file
 * here, with the same planner tbxd uses, and starts nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon_client.h"
#include "emulation/emulation.h"
#include "err.h"
#include "tbx.h"
#include "textfile.h"

#define EMU_XML_MAX	(1 << 20)	/* tbxd's request body limit */

static void emulation_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx emulation create FILE [--now] [--force]\n"
		"       tbx emulation list\n"
		"       tbx emulation show NAME [--follow]\n"
		"       tbx emulation runs NAME\n"
		"       tbx emulation runs --dry-run FILE [--force] [--cpus N] [--mem MB]\n"
		"                                    [--mem-used MB] [--seed N]\n"
		"       tbx emulation results [NAME]\n"
		"       tbx emulation delete NAME\n"
		"       tbx emulation purge\n"
		"  create   send a COCOMA emulation XML to tbxd; --now starts it now,\n"
		"           --force accepts loads above 90%% of a resource\n"
		"  show     state, progress (run k of n) and load per resource now;\n"
		"           --follow prints it every second until the emulation ends\n"
		"  runs     every run: due time, kind, level, state, start delay, message;\n"
		"           --dry-run plans FILE here, starting nothing, on this host's\n"
		"           facts or the ones given (CPUs, memory and memory in use, MiB)\n"
		"           with COCOMA's seed 100 or --seed\n"
		"  results  total, executed and failed runs\n"
		"  delete   stop the emulation's runs and forget it; purge: all of them\n");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static double real(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* Names travel in URL paths: the same rule tbxd applies. */
static int check_name(const char *verb, const char *name)
{
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("_-.", *p))
			return tbx_usage_error("emulation %s: \"%s\" is not an emulation name (letters, digits, '_', '-', '.')",
					       verb, name);
	if (!*name || *name == '.')
		return tbx_usage_error("emulation %s: \"%s\" is not an emulation name",
				       verb, name);
	return 0;
}

static int emu_create(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *file = NULL;
	bool now = false, force = false;
	char path[64], *xml = NULL;
	json_t *r, *e, *v;
	size_t i;
	int err;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--now"))
			now = true;
		else if (!strcmp(argv[a], "--force"))
			force = true;
		else if (argv[a][0] == '-' || file)
			return tbx_usage_error("emulation create: unexpected \"%s\"", argv[a]);
		else
			file = argv[a];
	}
	if (!file)
		return tbx_usage_error("emulation create FILE [--now] [--force]: FILE is missing");
	if (tbx_read_text(file, EMU_XML_MAX, &xml, NULL))
		return tbx_fail();
	snprintf(path, sizeof(path), "/emulations?now=%d&force=%d", now, force);
	err = tbxd_call(ctx->sock, "POST", path, xml, &r);
	free(xml);
	if (err)
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	e = json_object_get(r, "emulation");
	printf("created %s: %lld runs over %g s, starting %s\n", str(e, "name"),
	       num(json_object_get(e, "runs"), "total"), real(e, "duration"),
	       str(e, "start"));
	json_array_foreach(json_object_get(r, "notes"), i, v)
		printf("note: %s\n", json_string_value(v));
	json_decref(r);
	return TBX_EXIT_OK;
}

static int emu_list(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r, *e;
	size_t i;

	if (argc > 1)
		return tbx_usage_error("emulation list takes no arguments");
	if (tbxd_call(ctx->sock, "GET", "/emulations", NULL, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, json_incref(json_object_get(r, "emulations")));
		json_decref(r);
		return TBX_EXIT_OK;
	}
	printf("%-24s %-9s %-24s %9s %6s %8s %6s\n", "NAME", "STATE", "START",
	       "DURATION", "RUNS", "EXECUTED", "FAILED");
	json_array_foreach(json_object_get(r, "emulations"), i, e) {
		json_t *runs = json_object_get(e, "runs");

		printf("%-24s %-9s %-24s %8gs %6lld %8lld %6lld\n", str(e, "name"),
		       str(e, "state"), str(e, "start"), real(e, "duration"),
		       num(runs, "total"), num(runs, "executed"), num(runs, "failed"));
	}
	json_decref(r);
	return TBX_EXIT_OK;
}

static const char *unit_of(const char *kind)
{
	if (!strcmp(kind, "cpu"))
		return "%";
	if (!strcmp(kind, "mem"))
		return " MiB";
	if (!strcmp(kind, "io"))
		return " MiB/s";
	return " Mbit/s";
}

/* Progress as tbxd computes it: runs begun of all, load per resource now. */
static json_t *progress(json_t *e)
{
	json_t *p = json_object_get(e, "progress");

	return json_pack("{s:s, s:s, s:O, s:O, s:O, s:O}", "name", str(e, "name"),
			 "state", str(e, "state"), "run", json_object_get(p, "run"),
			 "of", json_object_get(p, "of"), "load", json_object_get(p, "load"),
			 "runs", json_object_get(e, "runs"));
}

static void print_progress(json_t *p)
{
	json_t *load = json_object_get(p, "load"), *runs = json_object_get(p, "runs");
	const char *k;
	json_t *v;

	printf("%s %s: run %lld of %lld (executed %lld, failed %lld); load now:",
	       str(p, "name"), str(p, "state"), num(p, "run"), num(p, "of"),
	       num(runs, "executed"), num(runs, "failed"));
	json_object_foreach(load, k, v)
		printf(" %s %g%s", k, json_number_value(v), unit_of(k));
	printf("\n");
	fflush(stdout);
}

/* @query: "" for the progress only, "?runs=1" for every run too. */
static int fetch(struct tbx_ctx *ctx, const char *name, const char *query,
		 json_t **e)
{
	char path[160];
	json_t *r;
	int err;

	snprintf(path, sizeof(path), "/emulations/%s%s", name, query);
	err = tbxd_call(ctx->sock, "GET", path, NULL, &r);
	if (err)
		return err;
	*e = json_incref(json_object_get(r, "emulation"));
	json_decref(r);
	return 0;
}

static int emu_show(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	bool follow = false;
	json_t *e, *p, *v;
	size_t i;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--follow"))
			follow = true;
		else if (argv[a][0] == '-' || name)
			return tbx_usage_error("emulation show: unexpected \"%s\"", argv[a]);
		else
			name = argv[a];
	}
	if (!name)
		return tbx_usage_error("emulation show NAME [--follow]: NAME is missing");
	if (check_name("show", name))
		return TBX_EXIT_USAGE;
	for (int slow = 0;;) {
		bool over;
		int err = fetch(ctx, name, follow ? "" : "?plan=1", &e);

		if (err) {
			/* A busy tbxd (a loaded VM) is waited for, a few times. */
			if (follow && err == -ETIMEDOUT && ++slow < 10)
				continue;
			return tbx_fail();
		}
		slow = 0;
		p = progress(e);
		over = !strcmp(str(e, "state"), "finished");
		if (!follow) {
			if (ctx->json) {
				json_object_del(e, "xml");
				tbx_print_json(ctx, e);
				json_decref(p);
				return TBX_EXIT_OK;
			}
			printf("name:      %s\nstate:     %s\nstart:     %s\nduration:  %g s\n"
			       "created:   %s\nlog:       %s\n", str(e, "name"),
			       str(e, "state"), str(e, "start"), real(e, "duration"),
			       str(e, "created"),
			       json_is_true(json_object_get(json_object_get(e, "log"), "enable")) ?
			       "resource usage logged" : "run events only");
			json_array_foreach(json_object_get(json_object_get(e, "plan"), "notes"), i, v)
				printf("note:      %s\n", json_string_value(v));
			print_progress(p);
			json_decref(p);
			json_decref(e);
			return TBX_EXIT_OK;
		}
		if (ctx->json)
			tbx_print_json(ctx, json_incref(p));
		else
			print_progress(p);
		fflush(stdout);
		json_decref(p);
		json_decref(e);
		if (over)
			return TBX_EXIT_OK;
		sleep(1);
	}
}

static void print_run_header(void)
{
	printf("%5s %9s %9s %-4s %12s %-9s %10s %s\n", "INDEX", "START", "DURATION",
	       "KIND", "LEVEL", "STATE", "DELAY", "MESSAGE");
}

static int emu_dry_run(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct emu_parse_opts o = { 0 };
	struct emu_plan *p;
	const char *file = NULL;
	json_t *arr;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--dry-run"))
			continue;
		if (!strcmp(argv[a], "--force")) {
			o.force = true;
		} else if (!strcmp(argv[a], "--cpus") || !strcmp(argv[a], "--mem") ||
			   !strcmp(argv[a], "--mem-used") || !strcmp(argv[a], "--seed")) {
			if (a + 1 == argc)
				return tbx_usage_error("emulation runs --dry-run: %s needs a value", argv[a]);
			if (emu_opts_set(&o, argv[a] + 2, argv[a + 1]))
				return tbx_usage_error("emulation runs --dry-run: %s", tbx_errmsg());
			a++;
		} else if (argv[a][0] == '-' || file) {
			return tbx_usage_error("emulation runs --dry-run: unexpected \"%s\"", argv[a]);
		} else {
			file = argv[a];
		}
	}
	if (!file)
		return tbx_usage_error("emulation runs --dry-run FILE: FILE is missing");
	if (emu_plan_file(file, &o, &p))
		return tbx_fail();
	if (ctx->json) {
		/* The planner's own JSON, as tbxd stores it. */
		arr = emu_plan_json(p);
		if (!arr) {
			emu_plan_free(p);
			tbx_err(ENOMEM, "out of memory");
			return tbx_fail();
		}
		tbx_print_json(ctx, arr);
	} else {
		printf("%s: %zu runs over %g s (nothing started), planned for %u CPUs, %llu MiB\n"
		       "  of memory (%llu in use), seed %llu\n", p->name, p->n_runs, p->duration,
		       p->ncpus, (unsigned long long)p->mem_mb,
		       (unsigned long long)p->mem_used_mb, (unsigned long long)p->seed);
		for (size_t i = 0; i < p->n_notes; i++)
			printf("note: %s\n", p->notes[i].text);
		print_run_header();
		for (size_t i = 0; i < p->n_runs; i++) {
			const struct emu_run *r = &p->runs[i];

			printf("%5zu %8.2fs %8.2fs %-4s %10g%s%s\n", i, r->start,
			       r->duration, r->emulator, r->load,
			       r->event ? " pkt/s" : unit_of(r->emulator),
			       r->event ? "  event: what follows waits for its end" : "");
		}
	}
	emu_plan_free(p);
	return TBX_EXIT_OK;
}

static int emu_runs(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *e, *r;
	size_t i;

	for (int a = 1; a < argc; a++)
		if (!strcmp(argv[a], "--dry-run"))
			return emu_dry_run(ctx, argc, argv);
	if (argc != 2)
		return tbx_usage_error("emulation runs NAME | runs --dry-run FILE");
	if (check_name("runs", argv[1]))
		return TBX_EXIT_USAGE;
	if (fetch(ctx, argv[1], "?runs=1", &e))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, json_incref(json_object_get(e, "run_list")));
		json_decref(e);
		return TBX_EXIT_OK;
	}
	print_run_header();
	json_array_foreach(json_object_get(e, "run_list"), i, r) {
		char delay[32] = "-";
		const char *kind = str(r, "kind");

		if (json_is_number(json_object_get(r, "delay_ms")))
			snprintf(delay, sizeof(delay), "%.3fms", real(r, "delay_ms"));
		printf("%5lld %8.2fs %8.2fs %-4s %10g%s %-9s %10s %s\n", num(r, "index"),
		       real(r, "start"), real(r, "duration"), kind, real(r, "level"),
		       unit_of(kind), str(r, "state"), delay, str(r, "message"));
	}
	json_decref(e);
	return TBX_EXIT_OK;
}

static int emu_results(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r, *res, *out;
	size_t i;

	if (argc > 2)
		return tbx_usage_error("emulation results [NAME]");
	if (tbxd_call(ctx->sock, "GET", "/results", NULL, &r))
		return tbx_fail();
	out = json_array();
	json_array_foreach(json_object_get(r, "results"), i, res)
		if (argc < 2 || !strcmp(str(res, "name"), argv[1]))
			json_array_append(out, res);
	json_decref(r);
	if (argc == 2 && !json_array_size(out)) {
		json_decref(out);
		tbx_err(ENOENT, "no emulation named \"%s\"", argv[1]);
		return tbx_fail();
	}
	if (ctx->json) {
		tbx_print_json(ctx, out);
		return TBX_EXIT_OK;
	}
	printf("%-24s %-9s %6s %8s %6s %7s %7s\n", "NAME", "STATE", "TOTAL",
	       "EXECUTED", "FAILED", "PENDING", "RUNNING");
	json_array_foreach(out, i, res)
		printf("%-24s %-9s %6lld %8lld %6lld %7lld %7lld\n", str(res, "name"),
		       str(res, "state"), num(res, "total"), num(res, "executed"),
		       num(res, "failed"), num(res, "pending"), num(res, "running"));
	json_decref(out);
	return TBX_EXIT_OK;
}

static int emu_delete(struct tbx_ctx *ctx, int argc, char **argv)
{
	char path[128];
	json_t *r;

	if (argc != 2)
		return tbx_usage_error("emulation delete NAME");
	if (check_name("delete", argv[1]))
		return TBX_EXIT_USAGE;
	snprintf(path, sizeof(path), "/emulations/%s", argv[1]);
	if (tbxd_call(ctx->sock, "DELETE", path, NULL, &r))
		return tbx_fail();
	if (ctx->json)
		tbx_print_json(ctx, r);
	else {
		printf("deleted %s\n", argv[1]);
		json_decref(r);
	}
	return TBX_EXIT_OK;
}

static int emu_purge(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r;

	if (argc != 1)
		return tbx_usage_error("emulation purge takes no arguments");
	if (tbxd_call(ctx->sock, "DELETE", "/emulations", NULL, &r))
		return tbx_fail();
	if (ctx->json)
		tbx_print_json(ctx, r);
	else {
		printf("deleted %zu emulations\n", json_array_size(json_object_get(r, "deleted")));
		json_decref(r);
	}
	return TBX_EXIT_OK;
}

int cmd_emulation(struct tbx_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *verb;
		int (*fn)(struct tbx_ctx *ctx, int argc, char **argv);
	} verbs[] = {
		{ "create", emu_create }, { "list", emu_list },
		{ "show", emu_show }, { "runs", emu_runs },
		{ "results", emu_results }, { "delete", emu_delete },
		{ "purge", emu_purge },
	};

	if (argc < 2)
		return emu_list(ctx, 1, argv);
	if (tbx_matches(argv[1], "help")) {
		emulation_usage(stdout);
		return TBX_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (tbx_matches(argv[1], verbs[i].verb))
			return verbs[i].fn(ctx, argc - 1, argv + 1);
	emulation_usage(stderr);
	return tbx_usage_error("emulation: unknown verb \"%s\"", argv[1]);
}
