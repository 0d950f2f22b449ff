// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The type tables and their checks. Messages, codes and data are
 * ToMaTo's (its Django-era hostmanager), spelling included: a backend that
 * matches on them keeps working.
 */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hm_types.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const st_created[] = { "created", NULL };
static const char *const st_prepared[] = { "prepared", NULL };
static const char *const st_started[] = { "started", NULL };
static const char *const st_prep_started[] = { "prepared", "started", NULL };
static const char *const st_created_prepared[] = { "created", "prepared", NULL };
static const char *const st_created_started[] = { "created", "started", NULL };

static const char *const distributions[] = {
	"uniform", "normal", "pareto", "paretonormal", NULL
};

/* --- netns: a namespace host ------------------------------------------- */
static const struct hm_action netns_actions[] = {
	{ "prepare", st_created, "prepared" },
	{ "destroy", st_prep_started, "created" },
	{ "start", st_prepared, "started" },
	{ "stop", st_started, "prepared" },
};

static const struct hm_attr netns_attrs[] = {
	{ .name = "cpus", .unit = "cpus", .kind = HM_FLOAT,
	  .desc = "CPU time it may use (cgroup cpu.max)",
	  .has_min = true, .min = 0.01, .has_max = true, .max = 1024,
	  .def_num = 1.0 },
	{ .name = "ram", .unit = "MB", .kind = HM_INT,
	  .desc = "Memory it may use (cgroup memory.max)",
	  .has_min = true, .min = 16, .has_max = true, .max = 1048576,
	  .def_num = 256 },
};

static const struct hm_child netns_children[] = {
	{ "netns_interface", st_created_prepared },
};

static const char *const top_level[] = { "", NULL };
static const char *const interface_concept[] = { "interface", NULL };

/* --- netns_interface: its network interface ---------------------------- */
static const struct hm_attr iface_attrs[] = {
	{ .name = "name", .kind = HM_STR, .desc = "Name inside the host",
	  .regexp = "^eth[0-9]+$", .states = st_created, .def_str = NULL },
	{ .name = "ip4address", .kind = HM_STR, .desc = "IPv4 address/prefix",
	  .regexp = "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$" },
	{ .name = "ip6address", .kind = HM_STR, .desc = "IPv6 address/prefix",
	  .regexp = "^[0-9a-fA-F:]+/[0-9]{1,3}$" },
};

static const char *const iface_parents[] = { "netns", NULL };

/* --- bridge: two interfaces joined, with link emulation ---------------- */
static const struct hm_action bridge_actions[] = {
	{ "start", st_created, "started" },
	{ "stop", st_started, "created" },
};

#define DIR_ATTRS(side) \
	{ .name = "bandwidth_" side, .unit = "kbit/s", .kind = HM_FLOAT, \
	  .desc = "Bandwidth", .has_min = true, .min = 0, .has_max = true, \
	  .max = 1000000, .def_num = 10000 }, \
	{ .name = "delay_" side, .unit = "ms", .kind = HM_FLOAT, \
	  .desc = "Delay", .has_min = true, .min = 0 }, \
	{ .name = "jitter_" side, .unit = "ms", .kind = HM_FLOAT, \
	  .desc = "Jitter", .has_min = true, .min = 0 }, \
	{ .name = "distribution_" side, .kind = HM_STR, \
	  .desc = "Distribution", .options = distributions, \
	  .def_str = "uniform" }, \
	{ .name = "lossratio_" side, .unit = "%", .kind = HM_FLOAT, \
	  .desc = "Loss ratio", .has_min = true, .min = 0, .has_max = true, \
	  .max = 100 }, \
	{ .name = "duplicate_" side, .unit = "%", .kind = HM_FLOAT, \
	  .desc = "Duplication ratio", .has_min = true, .min = 0, \
	  .has_max = true, .max = 100 }, \
	{ .name = "corrupt_" side, .unit = "%", .kind = HM_FLOAT, \
	  .desc = "Corruption ratio", .has_min = true, .min = 0, \
	  .has_max = true, .max = 100 }

