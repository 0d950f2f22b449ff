/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's state: one SQLite file, in WAL mode, whose schema is brought up
 * to date by ordered migrations (schema.c) when it is opened. A file
 * written by a newer tbxd, or that is not a tbxd database, is refused
 * before anything is written to it.
 */
#ifndef TBXD_STATE_H
#define TBXD_STATE_H

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

/* Records one daemon start; *starts is how many this file has seen. */
int tbxd_state_record_start(struct tbxd_state *st, const char *started_at,
			    long pid, const char *version, int64_t *starts);

#endif
