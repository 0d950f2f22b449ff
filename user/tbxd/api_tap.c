// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /taps: background tap sessions over the API. A POST is checked field
 * by field before anything is loaded or attached; an error names the
 * field (in the message and as "field") and starts nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "corsaro/template.h"
#include "err.h"
#include "tap_session.h"
#include "tbxd.h"

#define BAD_FIELD(reply, field, fmt, ...) \
	bad_field(reply, 400, field, fmt, ##__VA_ARGS__)

static unsigned int bad_field(json_t **reply, unsigned int status, const char *field,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static unsigned int bad_field(json_t **reply, unsigned int status, const char *field,
			      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*reply = json_pack("{s:s++,s:s}", "error", field, ": ", msg, "field", field);
	return status;
}

struct tap_request {
	struct cors_out_opts out;
	struct tbx_tap_opts live;
	json_t *normal;		/* the request with defaults filled in */
};

static const char *const fields[] = {
	"dev", "interval", "align", "template", "plugins", "monitor", "rotate",
	"rotate_meta", "mode", "xdp", "dir", "tuples", "ring_mb",
};

/* An integer field in min..max, or its default when absent. */
static unsigned int get_uint(json_t *body, const char *key, json_int_t min,
			     json_int_t max, json_int_t def, json_int_t *out,
			     json_t **reply)
{
	json_t *v = json_object_get(body, key);

	*out = def;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return BAD_FIELD(reply, key, "expected an integer in %lld..%lld",
				 (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

static unsigned int get_bool(json_t *body, const char *key, bool *out, json_t **reply)
{
	json_t *v = json_object_get(body, key);

	*out = false;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return BAD_FIELD(reply, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

/* The template's directory (the part before any % code) must exist. */
static unsigned int check_template(const char *t, json_t **reply)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (t[0] != '/')
		return BAD_FIELD(reply, "template", "\"%s\" must be an absolute path "
				 "(tbxd's working directory is not yours)", t);
	if (!strstr(t, "%P"))
		return BAD_FIELD(reply, "template", "\"%s\" must contain %%P", t);
	if (cors_template_check(t))
		return BAD_FIELD(reply, "template", "%s", tbx_errmsg());
	snprintf(dir, sizeof(dir), "%s", t);
	dir[strcspn(dir, "%")] = '\0';
	slash = strrchr(dir, '/');
	slash[slash == dir] = '\0';
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return BAD_FIELD(reply, "template", "directory %s does not exist", dir);
	return 0;
}

static unsigned int parse_plugins(json_t *body, struct tap_request *r, json_t **reply)
{
	json_t *v = json_object_get(body, "plugins"), *p;
	size_t i;

	if (!v) {
		r->out.flowtuple = true;
		return 0;
	}
	if (!json_is_array(v) || !json_array_size(v))
		return BAD_FIELD(reply, "plugins", "expected a non-empty array of "
				 "\"flowtuple\" and \"dos\"");
	json_array_foreach(v, i, p) {
		const char *name = json_string_value(p);
		bool *on = !name ? NULL : !strcmp(name, "flowtuple") ? &r->out.flowtuple :
			   !strcmp(name, "dos") ? &r->out.dos : NULL;

		if (!on)
			return BAD_FIELD(reply, "plugins", "element %zu: plugins are "
					 "\"flowtuple\" and \"dos\"", i);
		if (*on)
			return BAD_FIELD(reply, "plugins", "\"%s\" given twice", name);
		*on = true;
	}
	return 0;
}

static unsigned int parse_request(const struct tbxd_request *req, struct tap_request *r,
				  json_t **body_out, json_t **reply)
{
	json_int_t interval, rotate, rotate_meta, tuples, ring;
	const char *dev, *tmpl, *monitor = NULL, *mode = "binary", *dir = "in";
	json_error_t jerr;
	json_t *body, *v;
	const char *key;
	unsigned int st;

	if (!req->body)
		return BAD_FIELD(reply, "body", "expected a JSON object");
	body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!body)
		return BAD_FIELD(reply, "body", "line %d column %d: %s", jerr.line,
				 jerr.column, jerr.text);
	*body_out = body;
	if (!json_is_object(body))
		return BAD_FIELD(reply, "body", "expected a JSON object");
	json_object_foreach(body, key, v) {
		size_t i;

		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (!strcmp(key, fields[i]))
				break;
		if (i == sizeof(fields) / sizeof(fields[0]))
			return BAD_FIELD(reply, key, "unknown field");
	}
	dev = json_string_value(json_object_get(body, "dev"));
	if (!dev)
		return BAD_FIELD(reply, "dev", "required, a device name");
	if (!*dev || strlen(dev) >= IFNAMSIZ || strchr(dev, '/') || !strcmp(dev, ".") ||
	    !strcmp(dev, ".."))
		return BAD_FIELD(reply, "dev", "invalid device name \"%s\"", dev);
	if (!if_nametoindex(dev))
		return BAD_FIELD(reply, "dev", "no such device \"%s\" (in tbxd's "
				 "network namespace)", dev);
	tmpl = json_string_value(json_object_get(body, "template"));
	if (!tmpl)
		return BAD_FIELD(reply, "template", "required, a file name template with %%P");
	st = check_template(tmpl, reply);
	if (st)
		return st;
	if ((st = get_uint(body, "interval", 1, UINT16_MAX, 60, &interval, reply)) ||
	    (st = get_bool(body, "align", &r->live.align, reply)) ||
	    (st = get_uint(body, "rotate", 0, UINT_MAX, 0, &rotate, reply)) ||
	    (st = get_uint(body, "rotate_meta", 0, UINT_MAX, 0, &rotate_meta, reply)) ||
	    (st = get_bool(body, "xdp", &r->live.xdp, reply)) ||
	    (st = get_uint(body, "tuples", 1, 1 << 26, TBX_TAP_MAX_TUPLES, &tuples, reply)) ||
	    (st = get_uint(body, "ring_mb", 1, 1024, 8, &ring, reply)) ||
	    (st = parse_plugins(body, r, reply)))
		return st;
	if (ring & (ring - 1))
		return BAD_FIELD(reply, "ring_mb", "%lld is not a power of two", (long long)ring);
	v = json_object_get(body, "monitor");
	if (json_is_null(v))	/* as absent: the host name */
		v = NULL;
	if (v && (!json_is_string(v) || !*json_string_value(v) ||
		  json_string_length(v) > 255))
		return BAD_FIELD(reply, "monitor", "expected a name of 1..255 bytes");
	monitor = json_string_value(v);
	v = json_object_get(body, "mode");
	if (v) {
		mode = json_string_value(v);
		if (!mode || (strcmp(mode, "ascii") && strcmp(mode, "binary")))
			return BAD_FIELD(reply, "mode", "\"ascii\" or \"binary\"");
	}
	v = json_object_get(body, "dir");
	if (v) {
		dir = json_string_value(v);
		if (!dir || (strcmp(dir, "in") && strcmp(dir, "out") && strcmp(dir, "both")))
			return BAD_FIELD(reply, "dir", "\"in\", \"out\" or \"both\"");
	}
	r->live.ingress = strcmp(dir, "out");
	r->live.egress = strcmp(dir, "in");
	if (r->live.xdp && r->live.egress)
		return BAD_FIELD(reply, "dir", "XDP sees ingress only");
	r->live.ifname = dev;
	r->live.interval = interval;
	r->live.max_tuples = tuples;
	r->live.ring_mb = ring;
	r->out.template = tmpl;
	r->out.monitor = monitor;
	r->out.rotate = rotate;
	r->out.rotate_meta = rotate_meta;
	r->out.ascii = !strcmp(mode, "ascii");
	r->normal = json_pack("{s:s,s:I,s:b,s:s,s:[],s:s?,s:I,s:I,s:s,s:b,s:s,s:I,s:I}",
		"dev", dev, "interval", interval, "align", r->live.align, "template", tmpl,
		"plugins", "monitor", monitor, "rotate", rotate, "rotate_meta", rotate_meta,
		"mode", mode, "xdp", r->live.xdp, "dir", dir, "tuples", tuples,
		"ring_mb", ring);
	if (!r->normal)
		return tbxd_reply_error(reply, 500, "out of memory");
	if (r->out.flowtuple)
		json_array_append_new(json_object_get(r->normal, "plugins"),
				      json_string("flowtuple"));
	if (r->out.dos)
		json_array_append_new(json_object_get(r->normal, "plugins"), json_string("dos"));
	return 0;
}

static struct tbxd_taps *taps_of(struct tbxd_request *req)
{
	return req->d->taps;
}

static unsigned int post_taps(struct tbxd_request *req, json_t **reply)
{
	struct tap_request r = { 0 };
	json_t *body = NULL;
	unsigned int st;
	int64_t id;
	int err;

	st = parse_request(req, &r, &body, reply);
	if (st)
		goto out;
	if (tbxd_tap_dev_busy(taps_of(req), r.live.ifname)) {
		st = bad_field(reply, 409, "dev", "tbxd already taps %s", r.live.ifname);
		goto out;
	}
	err = tbxd_tap_start(taps_of(req), &r.out, &r.live, r.normal, &id);
	if (err) {
		st = err == -EEXIST || err == -EBUSY ?
		     bad_field(reply, 409, "dev", "%s", tbx_errmsg()) :
		     err == -ENODEV ? BAD_FIELD(reply, "dev", "%s", tbx_errmsg()) :
		     err == -EINVAL ? tbxd_reply_error(reply, 400, "%s", tbx_errmsg()) :
		     tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
		goto out;
	}
	*reply = tbxd_tap_json(taps_of(req), id, &err);
	st = *reply ? 201 : tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
out:
	json_decref(r.normal);
	json_decref(body);
	return st;
}

static unsigned int get_taps(struct tbxd_request *req, json_t **reply)
{
	int err;
	json_t *list = tbxd_tap_list(taps_of(req), &err);

	if (!list)
		return tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
	*reply = json_pack("{s:o}", "taps", list);
	return 200;
}

/* "/taps/ID": a positive decimal id, else 0 with a 400 reply. */
static int64_t path_id(struct tbxd_request *req, json_t **reply)
{
	const char *s = req->path + strlen("/taps/");
	char *end;
	long long id;

	errno = 0;
	id = strtoll(s, &end, 10);
	if (errno || *end || end == s || *s == '+' || *s == '-' || id <= 0) {
		bad_field(reply, 400, "id", "\"%s\" is not a session id (a positive integer)", s);
		return 0;
	}
	return id;
}

static unsigned int get_tap(struct tbxd_request *req, json_t **reply)
{
	int64_t id = path_id(req, reply);
	int err;

	if (!id)
		return 400;
	*reply = tbxd_tap_json(taps_of(req), id, &err);
	if (*reply)
		return 200;
	return tbxd_reply_error(reply, err == -ENOENT ? 404 : 500, "%s", tbx_errmsg());
}

static unsigned int delete_tap(struct tbxd_request *req, json_t **reply)
{
	int64_t id = path_id(req, reply);
	int err;

	if (!id)
		return 400;
	err = tbxd_tap_stop(taps_of(req), id);
	if (err == -ENOENT || err == -EALREADY)
		return tbxd_reply_error(reply, err == -ENOENT ? 404 : 409, "%s", tbx_errmsg());
	/* A failed end is recorded too: the reply shows how it ended. */
	*reply = tbxd_tap_json(taps_of(req), id, &err);
	if (!*reply)
		return tbxd_reply_error(reply, 500, "%s", tbx_errmsg());
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "POST", "/taps", post_taps },
	{ "GET", "/taps", get_taps },
	{ "GET", "/taps/*", get_tap },
	{ "DELETE", "/taps/*", delete_tap },
};

const struct tbxd_routes tbxd_tap_routes = TBXD_ROUTES("taps", routes);