static const struct hm_attr bridge_attrs[] = {
	{ .name = "emulation", .kind = HM_BOOL, .desc = "Enable emulation",
	  .def_bool = true },
	DIR_ATTRS("to"),
	DIR_ATTRS("from"),
};

/* As ToMaTo sends them: Python's str() of a tuple. */
static const char *const bridge_concepts[] = { "('interface', 'interface')", NULL };

static const struct hm_type types[] = {
	{ .name = "netns", .initial = "created",
	  .actions = netns_actions, .n_actions = N(netns_actions),
	  .remove_states = st_created,
	  .attrs = netns_attrs, .n_attrs = N(netns_attrs),
	  .parents = top_level,
	  .children = netns_children, .n_children = N(netns_children) },
	{ .name = "netns_interface", .initial = "created",
	  .remove_states = st_created_prepared,
	  .attrs = iface_attrs, .n_attrs = N(iface_attrs),
	  .parents = iface_parents, .con_concepts = interface_concept },
	{ .name = "bridge", .connection = true, .initial = "created",
	  .actions = bridge_actions, .n_actions = N(bridge_actions),
	  .remove_states = st_created_started,
	  .attrs = bridge_attrs, .n_attrs = N(bridge_attrs),
	  .con_concepts = bridge_concepts },
};

