// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Topologies (Documentation/topology.md): tbxd builds, changes and removes
 * the namespaces, cgroups, veth pairs and qdiscs a topology file names.
 *   POST   /topologies[?file=PATH]  body: the YAML; builds it, or changes
 *                                   only what differs from the last one
 *   GET    /topologies              every topology, a line each
 *   GET    /topologies/NAME         one, with its nodes and links
 *   DELETE /topologies/NAME         removes everything it made
 * Every node and link is recorded before it is made (topo_store.h);
 * tbxd_topology_reconcile() finishes, at start-up, what a killed tbxd
 * left half done. The kernel calls are quick netlink and cgroupfs
 * writes; nothing here waits on a peer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "err.h"
#include "log.h"
#include "cgroup.h"
#include "netns.h"
#include "state.h"
#include "tbxd.h"
#include "topo_build.h"
#include "topo_store.h"

static void node_rec_of(const struct tbx_topo_node *n, struct topo_node_rec *r,
			const char *state)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", n->name);
	snprintf(r->kind, sizeof(r->kind), "%s", tbx_topo_kind_name(n->kind));
	r->cpu_max_us = n->cpu_max_us;
	r->memory_max = n->memory_max;
	tbx_topo_io_words(n, r->io_max, sizeof(r->io_max));
	snprintf(r->state, sizeof(r->state), "%s", state);
}

/* The link with its ends in a fixed order, so swapping them in the file
 * is no change.
 */
static void link_rec_of(const struct tbx_topo *t, const struct tbx_topo_link *l,
			struct topo_link_rec *r, const char *state)
{
	int first;

	memset(r, 0, sizeof(*r));
	first = strcmp(t->nodes[l->ep[0].node].name, t->nodes[l->ep[1].node].name);
	if (!first)
		first = strcmp(l->ep[0].ifname, l->ep[1].ifname);
	for (int e = 0; e < 2; e++) {
		int from = first > 0 ? !e : e;

		snprintf(r->node[e], sizeof(r->node[e]), "%s", t->nodes[l->ep[from].node].name);
		snprintf(r->ifname[e], sizeof(r->ifname[e]), "%s", l->ep[from].ifname);
		tbx_topo_impair_words(&l->egress[from], r->egress[e], sizeof(r->egress[e]));
	}
	snprintf(r->state, sizeof(r->state), "%s", state);
}

static const struct topo_node_rec *old_node(const struct topo_rec *old, const char *name)
{
	for (unsigned int i = 0; old && i < old->n_nodes; i++)
		if (!strcmp(old->nodes[i].name, name))
			return &old->nodes[i];
	return NULL;
}

static bool same_ends(const struct topo_link_rec *a, const struct topo_link_rec *b)
{
	for (int e = 0; e < 2; e++)
		if (strcmp(a->node[e], b->node[e]) || strcmp(a->ifname[e], b->ifname[e]))
			return false;
	return true;
}

/* @on (a recorded node, NULL when there is none) stays as it is in @t. */
static bool node_kept(const struct tbx_topo *t, const struct topo_node_rec *on)
{
	int i = on ? tbx_topo_node_index(t, on->name) : -1;

	return i >= 0 && !strcmp(tbx_topo_kind_name(t->nodes[i].kind), on->kind);
}

/* What one apply did, for the reply. */
struct apply {
	json_t *created, *removed, *changed;	/* "node h1", "link h1:eth1--h2:eth1" */
	json_t *exec;				/* new nodes' commands */
	/* What this call made, by index in the topology: undone on failure. */
	bool *fresh_node, *fresh_link;
};

static void note(json_t *list, const char *what, const char *a, const char *b)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s %s%s%s", what, a, b ? "--" : "", b ?: "");
	json_array_append_new(list, json_string(buf));
}

static void note_link(json_t *list, const struct topo_link_rec *l)
{
	char a[64], b[64];

	snprintf(a, sizeof(a), "%s:%s", l->node[0], l->ifname[0]);
	snprintf(b, sizeof(b), "%s:%s", l->node[1], l->ifname[1]);
	note(list, "link", a, b);
}

