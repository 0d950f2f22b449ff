// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * element_*: namespace hosts and their interfaces. Every change is checked
 * whole first (type, owner, state, attributes), then written to the state
 * file, then made in the kernel; when the kernel refuses, the row and the
 * kernel go back to what they were and the call fails having changed
 * nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hm_api.h"
#include "hm_realise.h"
#include "hm_types.h"
#include "log.h"
#include "tbxd.h"

int hm_internal(struct hm_ctx *c)
{
	return hm_fail_internal(&c->f, NULL);
}

int hm_arg_id(struct hm_ctx *c, json_t *v, int64_t *id)
{
	char *end;

	if (json_is_integer(v)) {
		*id = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && *json_string_value(v)) {
		*id = strtoll(json_string_value(v), &end, 10);
		if (!*end)
			return 0;
	}
	hm_fail(&c->f, NULL, NULL, "ValueError: invalid literal for int(): %s",
		json_is_string(v) ? json_string_value(v) : "not a number");
	c->f.type = "internal";
	return -1;
}

int hm_get_id(struct hm_ctx *c, bool connection, int64_t id, struct hm_obj *o)
{
	int err = hm_store_get(c->d->state, connection, c->owner, id, o);

	if (err == -ENOENT)
		return hm_fail(&c->f, "entity_does_not_exist", json_pack("{s:I}", "id", (json_int_t)id),
			       connection ? "No such connection" : "No such element");
	return err ? hm_internal(c) : 0;
}

int hm_get(struct hm_ctx *c, bool connection, json_t *id_arg, struct hm_obj *o)
{
	int64_t id;

	memset(o, 0, sizeof(*o));
	if (hm_arg_id(c, id_arg, &id))
		return -1;
	return hm_get_id(c, connection, id, o);
}

json_t *hm_element_info(struct hm_ctx *c, const struct hm_obj *o)
{
	json_t *children = json_array();
	int64_t *ids = NULL, con = 0;
	size_t n = 0;

	if (!hm_store_children(c->d->state, o->id, &ids, &n))
		for (size_t i = 0; i < n; i++)
			json_array_append_new(children, json_integer(ids[i]));
	free(ids);
	hm_store_connection_of(c->d->state, o->id, &con);
	return json_pack("{s:I, s:s, s:o, s:s, s:f, s:O, s:o, s:o}",
			 "id", (json_int_t)o->id, "type", o->type,
			 "parent", o->parent ? json_integer(o->parent) : json_null(),
			 "state", o->state, "timeout", o->timeout, "attrs", o->attrs,
			 "children", children,
			 "connection", con ? json_integer(con) : json_null());
}

int hm_element_realise(struct hm_ctx *c, const struct hm_obj *o, const json_t *was)
{
	struct hm_obj host;
	int err;

	if (!strcmp(o->type, "netns"))
		return hm_realise_netns(o);
	if ((err = hm_store_get(c->d->state, false, NULL, o->parent, &host)))
		return err;
	err = hm_realise_iface(o, &host, was);
	hm_obj_release(&host);
	return err;
}

/* Does a child of @parent other than @self have interface name @name?
 * 1 yes, 0 no, -1 with the fault set.
 */
static int sibling_named(struct hm_ctx *c, int64_t parent, int64_t self, const char *name)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int found = 0;

	if (hm_store_children(c->d->state, parent, &ids, &n))
		return hm_internal(c);
	for (size_t i = 0; i < n && !found; i++) {
		struct hm_obj s;

		if (ids[i] == self || hm_store_get(c->d->state, false, NULL, ids[i], &s))
			continue;
		found = !strcmp(json_string_value(json_object_get(s.attrs, "name")) ?: "", name);
		hm_obj_release(&s);
	}
	free(ids);
	return found;
}

/* eth0, eth1, ...: the first name no sibling has. */
static int default_name(struct hm_ctx *c, int64_t parent, json_t *attrs)
{
	char name[16];
	int used = 1;

	if (json_object_get(attrs, "name"))
		return 0;
	for (int k = 0; used; k++) {
		snprintf(name, sizeof(name), "eth%d", k);
		if ((used = sibling_named(c, parent, 0, name)) < 0)
			return -1;
	}
	json_object_set_new(attrs, "name", json_string(name));
	return 0;
}