const struct hm_type *hm_type_find(const char *name, bool connection)
{
	for (size_t i = 0; name && i < N(types); i++)
		if (types[i].connection == connection && !strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

static bool in(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static json_t *list_json(const char *const *list)
{
	json_t *a = json_array();

	for (; list && *list; list++)
		json_array_append_new(a, **list ? json_string(*list) : json_null());
	return a;
}

static const char *type_key(const struct hm_type *t)
{
	return t->connection ? "connection_type" : "element_type";
}

const struct hm_action *hm_check_action(const struct hm_type *t,
					const char *state, const char *action,
					struct hm_fault *f)
{
	for (size_t i = 0; i < t->n_actions; i++) {
		if (strcmp(t->actions[i].name, action))
			continue;
		if (!in(t->actions[i].states, state)) {
			hm_fail(f, "invalid_state",
				json_pack("{s:s, s:s, s:s}", "action", action,
					  type_key(t), t->name, "state", state),
				"Action can not be executed in this state");
			return NULL;
		}
		return &t->actions[i];
	}
	hm_fail(f, "unsupported_action",
		json_pack("{s:s, s:s}", type_key(t), t->name, "action", action),
		"Unsuported action");
	return NULL;
}

int hm_check_remove(const struct hm_type *t, const char *state,
		    struct hm_fault *f)
{
	if (!t->remove_states || in(t->remove_states, state))
		return 0;
	return hm_fail(f, "invalid_state",
		       json_pack("{s:s, s:s}", type_key(t), t->name, "state", state),
		       t->connection ? "Connector can not be removed in its current state"
				     : "Element can not be removed in its current state");
}

static const struct hm_attr *attr_find(const struct hm_type *t, const char *name)
{
	for (size_t i = 0; i < t->n_attrs; i++)
		if (!strcmp(t->attrs[i].name, name))
			return &t->attrs[i];
	return NULL;
}

static int bad_value(struct hm_fault *f, const struct hm_attr *a, json_t *v,
		     const char *why)
{
	return hm_fail(f, "invalid_value",
		       json_pack("{s:s, s:O}", "attribute", a->name, "value", v),
		       "Invalid value, %s", why);
}

/* A number from an int, a real or a numeric string (Python's float()). */
static bool to_number(json_t *v, double *out)
{
	char *end;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	if (json_is_string(v) && *json_string_value(v)) {
		*out = strtod(json_string_value(v), &end);
		while (*end == ' ')
			end++;
		return !*end && isfinite(*out);
	}
	return false;
}

static int convert(const struct hm_attr *a, json_t *v, json_t **out,
		   struct hm_fault *f)
{
	double d;

	*out = NULL;
	if (json_is_null(v))
		return bad_value(f, a, v, "must not be null");
	switch (a->kind) {
	case HM_BOOL:
		if (json_is_boolean(v))
			*out = json_incref(v);
		else if (json_is_number(v))
			*out = json_boolean(json_number_value(v) != 0);
		else
			return bad_value(f, a, v, "failed to convert");
		return 0;
	case HM_STR:
		if (json_is_string(v))
			*out = json_incref(v);
		else if (json_is_integer(v))
			*out = json_sprintf("%lld", (long long)json_integer_value(v));
		else
			return bad_value(f, a, v, "failed to convert");
		break;
	case HM_FLOAT:
	case HM_INT:
		if (!to_number(v, &d) || (a->kind == HM_INT && d != floor(d)) ||
		    fabs(d) > 9e15)
			return bad_value(f, a, v, "failed to convert");
		if (a->has_min && d < a->min)
			return bad_value(f, a, v, "below minimum");
		if (a->has_max && d > a->max)
			return bad_value(f, a, v, "above maximum");
		*out = a->kind == HM_INT ? json_integer((json_int_t)d) : json_real(d);
		return 0;
	}
	if (a->options && !in(a->options, json_string_value(*out))) {
		json_decref(*out);
		return bad_value(f, a, v, "must choose from list");
	}
	if (a->regexp) {
		regex_t re;
		int rc;

		if (regcomp(&re, a->regexp, REG_EXTENDED | REG_NOSUB))
			return hm_fail(f, "invalid_value", NULL, "bad pattern for %s", a->name);
		rc = regexec(&re, json_string_value(*out), 0, NULL, 0);
		regfree(&re);
		if (rc) {
			json_decref(*out);
			return bad_value(f, a, v, "must match pattern");
		}
	}
	return 0;
}

int hm_check_attrs(const struct hm_type *t, const char *state, json_t *in_attrs,
		   json_t *attrs, struct hm_fault *f)
{
	json_t *out = json_object(), *v, *c;
	const struct hm_attr *a;
	const char *key;

	if (in_attrs && !json_is_null(in_attrs) && !json_is_object(in_attrs)) {
		json_decref(out);
		return hm_fail(f, "invalid_value", NULL, "attrs must be a struct");
	}
	json_object_foreach(in_attrs, key, v) {
		if (!strcmp(key, "timeout"))
			continue;
		if (!(a = attr_find(t, key))) {
			json_decref(out);
			return hm_fail(f, "unsupported_attribute",
				       json_pack("{s:s, s:s}", type_key(t), t->name,
						 "attribute", key),
				       "Unsupported attribute");
		}
		if (a->states && !in(a->states, state)) {
			json_decref(out);
			return hm_fail(f, "invalid_state",
				       json_pack("{s:s, s:s, s:o}", "attribute", key,
						 "state", state, "allowed_states",
						 list_json(a->states)),
				       "Invalid state for attribute");
		}
		if (convert(a, v, &c, f)) {
			json_decref(out);
			return -1;
		}
		json_object_set_new(out, key, c);
	}
	json_object_update(attrs, out);
	json_decref(out);
	return 0;
}

static json_t *default_of(const struct hm_attr *a)
{
	switch (a->kind) {
	case HM_BOOL:
		return json_boolean(a->def_bool);
	case HM_STR:
		return a->def_str ? json_string(a->def_str) : NULL;
	case HM_INT:
		return json_integer((json_int_t)a->def_num);
	case HM_FLOAT:
		return json_real(a->def_num);
	}
	return NULL;
}

json_t *hm_default_attrs(const struct hm_type *t)
{
	json_t *o = json_object(), *d;

	for (size_t i = 0; i < t->n_attrs; i++)
		if ((d = default_of(&t->attrs[i])))
			json_object_set_new(o, t->attrs[i].name, d);
	return o;
}

int hm_check_timeout(json_t *v, double now, double *out, struct hm_fault *f)
{
	static const struct hm_attr timeout = { .name = "timeout", .kind = HM_FLOAT };
	double t;

	if (json_is_null(v))
		return bad_value(f, &timeout, v, "must not be null");
	if (!to_number(v, &t))
		return bad_value(f, &timeout, v, "failed to convert");
	if (t <= now)
		return hm_fail(f, "invalid_value", json_pack("{s:O}", "timeout", v),
			       "Refusing to set timeout into the past");
	if (t > now + HM_MAX_TIMEOUT_S)
		return hm_fail(f, "invalid_value", json_pack("{s:O}", "timeout", v),
			       "Refusing to set timeout too far into the future");
	*out = t;
	return 0;
}

int hm_check_child(const struct hm_type *parent, const char *state,
		   const struct hm_type *child, struct hm_fault *f)
{
	if (!parent) {
		if (in(child->parents, ""))
			return 0;
		return hm_fail(f, "invalid_configuration", NULL, "Type needs parent");
	}
	if (!in(child->parents, parent->name))
		return hm_fail(f, "unable_to_connect", NULL, "Parent type not allowed");
	for (size_t i = 0; i < parent->n_children; i++) {
		if (strcmp(parent->children[i].type, child->name))
			continue;
		if (!in(parent->children[i].states, state))
			return hm_fail(f, "invalid_state", NULL,
				       "Parent type does not allow children of this type in its current state");
		return 0;
	}
	return hm_fail(f, "unable_to_connect", NULL,
		       "Parent type does not allow children of this type");
}

static json_t *attr_info(const struct hm_attr *a)
{
	static const char *const kinds[] = {
		[HM_FLOAT] = "float", [HM_INT] = "int", [HM_STR] = "str", [HM_BOOL] = "bool",
	};
	json_t *o = json_pack("{s:s, s:s, s:b}", "name", a->name, "type", kinds[a->kind],
			      "null", 0), *d;

	if (a->unit)
		json_object_set_new(o, "unit", json_string(a->unit));
	if (a->desc)
		json_object_set_new(o, "desc", json_string(a->desc));
	if (a->states)
		json_object_set_new(o, "states", list_json(a->states));
	if ((d = default_of(a)))
		json_object_set_new(o, "default", d);
	if (a->has_min)
		json_object_set_new(o, "minvalue", json_real(a->min));
	if (a->has_max)
		json_object_set_new(o, "maxvalue", json_real(a->max));
	if (a->regexp)
		json_object_set_new(o, "regexp", json_string(a->regexp));
	if (a->options) {
		json_t *opts = json_object();

		for (const char *const *p = a->options; *p; p++)
			json_object_set_new(opts, *p, json_string(*p));
		json_object_set_new(o, "options", opts);
	}
	return o;
}

static json_t *type_caps(const struct hm_type *t)
{
	json_t *actions = json_object(), *next = json_object(), *attrs = json_object();
	json_t *o;

	for (size_t i = 0; i < t->n_actions; i++) {
		json_object_set_new(actions, t->actions[i].name, list_json(t->actions[i].states));
		if (t->actions[i].next)
			json_object_set_new(next, t->actions[i].name,
					    json_string(t->actions[i].next));
	}
	json_object_set_new(actions, "(remove)", list_json(t->remove_states));
	for (size_t i = 0; i < t->n_attrs; i++)
		json_object_set_new(attrs, t->attrs[i].name, attr_info(&t->attrs[i]));
	if (!t->connection)
		json_object_set_new(attrs, "timeout",
				    json_pack("{s:s, s:s, s:[], s:b}", "name", "timeout",
					      "type", "float", "states", "null", 0));
	o = json_pack("{s:o, s:o, s:o, s:o}", "actions", actions, "next_state", next,
		      "attrs", attrs, "con_concepts", list_json(t->con_concepts));
	if (!t->connection) {
		json_t *children = json_object();

		for (size_t i = 0; i < t->n_children; i++)
			json_object_set_new(children, t->children[i].type,
					    list_json(t->children[i].states));
		json_object_set_new(o, "children", children);
		json_object_set_new(o, "parent", list_json(t->parents));
	}
	return o;
}

json_t *hm_capabilities(void)
{
	json_t *el = json_object(), *con = json_object();

	for (size_t i = 0; i < N(types); i++)
		json_object_set_new(types[i].connection ? con : el, types[i].name,
				    type_caps(&types[i]));
	return json_pack("{s:o, s:o, s:{}}", "elements", el, "connections", con,
			 "resources");
}