static json_t *exec_json(const char *topo, const struct tbx_topo_node *n)
{
	char ns[96], cg[96];
	json_t *cmds = json_array();

	topo_netns_name(topo, n->name, ns, sizeof(ns));
	topo_cgroup_path(topo, n->name, cg, sizeof(cg));
	for (unsigned int c = 0; c < n->n_exec; c++)
		json_array_append_new(cmds, json_string(n->exec[c]));
	return json_pack("{s:s, s:s, s:s, s:o}", "node", n->name, "netns", ns,
			 "cgroup", cg, "commands", cmds);
}

/* Removes what @old has and @t does not (or has otherwise). */
static int remove_gone(struct tbxd_state *st, int64_t id, const struct tbx_topo *t,
		       const struct topo_rec *old, struct apply *ap)
{
	int err;

	for (unsigned int i = 0; old && i < old->n_links; i++) {
		const struct topo_link_rec *ol = &old->links[i];
		bool kept = false;

		for (unsigned int j = 0; j < t->n_links && !kept; j++) {
			struct topo_link_rec nl;

			link_rec_of(t, &t->links[j], &nl, "up");
			kept = same_ends(ol, &nl);
		}
		for (int e = 0; kept && e < 2; e++)
			kept = node_kept(t, old_node(old, ol->node[e]));
		if (kept)
			continue;
		if ((err = topo_link_down(old->name, ol)) ||
		    (err = topo_store_link_del(st, id, ol->node[0], ol->ifname[0])))
			return err;
		note_link(ap->removed, ol);
	}
	for (unsigned int i = 0; old && i < old->n_nodes; i++) {
		if (node_kept(t, &old->nodes[i]))
			continue;
		if ((err = topo_node_down(old->name, old->nodes[i].name)) ||
		    (err = topo_store_node_del(st, id, old->nodes[i].name)))
			return err;
		note(ap->removed, "node", old->nodes[i].name, NULL);
	}
	return 0;
}

/* A new node's namespace name must not be another topology's node's. */
static int not_taken(struct tbxd_state *st, int64_t id, const char *topo,
		     const char *node)
{
	char ns[96], owner[96];
	bool found;
	int err;

	topo_netns_name(topo, node, ns, sizeof(ns));
	if ((err = topo_store_netns_owner(st, id, ns, &found, owner, sizeof(owner))))
		return err;
	if (found)
		return tbx_err(EEXIST, "node %s: its namespace %s is already topology %s",
			       node, ns, owner);
	return 0;
}

static int make_nodes(struct tbxd_state *st, int64_t id, const struct tbx_topo *t,
		      const struct topo_rec *old, bool repair, struct apply *ap)
{
	int err;

	for (unsigned int i = 0; i < t->n_nodes; i++) {
		const struct topo_node_rec *on = old_node(old, t->nodes[i].name);
		struct topo_node_rec nr;
		bool fresh = !on || !node_kept(t, on);

		node_rec_of(&t->nodes[i], &nr, "creating");
		if (!fresh && !repair && !strcmp(on->state, "up") &&
		    on->cpu_max_us == nr.cpu_max_us && on->memory_max == nr.memory_max &&
		    !strcmp(on->io_max, nr.io_max))
			continue;
		if (fresh && (err = not_taken(st, id, t->name, nr.name)))
			return err;
		if (fresh && (err = topo_store_node_put(st, id, &nr)))
			return err;
		ap->fresh_node[i] = fresh;
		if ((err = topo_node_up(t->name, &nr)))
			return err;
		snprintf(nr.state, sizeof(nr.state), "up");
		if ((err = topo_store_node_put(st, id, &nr)))
			return err;
		if (fresh) {
			note(ap->created, "node", nr.name, NULL);
			if (t->nodes[i].n_exec)
				json_array_append_new(ap->exec, exec_json(t->name, &t->nodes[i]));
		} else if (!repair) {
			note(ap->changed, "node", nr.name, NULL);
		}
	}
	return 0;
}

