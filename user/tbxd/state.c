// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SQLite state file: open, check, migrate. Every statement is
 * prepared; values always travel as bound parameters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "state.h"

#define BUSY_TIMEOUT_MS	5000

struct tbxd_state {
	sqlite3 *db;
	char *path;
	int version;
};

static int rc_to_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return EBUSY;
	case SQLITE_READONLY:
		return EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return EACCES;
	case SQLITE_CANTOPEN:
		return ENOENT;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return EBADMSG;
	case SQLITE_FULL:
		return ENOSPC;
	default:
		return EIO;
	}
}

int tbxd_state_err(struct tbxd_state *st, int rc, const char *what)
{
	return tbx_err(rc_to_errno(rc), "%s: %s: %s", st->path, what,
		       sqlite3_errmsg(st->db));
}

int tbxd_sql_prep(struct tbxd_state *st, const char *sql, sqlite3_stmt **stmt)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK)
		return tbxd_state_err(st, rc, sql);
	return 0;
}

int tbxd_sql_done(struct tbxd_state *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, what);
}

const char *tbxd_sql_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col) ?: "";
}

void tbxd_iso_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Runs statements that return nothing the caller needs. */
static int exec_script(struct tbxd_state *st, const char *sql)
{
	while (*sql) {
		sqlite3_stmt *stmt;
		const char *tail;
		int rc;

		rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, &tail);
		if (rc != SQLITE_OK)
			return tbxd_state_err(st, rc, sql);
		if (!stmt)	/* trailing blanks or comments */
			break;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return tbxd_state_err(st, rc, sql);
		sql = tail;
	}
	return 0;
}

/* One integer from a query with a text parameter (or none). */
static int query_int(struct tbxd_state *st, const char *sql, const char *arg,
		     int64_t *val)
{
	sqlite3_stmt *stmt;
	int err, rc;

	err = tbxd_sql_prep(st, sql, &stmt);
	if (err)
		return err;
	if (arg)
		sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) == SQLITE_INTEGER) {
		*val = sqlite3_column_int64(stmt, 0);
		rc = sqlite3_step(stmt);
		err = rc == SQLITE_DONE ? 0 :
		      rc == SQLITE_ROW ? tbx_err(EBADMSG, "%s: %s: more than one row",
						 st->path, sql) :
		      tbxd_state_err(st, rc, sql);
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		err = tbx_err(EBADMSG, "%s: %s: no integer in the reply",
			      st->path, sql);
	} else {
		err = tbxd_state_err(st, rc, sql);
	}
	sqlite3_finalize(stmt);
	return err;
}

/* 0 for an empty file; refuses files that are not tbxd's. */
static int read_version(struct tbxd_state *st, int *version)
{
	int64_t objects, tables, v;
	int err;

	/* The first read: garbage and unreadable files fail here. */
	err = query_int(st, "SELECT count(*) FROM sqlite_master", NULL,
			&objects);
	if (err)
		return tbx_err(err, "%s: cannot read: %s", st->path,
			       sqlite3_errmsg(st->db));
	err = query_int(st, "SELECT count(*) FROM sqlite_master"
			" WHERE type = 'table' AND name = ?", "schema_version",
			&tables);
	if (err)
		return err;
	if (!tables) {
		if (objects)
			return tbx_err(EBADMSG, "%s: not a tbxd state file (no schema_version table)",
				       st->path);
		*version = 0;
		return 0;
	}
	err = query_int(st, "SELECT version FROM schema_version", NULL, &v);
	if (err)
		return err;
	if (v < 0 || v > 1000000)
		return tbx_err(EBADMSG, "%s: bad schema version %lld",
			       st->path, (long long)v);
	*version = v;
	return 0;
}

static int check_version(struct tbxd_state *st, int version)
{
	if (version > tbxd_schema_version)
		return tbx_err(EPROTO, "%s: schema version %d is newer than this tbxd knows (%d); run a newer tbxd",
			       st->path, version, tbxd_schema_version);
	return 0;
}

