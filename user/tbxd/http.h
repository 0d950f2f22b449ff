/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP server: libmicrohttpd in its external epoll mode, driven by
 * tbxd's event loop (its epoll fd is one watch, its timeout one timer).
 * It owns no policy: requests go to the API's dispatcher, replies come
 * back as JSON objects.
 */
#ifndef TBXD_HTTP_H
#define TBXD_HTTP_H

#define TBXD_BODY_MAX		(1024 * 1024)	/* larger bodies get 413 */
#define TBXD_CONN_TIMEOUT_S	30		/* idle clients are dropped */

struct tbxd;
struct tbxd_api;
struct tbxd_http;
struct tbxd_loop;
struct tbxd_request;
struct tbxd_response;
struct tbxd_tls;

/* Answers one request: fills resp (a JSON body, or text). */
typedef void (*tbxd_serve_fn)(const void *arg, struct tbxd_request *req,
			      struct tbxd_response *resp);

/* The JSON API on listen_fd; listen_fd stays the caller's: it is never
 * closed here.
 */
int tbxd_http_start(struct tbxd_loop *loop, int listen_fd,
		    const struct tbxd_api *api, struct tbxd *d,
		    struct tbxd_http **out);
/* Any server: with tls, HTTPS where only clients whose certificate the
 * CA signed are served (req->owner is its common name); others get 401.
 */
int tbxd_http_serve(struct tbxd_loop *loop, int listen_fd,
		    const struct tbxd_tls *tls, tbxd_serve_fn serve,
		    const void *serve_arg, struct tbxd *d,
		    struct tbxd_http **out);
/* Stops accepting; done(arg) runs once no connection is left (it may
 * run before this returns).
 */
void tbxd_http_drain(struct tbxd_http *h, void (*done)(void *arg), void *arg);
void tbxd_http_stop(struct tbxd_http *h);

#endif
