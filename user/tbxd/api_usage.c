// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Usage records (Documentation/accounting.md), what ToMaTo's accounting
 * calls answer:
 *   GET /usage[?type=LEVEL][&after=T][&before=T]
 *       every object: {"elements": {NAME: stats}, "connections": ...,
 *       "injected": ...} (accounting_statistics)
 *   GET /usage?element=TOPO/NODE | connection=TOPO/N:IF--M:IF |
 *       injected=runs [&type=...]
 *       one object's (accounting_element_statistics and the like)
 *   POST /usage
 *       one accounting cycle now (what the timer does every interval);
 *       answers {"objects": N, "cycle_ms": T}
 * stats is a list of records with type, else {LEVEL: [records]}; after
 * and before are Unix times (a record is kept when it ends at or after
 * `after` and begins at or before `before`).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounting.h"
#include "api.h"
#include "err.h"
#include "tbxd.h"
#include "usage_store.h"

static const char *const object_keys[USAGE_KINDS] = {
	[USAGE_ELEMENT]		= "element",
	[USAGE_CONNECTION]	= "connection",
	[USAGE_INJECTED]	= "injected",
};

static int time_arg(struct tbxd_request *req, const char *key, double *t)
{
	const char *v = tbxd_request_arg(req, key);
	char *end;

	*t = 0;
	if (!v)
		return 0;
	errno = 0;
	*t = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(*t) || *t < 0)
		return tbx_err(EINVAL, "%s \"%s\": not a Unix time in seconds", key, v);
	return 0;
}

static unsigned int get_usage(struct tbxd_request *req, json_t **reply)
{
	const char *type = tbxd_request_arg(req, "type");
	const char *name = NULL;
	int level = -1, kind = -1, err;
	double after, before;
	json_t *info;

	if (type && (level = tbx_usage_level_of(type)) < 0)
		return tbxd_reply_error(reply, 400, "type \"%s\": not one of single,"
					" 5minutes, hour, day, month, year", type);
	if (time_arg(req, "after", &after) || time_arg(req, "before", &before))
		return tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
	for (int k = 0; k < USAGE_KINDS; k++) {
		const char *v = tbxd_request_arg(req, object_keys[k]);

		if (!v)
			continue;
		if (name)
			return tbxd_reply_error(reply, 400, "%s and %s: ask for one object",
						object_keys[kind], object_keys[k]);
		name = v;
		kind = k;
	}
	if (!name) {
		if ((err = usage_store_all(req->d->state, level, after, before, &info)))
			return tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
		*reply = info;
		return 200;
	}
	err = usage_store_info(req->d->state, kind, name, level, after, before, &info);
	if (err)
		return tbxd_reply_error(reply, err == -ENOENT ? 404 : 500, "%s", tbx_errmsg());
	*reply = json_pack("{s:s, s:s, s:o}", "kind", object_keys[kind], "name", name,
			   "statistics", info);
	return 200;
}

static unsigned int post_usage(struct tbxd_request *req, json_t **reply)
{
	unsigned int objects;
	double ms;

	if (tbxd_accounting_cycle(req->d->accounting, time(NULL)))
		return tbxd_reply_error(reply, 500, "accounting: %s", tbx_errmsg());
	tbxd_accounting_last(req->d->accounting, &objects, &ms);
	*reply = json_pack("{s:i, s:f}", "objects", (int)objects, "cycle_ms", ms);
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "GET", "/usage", get_usage },
	{ "POST", "/usage", post_usage },
};

const struct tbxd_routes tbxd_usage_routes = TBXD_ROUTES("usage", routes);
