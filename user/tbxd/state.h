/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's state: one SQLite file, in WAL mode, whose schema is brought up
 * to date by ordered migrations (schema.c) when it is opened. A file
 * written by a newer tbxd, or that is not a tbxd database, is refused
 * before anything is written to it.
 */
#ifndef TBXD_STATE_H
#define TBXD_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

struct tbxd_state;

/* Migration n takes the schema from version n - 1 to n; the array is in
 * order and its length is the newest version this tbxd knows.
 */
struct tbxd_migration {
	const char *name;
	const char *sql;	/* one or more statements, no parameters */
};

extern const struct tbxd_migration tbxd_migrations[];
extern const int tbxd_schema_version;	/* number of migrations */

int tbxd_state_open(const char *path, struct tbxd_state **out);
void tbxd_state_close(struct tbxd_state *st);

/* For modules with tables of their own; statements use bound parameters. */
sqlite3 *tbxd_state_db(struct tbxd_state *st);
const char *tbxd_state_path(const struct tbxd_state *st);
int tbxd_state_version(const struct tbxd_state *st);
/* Sets a message "<path>: <what>: <sqlite's message>" and returns -errno. */
int tbxd_state_err(struct tbxd_state *st, int rc, const char *what);

/* Statement helpers: a prepared statement or a message naming @sql;
 * one that returns no rows, stepped and finalized; a column's text, ""
 * for NULL.
 */
int tbxd_sql_prep(struct tbxd_state *st, const char *sql, sqlite3_stmt **stmt);
int tbxd_sql_done(struct tbxd_state *st, sqlite3_stmt *s, const char *what);
const char *tbxd_sql_text(sqlite3_stmt *s, int col);
/* Now as ISO 8601 UTC, "2026-12-07T09:52:29Z". */
void tbxd_iso_now(char *buf, size_t len);

/* Records one daemon start; *starts is how many this file has seen. */
int tbxd_state_record_start(struct tbxd_state *st, const char *started_at,
			    long pid, const char *version, int64_t *starts);

#endif
