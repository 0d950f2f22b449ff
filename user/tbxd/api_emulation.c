// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The emulation endpoints, COCOMA's REST API in tbxd's shape:
 *   GET    /emulations            every emulation, with run counts
 *   POST   /emulations[?now=1&force=1]   body: the emulation XML
 *   POST   /emulations?dry_run=1[&force=1&cpus=N&mem=MB&mem_used=MB&seed=N]
 *                                 the plan only, on those machine facts
 *   DELETE /emulations            purge: every emulation
 *   GET    /emulations/NAME[?runs=1&plan=1]  one, with its progress;
 *                                 runs=1: every run; plan=1: plan and XML
 *   DELETE /emulations/NAME       stops its runs and forgets it
 *   GET    /results  /jobs  /logs  /logs/NAME  /scheduler
 *   GET    /distributions[/NAME]  /emulators[/NAME]   the planner's tables
 * A refused request changes nothing and says what was wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "emu_log.h"
#include "emu_store.h"
#include "emulation/emulation.h"
#include "err.h"
#include "scheduler.h"
#include "tbxd.h"

/* Log files larger than this are served from their end. */
#define LOG_SERVE_MAX	(4 << 20)

static unsigned int store_error(json_t **reply)
{
	return tbxd_reply_error(reply, 500, "%s",
				tbx_errmsg());
}

/* "1"/"true"/"yes" and "0"/"false"/"no"; absent is false. */
static int flag_arg(struct tbxd_request *req, const char *key, bool *val,
		    json_t **reply, unsigned int *status)
{
	const char *v = tbxd_request_arg(req, key);

	*val = false;
	if (!v)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !*v) {
		*val = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
		return 0;
	*status = tbxd_reply_error(reply, 400, "query argument %s=\"%.40s\": use 1 or 0",
				   key, v);
	return -1;
}

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned int get_emulations(struct tbxd_request *req, json_t **reply)
{
	json_t *list = emu_store_list_json(req->d->state);

	if (!list)
		return store_error(reply);
	*reply = json_pack("{s:o}", "emulations", list);
	return 200;
}

/* The machine facts and seed of a dry run (emu_opts_set's names). */
static int fact_args(struct tbxd_request *req, bool dry, struct emu_parse_opts *o,
		     json_t **reply, unsigned int *status)
{
	static const char *const names[] = { "cpus", "mem", "mem_used", "seed" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = tbxd_request_arg(req, names[i]);

		if (!v)
			continue;
		if (!dry) {
			*status = tbxd_reply_error(reply, 400, "%s= is for dry_run=1: an emulation is planned on this host",
						   names[i]);
			return -1;
		}
		if (emu_opts_set(o, names[i], v)) {
			*status = tbxd_reply_error(reply, 400, "query argument %s", tbx_errmsg());
			return -1;
		}
	}
	return 0;
}

static unsigned int post_emulation(struct tbxd_request *req, json_t **reply)
{
	struct emu_parse_opts o = { 0 };
	struct emu_plan *plan = NULL;
	unsigned int status = 0;
	bool now, dry, found;
	int64_t start_ns;
	json_t *shown, *notes;
	int err;

	if (flag_arg(req, "force", &o.force, reply, &status) ||
	    flag_arg(req, "now", &now, reply, &status) ||
	    flag_arg(req, "dry_run", &dry, reply, &status) ||
	    fact_args(req, dry, &o, reply, &status))
		return status;
	if (!req->body || !req->body_len)
		return tbxd_reply_error(reply, 400, "POST /emulations needs the emulation XML as its body");
	if (strlen(req->body) != req->body_len)
		return tbxd_reply_error(reply, 400, "the emulation XML holds a NUL byte at offset %zu",
					strlen(req->body));
	err = emu_plan_buf(req->body, req->body_len, "request body", &o, &plan);
	if (err)
		return tbxd_reply_error(reply, err == -ENOMEM ? 500 : 400, "%s",
					tbx_errmsg());
	if (dry) {
		/* what `tbx emulation runs --dry-run` prints: nothing is stored */
		json_t *j = emu_plan_json(plan);

		emu_plan_free(plan);
		if (!j)
			return tbxd_reply_error(reply, 500, "out of memory");
		*reply = json_pack("{s:o}", "plan", j);
		return 200;
	}
	if (emu_name_check(plan->name)) {
		status = tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
		goto out;
	}
	start_ns = real_ns();
	if (!now && !plan->start_now) {
		start_ns = (int64_t)plan->start * 1000000000LL;
		if (start_ns + (int64_t)(plan->duration * 1e9) <= real_ns()) {
			status = tbxd_reply_error(reply, 400,
				"emulation \"%s\": emustartTime plus emustopTime is in the past; start it now with now=1",
				plan->name);
			goto out;
		}
	}
	err = tbxd_sched_add(req->d->sched, plan, req->body, start_ns);
	if (err) {
		status = tbxd_reply_error(reply, err == -EEXIST ? 409 :
					  err == -EINVAL ? 400 : 500, "%s", tbx_errmsg());
		goto out;
	}
	shown = emu_store_show_json(req->d->state, plan->name, 0, &found);
	notes = json_array();
	for (size_t i = 0; i < plan->n_notes; i++)
		json_array_append_new(notes, json_string(plan->notes[i].text));
	*reply = json_pack("{s:o, s:o}", "emulation", shown ?: json_null(),
			   "notes", notes);
	status = 201;
out:
	emu_plan_free(plan);
	return status;
}

