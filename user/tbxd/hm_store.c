// SPDX-License-Identifier: GPL-2.0-or-later
/* Hostmanager rows: one struct for both tables, attrs kept as JSON text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hm_store.h"
#include "state.h"

#define COPY(dst, s, col) snprintf((dst), sizeof(dst), "%s", tbxd_sql_text((s), (col)))

void hm_obj_release(struct hm_obj *o)
{
	json_decref(o->attrs);
	o->attrs = NULL;
}

int hm_store_get(struct tbxd_state *st, bool connection, const char *owner,
		 int64_t id, struct hm_obj *out)
{
	sqlite3_stmt *s;
	int rc, err;

	memset(out, 0, sizeof(*out));
	err = tbxd_sql_prep(st, connection ?
		"SELECT id, owner, type, state, attrs, el1, el2 FROM hm_connections"
		" WHERE id = ?1 AND (?2 IS NULL OR owner = ?2)" :
		"SELECT id, owner, type, state, attrs, parent, timeout FROM hm_elements"
		" WHERE id = ?1 AND (?2 IS NULL OR owner = ?2)", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	if (owner)
		sqlite3_bind_text(s, 2, owner, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		if (rc == SQLITE_DONE)
			return tbx_err(ENOENT, "no %s %lld", connection ? "connection" : "element",
				       (long long)id);
		return tbxd_state_err(st, rc, "read hostmanager object");
	}
	out->id = sqlite3_column_int64(s, 0);
	out->connection = connection;
	COPY(out->owner, s, 1);
	COPY(out->type, s, 2);
	COPY(out->state, s, 3);
	out->attrs = json_loads(tbxd_sql_text(s, 4), 0, NULL);
	if (connection) {
		out->el[0] = sqlite3_column_int64(s, 5);
		out->el[1] = sqlite3_column_int64(s, 6);
	} else {
		out->parent = sqlite3_column_int64(s, 5);
		out->timeout = sqlite3_column_double(s, 6);
	}
	sqlite3_finalize(s);
	if (!json_is_object(out->attrs)) {
		hm_obj_release(out);
		out->attrs = json_object();
	}
	return 0;
}

static int ids_of(struct tbxd_state *st, sqlite3_stmt *s, int64_t **ids, size_t *n)
{
	int64_t *v = NULL, *more;
	size_t cnt = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(more = realloc(v, (cnt + 1) * sizeof(*v)))) {
			free(v);
			sqlite3_finalize(s);
			return tbx_err(ENOMEM, "out of memory");
		}
		v = more;
		v[cnt++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return tbxd_state_err(st, rc, "list hostmanager objects");
	}
	*ids = v;
	*n = cnt;
	return 0;
}

int hm_store_ids(struct tbxd_state *st, bool connection, const char *owner,
		 const char *type, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, connection ?
		"SELECT id FROM hm_connections WHERE (?1 IS NULL OR owner = ?1)"
		" AND (?2 IS NULL OR type = ?2) ORDER BY id" :
		"SELECT id FROM hm_elements WHERE (?1 IS NULL OR owner = ?1)"
		" AND (?2 IS NULL OR type = ?2) ORDER BY id", &s);
	if (err)
		return err;
	if (owner)
		sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
	if (type)
		sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	return ids_of(st, s, ids, n);
}

int hm_store_children(struct tbxd_state *st, int64_t parent, int64_t **ids,
		      size_t *n)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "SELECT id FROM hm_elements WHERE parent = ? ORDER BY id", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, parent);
	return ids_of(st, s, ids, n);
}

int hm_store_expired(struct tbxd_state *st, double now, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s;
	int err;

	/* Top-level elements only: children go with their parent. */
	err = tbxd_sql_prep(st, "SELECT id FROM hm_elements WHERE timeout <= ?"
			    " AND parent IS NULL ORDER BY id", &s);
	if (err)
		return err;
	sqlite3_bind_double(s, 1, now);
	return ids_of(st, s, ids, n);
}

int hm_store_connection_of(struct tbxd_state *st, int64_t element, int64_t *con)
{
	sqlite3_stmt *s;
	int rc, err;

	*con = 0;
	err = tbxd_sql_prep(st, "SELECT id FROM hm_connections WHERE el1 = ?1 OR el2 = ?1", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, element);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*con = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       tbxd_state_err(st, rc, "read hostmanager connection");
}

int hm_store_put(struct tbxd_state *st, struct hm_obj *o)
{
	char *attrs = json_dumps(o->attrs, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *s;
	int rc, err;

	if (!attrs)
		return tbx_err(ENOMEM, "out of memory");
	if (o->connection)
		err = tbxd_sql_prep(st, o->id ?
			"UPDATE hm_connections SET owner = ?2, type = ?3, state = ?4,"
			" attrs = ?5, el1 = ?6, el2 = ?7 WHERE id = ?1" :
			"INSERT INTO hm_connections (owner, type, state, attrs, el1, el2)"
			" VALUES (?2, ?3, ?4, ?5, ?6, ?7)", &s);
	else
		err = tbxd_sql_prep(st, o->id ?
			"UPDATE hm_elements SET owner = ?2, type = ?3, state = ?4,"
			" attrs = ?5, parent = ?6, timeout = ?7 WHERE id = ?1" :
			"INSERT INTO hm_elements (owner, type, state, attrs, parent, timeout)"
			" VALUES (?2, ?3, ?4, ?5, ?6, ?7)", &s);
	if (err) {
		free(attrs);
		return err;
	}
	if (o->id)
		sqlite3_bind_int64(s, 1, o->id);
	sqlite3_bind_text(s, 2, o->owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, o->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, o->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, attrs, -1, SQLITE_STATIC);
	if (o->connection) {
		sqlite3_bind_int64(s, 6, o->el[0]);
		sqlite3_bind_int64(s, 7, o->el[1]);
	} else {
		if (o->parent)
			sqlite3_bind_int64(s, 6, o->parent);
		sqlite3_bind_double(s, 7, o->timeout);
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	free(attrs);
	if (rc != SQLITE_DONE)
		return tbxd_state_err(st, rc, "write hostmanager object");
	if (!o->id)
		o->id = sqlite3_last_insert_rowid(tbxd_state_db(st));
	return 0;
}

int hm_store_del(struct tbxd_state *st, bool connection, int64_t id)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, connection ? "DELETE FROM hm_connections WHERE id = ?" :
				"DELETE FROM hm_elements WHERE id = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	return tbxd_sql_done(st, s, "remove hostmanager object");
}