/* Two interfaces of one host never share a name. */
static int name_unique(struct hm_ctx *c, const struct hm_obj *o)
{
	const char *name = json_string_value(json_object_get(o->attrs, "name"));
	int clash;

	if (!name || !o->parent)
		return 0;
	if ((clash = sibling_named(c, o->parent, o->id, name)) <= 0)
		return clash;
	return hm_fail(&c->f, "invalid_value",
		       json_pack("{s:s, s:s}", "attribute", "name", "value", name),
		       "Invalid value, another interface of this element has that name");
}

static int element_create(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const struct hm_type *t, *pt = NULL;
	struct hm_obj o = { 0 }, parent = { 0 };
	json_t *attrs = argv[2], *to;
	const char *type = json_string_value(argv[0]);
	int err;

	if (!(t = hm_type_find(type, false)))
		return hm_fail(&c->f, "unsupported_type", json_pack("{s:O}", "type", argv[0]),
			       "Unsupported type");
	if (argv[1] && !json_is_null(argv[1])) {
		if (hm_get(c, false, argv[1], &parent))
			return -1;
		pt = hm_type_find(parent.type, false);
	}
	if (hm_check_child(pt, parent.state, t, &c->f))
		goto fail;
	snprintf(o.owner, sizeof(o.owner), "%s", c->owner);
	snprintf(o.type, sizeof(o.type), "%s", t->name);
	/* an interface lives as its host does */
	snprintf(o.state, sizeof(o.state), "%s", pt ? parent.state : t->initial);
	o.parent = parent.id;
	o.timeout = c->now + HM_MAX_TIMEOUT_S;
	o.attrs = hm_default_attrs(t);
	if (hm_check_attrs(t, o.state, attrs, o.attrs, &c->f))
		goto fail;
	if ((to = json_object_get(attrs, "timeout")) &&
	    hm_check_timeout(to, c->now, &o.timeout, &c->f))
		goto fail;
	if (pt && (default_name(c, o.parent, o.attrs) || name_unique(c, &o)))
		goto fail;
	if (hm_store_put(c->d->state, &o)) {
		hm_internal(c);
		goto fail;
	}
	if ((err = hm_element_realise(c, &o, NULL))) {
		hm_internal(c);
		hm_unrealise(&o);
		hm_store_del(c->d->state, false, o.id);
		goto fail;
	}
	tbxd_log("hostmanager: %s created element %lld (%s)", c->owner, (long long)o.id, o.type);
	*out = hm_element_info(c, &o);
	hm_obj_release(&o);
	hm_obj_release(&parent);
	return 0;
fail:
	hm_obj_release(&o);
	hm_obj_release(&parent);
	return -1;
}

static int element_modify(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const struct hm_type *t;
	struct hm_obj o;
	json_t *was, *to;
	double old_timeout;
	int err;

	if (hm_get(c, false, argv[0], &o))
		return -1;
	t = hm_type_find(o.type, false);
	was = json_deep_copy(o.attrs);
	old_timeout = o.timeout;
	if (!json_is_object(argv[1]) && !json_is_null(argv[1])) {
		hm_fail(&c->f, "invalid_value", NULL, "attrs must be a struct");
		goto fail;
	}
	if (hm_check_attrs(t, o.state, argv[1], o.attrs, &c->f))
		goto fail;
	if ((to = json_object_get(argv[1], "timeout")) &&
	    hm_check_timeout(to, c->now, &o.timeout, &c->f))
		goto fail;
	if (name_unique(c, &o))
		goto fail;
	if (hm_store_put(c->d->state, &o)) {
		hm_internal(c);
		goto fail;
	}
	if ((err = hm_element_realise(c, &o, was))) {
		hm_internal(c);
		/* back as it was, row and kernel */
		json_decref(o.attrs);
		o.attrs = json_incref(was);
		o.timeout = old_timeout;
		hm_store_put(c->d->state, &o);
		hm_element_realise(c, &o, NULL);
		goto fail;
	}
	*out = hm_element_info(c, &o);
	json_decref(was);
	hm_obj_release(&o);
	return 0;
fail:
	json_decref(was);
	hm_obj_release(&o);
	return -1;
}

