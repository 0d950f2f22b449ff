// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Background tap sessions (tap_session.h). Each running session is a
 * tbx_tap_live and a timer: the timer fires when the next interval can
 * be closed (tbx_tap_live_wait_ms()), drains it into the files and
 * re-arms. A failed drain ends the session as "failed" with the reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "loop.h"
#include "state.h"
#include "tap_session.h"
#include "tbxd.h"

struct session {
	int64_t id;
	char dev[32];
	struct tbx_tap_live *live;
	struct tbxd_timer *timer;
	struct tbxd_taps *taps;
	struct session *next;
};

struct tbxd_taps {
	struct tbxd *d;
	struct session *running;
};

static sqlite3 *db(struct tbxd_taps *taps)
{
	return tbxd_state_db(taps->d->state);
}

/* Runs one statement with bound parameters: "i" int64, "s" text, "n" NULL. */
static int exec(struct tbxd_taps *taps, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	rc = sqlite3_prepare_v2(db(taps), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return tbxd_state_err(taps->d->state, rc, "prepare");
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else if (types[i] == 's')
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, i + 1);
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return tbxd_state_err(taps->d->state, rc, "tap_sessions");
	return 0;
}

static void record_end(struct tbxd_taps *taps, int64_t id, const char *state,
		       const char *message, const struct tbx_tap_totals *t)
{
	char ended[32];
	int err;

	tbxd_iso_now(ended, sizeof(ended));
	if (t)
		err = exec(taps, "UPDATE tap_sessions SET state = ?, ended = ?, message = ?,"
			   " packets = ?, ipv4 = ?, ipv6 = ?, other = ?, overflow = ?,"
			   " late = ?, dos_lost = ? WHERE id = ?", "sssiiiiiiii",
			   state, ended, message, (int64_t)t->packets, (int64_t)t->ipv4,
			   (int64_t)t->ipv6, (int64_t)t->other, (int64_t)t->overflow,
			   (int64_t)t->late, (int64_t)t->dos_lost, id);
	else
		err = exec(taps, "UPDATE tap_sessions SET state = ?, ended = ?, message = ?"
			   " WHERE id = ?", "sssi", state, ended, message, id);
	if (err)
		tbxd_log("tap %lld: %s", (long long)id, tbx_errmsg());
}

static void unlink_session(struct session *s)
{
	for (struct session **p = &s->taps->running; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			return;
		}
}

/*
 * Closes a session that has been detached (or failed): writes the rest
 * and the trailers, unpins, records how it ended, frees it.
 */
static int finish(struct session *s, const char *why)
{
	struct tbx_tap_totals t;
	int err;

	unlink_session(s);
	tbxd_timer_free(s->timer);
	err = tbx_tap_live_close(s->live, &t);
	if (err) {
		tbxd_log("tap %lld on %s failed: %s", (long long)s->id, s->dev, tbx_errmsg());
		record_end(s->taps, s->id, "failed", tbx_errmsg(), NULL);
	} else {
		tbxd_log("tap %lld on %s ended (%s): %llu packets, %llu dropped",
			 (long long)s->id, s->dev, why, (unsigned long long)t.packets,
			 (unsigned long long)(t.overflow + t.late + t.dos_lost));
		record_end(s->taps, s->id, "ended", why, &t);
	}
	free(s);
	return err;
}

static void arm(struct session *s)
{
	int ms = tbx_tap_live_wait_ms(s->live);

	if (tbxd_timer_arm(s->timer, (uint64_t)ms * 1000000, 0, 0))
		tbxd_log("tap %lld: %s", (long long)s->id, tbx_errmsg());
}

static void on_timer(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct session *s = arg;

	if (tbx_tap_live_drain(s->live)) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		tbxd_log("tap %lld on %s: %s", (long long)s->id, s->dev, msg);
		finish(s, msg);	/* records "failed": the drain's error stays */
		return;
	}
	arm(s);
}

