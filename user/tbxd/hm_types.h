/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostmanager's element and connection types as data, ToMaTo's CAP_*
 * tables: each type's actions (the states they are allowed in and the
 * state they lead to), the states it may be removed in, its attributes
 * (kind, range, options, the states they are writable in), its parents and
 * children. The checks here are pure: no state file, no kernel.
 *   netns            a namespace host: netns + cgroup (cpus, ram)
 *   netns_interface  its child: a veth end inside it, with addresses
 *   bridge           a connection of two interfaces, emulated per direction
 */
#ifndef TBXD_HM_TYPES_H
#define TBXD_HM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "hm_fault.h"

#define HM_MAX_TIMEOUT_S	(30 * 24 * 3600)	/* ToMaTo's MAX_TIMEOUT */

enum hm_attr_kind { HM_FLOAT, HM_INT, HM_STR, HM_BOOL };

struct hm_attr {
	const char *name, *unit, *desc;
	enum hm_attr_kind kind;
	bool has_min, has_max;
	double min, max;
	const char *const *options;	/* NULL-terminated; NULL: any */
	const char *regexp;		/* POSIX extended; NULL: any */
	const char *const *states;	/* writable in; NULL: every state */
	const char *def_str;		/* the default, by kind */
	double def_num;
	bool def_bool;
};

struct hm_action {
	const char *name;
	const char *const *states;	/* allowed in */
	const char *next;		/* the state it leads to; NULL: same */
};

struct hm_child {
	const char *type;
	const char *const *states;	/* the parent's states it may be added in */
};

struct hm_type {
	const char *name;
	bool connection;
	const char *initial;		/* state when created */
	const struct hm_action *actions;
	size_t n_actions;
	const char *const *remove_states;
	const struct hm_attr *attrs;
	size_t n_attrs;
	const char *const *parents;	/* "" stands for top level (None) */
	const struct hm_child *children;
	size_t n_children;
	const char *const *con_concepts;
};

const struct hm_type *hm_type_find(const char *name, bool connection);

/* The action's entry, or a fault: unsupported_action, invalid_state. */
const struct hm_action *hm_check_action(const struct hm_type *t,
					const char *state, const char *action,
					struct hm_fault *f);
int hm_check_remove(const struct hm_type *t, const char *state,
		    struct hm_fault *f);
/*
 * Checks every attribute of @in against @t in @state and merges the
 * converted values into @attrs (ToMaTo converts: "10" is 10.0 for a float);
 * "timeout" is not an attribute (see hm_check_timeout). Nothing is merged
 * when anything is refused.
 */
int hm_check_attrs(const struct hm_type *t, const char *state, json_t *in,
		   json_t *attrs, struct hm_fault *f);
json_t *hm_default_attrs(const struct hm_type *t);
/* A new timeout (absolute UNIX time) is after now and at most
 * HM_MAX_TIMEOUT_S ahead.
 */
int hm_check_timeout(json_t *v, double now, double *out, struct hm_fault *f);
/* May a child of type @child be added to @parent in @state? */
int hm_check_child(const struct hm_type *parent, const char *state,
		   const struct hm_type *child, struct hm_fault *f);

/* host_capabilities(): {elements, connections, resources}. */
json_t *hm_capabilities(void);

#endif