static int set_version(struct tbxd_state *st, int version)
{
	sqlite3_stmt *stmt;
	int err, rc;

	err = tbxd_sql_prep(st, "UPDATE schema_version SET version = ?", &stmt);
	if (err)
		return err;
	sqlite3_bind_int(stmt, 1, version);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return tbxd_state_err(st, rc, "update schema_version");
	return 0;
}

/* All migrations in one transaction: a failure leaves the file as it was. */
static int migrate(struct tbxd_state *st)
{
	int err, version;

	/* IMMEDIATE: two tbxds opening one file migrate one after the other. */
	err = exec_script(st, "BEGIN IMMEDIATE");
	if (err)
		return err;
	err = read_version(st, &version);
	if (!err)
		err = check_version(st, version);
	if (!err && version == 0)
		err = exec_script(st,
			"CREATE TABLE schema_version (version INTEGER NOT NULL);"
			"INSERT INTO schema_version (version) VALUES (0);");
	for (int v = version + 1; !err && v <= tbxd_schema_version; v++) {
		err = exec_script(st, tbxd_migrations[v - 1].sql);
		if (err) {
			err = tbx_err(err, "%s: migration %d (%s) failed: %s",
				      st->path, v, tbxd_migrations[v - 1].name,
				      sqlite3_errmsg(st->db));
			break;
		}
		err = set_version(st, v);
	}
	if (err) {
		/* Keep the message of the failure, not of the rollback. */
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	err = exec_script(st, "COMMIT");
	if (err)
		return err;
	st->version = tbxd_schema_version;
	return 0;
}

static int set_wal(struct tbxd_state *st)
{
	sqlite3_stmt *stmt;
	const unsigned char *mode;
	int err, rc;

	err = tbxd_sql_prep(st, "PRAGMA journal_mode = WAL", &stmt);
	if (err)
		return err;
	rc = sqlite3_step(stmt);
	mode = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
	if (rc != SQLITE_ROW)
		err = tbxd_state_err(st, rc, "journal_mode");
	else if (!mode || strcmp((const char *)mode, "wal"))
		err = tbx_err(EIO, "%s: cannot use WAL mode (journal mode stays %s)",
			      st->path, mode ? (const char *)mode : "unknown");
	sqlite3_finalize(stmt);
	return err;
}

int tbxd_state_open(const char *path, struct tbxd_state **out)
{
	struct tbxd_state *st;
	int err, rc, version;

	st = calloc(1, sizeof(*st));
	if (!st)
		return tbx_err(ENOMEM, "state: out of memory");
	st->path = strdup(path);
	if (!st->path) {
		free(st);
		return tbx_err(ENOMEM, "state: out of memory");
	}
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err = st->db ? tbxd_state_err(st, rc, "open") :
			       tbx_err(ENOMEM, "%s: open: out of memory", path);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* Read-only checks first: a refused file is left untouched. */
	err = read_version(st, &version);
	if (!err)
		err = check_version(st, version);
	if (!err)
		err = set_wal(st);
	if (!err)
		err = exec_script(st, "PRAGMA foreign_keys = ON;"
				      "PRAGMA synchronous = NORMAL;");
	if (!err)
		err = migrate(st);
	if (err)
		goto fail;
	*out = st;
	return 0;

fail:
	sqlite3_close(st->db);
	free(st->path);
	free(st);
	return err;
}

void tbxd_state_close(struct tbxd_state *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3 *tbxd_state_db(struct tbxd_state *st)
{
	return st->db;
}

const char *tbxd_state_path(const struct tbxd_state *st)
{
	return st->path;
}

int tbxd_state_version(const struct tbxd_state *st)
{
	return st->version;
}

int tbxd_state_record_start(struct tbxd_state *st, const char *started_at,
			    long pid, const char *version, int64_t *starts)
{
	sqlite3_stmt *stmt;
	int err, rc;

	err = tbxd_sql_prep(st, "INSERT INTO daemon_starts (started_at, pid, version)"
			  " VALUES (?, ?, ?)", &stmt);
	if (err)
		return err;
	sqlite3_bind_text(stmt, 1, started_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, pid);
	sqlite3_bind_text(stmt, 3, version, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return tbxd_state_err(st, rc, "record start");
	return query_int(st, "SELECT count(*) FROM daemon_starts", NULL, starts);
}
