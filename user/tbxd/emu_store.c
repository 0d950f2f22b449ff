// SPDX-License-Identifier: GPL-2.0-or-later
/* Emulations and their runs in SQLite: the rows, and the JSON the API serves. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu_store.h"
#include "err.h"
#include "state.h"

int emu_name_check(const char *name)
{
	size_t n = strlen(name);

	if (!n)
		return tbx_err(EINVAL, "emulation name is empty");
	if (n > EMU_NAME_MAX)
		return tbx_err(EINVAL, "emulation name \"%.60s...\" is longer than %d bytes",
			       name, EMU_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.')
			return tbx_err(EINVAL, "emulation name \"%s\": character %zu ('%c') is not a letter, digit, '_', '-' or '.'",
				       name, i + 1, c >= ' ' && c < 0x7f ? c : '?');
	}
	if (name[0] == '.')
		return tbx_err(EINVAL, "emulation name \"%s\" starts with '.'", name);
	return 0;
}

json_t *emu_params_json(const struct emu_run *r)
{
	return json_pack("{s:i, s:s, s:s, s:i, s:b, s:i, s:i, s:s, s:i, s:s, s:s,"
			 " s:s, s:s, s:i, s:i, s:i, s:s, s:i, s:i, s:i, s:f, s:i}",
			 "dist", r->dist,
			 "emulator", r->emulator,
			 "cocoma_emulator", r->cocoma_emulator,
			 "ncpus", r->ncpus,
			 "pin", r->pin,
			 "mem_sleep_us", r->mem_sleep_us,
			 "io_sleep_ms", r->io_sleep_ms,
			 "server_ip", r->server_ip,
			 "server_port", r->server_port,
			 "protocol", r->protocol,
			 "profile", r->profile,
			 "dev", r->dev,
			 "io_dir", r->io_dir,
			 "io_block_mb", r->io_block_mb,
			 "mem_threads", r->mem_threads,
			 "mem_size_mb", r->mem_size_mb,
			 "fuzz_protocol", r->fuzz_protocol,
			 "fuzz_min", r->fuzz_min,
			 "fuzz_range", r->fuzz_range,
			 "fuzz_salt", r->fuzz_salt,
			 "fuzz_delay", r->fuzz_delay,
			 "line", r->line);
}

static void copy_str(char *dst, size_t len, json_t *o, const char *key)
{
	snprintf(dst, len, "%s", json_string_value(json_object_get(o, key)) ?: "");
}

int emu_params_parse(const char *text, struct emu_run *r)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);

	if (!json_is_object(o)) {
		json_decref(o);
		return tbx_err(EBADMSG, "stored run parameters are not a JSON object: %s",
			       jerr.text);
	}
	r->dist = json_integer_value(json_object_get(o, "dist"));
	copy_str(r->emulator, sizeof(r->emulator), o, "emulator");
	copy_str(r->cocoma_emulator, sizeof(r->cocoma_emulator), o, "cocoma_emulator");
	r->ncpus = json_integer_value(json_object_get(o, "ncpus"));
	r->pin = json_is_true(json_object_get(o, "pin"));
	r->mem_sleep_us = json_integer_value(json_object_get(o, "mem_sleep_us"));
	r->io_sleep_ms = json_integer_value(json_object_get(o, "io_sleep_ms"));
	copy_str(r->server_ip, sizeof(r->server_ip), o, "server_ip");
	r->server_port = json_integer_value(json_object_get(o, "server_port"));
	copy_str(r->protocol, sizeof(r->protocol), o, "protocol");
	copy_str(r->profile, sizeof(r->profile), o, "profile");
	copy_str(r->dev, sizeof(r->dev), o, "dev");
	copy_str(r->io_dir, sizeof(r->io_dir), o, "io_dir");
	r->io_block_mb = json_integer_value(json_object_get(o, "io_block_mb"));
	r->mem_threads = json_integer_value(json_object_get(o, "mem_threads"));
	r->mem_size_mb = json_integer_value(json_object_get(o, "mem_size_mb"));
	copy_str(r->fuzz_protocol, sizeof(r->fuzz_protocol), o, "fuzz_protocol");
	r->fuzz_min = json_integer_value(json_object_get(o, "fuzz_min"));
	r->fuzz_range = json_integer_value(json_object_get(o, "fuzz_range"));
	r->fuzz_salt = json_integer_value(json_object_get(o, "fuzz_salt"));
	r->fuzz_delay = json_number_value(json_object_get(o, "fuzz_delay"));
	r->line = json_integer_value(json_object_get(o, "line"));
	json_decref(o);
	return 0;
}

/* The plan as the planner describes it (its runs also get rows). */
static char *plan_text(const struct emu_plan *p)
{
	json_t *o = emu_plan_json(p);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	return text;
}

