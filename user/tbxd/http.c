// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libmicrohttpd glue: request bodies, the 1 MiB limit, JSON replies.
 * Responses are always built from a buffer, so they always carry a
 * Content-Length and never use chunked encoding.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>

#include "api.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "loop.h"
#include "tls.h"

struct tbxd_http {
	struct MHD_Daemon *mhd;
	struct tbxd_loop *loop;
	struct tbxd_timer *timer;
	int epoll_fd;
	tbxd_serve_fn serve;
	const void *serve_arg;
	const struct tbxd_tls *tls;	/* NULL: plain HTTP */
	struct tbxd *d;
	bool quiesced;
	void (*drained)(void *arg);
	void *drained_arg;
};

/* One request's body, kept across calls of the access handler. */
struct upload {
	char *buf;
	size_t len, cap;
	bool too_large;
	char owner[TBXD_OWNER_MAX];	/* the client certificate's CN */
};

static const char oom_body[] = "{\"error\":\"tbxd is out of memory\"}\n";

static enum MHD_Result send_reply(struct MHD_Connection *c,
				  struct tbxd_response *resp)
{
	const char *type = "application/json";
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *text = NULL;
	size_t len = 0;

	if (resp->text) {
		/* A reply that is not JSON (XML-RPC): sent as it is. */
		json_decref(resp->body);
		resp->body = NULL;
		r = MHD_create_response_from_buffer(resp->text_len, resp->text,
						    MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(resp->text);
		resp->text = NULL;
		if (!r)
			return MHD_NO;
		type = resp->content_type ? resp->content_type : "text/plain";
		goto send;
	}
	if (resp->body)
		text = json_dumps(resp->body, JSON_COMPACT);
	json_decref(resp->body);
	resp->body = NULL;
	if (text) {
		/* A final newline, for people reading curl's output. */
		char *t = realloc(text, (len = strlen(text)) + 2);

		if (t) {
			text = t;
			strcpy(text + len++, "\n");
		}
		r = MHD_create_response_from_buffer(len, text,
						    MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(text);
	} else {
		resp->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		r = MHD_create_response_from_buffer(sizeof(oom_body) - 1,
						    (void *)oom_body,
						    MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;	/* closes the connection: nothing else to do */
send:
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (resp->allow[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
	if (resp->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (resp->gzip)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	ret = MHD_queue_response(c, resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_too_large(struct MHD_Connection *c)
{
	struct tbxd_response resp = { .allow = "" };

	resp.status = tbxd_reply_error(&resp.body,
				       MHD_HTTP_CONTENT_TOO_LARGE,
				       "request body larger than %d bytes",
				       TBXD_BODY_MAX);
	return send_reply(c, &resp);
}

static bool declared_too_large(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_CONTENT_LENGTH);

	/* libmicrohttpd has already refused malformed lengths with 400. */
	return cl && strtoull(cl, NULL, 10) > TBXD_BODY_MAX;
}

static void keep(struct upload *up, const char *data, size_t size)
{
	char *buf;

	if (up->too_large)
		return;		/* discarded: a 413 goes out at the end */
	if (size > TBXD_BODY_MAX - up->len) {
		up->too_large = true;
		free(up->buf);
		up->buf = NULL;
		return;
	}
	if (up->len + size + 1 > up->cap) {
		size_t cap = up->cap ? up->cap : 4096;

		while (cap < up->len + size + 1)
			cap *= 2;
		buf = realloc(up->buf, cap);
		if (!buf) {
			/* Reported as 413 too: more than tbxd can take now. */
			up->too_large = true;
			free(up->buf);
			up->buf = NULL;
			return;
		}
		up->buf = buf;
		up->cap = cap;
	}
	memcpy(up->buf + up->len, data, size);
	up->len += size;
	up->buf[up->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **con_cls)
{
	struct tbxd_http *h = cls;
	struct upload *up = *con_cls;
	struct tbxd_response resp;
	struct tbxd_request req;

	if (!up) {
		/* The first call has the headers only. */
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		*con_cls = up;
		/* Answered now, the body is never read. */
		if (declared_too_large(c))
			return send_too_large(c);
		return MHD_YES;
	}
	if (*size) {
		keep(up, data, *size);
		*size = 0;
		return MHD_YES;
	}
	if (up->too_large)
		return send_too_large(c);
	req = (struct tbxd_request){
		.d = h->d,
		.method = method,
		.path = url,
		.body = up->buf,
		.body_len = up->len,
		.conn = c,
	};
	memset(&resp, 0, sizeof(resp));
	if (h->tls) {
		const union MHD_ConnectionInfo *ci;

		int err = -ENOKEY;

		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		if (ci)
			err = tbxd_tls_peer(ci->tls_session, up->owner, sizeof(up->owner));
		if (err) {
			/* as ToMaTo: 401 without a certificate, 403 with a bad one */
			resp.status = tbxd_reply_error(&resp.body, err == -ENOKEY ?
						       MHD_HTTP_UNAUTHORIZED : MHD_HTTP_FORBIDDEN,
						       "%s", ci ? tbx_errmsg() : "no TLS session");
			return send_reply(c, &resp);
		}
		req.owner = up->owner;
	}
	h->serve(h->serve_arg, &req, &resp);
	return send_reply(c, &resp);
}

const char *tbxd_request_header(const struct tbxd_request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *tbxd_request_arg(const struct tbxd_request *req, const char *key)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	if (!up)
		return;
	free(up->buf);
	free(up);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	tbxd_log("http: %s", msg);
}

static unsigned int connections(struct tbxd_http *h)
{
	const union MHD_DaemonInfo *info;

	info = MHD_get_daemon_info(h->mhd,
				   MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? info->num_connections : 0;
}

static void check_drained(struct tbxd_http *h)
{
	void (*done)(void *arg) = h->drained;

	if (!done || connections(h))
		return;
	h->drained = NULL;
	done(h->drained_arg);
}

/* Runs libmicrohttpd, then sets the timer to when it wants to run next. */
static void run(struct tbxd_http *h)
{
	MHD_UNSIGNED_LONG_LONG ms;
	uint64_t ns = 0;

	MHD_run(h->mhd);
	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES) {
		if (ms > 24ULL * 3600 * 1000)
			ms = 24ULL * 3600 * 1000;
		ns = ms ? ms * 1000000 : 1;	/* 0 would disarm: "now" */
	}
	if (tbxd_timer_arm(h->timer, ns, 0, 0))
		tbxd_log("http: %s", tbx_errmsg());
	check_drained(h);
}

static void on_epoll(struct tbxd_loop *loop, int fd, short revents,
		     void *arg)
{
	run(arg);
}

static void on_timer(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	run(arg);
}

static void serve_api(const void *api, struct tbxd_request *req,
		      struct tbxd_response *resp)
{
	tbxd_api_dispatch(api, req, resp);
}

int tbxd_http_start(struct tbxd_loop *loop, int listen_fd,
		    const struct tbxd_api *api, struct tbxd *d,
		    struct tbxd_http **out)
{
	return tbxd_http_serve(loop, listen_fd, NULL, serve_api, api, d, out);
}

int tbxd_http_serve(struct tbxd_loop *loop, int listen_fd,
		    const struct tbxd_tls *tls, tbxd_serve_fn serve,
		    const void *serve_arg, struct tbxd *d,
		    struct tbxd_http **out)
{
	const union MHD_DaemonInfo *info;
	struct tbxd_http *h;
	int err;

	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) != MHD_YES)
		return tbx_err(ENOTSUP, "libmicrohttpd was built without epoll");
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return tbx_err(ENOTSUP, "libmicrohttpd was built without TLS");
	h = calloc(1, sizeof(*h));
	if (!h)
		return tbx_err(ENOMEM, "http: out of memory");
	h->loop = loop;
	h->serve = serve;
	h->serve_arg = serve_arg;
	h->tls = tls;
	h->d = d;
	h->epoll_fd = -1;
	err = tbxd_timer_new(loop, on_timer, h, &h->timer);
	if (err)
		goto err_free;
	/* No thread flag: external polling, everything on tbxd's loop.
	 * With a CA, libmicrohttpd asks for a client certificate; whether
	 * one came and what it proves is checked per request (tls.c).
	 */
	{
		struct MHD_OptionItem o[] = {
			/* First, or it misses messages about the others. */
			{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, h },
			{ MHD_OPTION_LISTEN_SOCKET, (intptr_t)listen_fd, NULL },
			{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, h },
			{ MHD_OPTION_CONNECTION_TIMEOUT, TBXD_CONN_TIMEOUT_S, NULL },
			{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
			  tls ? tls->cert_pem : NULL },
			{ MHD_OPTION_HTTPS_MEM_KEY, 0, tls ? tls->key_pem : NULL },
			{ MHD_OPTION_HTTPS_MEM_TRUST, 0, tls ? tls->ca_pem : NULL },
			{ MHD_OPTION_END, 0, NULL },
		};

		h->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
					  (tls ? MHD_USE_TLS : 0), 0,
					  NULL, NULL, on_request, h,
					  MHD_OPTION_ARRAY, o, MHD_OPTION_END);
	}
	if (!h->mhd) {
		err = tbx_err(EIO, "cannot start the HTTP server (libmicrohttpd)");
		goto err_timer;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info || info->epoll_fd < 0) {
		err = tbx_err(EIO, "libmicrohttpd gave no epoll fd");
		goto err_mhd;
	}
	h->epoll_fd = info->epoll_fd;
	err = tbxd_loop_add_fd(loop, h->epoll_fd, POLLIN, on_epoll, h);
	if (err)
		goto err_mhd;
	run(h);
	*out = h;
	return 0;

err_mhd:
	/* Quiesced first, so libmicrohttpd leaves listen_fd open. */
	MHD_quiesce_daemon(h->mhd);
	MHD_stop_daemon(h->mhd);
err_timer:
	tbxd_timer_free(h->timer);
err_free:
	free(h);
	return err;
}

void tbxd_http_drain(struct tbxd_http *h, void (*done)(void *arg), void *arg)
{
	if (!h->quiesced) {
		MHD_quiesce_daemon(h->mhd);
		h->quiesced = true;
	}
	h->drained = done;
	h->drained_arg = arg;
	check_drained(h);
}

void tbxd_http_stop(struct tbxd_http *h)
{
	if (!h)
		return;
	tbxd_loop_del_fd(h->loop, h->epoll_fd);
	tbxd_timer_free(h->timer);
	if (!h->quiesced)
		MHD_quiesce_daemon(h->mhd);
	MHD_stop_daemon(h->mhd);
	free(h);
}