static int make_links(struct tbxd_state *st, int64_t id, const struct tbx_topo *t,
		      const struct topo_rec *old, bool repair, struct apply *ap)
{
	int err;

	for (unsigned int i = 0; i < t->n_links; i++) {
		const struct topo_link_rec *ol = NULL;
		struct topo_link_rec nl;
		bool bridge[2];

		link_rec_of(t, &t->links[i], &nl, "creating");
		for (int e = 0; e < 2; e++)
			bridge[e] = t->nodes[tbx_topo_node_index(t, nl.node[e])].kind == TBX_TOPO_BRIDGE;
		for (unsigned int j = 0; old && j < old->n_links && !ol; j++)
			if (same_ends(&old->links[j], &nl) && node_kept(t, old_node(old, nl.node[0])) &&
			    node_kept(t, old_node(old, nl.node[1])))
				ol = &old->links[j];
		if (ol && !repair && !strcmp(ol->state, "up") &&
		    !strcmp(ol->egress[0], nl.egress[0]) && !strcmp(ol->egress[1], nl.egress[1]))
			continue;
		if (!ol && (err = topo_store_link_put(st, id, &nl)))
			return err;
		ap->fresh_link[i] = !ol;
		/* Repair sets every qdisc; a change only the ends that changed. */
		err = topo_link_up(t->name, &nl, bridge,
				   ol && !repair && !strcmp(ol->state, "up") ? ol : NULL);
		if (err)
			return err;
		snprintf(nl.state, sizeof(nl.state), "up");
		if ((err = topo_store_link_put(st, id, &nl)))
			return err;
		if (!ol)
			note_link(ap->created, &nl);
		else if (!repair)
			note_link(ap->changed, &nl);
	}
	return 0;
}

/*
 * Takes away what a failed apply made; what it changed stays changed. A
 * part that cannot be removed keeps its row, and so its topology, for
 * `down` or the next start to finish.
 */
static void undo(struct tbxd_state *st, int64_t id, const struct tbx_topo *t,
		 bool had_old, const struct apply *ap)
{
	bool clean = true;

	for (unsigned int i = 0; i < t->n_links; i++) {
		struct topo_link_rec l;

		if (!ap->fresh_link[i])
			continue;
		link_rec_of(t, &t->links[i], &l, "up");
		if (topo_link_down(t->name, &l) ||
		    topo_store_link_del(st, id, l.node[0], l.ifname[0]))
			clean = false;
	}
	for (unsigned int i = 0; i < t->n_nodes; i++)
		if (ap->fresh_node[i] && (topo_node_down(t->name, t->nodes[i].name) ||
					  topo_store_node_del(st, id, t->nodes[i].name)))
			clean = false;
	if (!had_old && clean) {
		topo_prune(t->name);
		topo_store_delete(st, id);
	}
}

/*
 * Brings the kernel to @t: recorded first, then made. @repair re-checks
 * every node and link (start-up), not only what changed. On failure what
 * this call made is taken away again (a new topology leaves nothing).
 */
static int apply(struct tbxd_state *st, const struct tbx_topo *t, const char *file,
		 const char *yaml, bool repair, struct apply *ap)
{
	struct topo_rec *old = NULL;
	int64_t id = 0;
	int err;

	ap->fresh_node = calloc(t->n_nodes + 1, sizeof(bool));
	ap->fresh_link = calloc(t->n_links + 1, sizeof(bool));
	if (!ap->fresh_node || !ap->fresh_link)
		return tbx_err(ENOMEM, "out of memory");
	err = topo_store_get(st, t->name, &old);
	if (err && err != -ENOENT)
		return err;
	err = topo_store_begin(st, t->name, file, yaml, &id);
	if (!err)
		err = remove_gone(st, id, t, old, ap);
	if (!err)
		err = make_nodes(st, id, t, old, repair, ap);
	if (!err)
		err = make_links(st, id, t, old, repair, ap);
	if (err && id) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", tbx_errmsg());
		if (!repair)
			undo(st, id, t, old != NULL, ap);
		topo_store_set_state(st, id, "failed", msg);
		tbx_err(err, "%s", msg);
	}
	topo_rec_free(old);
	return err ?: topo_store_set_state(st, id, "up", NULL);
}