int hm_connection_resync(struct hm_ctx *c, int64_t con)
{
	bool started[2];
	struct hm_obj k;
	int err;

	if (!con || hm_store_get(c->d->state, true, NULL, con, &k))
		return 0;
	for (int e = 0; e < 2; e++) {
		struct hm_obj end;

		started[e] = !hm_store_get(c->d->state, false, NULL, k.el[e], &end) &&
			     !strcmp(end.state, "started");
		hm_obj_release(&end);
	}
	err = hm_realise_bridge(&k, started);
	hm_obj_release(&k);
	return err;
}

/* Sets a host's state and its interfaces' with it, rows then kernel. */
static int set_host_state(struct hm_ctx *c, struct hm_obj *o, const char *state)
{
	int64_t *ids = NULL, con;
	size_t n = 0;
	int err;

	snprintf(o->state, sizeof(o->state), "%s", state);
	if ((err = hm_store_put(c->d->state, o)) ||
	    (err = hm_store_children(c->d->state, o->id, &ids, &n)))
		return err;
	for (size_t i = 0; !err && i < n; i++) {
		struct hm_obj ifc;

		if ((err = hm_store_get(c->d->state, false, NULL, ids[i], &ifc)))
			break;
		snprintf(ifc.state, sizeof(ifc.state), "%s", state);
		err = hm_store_put(c->d->state, &ifc);
		hm_obj_release(&ifc);
	}
	if (!err)
		err = hm_realise_netns(o);
	for (size_t i = 0; !err && i < n; i++) {
		struct hm_obj ifc;

		if ((err = hm_store_get(c->d->state, false, NULL, ids[i], &ifc)))
			break;
		err = hm_realise_iface(&ifc, o, NULL);
		hm_obj_release(&ifc);
		/* a new veth end must join its bridge again */
		if (!err && !(err = hm_store_connection_of(c->d->state, ids[i], &con)))
			err = hm_connection_resync(c, con);
	}
	free(ids);
	return err;
}

static int element_action(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const struct hm_action *a;
	const struct hm_type *t;
	char old[sizeof(((struct hm_obj *)0)->state)];
	struct hm_obj o;

	if (hm_get(c, false, argv[0], &o))
		return -1;
	t = hm_type_find(o.type, false);
	if (!json_is_string(argv[1])) {
		hm_fail(&c->f, "unsupported_action", json_pack("{s:s, s:O}", "element_type", o.type,
							       "action", argv[1]),
			"Unsuported action");
		goto fail;
	}
	if (!(a = hm_check_action(t, o.state, json_string_value(argv[1]), &c->f)))
		goto fail;
	if (argv[2] && !json_is_null(argv[2]) && json_object_size(argv[2])) {
		hm_fail(&c->f, NULL, NULL, "TypeError: action_%s() got an unexpected keyword argument '%s'",
			a->name, json_object_iter_key(json_object_iter(argv[2])));
		c->f.type = "internal";
		goto fail;
	}
	snprintf(old, sizeof(old), "%s", o.state);
	if (set_host_state(c, &o, a->next ? a->next : o.state)) {
		hm_internal(c);
		tbxd_log("hostmanager: element %lld %s failed: %s", (long long)o.id, a->name,
			 c->f.message);
		set_host_state(c, &o, old);
		goto fail;
	}
	tbxd_log("hostmanager: %s: element %lld %s: %s", c->owner, (long long)o.id, a->name, o.state);
	*out = json_null();
	hm_obj_release(&o);
	return 0;
fail:
	hm_obj_release(&o);
	return -1;
}

/* Removes connection @con: taken away in the kernel, then its row. */
static int remove_connection(struct hm_ctx *c, int64_t con)
{
	struct hm_obj k;
	int err;

	if (!con || hm_store_get(c->d->state, true, NULL, con, &k))
		return 0;
	err = hm_unrealise(&k);
	if (!err)
		err = hm_store_del(c->d->state, true, con);
	hm_obj_release(&k);
	return err;
}

