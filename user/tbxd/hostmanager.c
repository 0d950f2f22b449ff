// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hostmanager's server: XML-RPC calls bound to methods (ToMaTo's
 * convention: exactly [list, struct] is positional and keyword arguments),
 * faults as ToMaTo raises them, the listener, the timeout sweep and the
 * reconciling at start.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <zlib.h>

#include "api.h"
#include "err.h"
#include "hm_api.h"
#include "hm_realise.h"
#include "hostmanager.h"
#include "http.h"
#include "log.h"
#include "loop.h"
#include "tbxd.h"
#include "tls.h"
#include "xmlrpc/xmlrpc.h"

#define EXPIRE_EVERY_S	5	/* ToMaTo looked hourly; finer costs nothing */
#define GZIP_OVER	1024	/* bytes; ToMaTo's threshold */

struct tbxd_hostmanager {
	struct tbxd *d;
	struct tbxd_tls *tls;
	struct tbxd_http *http;
	struct tbxd_timer *timer;
	int fd;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const struct {
	const struct hm_method *m;
	const size_t *n;
} tables[] = {
	{ hm_host_methods, &hm_n_host_methods },
	{ hm_element_methods, &hm_n_element_methods },
	{ hm_connection_methods, &hm_n_connection_methods },
};

static const struct hm_method *find(const char *name)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!strcmp(tables[t].m[i].name, name))
				return &tables[t].m[i];
	return NULL;
}

static json_t *list_methods(void)
{
	json_t *a = json_array();

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			json_array_append_new(a, json_string(tables[t].m[i].name));
	json_array_append_new(a, json_string("system.listMethods"));
	return a;
}

/* Python's TypeError for a call with too many or too few arguments. */
static int count_error(struct hm_ctx *c, const char *name, bool many, int n, int given)
{
	hm_fail(&c->f, NULL, NULL, "TypeError: %s() takes %s %d arguments (%d given)",
		name, many ? "at most" : "at least", n, given);
	c->f.type = "internal";
	return -1;
}

/* Python's rules for binding arguments to a def's parameters. */
static int bind_args(struct hm_ctx *c, const struct hm_method *m, json_t *params,
		json_t *argv[HM_PARAMS_MAX])
{
	json_t *args = params, *kwargs = NULL, *v;
	const char *key;
	int np = 0, given;

	while (np < HM_PARAMS_MAX && m->params[np])
		np++;
	if (json_array_size(params) == 2 && json_is_array(json_array_get(params, 0)) &&
	    json_is_object(json_array_get(params, 1))) {
		args = json_array_get(params, 0);
		kwargs = json_array_get(params, 1);
	}
	given = (int)json_array_size(args) + (int)json_object_size(kwargs);
	if ((int)json_array_size(args) > np)
		return count_error(c, m->name, true, np, given);
	for (int i = 0; i < np; i++)
		argv[i] = json_array_get(args, (size_t)i);
	json_object_foreach(kwargs, key, v) {
		int i;

		for (i = 0; i < np && strcmp(m->params[i], key); i++)
			;
		if (i == np) {
			hm_fail(&c->f, NULL, NULL, "TypeError: %s() got an unexpected keyword argument '%s'",
				m->name, key);
			c->f.type = "internal";
			return -1;
		}
		if (argv[i]) {
			hm_fail(&c->f, NULL, NULL, "TypeError: %s() got multiple values for keyword argument '%s'",
				m->name, key);
			c->f.type = "internal";
			return -1;
		}
		argv[i] = v;
	}
	for (int i = 0; i < m->required; i++)
		if (!argv[i])
			return count_error(c, m->name, false, m->required, given);
	return 0;
}