static void apply_free(struct apply *ap)
{
	json_decref(ap->created);
	json_decref(ap->removed);
	json_decref(ap->changed);
	json_decref(ap->exec);
	free(ap->fresh_node);
	free(ap->fresh_link);
}

/* Removes every node and link @name made, then its records. */
static int remove_topology(struct tbxd_state *st, const char *name, json_t **removed)
{
	struct topo_rec *r;
	int err;

	if ((err = topo_store_get(st, name, &r)))
		return err;
	*removed = json_array();
	err = topo_store_set_state(st, r->id, "removing", NULL);
	for (unsigned int i = 0; !err && i < r->n_links; i++) {
		err = topo_link_down(r->name, &r->links[i]);
		if (!err)
			err = topo_store_link_del(st, r->id, r->links[i].node[0], r->links[i].ifname[0]);
		if (!err)
			note_link(*removed, &r->links[i]);
	}
	for (unsigned int i = 0; !err && i < r->n_nodes; i++) {
		err = topo_node_down(r->name, r->nodes[i].name);
		if (!err)
			err = topo_store_node_del(st, r->id, r->nodes[i].name);
		if (!err)
			note(*removed, "node", r->nodes[i].name, NULL);
	}
	if (!err) {
		topo_prune(r->name);
		err = topo_store_delete(st, r->id);
	}
	topo_rec_free(r);
	return err;
}

static json_t *show_json(const struct topo_rec *r)
{
	json_t *nodes = json_array(), *links = json_array(), *spec = NULL;
	struct tbx_topo *t = NULL;

	if (!tbx_topo_parse(r->file, r->yaml, strlen(r->yaml), &t)) {
		spec = tbx_topo_json(t);
		tbx_topo_free(t);
	}
	for (unsigned int i = 0; i < r->n_nodes; i++) {
		const struct topo_node_rec *n = &r->nodes[i];
		char ns[96], cg[96];

		topo_netns_name(r->name, n->name, ns, sizeof(ns));
		topo_cgroup_path(r->name, n->name, cg, sizeof(cg));
		json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:b}",
			"name", n->name, "kind", n->kind, "state", n->state,
			"netns", ns, "cgroup", cg,
			"cpu_max_us", (json_int_t)n->cpu_max_us,
			"memory_max", (json_int_t)n->memory_max,
			"io_max", n->io_max,
			"netns_present", tbx_netns_exists(ns),
			"cgroup_present", tbx_cgroup_exists(cg)));
	}
	for (unsigned int i = 0; i < r->n_links; i++) {
		const struct topo_link_rec *l = &r->links[i];
		json_t *eps = json_array();

		for (int e = 0; e < 2; e++)
			json_array_append_new(eps, json_pack("{s:s, s:s, s:s}",
				"node", l->node[e], "interface", l->ifname[e],
				"egress", l->egress[e]));
		json_array_append_new(links, json_pack("{s:o, s:s}", "endpoints", eps,
						       "state", l->state));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o*, s:s}",
			 "name", r->name, "file", r->file, "state", r->state,
			 "message", r->message, "created", r->created,
			 "updated", r->updated, "nodes", nodes, "links", links,
			 "spec", spec, "yaml", r->yaml);
}

static unsigned int status_of(int err)
{
	return err == -ENOENT ? 404 : err == -EINVAL ? 400 : 500;
}

static unsigned int post_topology(struct tbxd_request *req, json_t **reply)
{
	const char *file = tbxd_request_arg(req, "file") ?: "topology.yaml";
	struct apply ap = { json_array(), json_array(), json_array(), json_array(), NULL, NULL };
	struct topo_rec *r = NULL;
	struct tbx_topo *t;
	int err;

	if (!req->body || !req->body_len)
		return tbxd_reply_error(reply, 400, "the body must be a topology file (YAML)");
	if (tbx_topo_parse(file, req->body, req->body_len, &t))
		return tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
	err = apply(req->d->state, t, file, req->body, false, &ap);
	if (!err)
		err = topo_store_get(req->d->state, t->name, &r);
	if (err) {
		apply_free(&ap);
		tbx_topo_free(t);
		return tbxd_reply_error(reply, err == -EEXIST ? 409 : 500, "%s", tbx_errmsg());
	}
	tbxd_log("topology %s up from %s: %zu created, %zu changed, %zu removed", t->name,
		 file, json_array_size(ap.created), json_array_size(ap.changed),
		 json_array_size(ap.removed));
	*reply = json_pack("{s:o, s:O, s:O, s:O, s:O}", "topology", show_json(r),
			   "created", ap.created, "changed", ap.changed,
			   "removed", ap.removed, "exec", ap.exec);
	apply_free(&ap);
	topo_rec_free(r);
	tbx_topo_free(t);
	return 200;
}