bool tbxd_tap_dev_busy(struct tbxd_taps *taps, const char *dev)
{
	for (struct session *s = taps->running; s; s = s->next)
		if (!strcmp(s->dev, dev))
			return true;
	return false;
}

int tbxd_tap_start(struct tbxd_taps *taps, const struct cors_out_opts *out,
		   const struct tbx_tap_opts *opts, json_t *request, int64_t *id)
{
	struct session *s;
	char started[32], *text;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return tbx_err(ENOMEM, "out of memory");
	s->taps = taps;
	snprintf(s->dev, sizeof(s->dev), "%s", opts->ifname);
	err = tbx_tap_live_open(out, opts, &s->live);
	if (err) {
		free(s);
		return err;
	}
	err = tbxd_timer_new(taps->d->loop, on_timer, s, &s->timer);
	if (err)
		goto fail;
	text = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		err = tbx_err(ENOMEM, "out of memory");
		goto fail;
	}
	tbxd_iso_now(started, sizeof(started));
	err = exec(taps, "INSERT INTO tap_sessions (dev, request, state, pin_dir, pid, started)"
		   " VALUES (?, ?, 'running', ?, ?, ?)", "sssis", s->dev, text,
		   tbx_tap_live_pin_dir(s->live), (int64_t)getpid(), started);
	free(text);
	if (err)
		goto fail;
	s->id = sqlite3_last_insert_rowid(db(taps));
	s->next = taps->running;
	taps->running = s;
	arm(s);
	tbxd_log("tap %lld on %s started (pins in %s)", (long long)s->id, s->dev,
		 tbx_tap_live_pin_dir(s->live));
	*id = s->id;
	return 0;
fail:
	{
		char msg[512];
		struct tbx_tap_totals t;

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		tbxd_timer_free(s->timer);
		tbx_tap_live_close(s->live, &t);
		free(s);
		return tbx_err(err, "%s", msg);
	}
}