/* gzip of buf (malloc'd), or NULL. */
static char *gzipped(const char *buf, size_t len, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = len + len / 1000 + 64;
	char *out = malloc(cap);

	/* 16 + 15: a gzip header and trailer around deflate's stream */
	if (!out || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (unsigned char *)buf;
	z.avail_in = (unsigned int)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned int)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

/* As ToMaTo's server: replies over 1 KiB gzip'd for a client that takes it. */
static void maybe_gzip(const struct tbxd_request *req, struct tbxd_response *resp)
{
	const char *ae = tbxd_request_header(req, "Accept-Encoding");
	size_t len;
	char *z;

	if (!resp->text || resp->text_len <= GZIP_OVER || !ae || !strstr(ae, "gzip"))
		return;
	if (!(z = gzipped(resp->text, resp->text_len, &len)))
		return;		/* sent plain */
	free(resp->text);
	resp->text = z;
	resp->text_len = len;
	resp->gzip = true;
}

static void reply(struct tbxd_response *resp, char *xml, size_t len)
{
	resp->status = 200;
	resp->text = xml;
	resp->text_len = len;
	resp->content_type = "text/xml";
	if (!xml)
		resp->status = tbxd_reply_error(&resp->body, 500, "tbxd is out of memory");
}

static void reply_fault(struct tbxd_response *resp, struct hm_ctx *c, const char *method)
{
	char *s = hm_fault_string(&c->f), *xml;
	size_t len = 0;

	tbxd_log("hostmanager: %s: %s: %s", c->owner ? c->owner : "-", method, c->f.message);
	xml = tbx_xmlrpc_write_fault(HM_FAULT_CODE, s ? s : c->f.message, &len);
	free(s);
	reply(resp, xml, len);
}

void tbxd_hostmanager_serve(const void *arg, struct tbxd_request *req,
			    struct tbxd_response *resp)
{
	struct hm_ctx c = { .d = (struct tbxd *)arg, .owner = req->owner, .now = now_s() };
	json_t *argv[HM_PARAMS_MAX] = { 0 }, *params = NULL, *out = NULL;
	const struct hm_method *m;
	char *method = NULL, *xml;
	size_t len = 0;

	/* One call per connection, as ToMaTo's HTTP/1.0 server did: a client
	 * never reuses a connection the server has meanwhile timed out.
	 */
	resp->close = true;
	if (strcmp(req->method, "POST")) {
		snprintf(resp->allow, sizeof(resp->allow), "POST");
		resp->status = tbxd_reply_error(&resp->body, 405,
						"XML-RPC takes POST only, not %s", req->method);
		return;
	}
	if (!c.owner) {
		resp->status = tbxd_reply_error(&resp->body, 401, "no client certificate");
		return;
	}
	if (tbx_xmlrpc_read_call(req->body, req->body_len, &method, &params)) {
		hm_fail(&c.f, "invalid_value", NULL, "%s", tbx_errmsg());
		reply_fault(resp, &c, "request");
		hm_fault_clear(&c.f);
		return;
	}
	if (!strcmp(method, "system.listMethods")) {
		out = list_methods();
	} else if (!(m = find(method))) {
		/* ToMaTo's only fault that is not 999 */
		xml = tbx_xmlrpc_write_fault(HM_FAULT_NO_METHOD, "No such method!", &len);
		tbxd_log("hostmanager: %s: no such method %s", c.owner, method);
		reply(resp, xml, len);
		goto done;
	} else if (bind_args(&c, m, params, argv) || m->fn(&c, argv, &out)) {
		reply_fault(resp, &c, method);
		goto done;
	}
	xml = tbx_xmlrpc_write_response(out ? out : json_null(), &len);
	reply(resp, xml, len);
	maybe_gzip(req, resp);
done:
	hm_fault_clear(&c.f);
	json_decref(out);
	json_decref(params);
	free(method);
}

void tbxd_hostmanager_expire(struct tbxd *d, double now)
{
	struct hm_ctx c = { .d = d, .now = now };
	int64_t *ids = NULL;
	size_t n = 0;

	if (hm_store_expired(d->state, now, &ids, &n)) {
		tbxd_log("hostmanager: timeouts: %s", tbx_errmsg());
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (hm_element_teardown(&c, ids[i]))
			tbxd_log("hostmanager: element %lld timed out, tear-down failed: %s",
				 (long long)ids[i], tbx_errmsg());
		else
			tbxd_log("hostmanager: element %lld timed out: torn down and removed",
				 (long long)ids[i]);
	}
	free(ids);
}

static void on_timer(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct tbxd_hostmanager *hm = arg;

	tbxd_hostmanager_expire(hm->d, now_s());
}

/* Every row realised again; kernel objects without a row removed. */
static void reconcile(struct tbxd *d)
{
	struct hm_ctx c = { .d = d, .now = now_s() };
	int64_t *el = NULL, *con = NULL;
	size_t n_el = 0, n_con = 0;

	if (hm_store_ids(d->state, false, NULL, NULL, &el, &n_el) ||
	    hm_store_ids(d->state, true, NULL, NULL, &con, &n_con)) {
		tbxd_log("hostmanager: reconcile: %s", tbx_errmsg());
		free(el);
		return;
	}
	hm_remove_strays(el, n_el, con, n_con);
	/* hosts before their interfaces (ids grow), connections last */
	for (size_t i = 0; i < n_el; i++) {
		struct hm_obj o;

		if (hm_store_get(d->state, false, NULL, el[i], &o))
			continue;
		if (hm_element_realise(&c, &o, NULL))
			tbxd_log("hostmanager: reconcile element %lld: %s", (long long)o.id,
				 tbx_errmsg());
		hm_obj_release(&o);
	}
	for (size_t i = 0; i < n_con; i++)
		if (hm_connection_resync(&c, con[i]))
			tbxd_log("hostmanager: reconcile connection %lld: %s", (long long)con[i],
				 tbx_errmsg());
	if (n_el || n_con)
		tbxd_log("hostmanager: reconciled %zu elements, %zu connections", n_el, n_con);
	free(el);
	free(con);
}

/* "ADDR:PORT" or "[ADDR6]:PORT", numeric only. */
static int listen_tcp(const char *spec, int *out)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV };
	char host[128];
	const char *colon = strrchr(spec, ':');
	struct addrinfo *ai;
	int fd, one = 1, rc;
	size_t hl;

	if (!colon || !colon[1])
		return tbx_err(EINVAL, "--hostmanager %s: not ADDRESS:PORT", spec);
	hl = (size_t)(colon - spec);
	if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)hl - 2, spec + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int)hl, spec);
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)))
		return tbx_err(EINVAL, "--hostmanager %s: %s", spec, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		freeaddrinfo(ai);
		return tbx_err(errno, "--hostmanager %s: socket: %m", spec);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
		rc = errno;
		close(fd);
		freeaddrinfo(ai);
		return tbx_err(rc, "--hostmanager %s: %m", spec);
	}
	freeaddrinfo(ai);
	*out = fd;
	return 0;
}