/* @s: the INSERT, prepared once for all the runs of an emulation. */
static int add_run(struct tbxd_state *st, sqlite3_stmt *s, int64_t id,
		   size_t idx, const struct emu_run *r, int64_t start_ns)
{
	const char *kind = emu_res_kind(r->res);
	json_t *params;
	char *ptext;
	int err = 0, rc;

	if (!kind)
		return tbx_err(EINVAL, "run %zu: resource %s is not one a run can load",
			       idx, emu_res_name(r->res) ?: "?");
	if (isfinite(r->start) && r->start < 0)
		return tbx_err(EINVAL, "run %zu starts %g s before its emulation (a negative startTime)",
			       idx, -r->start);
	/* 0 s: COCOMA's fuzz distribution gives its run no duration */
	if (!isfinite(r->start) || r->start < 0 || !isfinite(r->duration) ||
	    r->duration < 0 || !isfinite(r->load) || r->load < 0)
		return tbx_err(EINVAL, "run %zu: start %g s, duration %g s, load %g: out of range",
			       idx, r->start, r->duration, r->load);
	params = emu_params_json(r);
	ptext = params ? json_dumps(params, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(params);
	if (!ptext)
		return tbx_err(ENOMEM, "out of memory");
	sqlite3_reset(s);
	{
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, idx);
		sqlite3_bind_double(s, 3, r->start);
		sqlite3_bind_double(s, 4, r->duration);
		sqlite3_bind_int64(s, 5, start_ns + (int64_t)llround(r->start * 1e9));
		sqlite3_bind_text(s, 6, kind, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 7, r->load);
		sqlite3_bind_text(s, 8, ptext, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			err = tbxd_state_err(st, rc, "insert run");
	}
	free(ptext);
	return err;
}

static int name_taken(struct tbxd_state *st, const char *name, bool *taken)
{
	sqlite3_stmt *s;
	int err, rc;

	err = tbxd_sql_prep(st, "SELECT 1 FROM emulations WHERE name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tbxd_state_err(st, rc, "find emulation");
	*taken = rc == SQLITE_ROW;
	return 0;
}

int emu_store_add(struct tbxd_state *st, const struct emu_plan *p,
		  const char *xml, int64_t start_ns, int64_t *id)
{
	sqlite3 *db = tbxd_state_db(st);
	sqlite3_stmt *s;
	char created[32], *ptext;
	bool taken = false;
	int err;

	err = emu_name_check(p->name);
	if (err)
		return err;
	if (!p->n_runs)
		return tbx_err(EINVAL, "emulation \"%s\" has no runs to play", p->name);
	err = name_taken(st, p->name, &taken);
	if (err)
		return err;
	if (taken)
		return tbx_err(EEXIST, "an emulation named \"%s\" exists already; delete it first",
			       p->name);
	ptext = plan_text(p);
	if (!ptext)
		return tbx_err(ENOMEM, "out of memory");
	tbxd_iso_now(created, sizeof(created));
	/* One transaction: an emulation is stored whole or not at all. */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		free(ptext);
		return tbxd_state_err(st, sqlite3_errcode(db), "begin");
	}
	err = tbxd_sql_prep(st, "INSERT INTO emulations (name, xml, plan, state, start_ns,"
		       " duration, log_enable, log_frequency, created)"
		       " VALUES (?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)", &s);
	if (!err) {
		sqlite3_bind_text(s, 1, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, xml ?: "", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ptext, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, start_ns);
		sqlite3_bind_double(s, 5, p->duration);
		sqlite3_bind_int(s, 6, p->log_enable);
		sqlite3_bind_double(s, 7, p->log_frequency > 0 ? p->log_frequency : 3);
		sqlite3_bind_text(s, 8, created, -1, SQLITE_STATIC);
		err = tbxd_sql_done(st, s, "insert emulation");
	}
	*id = sqlite3_last_insert_rowid(db);
	if (!err)
		err = tbxd_sql_prep(st, "INSERT INTO emulation_runs (emulation, idx, start, duration,"
			       " due_ns, kind, level, params, state)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')", &s);
	if (!err) {
		for (size_t i = 0; !err && i < p->n_runs; i++)
			err = add_run(st, s, *id, i, &p->runs[i], start_ns);
		sqlite3_finalize(s);
	}
	free(ptext);
	if (err) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err = tbxd_state_err(st, sqlite3_errcode(db), "commit");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return err;
}

int emu_store_delete(struct tbxd_state *st, const char *name)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "DELETE FROM emulations WHERE name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	err = tbxd_sql_done(st, s, "delete emulation");
	if (!err && !sqlite3_changes(tbxd_state_db(st)))
		return tbx_err(ENOENT, "no emulation named \"%s\"", name);
	return err;
}

