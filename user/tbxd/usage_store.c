// SPDX-License-Identifier: GPL-2.0-or-later
/* Usage objects and records in SQLite (usage_store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "state.h"
#include "usage_store.h"

static const char *const kind_names[USAGE_KINDS] = {
	[USAGE_ELEMENT]		= "element",
	[USAGE_CONNECTION]	= "connection",
	[USAGE_INJECTED]	= "injected",
};

/* The keys of usage_store_all()'s answer, ToMaTo's for the first two. */
static const char *const kind_keys[USAGE_KINDS] = {
	[USAGE_ELEMENT]		= "elements",
	[USAGE_CONNECTION]	= "connections",
	[USAGE_INJECTED]	= "injected",
};

const char *usage_kind_name(enum usage_kind kind)
{
	return (unsigned int)kind < USAGE_KINDS ? kind_names[kind] : NULL;
}

struct object {
	int64_t id;
	double begin;
	bool has_cputime, has_traffic;
	double last_cputime, last_traffic;
};

/* Finds the object; *found false when there is none. */
static int object_get(struct tbxd_state *st, enum usage_kind kind,
		      const char *name, struct object *o, bool *found)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT id, begin, last_cputime, last_traffic"
			    " FROM usage_objects WHERE kind = ? AND name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found) {
		o->id = sqlite3_column_int64(s, 0);
		o->begin = sqlite3_column_double(s, 1);
		o->has_cputime = sqlite3_column_type(s, 2) != SQLITE_NULL;
		o->last_cputime = sqlite3_column_double(s, 2);
		o->has_traffic = sqlite3_column_type(s, 3) != SQLITE_NULL;
		o->last_traffic = sqlite3_column_double(s, 3);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       tbxd_state_err(st, rc, "read usage object");
}

static int object_make(struct tbxd_state *st, enum usage_kind kind,
		       const char *name, double begin, struct object *o)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "INSERT INTO usage_objects (kind, name, begin)"
			    " VALUES (?, ?, ?)", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, begin);
	if ((err = tbxd_sql_done(st, s, "record usage object")))
		return err;
	*o = (struct object){
		.id = sqlite3_last_insert_rowid(tbxd_state_db(st)),
		.begin = begin,
	};
	return 0;
}

static int object_lasts(struct tbxd_state *st, const struct object *o)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "UPDATE usage_objects SET last_cputime = ?,"
			    " last_traffic = ? WHERE id = ?", &s);
	if (err)
		return err;
	if (o->has_cputime)
		sqlite3_bind_double(s, 1, o->last_cputime);
	if (o->has_traffic)
		sqlite3_bind_double(s, 2, o->last_traffic);
	sqlite3_bind_int64(s, 3, o->id);
	return tbxd_sql_done(st, s, "record usage counters");
}

static int record_put(struct tbxd_state *st, int64_t object,
		      const struct tbx_usage_record *r)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "INSERT INTO usage_records (object, level, begin, end,"
			    " measurements, cputime, memory, diskspace, traffic)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, object);
	sqlite3_bind_text(s, 2, tbx_usage_level_name(r->level), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, r->begin);
	sqlite3_bind_double(s, 4, r->end);
	sqlite3_bind_int64(s, 5, r->measurements);
	sqlite3_bind_double(s, 6, r->usage.cputime);
	sqlite3_bind_double(s, 7, r->usage.memory);
	sqlite3_bind_double(s, 8, r->usage.diskspace);
	sqlite3_bind_double(s, 9, r->usage.traffic);
	return tbxd_sql_done(st, s, "record usage");
}

static int window_done(struct tbxd_state *st, int64_t object, int level,
		       double begin, double end, bool *done)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT 1 FROM usage_records WHERE object = ?"
			    " AND level = ? AND begin = ? AND end = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, object);
	sqlite3_bind_text(s, 2, tbx_usage_level_name(level), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, begin);
	sqlite3_bind_double(s, 4, end);
	rc = sqlite3_step(s);
	*done = rc == SQLITE_ROW;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       tbxd_state_err(st, rc, "read usage records");
}

/* @level's records lying wholly in [begin, end], combined. */
static int window_combine(struct tbxd_state *st, int64_t object, int level,
			  struct tbx_usage_record *out)
{
	struct tbx_usage_record *recs = NULL, *more;
	size_t n = 0;
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT measurements, cputime, memory, diskspace, traffic"
			    " FROM usage_records WHERE object = ? AND level = ?"
			    " AND begin >= ? AND end <= ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, object);
	sqlite3_bind_text(s, 2, tbx_usage_level_name(level), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, out->begin);
	sqlite3_bind_double(s, 4, out->end);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		more = reallocarray(recs, n + 1, sizeof(*recs));
		if (!more) {
			rc = SQLITE_NOMEM;
			break;
		}
		recs = more;
		recs[n++] = (struct tbx_usage_record){
			.measurements = sqlite3_column_int64(s, 0),
			.usage = {
				.cputime = sqlite3_column_double(s, 1),
				.memory = sqlite3_column_double(s, 2),
				.diskspace = sqlite3_column_double(s, 3),
				.traffic = sqlite3_column_double(s, 4),
			},
		};
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		tbx_usage_combine(recs, n, &out->usage, &out->measurements);
	free(recs);
	return rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, "read usage records");
}

