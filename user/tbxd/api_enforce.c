// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Enforced senders (tbx enforce, user/lib/police.c) over tbxd's API:
 *   GET    /enforce              {"senders": [...]}, each as tbx -j enforce show
 *   GET    /enforce/NAME         one
 *   POST   /enforce              {"name", "cgroup": PATH | "dev": DEV,
 *                                 "profile": FILE} -> 201 and the sender
 *   PUT    /enforce/NAME         {"profile": FILE} and/or {"off": bool}
 *   DELETE /enforce/NAME
 * Devices are tbxd's network namespace's; files are read by tbxd. The
 * state is the pinned maps, so the CLI and the API see the same senders.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "err.h"
#include "police.h"
#include "profile.h"
#include "tbxd.h"

static unsigned int status_of(int err)
{
	switch (-err) {
	case ENOENT: return 404;
	case EEXIST: return 409;
	case EINVAL: case E2BIG: case ENODEV: case ERANGE: case ENAMETOOLONG: return 400;
	case ENOSPC: return 507;
	default: return 500;
	}
}

static const char *name_of(const struct tbxd_request *req)
{
	return req->path + strlen("/enforce/");
}

static unsigned int reply_sender(const char *name, unsigned int status, json_t **reply)
{
	struct tbx_police_sender s;
	int err = tbx_police_get(name, &s);

	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	*reply = tbx_police_sender_json(&s, tbx_police_now());
	return status;
}

static unsigned int get_all(struct tbxd_request *req, json_t **reply)
{
	struct tbx_police_sender *all;
	uint64_t now = tbx_police_now();
	unsigned int n;
	json_t *list;
	int err = tbx_police_list(&all, &n);

	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	list = json_array();
	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(list, tbx_police_sender_json(&all[i], now));
	free(all);
	*reply = json_pack("{s:o}", "senders", list);
	return 200;
}

static unsigned int get_one(struct tbxd_request *req, json_t **reply)
{
	return reply_sender(name_of(req), 200, reply);
}

static json_t *body_object(struct tbxd_request *req, json_t **reply, unsigned int *status)
{
	json_error_t jerr;
	json_t *b;

	if (!req->body) {
		*status = tbxd_reply_error(reply, 400, "a JSON object is expected");
		return NULL;
	}
	b = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!b || !json_is_object(b)) {
		*status = tbxd_reply_error(reply, 400, "body: %s", b ? "not a JSON object" : jerr.text);
		json_decref(b);
		return NULL;
	}
	return b;
}

/* Only these keys; each a string (or a boolean for "off"). */
static int check_keys(json_t *b, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;

	json_object_foreach(b, k, v) {
		size_t i;

		for (i = 0; i < n && strcmp(k, keys[i]); i++)
			;
		if (i == n)
			return tbx_err(EINVAL, "unknown key \"%s\"", k);
		if (!strcmp(k, "off") ? !json_is_boolean(v) : !json_is_string(v))
			return tbx_err(EINVAL, "\"%s\" must be a %s", k,
				       strcmp(k, "off") ? "string" : "boolean");
	}
	return 0;
}

static unsigned int post(struct tbxd_request *req, json_t **reply)
{
	static const char *const keys[] = { "name", "cgroup", "dev", "profile" };
	struct tbx_police_spec spec = { 0 };
	struct tbx_profile p;
	unsigned int status = 0;
	json_t *b = body_object(req, reply, &status);
	int err;

	if (!b)
		return status;
	if (check_keys(b, keys, 4)) {
		status = tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
		goto out;
	}
	spec.name = json_string_value(json_object_get(b, "name"));
	spec.cgroup = json_string_value(json_object_get(b, "cgroup"));
	spec.dev = json_string_value(json_object_get(b, "dev"));
	spec.profile_name = json_string_value(json_object_get(b, "profile"));
	if (!spec.name || !spec.profile_name || !spec.cgroup == !spec.dev) {
		status = tbxd_reply_error(reply, 400, "\"name\", \"profile\" and one of "
					  "\"cgroup\" and \"dev\" are needed");
		goto out;
	}
	spec.kind = spec.cgroup ? TBX_POLICE_CGROUP : TBX_POLICE_DEV;
	if (tbx_profile_load(spec.profile_name, &p)) {
		status = tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
		goto out;
	}
	spec.profile = &p;
	err = tbx_police_add(&spec);
	tbx_profile_free(&p);
	if (err)	/* a cgroup that is not there is a bad request, not a missing sender */
		status = tbxd_reply_error(reply, err == -ENOENT ? 400 : status_of(err),
					  "%s", tbx_errmsg());
	else
		status = reply_sender(spec.name, 201, reply);
out:
	json_decref(b);
	return status;
}

static unsigned int put(struct tbxd_request *req, json_t **reply)
{
	static const char *const keys[] = { "profile", "off" };
	const char *name = name_of(req), *file;
	struct tbx_police_sender s;
	struct tbx_profile p;
	unsigned int status = 0;
	json_t *b = body_object(req, reply, &status), *off;
	int err;

	if (!b)
		return status;
	if (check_keys(b, keys, 2)) {
		status = tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
		goto out;
	}
	if ((err = tbx_police_get(name, &s))) {
		status = tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
		goto out;
	}
	file = json_string_value(json_object_get(b, "profile"));
	off = json_object_get(b, "off");
	if (!file && !off) {
		status = tbxd_reply_error(reply, 400, "\"profile\" or \"off\" is needed");
		goto out;
	}
	/* Everything checked before anything changes. */
	if (file && tbx_profile_load(file, &p)) {
		status = tbxd_reply_error(reply, 400, "%s", tbx_errmsg());
		goto out;
	}
	err = file ? tbx_police_set_profile(name, &p, file) : 0;
	if (file)
		tbx_profile_free(&p);
	if (!err && off)
		err = tbx_police_switch(name, json_is_true(off));
	if (err)
		status = tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	else
		status = reply_sender(name, 200, reply);
out:
	json_decref(b);
	return status;
}

static unsigned int del(struct tbxd_request *req, json_t **reply)
{
	int err = tbx_police_del(name_of(req));

	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	*reply = json_object();
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "GET", "/enforce", get_all },
	{ "POST", "/enforce", post },
	{ "GET", "/enforce/*", get_one },
	{ "PUT", "/enforce/*", put },
	{ "DELETE", "/enforce/*", del },
};

const struct tbxd_routes tbxd_enforce_routes = TBXD_ROUTES("enforce", routes);
