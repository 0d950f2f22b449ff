// SPDX-License-Identifier: GPL-2.0-or-later
/* Topologies and their nodes and links in SQLite (topo_store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "state.h"
#include "topo_store.h"

#define COPY(dst, s, col) snprintf((dst), sizeof(dst), "%s", tbxd_sql_text((s), (col)))

static int read_nodes(struct tbxd_state *st, struct topo_rec *r)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT name, kind, cpu_max_us, memory_max, state, io_max"
			    " FROM topology_nodes WHERE topology = ? ORDER BY rowid", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, r->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct topo_node_rec *n, *more;

		more = reallocarray(r->nodes, r->n_nodes + 1, sizeof(*more));
		if (!more) {
			sqlite3_finalize(s);
			return tbx_err(ENOMEM, "out of memory");
		}
		r->nodes = more;
		n = &r->nodes[r->n_nodes++];
		COPY(n->name, s, 0);
		COPY(n->kind, s, 1);
		n->cpu_max_us = sqlite3_column_int64(s, 2);
		n->memory_max = sqlite3_column_int64(s, 3);
		COPY(n->state, s, 4);
		COPY(n->io_max, s, 5);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, "read topology nodes");
}

static int read_links(struct tbxd_state *st, struct topo_rec *r)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT a_node, a_if, b_node, b_if, a_egress, b_egress, state"
			    " FROM topology_links WHERE topology = ? ORDER BY rowid", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, r->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct topo_link_rec *l, *more;

		more = reallocarray(r->links, r->n_links + 1, sizeof(*more));
		if (!more) {
			sqlite3_finalize(s);
			return tbx_err(ENOMEM, "out of memory");
		}
		r->links = more;
		l = &r->links[r->n_links++];
		COPY(l->node[0], s, 0);
		COPY(l->ifname[0], s, 1);
		COPY(l->node[1], s, 2);
		COPY(l->ifname[1], s, 3);
		COPY(l->egress[0], s, 4);
		COPY(l->egress[1], s, 5);
		COPY(l->state, s, 6);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, "read topology links");
}

int topo_store_get(struct tbxd_state *st, const char *name, struct topo_rec **out)
{
	struct topo_rec *r;
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT id, name, file, yaml, state, message, created, updated"
			    " FROM topologies WHERE name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		if (rc == SQLITE_DONE)
			return tbx_err(ENOENT, "no topology %s", name);
		return tbxd_state_err(st, rc, "read topology");
	}
	r = calloc(1, sizeof(*r));
	if (r) {
		r->id = sqlite3_column_int64(s, 0);
		COPY(r->name, s, 1);
		r->file = strdup(tbxd_sql_text(s, 2));
		r->yaml = strdup(tbxd_sql_text(s, 3));
		COPY(r->state, s, 4);
		COPY(r->message, s, 5);
		COPY(r->created, s, 6);
		COPY(r->updated, s, 7);
	}
	sqlite3_finalize(s);
	if (!r || !r->file || !r->yaml) {
		topo_rec_free(r);
		return tbx_err(ENOMEM, "out of memory");
	}
	err = read_nodes(st, r);
	if (!err)
		err = read_links(st, r);
	if (err) {
		topo_rec_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void topo_rec_free(struct topo_rec *r)
{
	if (!r)
		return;
	free(r->file);
	free(r->yaml);
	free(r->nodes);
	free(r->links);
	free(r);
}

int topo_store_names(struct tbxd_state *st, json_t **names)
{
	sqlite3_stmt *s;
	int rc, err;

	err = tbxd_sql_prep(st, "SELECT name FROM topologies ORDER BY id", &s);
	if (err)
		return err;
	*names = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(*names, json_string(tbxd_sql_text(s, 0)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(*names);
		return tbxd_state_err(st, rc, "list topologies");
	}
	return 0;
}

int topo_store_begin(struct tbxd_state *st, const char *name, const char *file,
		     const char *yaml, int64_t *id)
{
	char now[32];
	sqlite3_stmt *s;
	int rc, err;

	tbxd_iso_now(now, sizeof(now));
	err = tbxd_sql_prep(st, "INSERT INTO topologies (name, file, yaml, state, created, updated)"
			    " VALUES (?1, ?2, ?3, 'building', ?4, ?4)"
			    " ON CONFLICT (name) DO UPDATE SET file = ?2, yaml = ?3,"
			    " state = 'building', message = '', updated = ?4"
			    " RETURNING id", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, yaml, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : tbxd_state_err(st, rc, "record topology");
}

int topo_store_set_state(struct tbxd_state *st, int64_t id, const char *state,
			 const char *message)
{
	char now[32];
	sqlite3_stmt *s;
	int err;

	tbxd_iso_now(now, sizeof(now));
	err = tbxd_sql_prep(st, "UPDATE topologies SET state = ?, message = ?, updated = ?"
			    " WHERE id = ?", &s);
	if (err)
		return err;
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, message ?: "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, id);
	return tbxd_sql_done(st, s, "update topology");
}

int topo_store_node_put(struct tbxd_state *st, int64_t id,
			const struct topo_node_rec *n)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "INSERT INTO topology_nodes"
			    " (topology, name, kind, cpu_max_us, memory_max, state, io_max)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			    " ON CONFLICT (topology, name) DO UPDATE SET kind = ?3,"
			    " cpu_max_us = ?4, memory_max = ?5, state = ?6, io_max = ?7", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, n->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, n->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, n->cpu_max_us);
	sqlite3_bind_int64(s, 5, n->memory_max);
	sqlite3_bind_text(s, 6, n->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, n->io_max, -1, SQLITE_STATIC);
	return tbxd_sql_done(st, s, "record topology node");
}

int topo_store_node_del(struct tbxd_state *st, int64_t id, const char *name)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "DELETE FROM topology_nodes WHERE topology = ? AND name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	return tbxd_sql_done(st, s, "forget topology node");
}

int topo_store_link_put(struct tbxd_state *st, int64_t id,
			const struct topo_link_rec *l)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "INSERT INTO topology_links"
			    " (topology, a_node, a_if, b_node, b_if, a_egress, b_egress, state)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			    " ON CONFLICT (topology, a_node, a_if) DO UPDATE SET b_node = ?4,"
			    " b_if = ?5, a_egress = ?6, b_egress = ?7, state = ?8", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, l->node[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, l->ifname[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, l->node[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, l->ifname[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, l->egress[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, l->egress[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, l->state, -1, SQLITE_STATIC);
	return tbxd_sql_done(st, s, "record topology link");
}

int topo_store_link_del(struct tbxd_state *st, int64_t id, const char *node,
			const char *ifname)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "DELETE FROM topology_links"
			    " WHERE topology = ? AND a_node = ? AND a_if = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, node, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ifname, -1, SQLITE_STATIC);
	return tbxd_sql_done(st, s, "forget topology link");
}

int topo_store_netns_owner(struct tbxd_state *st, int64_t id, const char *netns,
			   bool *found, char *owner, size_t len)
{
	sqlite3_stmt *s;
	int rc, err;

	/* The name topo_build.c gives a node's namespace, in SQL. */
	err = tbxd_sql_prep(st, "SELECT t.name, n.name FROM topology_nodes n"
			    " JOIN topologies t ON t.id = n.topology"
			    " WHERE t.id != ? AND 'tbx-' || t.name || '-' || n.name = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, netns, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found)
		snprintf(owner, len, "%s's node %s", tbxd_sql_text(s, 0), tbxd_sql_text(s, 1));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : tbxd_state_err(st, rc, "find a namespace's topology");
}

int topo_store_delete(struct tbxd_state *st, int64_t id)
{
	sqlite3_stmt *s;
	int err;

	err = tbxd_sql_prep(st, "DELETE FROM topologies WHERE id = ?", &s);
	if (err)
		return err;
	sqlite3_bind_int64(s, 1, id);
	return tbxd_sql_done(st, s, "forget topology");
}