int tbxd_hostmanager_start(struct tbxd *d, struct tbxd_hostmanager **out)
{
	const struct tbxd_config *cfg = d->cfg;
	struct tbxd_hostmanager *hm;
	int err;

	*out = NULL;
	reconcile(d);
	if (!cfg->hm_listen)
		return 0;
	if (!cfg->hm_cert || !cfg->hm_key || !cfg->hm_ca)
		return tbx_err(EINVAL, "--hostmanager needs --hostmanager-cert, --hostmanager-key and --hostmanager-ca");
	if (!(hm = calloc(1, sizeof(*hm))))
		return tbx_err(ENOMEM, "out of memory");
	hm->d = d;
	hm->fd = -1;
	if ((err = tbxd_tls_load(cfg->hm_cert, cfg->hm_key, cfg->hm_ca, &hm->tls)) ||
	    (err = listen_tcp(cfg->hm_listen, &hm->fd)) ||
	    (err = tbxd_http_serve(d->loop, hm->fd, hm->tls, tbxd_hostmanager_serve, d, d,
				   &hm->http)) ||
	    (err = tbxd_timer_new(d->loop, on_timer, hm, &hm->timer)) ||
	    (err = tbxd_timer_arm(hm->timer, EXPIRE_EVERY_S * 1000000000ULL,
				  EXPIRE_EVERY_S * 1000000000ULL, 0))) {
		tbxd_hostmanager_stop(hm);
		return err;
	}
	tbxd_log("hostmanager: XML-RPC over HTTPS on %s", cfg->hm_listen);
	*out = hm;
	return 0;
}

json_t *tbxd_hostmanager_health(struct tbxd *d)
{
	size_t n_el = 0, n_con = 0;
	int64_t *ids;

	if (!d->cfg->hm_listen)
		return json_null();
	if (!hm_store_ids(d->state, false, NULL, NULL, &ids, &n_el))
		free(ids);
	if (!hm_store_ids(d->state, true, NULL, NULL, &ids, &n_con))
		free(ids);
	return json_pack("{s:s, s:I, s:I}", "listen", d->cfg->hm_listen,
			 "elements", (json_int_t)n_el, "connections", (json_int_t)n_con);
}

void tbxd_hostmanager_stop(struct tbxd_hostmanager *hm)
{
	if (!hm)
		return;
	tbxd_timer_free(hm->timer);
	tbxd_http_stop(hm->http);
	if (hm->fd >= 0)
		close(hm->fd);
	tbxd_tls_free(hm->tls);
	free(hm);
}
