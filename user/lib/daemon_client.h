/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The client side of tbxd's HTTP/JSON API, over its UNIX socket: one
 * request per connection (Connection: close), JSON object replies.
 */
#ifndef TBX_DAEMON_CLIENT_H
#define TBX_DAEMON_CLIENT_H

#include <jansson.h>

#define TBXD_SOCK		"/run/tbx/tbxd.sock"
#define TBXD_TIMEOUT_MS		5000		/* for the whole exchange */
#define TBXD_REPLY_MAX		(16 << 20)	/* larger replies are refused */

/*
 * Sends one request (body: JSON text or NULL) and reads the reply.
 * Returns 0 once tbxd has answered, whatever the HTTP status: then
 * *http_status is set and *reply is the body, a JSON object the caller
 * frees. Returns a negative errno, with tbx_errmsg() set, when tbxd
 * cannot be reached, times out or answers something malformed.
 */
int tbxd_request(const char *sock, const char *method, const char *path,
		 const char *body, long *http_status, json_t **reply);

/*
 * tbxd_request() for callers that only want success: a 2xx reply is
 * returned in *reply; any other becomes a negative errno with the
 * reply's "error" as tbx_errmsg().
 */
int tbxd_call(const char *sock, const char *method, const char *path,
	      const char *body, json_t **reply);

/* The two with a bound of @timeout_ms instead of TBXD_TIMEOUT_MS, for
 * requests whose work grows with their size (a topology's up and down).
 */
int tbxd_request_within(const char *sock, const char *method, const char *path,
			const char *body, int timeout_ms, long *http_status,
			json_t **reply);
int tbxd_call_within(const char *sock, const char *method, const char *path,
		     const char *body, int timeout_ms, json_t **reply);

/* A query value: everything but unreserved characters (and '/') %-encoded. */
void tbxd_url_encode(const char *s, char *out, size_t len);

#endif
