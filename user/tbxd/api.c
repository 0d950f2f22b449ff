// SPDX-License-Identifier: GPL-2.0-or-later
/* The route registry and the dispatcher. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "err.h"
#include "log.h"

/* Every module's table; a module with endpoints adds one line. */
static const struct tbxd_routes *const modules[] = {
	&tbxd_health_routes,
	&tbxd_tap_routes,
	&tbxd_emulation_routes,
	&tbxd_topology_routes,
	&tbxd_usage_routes,
	&tbxd_enforce_routes,
	&tbxd_detect_routes,
};

struct tbxd_api {
	const struct tbxd_routes **tables;
	size_t n;
};

/* A route "/a/" + "*" matches "/a/x" (x non-empty, no slash); others exactly. */
static bool path_matches(const char *route, const char *path)
{
	size_t n = strlen(route);

	if (n >= 2 && !strcmp(route + n - 2, "/*"))
		return !strncmp(route, path, n - 1) && path[n - 1] &&
		       !strchr(path + n - 1, '/');
	return !strcmp(route, path);
}

static const struct tbxd_route *find(const struct tbxd_api *api,
				     const char *method, const char *path)
{
	for (size_t t = 0; t < api->n; t++)
		for (size_t i = 0; i < api->tables[t]->n; i++) {
			const struct tbxd_route *r = &api->tables[t]->route[i];

			if (path_matches(r->path, path) &&
			    (!method || !strcmp(r->method, method)))
				return r;
		}
	return NULL;
}

int tbxd_api_add(struct tbxd_api *api, const struct tbxd_routes *routes)
{
	const struct tbxd_routes **tables;

	for (size_t i = 0; i < routes->n; i++) {
		const struct tbxd_route *r = &routes->route[i];

		if (!r->method || !r->path || r->path[0] != '/' || !r->fn)
			return tbx_err(EINVAL, "api: %s: route %zu is incomplete",
				       routes->module, i);
		if (find(api, r->method, r->path))
			return tbx_err(EEXIST, "api: %s: %s %s is already routed",
				       routes->module, r->method, r->path);
	}
	tables = reallocarray(api->tables, api->n + 1, sizeof(*tables));
	if (!tables)
		return tbx_err(ENOMEM, "api: out of memory");
	api->tables = tables;
	api->tables[api->n++] = routes;
	return 0;
}

int tbxd_api_new(struct tbxd_api **out)
{
	struct tbxd_api *api;
	int err;

	api = calloc(1, sizeof(*api));
	if (!api)
		return tbx_err(ENOMEM, "api: out of memory");
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		err = tbxd_api_add(api, modules[i]);
		if (err) {
			tbxd_api_free(api);
			return err;
		}
	}
	*out = api;
	return 0;
}

void tbxd_api_free(struct tbxd_api *api)
{
	if (!api)
		return;
	free(api->tables);
	free(api);
}

unsigned int tbxd_reply_error(json_t **reply, unsigned int status,
			      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*reply = json_pack("{s:s}", "error", msg);
	return status;
}

/* "GET, HEAD, POST": every method routed for path, for a 405's Allow. */
static void allowed(const struct tbxd_api *api, const char *path,
		    char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t t = 0; t < api->n; t++)
		for (size_t i = 0; i < api->tables[t]->n; i++) {
			const struct tbxd_route *r = &api->tables[t]->route[i];
			bool get = !strcmp(r->method, "GET");

			if (!path_matches(r->path, path))
				continue;
			len += snprintf(buf + len, len < size ? size - len : 0,
					"%s%s%s", len ? ", " : "", r->method,
					get ? ", HEAD" : "");
		}
	if (len >= size)	/* never with today's methods; stay well-formed */
		buf[0] = '\0';
}

void tbxd_api_dispatch(const struct tbxd_api *api, struct tbxd_request *req,
		       struct tbxd_response *resp)
{
	const char *asked = req->method;
	const struct tbxd_route *r;

	/* HEAD is GET without the body; libmicrohttpd drops the body. */
	if (!strcmp(req->method, "HEAD"))
		req->method = "GET";
	resp->allow[0] = '\0';
	resp->body = NULL;
	resp->text = NULL;
	r = find(api, req->method, req->path);
	if (!r) {
		if (find(api, NULL, req->path)) {
			allowed(api, req->path, resp->allow, sizeof(resp->allow));
			resp->status = tbxd_reply_error(&resp->body, 405,
				"method %s not allowed on %s (allowed: %s)",
				asked, req->path, resp->allow);
		} else {
			resp->status = tbxd_reply_error(&resp->body, 404,
				"no such endpoint: %s", req->path);
		}
		return;
	}
	resp->status = r->fn(req, &resp->body);
	if (!json_is_object(resp->body)) {
		json_decref(resp->body);
		resp->status = tbxd_reply_error(&resp->body, 500,
			"internal error: %s %s gave no JSON object",
			req->method, req->path);
	}
	if (resp->status >= 500)
		tbxd_log("%s %s: %u: %s", req->method, req->path, resp->status,
			 json_string_value(json_object_get(resp->body, "error")) ?: "?");
}
