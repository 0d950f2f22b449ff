// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connection_*: two interfaces joined by a bridge with link emulation.
 * The element with the lower id is the connection's first: its "_to"
 * attributes shape what travels towards it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hm_api.h"
#include "hm_realise.h"
#include "hm_types.h"
#include "log.h"
#include "tbxd.h"

json_t *hm_connection_info(const struct hm_obj *o)
{
	return json_pack("{s:I, s:s, s:s, s:O, s:[I, I]}", "id", (json_int_t)o->id,
			 "type", o->type, "state", o->state, "attrs", o->attrs,
			 "elements", (json_int_t)o->el[0], (json_int_t)o->el[1]);
}

static bool has_concept(const struct hm_type *t, const char *concept)
{
	for (const char *const *p = t ? t->con_concepts : NULL; p && *p; p++)
		if (!strcmp(*p, concept))
			return true;
	return false;
}

static int connection_create(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const struct hm_type *t = hm_type_find("bridge", true);
	struct hm_obj el[2] = { { 0 }, { 0 } }, o = { 0 };
	int64_t con;
	int ok = -1;

	if (hm_get(c, false, argv[0], &el[0]) || hm_get(c, false, argv[1], &el[1]))
		goto out;
	for (int e = 0; e < 2; e++) {
		if (hm_store_connection_of(c->d->state, el[e].id, &con)) {
			hm_internal(c);
			goto out;
		}
		if (con) {
			hm_fail(&c->f, "already_connected",
				json_pack("{s:I}", "element_id", (json_int_t)el[e].id),
				"Element is already connected");
			goto out;
		}
	}
	if (el[0].id == el[1].id ||
	    !has_concept(hm_type_find(el[0].type, false), "interface") ||
	    !has_concept(hm_type_find(el[1].type, false), "interface")) {
		json_t *types = json_pack("[s, s]", el[0].type, el[1].type);

		if (argv[2] && !json_is_null(argv[2]))
			hm_fail(&c->f, "unable_to_connect",
				json_pack("{s:o, s:O}", "element_types", types, "connection_type", argv[2]),
				"Not able to connect the two elements with this connection type");
		else
			hm_fail(&c->f, "unable_to_connect", json_pack("{s:o}", "element_types", types),
				"Failed to find matching connection type");
		goto out;
	}
	if (argv[2] && !json_is_null(argv[2]) &&
	    (!json_is_string(argv[2]) || strcmp(json_string_value(argv[2]), t->name))) {
		hm_fail(&c->f, "unable_to_connect",
			json_pack("{s:[s, s], s:O}", "element_types", el[0].type, el[1].type,
				  "connection_type", argv[2]),
			"Not able to connect the two elements with this connection type");
		goto out;
	}
	snprintf(o.owner, sizeof(o.owner), "%s", c->owner);
	snprintf(o.type, sizeof(o.type), "%s", t->name);
	snprintf(o.state, sizeof(o.state), "%s", t->initial);
	o.connection = true;
	o.el[0] = el[0].id < el[1].id ? el[0].id : el[1].id;
	o.el[1] = el[0].id < el[1].id ? el[1].id : el[0].id;
	o.attrs = hm_default_attrs(t);
	if (hm_check_attrs(t, o.state, argv[3], o.attrs, &c->f))
		goto out;
	if (hm_store_put(c->d->state, &o)) {
		hm_internal(c);
		goto out;
	}
	tbxd_log("hostmanager: %s connected %lld and %lld: connection %lld", c->owner,
		 (long long)o.el[0], (long long)o.el[1], (long long)o.id);
	*out = hm_connection_info(&o);
	ok = 0;
out:
	hm_obj_release(&el[0]);
	hm_obj_release(&el[1]);
	hm_obj_release(&o);
	return ok;
}