static struct session *find_running(struct tbxd_taps *taps, int64_t id)
{
	for (struct session *s = taps->running; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

/* A row as the API shows it; a running session's counters are live. */
static json_t *row_json(struct tbxd_taps *taps, sqlite3_stmt *st)
{
	static const char *const counters[] = {
		"packets", "ipv4", "ipv6", "other", "overflow", "late", "dos_lost",
	};
	int64_t id = sqlite3_column_int64(st, 0);
	json_t *o, *req, *c;
	struct session *s = find_running(taps, id);

	req = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
	o = json_pack("{s:I,s:s,s:o,s:s,s:s,s:I,s:s,s:s}",
		      "id", (json_int_t)id,
		      "dev", (const char *)sqlite3_column_text(st, 1),
		      "request", req ? req : json_object(),
		      "state", (const char *)sqlite3_column_text(st, 3),
		      "pin_dir", (const char *)sqlite3_column_text(st, 4),
		      "pid", (json_int_t)sqlite3_column_int64(st, 5),
		      "started", (const char *)sqlite3_column_text(st, 6),
		      "message", (const char *)sqlite3_column_text(st, 8));
	if (!o)
		return NULL;
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		json_object_set_new(o, "ended",
				    json_string((const char *)sqlite3_column_text(st, 7)));
	c = json_object();
	if (s) {
		struct tbx_tap_totals t;

		if (!tbx_tap_live_totals(s->live, &t)) {
			const uint64_t v[] = { t.packets, t.ipv4, t.ipv6, t.other,
					       t.overflow, t.late, t.dos_lost };

			for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
				json_object_set_new(c, counters[i], json_integer(v[i]));
		}
	} else {
		for (int i = 0; i < 7; i++)
			if (sqlite3_column_type(st, 9 + i) != SQLITE_NULL)
				json_object_set_new(c, counters[i],
					json_integer(sqlite3_column_int64(st, 9 + i)));
	}
	json_object_set_new(o, "counters", c);
	return o;
}

#define SELECT_SESSIONS \
	"SELECT id, dev, request, state, pin_dir, pid, started, ended, message," \
	" packets, ipv4, ipv6, other, overflow, late, dos_lost FROM tap_sessions"

static json_t *query(struct tbxd_taps *taps, int64_t id, int *err)
{
	json_t *arr = json_array();
	sqlite3_stmt *st;
	int rc;

	*err = 0;
	rc = sqlite3_prepare_v2(db(taps), id ? SELECT_SESSIONS " WHERE id = ?" :
				SELECT_SESSIONS " ORDER BY id", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		*err = tbxd_state_err(taps->d->state, rc, "prepare");
		json_decref(arr);
		return NULL;
	}
	if (id)
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = row_json(taps, st);

		if (!o || json_array_append_new(arr, o)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = rc == SQLITE_NOMEM ? tbx_err(ENOMEM, "out of memory") :
		       tbxd_state_err(taps->d->state, rc, "tap_sessions");
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *tbxd_tap_list(struct tbxd_taps *taps, int *err)
{
	return query(taps, 0, err);
}

json_t *tbxd_tap_json(struct tbxd_taps *taps, int64_t id, int *err)
{
	json_t *arr = query(taps, id, err), *o;

	if (!arr)
		return NULL;
	o = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	if (!o)
		*err = tbx_err(ENOENT, "no tap session %lld", (long long)id);
	return o;
}

int tbxd_tap_stop(struct tbxd_taps *taps, int64_t id)
{
	struct session *s = find_running(taps, id);
	int err;

	if (!s) {
		json_t *o = tbxd_tap_json(taps, id, &err);

		if (!o)
			return err;
		json_decref(o);
		return tbx_err(EALREADY, "tap session %lld has already ended", (long long)id);
	}
	return finish(s, "stopped");
}

/*
 * Sessions recorded as running belong to a tbxd that did not stop
 * cleanly (only one tbxd serves a state file at a time). Their program
 * may still count on the device: take it off, remove the pins, and mark
 * them ended. They are not restarted: their open files were never
 * finished and the writer's state is gone, so a new session would have
 * to start new files anyway; that is the client's call.
 */
static int reap_left_over(struct tbxd_taps *taps)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db(taps), "SELECT id, pin_dir, pid FROM tap_sessions"
				" WHERE state = 'running'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return tbxd_state_err(taps->d->state, rc, "prepare");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *dir = (const char *)sqlite3_column_text(st, 1);
		int r = tbx_tap_reap(dir, sqlite3_column_int64(st, 2));
		const char *why = r == 0 ? "tbxd restarted: its program and pins were removed" :
				  r == -ENOENT ? "tbxd restarted: no pins were left" :
				  "tbxd restarted: its pins belong to another process now; left alone";

		tbxd_log("tap %lld: %s (%s)", (long long)id, why, dir);
		record_end(taps, id, "ended", why, NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return tbxd_state_err(taps->d->state, rc, "tap_sessions");
	return 0;
}

int tbxd_taps_start(struct tbxd *d, struct tbxd_taps **out)
{
	struct tbxd_taps *taps = calloc(1, sizeof(*taps));
	int err;

	if (!taps)
		return tbx_err(ENOMEM, "out of memory");
	taps->d = d;
	err = reap_left_over(taps);
	if (err) {
		free(taps);
		return err;
	}
	*out = taps;
	return 0;
}

void tbxd_taps_stop(struct tbxd_taps *taps)
{
	if (!taps)
		return;
	/* Detach all first, so they share one grace before the last drain. */
	for (struct session *s = taps->running; s; s = s->next)
		if (tbx_tap_live_detach(s->live))
			tbxd_log("tap %lld: %s", (long long)s->id, tbx_errmsg());
	while (taps->running)
		finish(taps->running, "tbxd stopped");
	free(taps);
}
