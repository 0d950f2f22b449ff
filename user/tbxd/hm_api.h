/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hostmanager API's methods, ToMaTo's names and parameters. Each
 * method gets its parameters bound by name (argv[i] is params[i], NULL
 * when not given) and the caller's identity; it returns 0 and a result,
 * or -1 with ctx->f set. Methods are grouped by what they act on:
 * hm_host.c (host_*, accounting_*), hm_element.c, hm_connection.c.
 */
#ifndef TBXD_HM_API_H
#define TBXD_HM_API_H

#include <stdint.h>
#include <jansson.h>

#include "hm_fault.h"
#include "hm_store.h"

struct tbxd;

struct hm_ctx {
	struct tbxd *d;
	const char *owner;
	double now;		/* Unix time of the call */
	struct hm_fault f;
};

#define HM_PARAMS_MAX	4

struct hm_method {
	const char *name;
	int (*fn)(struct hm_ctx *c, json_t *const argv[HM_PARAMS_MAX], json_t **out);
	const char *params[HM_PARAMS_MAX];	/* names, NULL-terminated */
	int required;				/* the first ones */
};

extern const struct hm_method hm_host_methods[], hm_element_methods[],
	hm_connection_methods[];
extern const size_t hm_n_host_methods, hm_n_element_methods,
	hm_n_connection_methods;

/* An id parameter (an int, or digits as ToMaTo's int(id) took them). */
int hm_arg_id(struct hm_ctx *c, json_t *v, int64_t *id);
/* The caller's element or connection @id: "No such element". */
int hm_get(struct hm_ctx *c, bool connection, json_t *id_arg, struct hm_obj *o);
int hm_get_id(struct hm_ctx *c, bool connection, int64_t id, struct hm_obj *o);
/* A state file error as an internal fault. */
int hm_internal(struct hm_ctx *c);

json_t *hm_element_info(struct hm_ctx *c, const struct hm_obj *o);
json_t *hm_connection_info(const struct hm_obj *o);
/* Brings an element to its row (an interface needs its host's row);
 * @was: its attributes before a change, or NULL.
 */
int hm_element_realise(struct hm_ctx *c, const struct hm_obj *o, const json_t *was);
/* Brings connection @con (if any) to its row again: an end's host changed. */
int hm_connection_resync(struct hm_ctx *c, int64_t con);
/* Tears an element (and what hangs on it) down and removes it, whatever
 * its state: what a timeout does.
 */
int hm_element_teardown(struct hm_ctx *c, int64_t id);

#endif