static unsigned int list_topologies(struct tbxd_request *req, json_t **reply)
{
	json_t *names, *list = json_array(), *v;
	size_t i;

	if (topo_store_names(req->d->state, &names)) {
		json_decref(list);
		return tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
	}
	json_array_foreach(names, i, v) {
		struct topo_rec *r;

		if (topo_store_get(req->d->state, json_string_value(v), &r))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}",
			"name", r->name, "file", r->file, "state", r->state,
			"nodes", r->n_nodes, "links", r->n_links, "updated", r->updated));
		topo_rec_free(r);
	}
	json_decref(names);
	*reply = json_pack("{s:o}", "topologies", list);
	return 200;
}

static const char *name_of(const struct tbxd_request *req)
{
	return req->path + strlen("/topologies/");
}

static unsigned int get_topology(struct tbxd_request *req, json_t **reply)
{
	struct topo_rec *r;
	int err;

	if (!tbx_topo_name_ok("topology", name_of(req)))
		return tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
	err = topo_store_get(req->d->state, name_of(req), &r);
	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	*reply = json_pack("{s:o}", "topology", show_json(r));
	topo_rec_free(r);
	return 200;
}

static unsigned int delete_topology(struct tbxd_request *req, json_t **reply)
{
	json_t *removed = NULL;
	int err;

	if (!tbx_topo_name_ok("topology", name_of(req)))
		return tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
	err = remove_topology(req->d->state, name_of(req), &removed);
	if (err) {
		json_decref(removed);
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	}
	tbxd_log("topology %s down: %zu removed", name_of(req), json_array_size(removed));
	*reply = json_pack("{s:s, s:o}", "name", name_of(req), "removed", removed);
	return 200;
}

int tbxd_topology_reconcile(struct tbxd *d)
{
	json_t *names, *v;
	size_t i;
	int err;

	if ((err = topo_store_names(d->state, &names)))
		return err;
	json_array_foreach(names, i, v) {
		const char *name = json_string_value(v);
		struct apply ap = { json_array(), json_array(), json_array(), json_array(), NULL, NULL };
		struct topo_rec *r;
		struct tbx_topo *t;

		if (topo_store_get(d->state, name, &r))
			goto next;
		if (!strcmp(r->state, "removing")) {
			json_t *removed = NULL;

			err = remove_topology(d->state, name, &removed);
			tbxd_log("topology %s: finished an interrupted down: %s", name,
				 err ? tbx_errmsg() : "done");
			json_decref(removed);
		} else if (tbx_topo_parse(r->file, r->yaml, strlen(r->yaml), &t)) {
			tbxd_log("topology %s: its recorded file no longer parses: %s", name,
				 tbx_errmsg());
			topo_store_set_state(d->state, r->id, "failed", tbx_errmsg());
		} else {
			err = apply(d->state, t, r->file, r->yaml, true, &ap);
			tbxd_log("topology %s: reconciled (%zu made, %zu removed)%s%s", name,
				 json_array_size(ap.created), json_array_size(ap.removed),
				 err ? ": " : "", err ? tbx_errmsg() : "");
			tbx_topo_free(t);
		}
		topo_rec_free(r);
next:
		apply_free(&ap);
	}
	json_decref(names);
	return 0;
}

static const struct tbxd_route routes[] = {
	{ "POST", "/topologies", post_topology },
	{ "GET", "/topologies", list_topologies },
	{ "GET", "/topologies/*", get_topology },
	{ "DELETE", "/topologies/*", delete_topology },
};

const struct tbxd_routes tbxd_topology_routes = TBXD_ROUTES("topology", routes);