/*
 * ToMaTo's cascade: each level's last completed window (begun no earlier
 * than the object's accounting) is made from the level below, once; the
 * first window already made ends the walk, since every level above was
 * made with it.
 */
static int roll_up(struct tbxd_state *st, const struct object *o, time_t now,
		   int *top)
{
	int below = TBX_USAGE_SINGLE;

	for (int lv = TBX_USAGE_5MINUTES; lv < TBX_USAGE_LEVELS; lv++) {
		struct tbx_usage_record r = { .level = lv };
		bool done;
		int err;

		if ((err = tbx_usage_window(lv, now, &r.begin, &r.end)))
			return tbx_err(err, "usage window of %s", tbx_usage_level_name(lv));
		if (o->begin > r.begin)
			r.begin = o->begin;
		if (o->begin > r.end)
			break;
		if ((err = window_done(st, o->id, lv, r.begin, r.end, &done)))
			return err;
		if (done)
			break;
		if ((err = window_combine(st, o->id, below, &r)) ||
		    (err = record_put(st, o->id, &r)))
			return err;
		below = *top = lv;
	}
	return 0;
}

/* Drops @object's oldest records of the levels up to @top beyond their counts. */
static int trim(struct tbxd_state *st, int64_t object, int top)
{
	for (int lv = 0; lv <= top; lv++) {
		sqlite3_stmt *s;
		int err;

		err = tbxd_sql_prep(st, "DELETE FROM usage_records WHERE object = ?1"
				    " AND level = ?2 AND rowid NOT IN (SELECT rowid"
				    " FROM usage_records WHERE object = ?1 AND level = ?2"
				    " ORDER BY begin DESC LIMIT ?3)", &s);
		if (err)
			return err;
		sqlite3_bind_int64(s, 1, object);
		sqlite3_bind_text(s, 2, tbx_usage_level_name(lv), -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, (int)tbx_usage_level_keep(lv));
		if ((err = tbxd_sql_done(st, s, "drop old usage records")))
			return err;
	}
	return 0;
}

static int account(struct tbxd_state *st, enum usage_kind kind, const char *name,
		   const struct usage_reading *rd, time_t now)
{
	struct tbx_usage_record r = {
		.level = TBX_USAGE_SINGLE,
		.begin = rd->begin,
		.end = rd->end,
		.measurements = 1,
		.usage = { .memory = rd->memory, .diskspace = rd->diskspace },
	};
	int top = TBX_USAGE_SINGLE;	/* the highest level written */
	struct object o;
	bool found;
	int err;

	if ((err = object_get(st, kind, name, &o, &found)) ||
	    (!found && (err = object_make(st, kind, name, rd->begin, &o))))
		return err;
	if (rd->has_cputime)
		r.usage.cputime = tbx_usage_counter(rd->cputime, &o.last_cputime,
						    &o.has_cputime);
	if (rd->has_traffic)
		r.usage.traffic = tbx_usage_counter(rd->traffic, &o.last_traffic,
						    &o.has_traffic);
	if ((err = record_put(st, o.id, &r)) || (err = object_lasts(st, &o)) ||
	    (err = roll_up(st, &o, now, &top)))
		return err;
	return trim(st, o.id, top);
}

int usage_store_account(struct tbxd_state *st, enum usage_kind kind,
			const char *name, const struct usage_reading *r,
			time_t now)
{
	sqlite3 *db = tbxd_state_db(st);
	int err;

	if ((unsigned int)kind >= USAGE_KINDS)
		return tbx_err(EINVAL, "usage: no object kind %d", kind);
	/* A savepoint: a transaction of its own, or a part of the caller's
	 * (a whole cycle, usage_store_cycle_begin()).
	 */
	if (sqlite3_exec(db, "SAVEPOINT usage_record", NULL, NULL, NULL) != SQLITE_OK)
		return tbxd_state_err(st, sqlite3_errcode(db), "begin usage record");
	err = account(st, kind, name, r, now);
	if (err)
		sqlite3_exec(db, "ROLLBACK TO usage_record", NULL, NULL, NULL);
	if (sqlite3_exec(db, "RELEASE usage_record", NULL, NULL, NULL) != SQLITE_OK && !err)
		err = tbxd_state_err(st, sqlite3_errcode(db), "commit usage record");
	return err;
}