static int connection_modify(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	struct hm_obj o;
	json_t *was;
	int ok = -1;

	if (hm_get(c, true, argv[0], &o))
		return -1;
	was = json_deep_copy(o.attrs);
	if (!json_is_object(argv[1]) && !json_is_null(argv[1]))
		hm_fail(&c->f, "invalid_value", NULL, "attrs must be a struct");
	else if (!hm_check_attrs(hm_type_find(o.type, true), o.state, argv[1], o.attrs, &c->f)) {
		if (hm_store_put(c->d->state, &o) || hm_connection_resync(c, o.id)) {
			hm_internal(c);
			json_decref(o.attrs);
			o.attrs = json_incref(was);
			hm_store_put(c->d->state, &o);
			hm_connection_resync(c, o.id);
		} else {
			*out = hm_connection_info(&o);
			ok = 0;
		}
	}
	json_decref(was);
	hm_obj_release(&o);
	return ok;
}

static int connection_action(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	const struct hm_action *a;
	char old[sizeof(((struct hm_obj *)0)->state)];
	struct hm_obj o;
	int ok = -1;

	if (hm_get(c, true, argv[0], &o))
		return -1;
	if (!json_is_string(argv[1]))
		hm_fail(&c->f, "unsupported_action", json_pack("{s:s, s:O}", "connection_type",
							       o.type, "action", argv[1]),
			"Unsuported action");
	else if ((a = hm_check_action(hm_type_find(o.type, true), o.state,
				      json_string_value(argv[1]), &c->f))) {
		snprintf(old, sizeof(old), "%s", o.state);
		snprintf(o.state, sizeof(o.state), "%s", a->next ? a->next : old);
		if (hm_store_put(c->d->state, &o) || hm_connection_resync(c, o.id)) {
			hm_internal(c);
			snprintf(o.state, sizeof(o.state), "%s", old);
			hm_store_put(c->d->state, &o);
			hm_connection_resync(c, o.id);
		} else {
			tbxd_log("hostmanager: %s: connection %lld %s: %s", c->owner,
				 (long long)o.id, a->name, o.state);
			*out = json_null();
			ok = 0;
		}
	}
	hm_obj_release(&o);
	return ok;
}

static int connection_remove(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	struct hm_obj o;
	int ok = -1;

	if (hm_get(c, true, argv[0], &o))
		return -1;
	if (!hm_check_remove(hm_type_find(o.type, true), o.state, &c->f)) {
		/* stopped first, as ToMaTo's remove() does */
		if (hm_unrealise(&o) || hm_store_del(c->d->state, true, o.id)) {
			hm_internal(c);
		} else {
			tbxd_log("hostmanager: %s removed connection %lld", c->owner, (long long)o.id);
			*out = json_null();
			ok = 0;
		}
	}
	hm_obj_release(&o);
	return ok;
}

static int connection_info(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	struct hm_obj o;

	if (hm_get(c, true, argv[0], &o))
		return -1;
	*out = hm_connection_info(&o);
	hm_obj_release(&o);
	return 0;
}

static int connection_list(struct hm_ctx *c, json_t *const argv[], json_t **out)
{
	int64_t *ids;
	size_t n;

	if (hm_store_ids(c->d->state, true, c->owner, NULL, &ids, &n))
		return hm_internal(c);
	*out = json_array();
	for (size_t i = 0; i < n; i++) {
		struct hm_obj o;

		if (hm_store_get(c->d->state, true, c->owner, ids[i], &o))
			continue;
		json_array_append_new(*out, hm_connection_info(&o));
		hm_obj_release(&o);
	}
	free(ids);
	return 0;
}

const struct hm_method hm_connection_methods[] = {
	{ "connection_create", connection_create,
	  { "element1", "element2", "type", "attrs" }, 2 },
	{ "connection_modify", connection_modify, { "id", "attrs", NULL }, 2 },
	{ "connection_action", connection_action, { "id", "action", "params", NULL }, 2 },
	{ "connection_remove", connection_remove, { "id", NULL }, 1 },
	{ "connection_info", connection_info, { "id", NULL }, 1 },
	{ "connection_list", connection_list, { NULL }, 0 },
};
const size_t hm_n_connection_methods =
	sizeof(hm_connection_methods) / sizeof(hm_connection_methods[0]);