#define JOB_COLS \
	"SELECT e.id, e.name, r.idx, r.due_ns, r.state, r.kernel_id," \
	" r.started_ns, r.start, r.duration, r.kind, r.level, r.params," \
	" (SELECT count(*) FROM emulation_runs x WHERE x.emulation = e.id)" \
	" FROM emulation_runs r JOIN emulations e ON e.id = r.emulation "

static int read_job(struct tbxd_state *st, sqlite3_stmt *s, struct emu_job *j)
{
	memset(j, 0, sizeof(*j));
	j->emu = sqlite3_column_int64(s, 0);
	snprintf(j->name, sizeof(j->name), "%s", tbxd_sql_text(s, 1));
	j->idx = sqlite3_column_int(s, 2);
	j->due_ns = sqlite3_column_int64(s, 3);
	snprintf(j->state, sizeof(j->state), "%s", tbxd_sql_text(s, 4));
	j->kernel_id = sqlite3_column_int64(s, 5);
	j->started_ns = sqlite3_column_int64(s, 6);
	j->run.start = sqlite3_column_double(s, 7);
	j->run.duration = sqlite3_column_double(s, 8);
	j->run.res = emu_res_of_kind(tbxd_sql_text(s, 9));
	if (j->run.res == EMU_RES_MIX)	/* the table's CHECK keeps this out */
		return tbx_err(EPROTO, "state: run %d of %s has kind \"%s\"",
			       j->idx, j->name, tbxd_sql_text(s, 9));
	j->run.load = sqlite3_column_double(s, 10);
	j->n_runs = sqlite3_column_int(s, 12);
	return emu_params_parse(tbxd_sql_text(s, 11), &j->run);
}

static int one_job(struct tbxd_state *st, sqlite3_stmt *s, struct emu_job *j,
		   bool *found)
{
	int rc = sqlite3_step(s), err = 0;

	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		err = read_job(st, s, j);
	else if (rc != SQLITE_DONE)
		err = tbxd_state_err(st, rc, "read run");
	sqlite3_finalize(s);
	return err;
}

int emu_store_next_due(struct tbxd_state *st, enum emu_which which,
		       struct emu_job *j, bool *found)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, JOB_COLS "WHERE r.state = 'pending'"
		       " AND (?1 = 0 OR (?1 = 1) = (r.kind = 'io'))"
		       " ORDER BY r.due_ns, e.id, r.idx LIMIT 1", &s);
	if (err)
		return err;
	sqlite3_bind_int(s, 1, which);
	return one_job(st, s, j, found);
}

int emu_store_job(struct tbxd_state *st, const char *name, int idx,
		  struct emu_job *j, bool *found)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, JOB_COLS "WHERE e.name = ? AND r.idx = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, idx);
	return one_job(st, s, j, found);
}

