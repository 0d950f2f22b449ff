// SPDX-License-Identifier: GPL-2.0-or-later
/* GET /health: is tbxd up, which one, and on which state file. */
#include <time.h>
#include <unistd.h>

#include "accounting.h"
#include "api.h"
#include "hostmanager.h"
#include "pushback_listen.h"
#include "state.h"
#include "tbxd.h"

static unsigned int get_health(struct tbxd_request *req, json_t **reply)
{
	struct tbxd *d = req->d;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	*reply = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:i, s:I, s:o, s:o, s:o}",
			   "status", "ok",
			   "version", TBX_VERSION,
			   "pid", (json_int_t)getpid(),
			   "uptime_s", (json_int_t)(now.tv_sec - d->started_mono.tv_sec),
			   "started_at", d->started_at,
			   "state_db", d->db_path,
			   "schema_version", tbxd_state_version(d->state),
			   "starts", (json_int_t)d->starts,
			   "accounting", tbxd_accounting_health(d->accounting),
			   "hostmanager", tbxd_hostmanager_health(d),
			   "pushback", tbxd_pushback_health(d));
	return 200;
}

static const struct tbxd_route routes[] = {
	{ "GET", "/health", get_health },
};

const struct tbxd_routes tbxd_health_routes = TBXD_ROUTES("health", routes);
