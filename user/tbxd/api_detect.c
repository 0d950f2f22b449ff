// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receivers' detectors (detector.c) over tbxd's API:
 *   GET    /detect               {"detectors": [...]}
 *   GET    /detect/NAME          one; ?series=1 adds its 100 ms intervals
 *   POST   /detect               {"name", "dev", "capacity": BITS, "profile": FILE,
 *                                 ["high": 0.90], ["low": 0.75], ["port": N],
 *                                 ["pushback": DEV | false],
 *                                 "senders": [{"name", "addr", "profile": FILE,
 *                                              ["label": "attack" | "good"]}]}
 *                                -> 201 and the detector
 *   DELETE /detect/NAME          (stopped senders are told to resume first)
 * Devices are tbxd's network namespace's; files are read by tbxd;
 * "pushback" defaults to the watched device, false detects only.
 */
#include <errno.h>
#include <string.h>

#include "api.h"
#include "detector.h"
#include "err.h"
#include "tbxd.h"

static unsigned int status_of(int err)
{
	switch (-err) {
	case ENOENT: return 404;
	case EEXIST: return 409;
	case EINVAL: case E2BIG: case ENODEV: case ERANGE: case ENAMETOOLONG: return 400;
	default: return 500;
	}
}

static const char *name_of(const struct tbxd_request *req)
{
	return req->path + strlen("/detect/");
}

static unsigned int get_all(struct tbxd_request *req, json_t **reply)
{
	*reply = tbxd_detectors_json(req->d->detectors);
	return 200;
}

static unsigned int get_one(struct tbxd_request *req, json_t **reply)
{
	const char *series = tbxd_request_arg(req, "series");

	*reply = tbxd_detector_json(req->d->detectors, name_of(req),
				    series && strcmp(series, "0"));
	if (!*reply)
		return tbxd_reply_error(reply, 404, "detect: no detector \"%s\"", name_of(req));
	return 200;
}

static unsigned int post(struct tbxd_request *req, json_t **reply)
{
	json_error_t jerr;
	json_t *b;
	int err;

	if (!req->body)
		return tbxd_reply_error(reply, 400, "a JSON object is expected");
	b = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!b)
		return tbxd_reply_error(reply, 400, "body: %s", jerr.text);
	err = tbxd_detector_add(req->d->detectors, b, reply);
	json_decref(b);
	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	return 201;
}

static unsigned int del(struct tbxd_request *req, json_t **reply)
{
	int err = tbxd_detector_del(req->d->detectors, name_of(req));

	if (err)
		return tbxd_reply_error(reply, status_of(err), "%s", tbx_errmsg());
	*reply = json_object();
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "GET", "/detect", get_all },
	{ "POST", "/detect", post },
	{ "GET", "/detect/*", get_one },
	{ "DELETE", "/detect/*", del },
};

const struct tbxd_routes tbxd_detect_routes = TBXD_ROUTES("detect", routes);