int emu_store_each(struct tbxd_state *st, const char *state, const char *name,
		   int (*fn)(struct emu_job *j, void *arg), void *arg)
{
	struct emu_job *jobs = NULL, *more;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int err, rc;

	err = tbxd_sql_prep(st, JOB_COLS "WHERE (?1 IS NULL AND r.state IN ('starting', 'running')"
		       " OR r.state = ?1) AND (?2 IS NULL OR e.name = ?2)"
		       " ORDER BY r.due_ns, e.id, r.idx", &s);
	if (err)
		return err;
	if (state)
		sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	if (name)
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	/* Read all first: fn may change the rows. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			more = reallocarray(jobs, cap, sizeof(*jobs));
			if (!more) {
				err = tbx_err(ENOMEM, "out of memory");
				break;
			}
			jobs = more;
		}
		err = read_job(st, s, &jobs[n++]);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = tbxd_state_err(st, rc, "read runs");
	sqlite3_finalize(s);
	for (size_t i = 0; !err && i < n; i++)
		err = fn(&jobs[i], arg);
	free(jobs);
	return err;
}

static void bind_keep(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == EMU_KEEP)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

int emu_store_mark(struct tbxd_state *st, int64_t emu, int idx,
		   const char *state, const char *message, int64_t kernel_id,
		   int64_t started_ns, int64_t ended_ns, int64_t delay_ns)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "UPDATE emulation_runs SET state = ?,"
		       " message = coalesce(?, message),"
		       " kernel_id = coalesce(?, kernel_id),"
		       " started_ns = coalesce(?, started_ns),"
		       " ended_ns = coalesce(?, ended_ns),"
		       " delay_ns = coalesce(?, delay_ns)"
		       " WHERE emulation = ? AND idx = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	if (message)
		sqlite3_bind_text(s, 2, message, -1, SQLITE_STATIC);
	bind_keep(s, 3, kernel_id);
	bind_keep(s, 4, started_ns);
	bind_keep(s, 5, ended_ns);
	bind_keep(s, 6, delay_ns);
	sqlite3_bind_int64(s, 7, emu);
	sqlite3_bind_int(s, 8, idx);
	return tbxd_sql_done(st, s, "update run");
}

int emu_store_update_emu(struct tbxd_state *st, int64_t emu,
			 char *state, size_t len)
{
	sqlite3_stmt *s;
	int err, rc;

	err = tbxd_sql_prep(st, "UPDATE emulations SET state = CASE"
		       " WHEN NOT EXISTS (SELECT 1 FROM emulation_runs WHERE emulation = ?1"
		       "   AND state IN ('pending', 'starting', 'running')) THEN 'finished'"
		       " WHEN EXISTS (SELECT 1 FROM emulation_runs WHERE emulation = ?1"
		       "   AND state <> 'pending') THEN 'running'"
		       " ELSE 'scheduled' END WHERE id = ?1 RETURNING state", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, emu);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && state)
		snprintf(state, len, "%s", tbxd_sql_text(s, 0));
	else if (state)
		state[0] = '\0';
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, "update emulation");
}

int emu_store_each_logged(struct tbxd_state *st,
			  int (*fn)(const char *name, int64_t start_ns,
				    double duration, double freq, void *arg),
			  void *arg)
{
	sqlite3_stmt *s;
	int err, rc;

	err = tbxd_sql_prep(st, "SELECT name, start_ns, duration, log_frequency FROM emulations"
		       " WHERE log_enable AND state <> 'finished' ORDER BY id", &s);
	if (err)
		return err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		err = fn(tbxd_sql_text(s, 0), sqlite3_column_int64(s, 1),
			 sqlite3_column_double(s, 2), sqlite3_column_double(s, 3), arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = tbxd_state_err(st, rc, "read emulations");
	sqlite3_finalize(s);
	return err;
}

/* ---- JSON for the API ---- */

static json_t *ns_time(int64_t ns)
{
	char buf[40];
	struct tm tm;
	time_t t;

	if (!ns)
		return json_null();
	t = ns / 1000000000;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03dZ",
		 (int)(ns % 1000000000 / 1000000));
	return json_string(buf);
}