static const char *tail(struct tbxd_request *req, const char *prefix)
{
	return req->path + strlen(prefix);
}

static unsigned int get_emulation(struct tbxd_request *req, json_t **reply)
{
	const char *name = tail(req, "/emulations/");
	unsigned int status = 0, what = 0;
	bool found, runs, plan;
	json_t *o;

	/* Progress alone is cheap: --follow polls it while runs start. */
	if (flag_arg(req, "runs", &runs, reply, &status) ||
	    flag_arg(req, "plan", &plan, reply, &status))
		return status;
	what = (runs ? EMU_SHOW_RUNS : 0) | (plan ? EMU_SHOW_PLAN : 0);
	o = emu_store_show_json(req->d->state, name, what, &found);
	if (!o)
		return tbxd_reply_error(reply, found ? 500 : 404, "%s", tbx_errmsg());
	*reply = json_pack("{s:o}", "emulation", o);
	return 200;
}

static unsigned int delete_emulation(struct tbxd_request *req, json_t **reply)
{
	const char *name = tail(req, "/emulations/");
	int err = tbxd_sched_delete(req->d->sched, name);

	if (err)
		return tbxd_reply_error(reply, err == -ENOENT ? 404 : 500, "%s",
					tbx_errmsg());
	*reply = json_pack("{s:[s]}", "deleted", name);
	return 200;
}

static unsigned int purge_emulations(struct tbxd_request *req, json_t **reply)
{
	json_t *names = emu_store_names(req->d->state), *v;
	size_t i;

	if (!names)
		return store_error(reply);
	json_array_foreach(names, i, v) {
		int err = tbxd_sched_delete(req->d->sched, json_string_value(v));

		if (err && err != -ENOENT) {
			json_decref(names);
			return tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
		}
	}
	*reply = json_pack("{s:o}", "deleted", names);
	return 200;
}

/* COCOMA's results: per emulation, total, executed and failed runs. */
static unsigned int get_results(struct tbxd_request *req, json_t **reply)
{
	json_t *list = emu_store_list_json(req->d->state), *out, *e;
	size_t i;

	if (!list)
		return store_error(reply);
	out = json_array();
	json_array_foreach(list, i, e) {
		json_t *r = json_object_get(e, "runs");

		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}",
			"name", json_object_get(e, "name"),
			"state", json_object_get(e, "state"),
			"total", json_object_get(r, "total"),
			"executed", json_object_get(r, "executed"),
			"failed", json_object_get(r, "failed"),
			"pending", json_object_get(r, "pending"),
			"running", json_object_get(r, "running")));
	}
	json_decref(list);
	*reply = json_pack("{s:o}", "results", out);
	return 200;
}

static unsigned int get_jobs(struct tbxd_request *req, json_t **reply)
{
	json_t *jobs = emu_store_jobs_json(req->d->state);

	if (!jobs)
		return store_error(reply);
	*reply = json_pack("{s:o}", "jobs", jobs);
	return 200;
}

static json_t *log_path(const char *dir, const char *file)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) ? json_null() : json_string(path);
}

