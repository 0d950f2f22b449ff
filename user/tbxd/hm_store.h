/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostmanager's elements and connections in tbxd's SQLite state. Every
 * read takes the owner: another owner's row is not found, exactly like a
 * missing one (owner NULL reads any row: tbxd's own timeouts, reconcile).
 */
#ifndef TBXD_HM_STORE_H
#define TBXD_HM_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "tls.h"

struct tbxd_state;

struct hm_obj {
	int64_t id;
	bool connection;
	char owner[TBXD_OWNER_MAX];
	char type[32];
	char state[16];
	json_t *attrs;		/* owned */
	int64_t parent;		/* element: 0 at top level */
	double timeout;		/* element */
	int64_t el[2];		/* connection: el[0] < el[1] */
};

void hm_obj_release(struct hm_obj *o);

/* -ENOENT when there is no such row for @owner. */
int hm_store_get(struct tbxd_state *st, bool connection, const char *owner,
		 int64_t id, struct hm_obj *out);
/* Ids of @owner's rows (any owner's with NULL), oldest first; elements of
 * @type only when type is not NULL.
 */
int hm_store_ids(struct tbxd_state *st, bool connection, const char *owner,
		 const char *type, int64_t **ids, size_t *n);
int hm_store_children(struct tbxd_state *st, int64_t parent, int64_t **ids,
		      size_t *n);
/* The connection an element is part of; 0 when none. */
int hm_store_connection_of(struct tbxd_state *st, int64_t element, int64_t *con);
/* Inserts o (its id is set) or updates the row o->id. */
int hm_store_put(struct tbxd_state *st, struct hm_obj *o);
int hm_store_del(struct tbxd_state *st, bool connection, int64_t id);
/* Elements whose timeout is at or before now. */
int hm_store_expired(struct tbxd_state *st, double now, int64_t **ids, size_t *n);

#endif
