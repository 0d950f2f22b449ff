/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's HTTP/JSON API as tables of routes. Each module owns one table
 * (health.c: GET /health) and api.c lists the tables; http.c only moves
 * bytes. Handlers run on the event loop, so they must not block.
 */
#ifndef TBXD_API_H
#define TBXD_API_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct tbxd;

struct tbxd_request {
	struct tbxd *d;
	const char *method;	/* HEAD arrives here as GET */
	const char *path;	/* no query string, %-decoded */
	const char *body;	/* NUL-terminated; NULL when there is none */
	size_t body_len;
	void *conn;		/* http.c's connection, for query arguments */
	/* Over HTTPS: the client certificate's common name; else NULL. */
	const char *owner;
};

/* The query argument @key ("?force=1" gives "1"), NULL when absent. */
const char *tbxd_request_arg(const struct tbxd_request *req, const char *key);
/* The request header @name ("Accept-Encoding"), NULL when absent. */
const char *tbxd_request_header(const struct tbxd_request *req, const char *name);

/* Returns the HTTP status and sets *reply to a JSON object (owned by
 * the caller); tbxd_reply_error() builds error replies.
 */
typedef unsigned int (*tbxd_handler_fn)(struct tbxd_request *req,
					json_t **reply);

struct tbxd_route {
	const char *method;
	/* Matched exactly; one ending in "/ *" (no space) matches that prefix followed
	 * by one non-empty segment (no '/'), e.g. "/emulations/NAME".
	 */
	const char *path;
	tbxd_handler_fn fn;
};

struct tbxd_routes {
	const char *module;	/* names the table in error messages */
	const struct tbxd_route *route;
	size_t n;
};

#define TBXD_ROUTES(name, table) \
	{ .module = (name), .route = (table), \
	  .n = sizeof(table) / sizeof((table)[0]) }

/* The modules' tables, registered at start-up by tbxd_api_new(). */
extern const struct tbxd_routes tbxd_health_routes;
extern const struct tbxd_routes tbxd_tap_routes;
extern const struct tbxd_routes tbxd_emulation_routes;
extern const struct tbxd_routes tbxd_topology_routes;
extern const struct tbxd_routes tbxd_usage_routes;
extern const struct tbxd_routes tbxd_enforce_routes;
extern const struct tbxd_routes tbxd_detect_routes;

/* At start-up, before serving: finishes what a killed tbxd left half
 * built or half removed (api_topology.c).
 */
int tbxd_topology_reconcile(struct tbxd *d);

struct tbxd_api;

struct tbxd_response {
	unsigned int status;
	json_t *body;		/* a JSON object, or NULL when out of memory */
	char allow[64];		/* with 405: the methods the path takes */
	/* Set instead of body for a reply that is not JSON (malloc'd). */
	char *text;
	size_t text_len;
	const char *content_type;
	/* Close the connection after this reply (no keep-alive). */
	bool close;
	/* text is gzip-compressed: sent with Content-Encoding: gzip. */
	bool gzip;
};

int tbxd_api_new(struct tbxd_api **out);
void tbxd_api_free(struct tbxd_api *api);
/* Refuses a (method, path) that another table already routes. */
int tbxd_api_add(struct tbxd_api *api, const struct tbxd_routes *routes);
/* Routes req; 404 and 405 (with resp->allow) when nothing matches. */
void tbxd_api_dispatch(const struct tbxd_api *api, struct tbxd_request *req,
		       struct tbxd_response *resp);

/* *reply = {"error": "<message>"}; returns status. */
unsigned int tbxd_reply_error(json_t **reply, unsigned int status,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
