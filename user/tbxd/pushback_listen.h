/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's push-back listener: CBSAT's multicast group (224.0.0.251:12345),
 * each message read with user/lib/pushback.c and applied to this host's
 * enforced senders by uuid (tbx_police_switch_uuid()). With a key, only
 * authenticated messages with a fresh seq count; without one, CBSAT's
 * plain messages do. Whatever is ignored (malformed, unauthenticated,
 * replayed, naming no local sender) is counted, logged and changes nothing.
 */
#ifndef TBXD_PUSHBACK_LISTEN_H
#define TBXD_PUSHBACK_LISTEN_H

#include <jansson.h>

struct tbxd;
struct tbxd_pushback;

/* Joins the group when cfg->pushback is set; *out stays NULL otherwise. */
int tbxd_pushback_start(struct tbxd *d, struct tbxd_pushback **out);
void tbxd_pushback_stop(struct tbxd_pushback *pb);
/* The listener's figures for /health, or JSON null when it is off. */
json_t *tbxd_pushback_health(struct tbxd *d);

#endif