int usage_store_cycle_begin(struct tbxd_state *st)
{
	sqlite3 *db = tbxd_state_db(st);

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return tbxd_state_err(st, sqlite3_errcode(db), "begin usage cycle");
	return 0;
}

int usage_store_cycle_end(struct tbxd_state *st, int err)
{
	sqlite3 *db = tbxd_state_db(st);

	if (!err && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		err = tbxd_state_err(st, sqlite3_errcode(db), "commit usage cycle");
	if (err)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return err;
}

int usage_store_names(struct tbxd_state *st, enum usage_kind kind, json_t **names)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT name FROM usage_objects WHERE kind = ? ORDER BY id", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	*names = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(*names, json_string(tbxd_sql_text(s, 0)));
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	json_decref(*names);
	*names = NULL;
	return tbxd_state_err(st, rc, "read usage objects");
}

int usage_store_forget(struct tbxd_state *st, enum usage_kind kind, const char *name)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "DELETE FROM usage_objects WHERE kind = ? AND name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return tbxd_sql_done(st, s, "forget usage object");
}

static json_t *record_json(sqlite3_stmt *s)
{
	return json_pack("{s:s, s:f, s:f, s:I, s:{s:f, s:f, s:f, s:f}}",
			 "type", tbxd_sql_text(s, 0),
			 "begin", sqlite3_column_double(s, 1),
			 "end", sqlite3_column_double(s, 2),
			 "measurements", (json_int_t)sqlite3_column_int64(s, 3),
			 "usage",
			 "cputime", sqlite3_column_double(s, 4),
			 "diskspace", sqlite3_column_double(s, 6),
			 "memory", sqlite3_column_double(s, 5),
			 "traffic", sqlite3_column_double(s, 7));
}

/* @object's records as ToMaTo's UsageStatistics.info() gives them. */
static int object_info(struct tbxd_state *st, int64_t object, int level,
		       double after, double before, json_t **out)
{
	sqlite3_stmt *s;
	json_t *info;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT level, begin, end, measurements, cputime,"
			    " memory, diskspace, traffic FROM usage_records"
			    " WHERE object = ?1 AND (?2 IS NULL OR level = ?2)"
			    " AND (?3 <= 0 OR end >= ?3) AND (?4 <= 0 OR begin <= ?4)"
			    " ORDER BY begin, rowid", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, object);
	if (level >= 0)
		sqlite3_bind_text(s, 2, tbx_usage_level_name(level), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, after);
	sqlite3_bind_double(s, 4, before);
	if (level >= 0) {
		info = json_array();
	} else {
		info = json_object();
		for (int lv = 0; lv < TBX_USAGE_LEVELS; lv++)
			json_object_set_new(info, tbx_usage_level_name(lv), json_array());
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *list = level >= 0 ? info : json_object_get(info, tbxd_sql_text(s, 0));

		json_array_append_new(list, record_json(s));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(info);
		return tbxd_state_err(st, rc, "read usage records");
	}
	*out = info;
	return 0;
}

int usage_store_info(struct tbxd_state *st, enum usage_kind kind, const char *name,
		     int level, double after, double before, json_t **out)
{
	struct object o;
	bool found;
	int err;

	if ((unsigned int)kind >= USAGE_KINDS)
		return tbx_err(EINVAL, "usage: no object kind %d", kind);
	if ((err = object_get(st, kind, name, &o, &found)))
		return err;
	if (!found)
		return tbx_err(ENOENT, "no usage records of %s %s", kind_names[kind], name);
	return object_info(st, o.id, level, after, before, out);
}

int usage_store_all(struct tbxd_state *st, int level, double after, double before,
		    json_t **out)
{
	sqlite3_stmt *s;
	json_t *all = json_object();
	int rc, err;

	for (int k = 0; k < USAGE_KINDS; k++)
		json_object_set_new(all, kind_keys[k], json_object());
	err = tbxd_sql_prep(st, "SELECT id, kind, name FROM usage_objects ORDER BY id", &s);
	if (err) {
		json_decref(all);
		return err;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = tbxd_sql_text(s, 1);
		json_t *info;

		for (int k = 0; k < USAGE_KINDS; k++) {
			if (strcmp(kind, kind_names[k]))
				continue;
			err = object_info(st, sqlite3_column_int64(s, 0), level,
					  after, before, &info);
			if (err)
				break;
			json_object_set_new(json_object_get(all, kind_keys[k]),
					    tbxd_sql_text(s, 2), info);
		}
		if (err)
			break;
	}
	sqlite3_finalize(s);
	if (!err && rc != SQLITE_DONE)
		err = tbxd_state_err(st, rc, "read usage objects");
	if (err) {
		json_decref(all);
		return err;
	}
	*out = all;
	return 0;
}