/* An element, its connection, its children and theirs, gone. */
static int remove_tree(struct hm_ctx *c, const struct hm_obj *o)
{
	int64_t *ids = NULL, con = 0;
	size_t n = 0;
	int err;

	if ((err = hm_store_connection_of(c->d->state, o->id, &con)) ||
	    (err = remove_connection(c, con)) ||
	    (err = hm_store_children(c->d->state, o->id, &ids, &n)))
		return err;
	for (size_t i = 0; !err && i < n; i++) {
		struct hm_obj ch;

		if (!(err = hm_store_get(c->d->state, false, NULL, ids[i], &ch)))
			err = remove_tree(c, &ch);
		hm_obj_release(&ch);
	}
	free(ids);
	if (!err)
		err = hm_unrealise(o);
	if (!err)
		err = hm_store_del(c->d->state, false, o->id);
	return err;
}

static int check_remove_tree(struct hm_ctx *c, const struct hm_obj *o, bool recurse)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int err = 0;

	if (hm_check_remove(hm_type_find(o->type, false), o->state, &c->f))
		return -1;
	if (hm_store_children(c->d->state, o->id, &ids, &n))
		return hm_internal(c);
	if (n && !recurse)
		err = hm_fail(&c->f, "invalid_state", NULL, "Cannot remove element with children");
	for (size_t i = 0; !err && i < n; i++) {
		struct hm_obj ch;

		if (hm_store_get(c->d->state, false, NULL, ids[i], &ch)) {
			err = hm_internal(c);
			break;
		}
		err = check_remove_tree(c, &ch, true);
		hm_obj_release(&ch);
	}
	free(ids);
	return err;
}

static int element_remove(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	bool recurse = !argv[1] || json_is_true(argv[1]) ||
		       (json_is_integer(argv[1]) && json_integer_value(argv[1]));
	struct hm_obj o;
	int err;

	if (hm_get(c, false, argv[0], &o))
		return -1;
	err = check_remove_tree(c, &o, recurse);
	if (!err && (err = remove_tree(c, &o)))
		hm_internal(c);
	if (!err) {
		tbxd_log("hostmanager: %s removed element %lld", c->owner, (long long)o.id);
		*out = json_null();
	}
	hm_obj_release(&o);
	return err ? -1 : 0;
}

int hm_element_teardown(struct hm_ctx *c, int64_t id)
{
	struct hm_obj o;
	int err;

	if ((err = hm_store_get(c->d->state, false, NULL, id, &o)))
		return err;
	/* stop and destroy first, as ToMaTo's tearDown does, then remove */
	err = set_host_state(c, &o, "created");
	if (!err)
		err = remove_tree(c, &o);
	hm_obj_release(&o);
	return err;
}

static int element_info(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	struct hm_obj o;

	if (hm_get(c, false, argv[0], &o))
		return -1;
	*out = hm_element_info(c, &o);
	hm_obj_release(&o);
	return 0;
}

static int element_list(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const char *type = argv[0] && json_is_string(argv[0]) ? json_string_value(argv[0]) : NULL;
	int64_t *ids;
	size_t n;

	if (hm_store_ids(c->d->state, false, c->owner, type, &ids, &n))
		return hm_internal(c);
	*out = json_array();
	for (size_t i = 0; i < n; i++) {
		struct hm_obj o;

		if (hm_store_get(c->d->state, false, c->owner, ids[i], &o))
			continue;
		json_array_append_new(*out, hm_element_info(c, &o));
		hm_obj_release(&o);
	}
	free(ids);
	return 0;
}

const struct hm_method hm_element_methods[] = {
	{ "element_create", element_create, { "type", "parent", "attrs", NULL }, 1 },
	{ "element_modify", element_modify, { "id", "attrs", NULL }, 2 },
	{ "element_action", element_action, { "id", "action", "params", NULL }, 2 },
	{ "element_remove", element_remove, { "id", "recurse", NULL }, 1 },
	{ "element_info", element_info, { "id", NULL }, 1 },
	{ "element_list", element_list, { "type_filter", NULL }, 0 },
};
const size_t hm_n_element_methods = sizeof(hm_element_methods) / sizeof(hm_element_methods[0]);