static unsigned int get_logs(struct tbxd_request *req, json_t **reply)
{
	json_t *names = emu_store_names(req->d->state), *out, *v;
	char dir[4000];
	size_t i;

	if (!names)
		return store_error(reply);
	out = json_array();
	json_array_foreach(names, i, v) {
		emu_log_dir(req->d->cfg->state_dir, json_string_value(v), 0,
			    dir, sizeof(dir));
		json_array_append_new(out, json_pack("{s:O, s:o, s:o}", "emulation", v,
			"runs_log", log_path(dir, EMU_LOG_RUNS),
			"usage_csv", log_path(dir, EMU_LOG_USAGE)));
	}
	json_decref(names);
	*reply = json_pack("{s:o}", "logs", out);
	return 200;
}

/* A log file's text (its last LOG_SERVE_MAX bytes), or null. */
static json_t *log_text(const char *dir, const char *file)
{
	char path[4200], *buf;
	struct stat st;
	off_t from = 0;
	ssize_t n;
	json_t *s;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return json_null();
	if (fstat(fd, &st) < 0) {
		close(fd);
		return json_null();
	}
	if (st.st_size > LOG_SERVE_MAX)
		from = st.st_size - LOG_SERVE_MAX;
	buf = malloc(st.st_size - from + 1);
	n = buf ? pread(fd, buf, st.st_size - from, from) : -1;
	close(fd);
	if (n < 0) {
		free(buf);
		return json_null();
	}
	s = json_stringn(buf, n);
	free(buf);
	return s ?: json_null();
}

static unsigned int get_log(struct tbxd_request *req, json_t **reply)
{
	const char *name = tail(req, "/logs/");
	char dir[4000];
	bool found;
	json_t *e = emu_store_show_json(req->d->state, name, 0, &found);

	if (!e)
		return tbxd_reply_error(reply, found ? 500 : 404, "%s", tbx_errmsg());
	json_decref(e);
	emu_log_dir(req->d->cfg->state_dir, name, 0, dir, sizeof(dir));
	*reply = json_pack("{s:s, s:o, s:o}", "emulation", name,
			   "runs_log", log_text(dir, EMU_LOG_RUNS),
			   "usage_csv", log_text(dir, EMU_LOG_USAGE));
	return 200;
}

/* The planner's tables: every entry, or the one named. */
static unsigned int get_table(struct tbxd_request *req, json_t **reply,
			      const char *key, json_t *(*table)(const char *name))
{
	char prefix[32];
	json_t *t;

	snprintf(prefix, sizeof(prefix), "/%s/", key);
	if (strncmp(req->path, prefix, strlen(prefix))) {
		t = table(NULL);
		if (!t)
			return tbxd_reply_error(reply, 500, "out of memory");
		*reply = json_pack("{s:o}", key, t);
		return 200;
	}
	t = table(tail(req, prefix));
	if (!t)
		return tbxd_reply_error(reply, 404, "%s", tbx_errmsg());
	*reply = json_pack("{s:o}", key, t);
	return 200;
}

static unsigned int get_distributions(struct tbxd_request *req, json_t **reply)
{
	return get_table(req, reply, "distributions", emu_distributions_json);
}

static unsigned int get_emulators(struct tbxd_request *req, json_t **reply)
{
	return get_table(req, reply, "emulators", emu_emulators_json);
}

static unsigned int get_scheduler(struct tbxd_request *req, json_t **reply)
{
	*reply = json_pack("{s:o}", "scheduler", tbxd_sched_info(req->d->sched));
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "GET",	"/emulations",		get_emulations },
	{ "POST",	"/emulations",		post_emulation },
	{ "DELETE",	"/emulations",		purge_emulations },
	{ "GET",	"/emulations/*",	get_emulation },
	{ "DELETE",	"/emulations/*",	delete_emulation },
	{ "GET",	"/results",		get_results },
	{ "GET",	"/jobs",		get_jobs },
	{ "GET",	"/logs",		get_logs },
	{ "GET",	"/logs/*",		get_log },
	{ "GET",	"/scheduler",		get_scheduler },
	{ "GET",	"/distributions",	get_distributions },
	{ "GET",	"/distributions/*",	get_distributions },
	{ "GET",	"/emulators",		get_emulators },
	{ "GET",	"/emulators/*",		get_emulators },
};

const struct tbxd_routes tbxd_emulation_routes = TBXD_ROUTES("emulation", routes);