#define EMU_COLS \
	"SELECT e.name, e.state, e.start_ns, e.duration, e.created, e.log_enable," \
	" e.log_frequency, e.plan, e.xml," \
	" count(r.idx)," \
	" sum(r.state = 'pending'), sum(r.state IN ('starting', 'running'))," \
	" sum(r.state = 'executed'), sum(r.state = 'failed'), e.id" \
	" FROM emulations e LEFT JOIN emulation_runs r ON r.emulation = e.id "

static json_t *emu_json(sqlite3_stmt *s, bool full)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:f, s:s, s:{s:b, s:f}, s:{s:I, s:I, s:I, s:I, s:I}}",
		"name", tbxd_sql_text(s, 0),
		"state", tbxd_sql_text(s, 1),
		"start", ns_time(sqlite3_column_int64(s, 2)),
		"duration", sqlite3_column_double(s, 3),
		"created", tbxd_sql_text(s, 4),
		"log", "enable", sqlite3_column_int(s, 5),
		"frequency", sqlite3_column_double(s, 6),
		"runs", "total", (json_int_t)sqlite3_column_int64(s, 9),
		"pending", (json_int_t)sqlite3_column_int64(s, 10),
		"running", (json_int_t)sqlite3_column_int64(s, 11),
		"executed", (json_int_t)sqlite3_column_int64(s, 12),
		"failed", (json_int_t)sqlite3_column_int64(s, 13));

	if (o && full) {
		json_t *plan = json_loads(tbxd_sql_text(s, 7), 0, NULL);

		json_object_set_new(o, "plan", plan ?: json_null());
		json_object_set_new(o, "xml", json_string(tbxd_sql_text(s, 8)));
	}
	return o;
}

