/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ToMaTo's hostmanager API: XML-RPC over HTTPS on its own port (ToMaTo's
 * is 8000), clients identified by their certificate, elements torn down
 * when their timeout passes. Off unless tbxd is given --hostmanager.
 */
#ifndef TBXD_HOSTMANAGER_H
#define TBXD_HOSTMANAGER_H

#include <stddef.h>
#include <jansson.h>

struct tbxd;
struct tbxd_hostmanager;
struct tbxd_request;
struct tbxd_response;

/* Brings rows and kernel together (a killed tbxd may have left either
 * half done), then listens; nothing when cfg->hm_listen is NULL.
 */
int tbxd_hostmanager_start(struct tbxd *d, struct tbxd_hostmanager **out);
void tbxd_hostmanager_stop(struct tbxd_hostmanager *hm);

/* For GET /health: {listen, elements, connections}; null when off. */
json_t *tbxd_hostmanager_health(struct tbxd *d);

/* One XML-RPC request answered (exposed for tests). */
void tbxd_hostmanager_serve(const void *d, struct tbxd_request *req,
			    struct tbxd_response *resp);
/* Tears down every element whose timeout has passed at @now. */
void tbxd_hostmanager_expire(struct tbxd *d, double now);

#endif