json_t *emu_store_list_json(struct tbxd_state *st)
{
	json_t *arr = json_array();
	sqlite3_stmt *s;
	int rc;

	if (!arr || tbxd_sql_prep(st, EMU_COLS "GROUP BY e.id ORDER BY e.id", &s)) {
		json_decref(arr);
		return NULL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, emu_json(s, false));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		tbxd_state_err(st, rc, "list emulations");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *run_json(sqlite3_stmt *s)
{
	json_t *params = json_loads(tbxd_sql_text(s, 6), 0, NULL);
	json_t *o;

	o = json_pack("{s:i, s:f, s:f, s:o, s:s, s:f, s:o, s:s, s:s}",
		"index", sqlite3_column_int(s, 0),
		"start", sqlite3_column_double(s, 1),
		"duration", sqlite3_column_double(s, 2),
		"due", ns_time(sqlite3_column_int64(s, 3)),
		"kind", tbxd_sql_text(s, 4),
		"level", sqlite3_column_double(s, 5),
		"params", params ?: json_null(),
		"state", tbxd_sql_text(s, 7),
		"message", tbxd_sql_text(s, 8));
	if (!o)
		return NULL;
	if (sqlite3_column_type(s, 9) != SQLITE_NULL)
		json_object_set_new(o, "kernel_id", json_integer(sqlite3_column_int64(s, 9)));
	json_object_set_new(o, "started", ns_time(sqlite3_column_int64(s, 10)));
	json_object_set_new(o, "ended", ns_time(sqlite3_column_int64(s, 11)));
	if (sqlite3_column_type(s, 12) != SQLITE_NULL)
		json_object_set_new(o, "delay_ms",
				    json_real(sqlite3_column_int64(s, 12) / 1e6));
	if (sqlite3_column_type(s, 10) != SQLITE_NULL)
		json_object_set_new(o, "started_ns",
				    json_integer(sqlite3_column_int64(s, 10)));
	json_object_set_new(o, "due_ns", json_integer(sqlite3_column_int64(s, 3)));
	return o;
}

#define RUN_COLS \
	"SELECT r.idx, r.start, r.duration, r.due_ns, r.kind, r.level, r.params," \
	" r.state, r.message, r.kernel_id, r.started_ns, r.ended_ns, r.delay_ns," \
	" e.name FROM emulation_runs r JOIN emulations e ON e.id = r.emulation "

static json_t *runs_json(struct tbxd_state *st, int64_t emu)
{
	json_t *arr = json_array();
	sqlite3_stmt *s;
	int rc;

	if (!arr || tbxd_sql_prep(st, RUN_COLS "WHERE r.emulation = ? ORDER BY r.idx", &s)) {
		json_decref(arr);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, emu);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, run_json(s));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		tbxd_state_err(st, rc, "list runs");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* Runs begun of all, and the load per resource now (runs whose load
 * began and has not ended).
 */
static json_t *progress_json(struct tbxd_state *st, int64_t emu)
{
	sqlite3_stmt *s;
	json_t *o = NULL;

	if (tbxd_sql_prep(st, "SELECT count(*),"
		     " coalesce(sum(started_ns IS NOT NULL OR state IN ('executed', 'failed')), 0)"
		     " FROM emulation_runs WHERE emulation = ?1", &s))
		return NULL;
	sqlite3_bind_int64(s, 1, emu);
	if (sqlite3_step(s) == SQLITE_ROW)
		o = json_pack("{s:I, s:I}", "run", (json_int_t)sqlite3_column_int64(s, 1),
			      "of", (json_int_t)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
	if (!o || tbxd_sql_prep(st, "SELECT"
		     " coalesce(sum(CASE WHEN kind = 'cpu' THEN level END), 0),"
		     " coalesce(sum(CASE WHEN kind = 'mem' THEN level END), 0),"
		     " coalesce(sum(CASE WHEN kind = 'io' THEN level END), 0),"
		     " coalesce(sum(CASE WHEN kind = 'net' THEN level END), 0)"
		     " FROM emulation_runs WHERE emulation = ?1 AND state = 'running'"
		     " AND started_ns IS NOT NULL", &s))
		return o;
	sqlite3_bind_int64(s, 1, emu);
	if (sqlite3_step(s) == SQLITE_ROW)
		json_object_set_new(o, "load", json_pack("{s:f, s:f, s:f, s:f}",
			"cpu", sqlite3_column_double(s, 0),
			"mem", sqlite3_column_double(s, 1),
			"io", sqlite3_column_double(s, 2),
			"net", sqlite3_column_double(s, 3)));
	sqlite3_finalize(s);
	return o;
}

json_t *emu_store_show_json(struct tbxd_state *st, const char *name,
			    unsigned int what, bool *found)
{
	json_t *o = NULL, *runs;
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc;

	*found = false;
	if (tbxd_sql_prep(st, EMU_COLS "WHERE e.name = ? GROUP BY e.id", &s))
		return NULL;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = true;
		o = emu_json(s, what & EMU_SHOW_PLAN);
		id = sqlite3_column_int64(s, 14);
	} else if (rc != SQLITE_DONE) {
		tbxd_state_err(st, rc, "find emulation");
	}
	sqlite3_finalize(s);
	if (!o) {
		if (*found || rc == SQLITE_DONE)
			tbx_err(*found ? ENOMEM : ENOENT, *found ? "out of memory" :
				"no emulation named \"%s\"", name);
		return NULL;
	}
	json_object_set_new(o, "progress", progress_json(st, id) ?: json_null());
	if (!(what & EMU_SHOW_RUNS))
		return o;
	runs = runs_json(st, id);
	if (!runs) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "run_list", runs);
	return o;
}

json_t *emu_store_jobs_json(struct tbxd_state *st)
{
	json_t *arr = json_array();
	sqlite3_stmt *s;
	int rc;

	if (!arr || tbxd_sql_prep(st, RUN_COLS "WHERE r.state IN ('pending', 'starting', 'running')"
			     " ORDER BY r.due_ns, e.id, r.idx", &s)) {
		json_decref(arr);
		return NULL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = run_json(s);

		if (o)
			json_object_set_new(o, "emulation", json_string(tbxd_sql_text(s, 13)));
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		tbxd_state_err(st, rc, "list jobs");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *emu_store_names(struct tbxd_state *st)
{
	json_t *arr = json_array();
	sqlite3_stmt *s;
	int rc;

	if (!arr || tbxd_sql_prep(st, "SELECT name FROM emulations ORDER BY id", &s)) {
		json_decref(arr);
		return NULL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_string(tbxd_sql_text(s, 0)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		tbxd_state_err(st, rc, "list emulations");
		json_decref(arr);
		return NULL;
	}
	return arr;
}
